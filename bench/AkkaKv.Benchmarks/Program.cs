using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AkkaKv.Benchmarks.ActorMessagingBenchmarks).Assembly).Run(args);
