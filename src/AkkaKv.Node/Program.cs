using System.Net.Sockets;
using AkkaKv.Hosting.Hocon;
using AkkaKv.Hosting.Options;
using AkkaKv.Node;
using AkkaKv.Persistence.Wal;
using Microsoft.Extensions.Options;

// The composition root of akkakv-node: parse arguments, build, run. Every way a start can fail ends with one
// clear line on stderr and a non-zero exit; SIGTERM and Ctrl-C shut down gracefully and exit 0; a node the cluster
// downed exits 5.
NodeArguments arguments;
try
{
    arguments = NodeArguments.Parse(args);
}
catch (ArgumentException error)
{
    return Fail(2, error.Message);
}
if (arguments.ShowHelp)
{
    Console.WriteLine(NodeArguments.Usage);
    return 0;
}
if (arguments.ShowVersion)
{
    Console.WriteLine($"akkakv-node {typeof(NodeArguments).Assembly.GetName().Version}");
    return 0;
}

try
{
    await using var app = NodeApplication.Build(arguments);
    var runtime = app.Services.GetRequiredService<NodeRuntime>(); // RunAsync disposes the container when it returns
    await app.RunAsync();
    // 0 after a stop or a drained leave (Akka.Hosting would say -1 for the leave); a downed node says so, and its
    // supervisor (build.sh run, systemd) starts it again as a new incarnation.
    return runtime.ExitCode;
}
catch (ConfigurationErrorsException error)
{
    return Fail(2, string.Join(Environment.NewLine, error.Errors.Select(line => "invalid setting: " + line)));
}
catch (OptionsValidationException error)
{
    return Fail(2, string.Join(Environment.NewLine, error.Failures.Select(line => "invalid setting: " + line)));
}
catch (HoconException error)
{
    return Fail(2, $"invalid configuration file: {error.Message}");
}
catch (ArgumentException error)
{
    return Fail(2, $"invalid setting: {error.Message}");
}
catch (FormatException error)
{
    return Fail(2, error.Message);
}
catch (FileNotFoundException error)
{
    return Fail(2, error.Message);
}
catch (WalCorruptionException error)
{
    return Fail(4, error.Message);
}
catch (IOException error) when (error.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || error.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    return Fail(3, $"cannot listen: {error.Message}");
}
catch (IOException error)
{
    return Fail(3, error.Message);
}

static int Fail(int exitCode, string message)
{
    Console.Error.WriteLine($"akkakv-node: {message}");
    return exitCode;
}
