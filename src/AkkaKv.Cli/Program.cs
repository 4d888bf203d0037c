using AkkaKv.Cli;

// The composition root of akkakv: real console streams; Ctrl-C cancels the running command.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
return await AkkaKvCli.RunAsync(args, Console.Out, Console.Error, Console.OpenStandardInput(), cancellation.Token);
