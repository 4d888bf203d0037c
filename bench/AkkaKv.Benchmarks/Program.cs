using BenchmarkDotNet.Running;

if (args is ["group", ..])
{
    return await AkkaKv.Benchmarks.GroupThroughput.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(AkkaKv.Benchmarks.ActorMessagingBenchmarks).Assembly).Run(args);
return 0;
