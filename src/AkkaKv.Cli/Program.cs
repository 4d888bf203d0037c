using AkkaKv.Cli;

// The composition root of akkakv: real console streams; Ctrl-C cancels the running command.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (args.Contains("bench") && Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
{
    // A load generator does little work per answer: continuing on the socket's event thread instead of handing each
    // answer to the thread pool saves about a fifth of its CPU per request (docs/benchmarks.md), CPU that a node on
    // the same machine gets back. The runtime reads this once, at the first socket operation, so it is set here.
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
}
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await AkkaKvCli.RunAsync(args, Console.Out, Console.Error, Console.OpenStandardInput(), cancellation.Token);
