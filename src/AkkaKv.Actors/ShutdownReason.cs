namespace AkkaKv.Actors;

/// <summary>Why a coordinated shutdown runs; logged and kept on <see cref="CoordinatedShutdown.Reason"/>.</summary>
public sealed record ShutdownReason(string Description)
{
    /// <summary><see cref="ActorSystem.Terminate"/> was called.</summary>
    public static readonly ShutdownReason ActorSystemTerminate = new("actor system terminate");

    /// <summary>The process received SIGTERM or Ctrl-C.</summary>
    public static readonly ShutdownReason ProcessExit = new("process exit");

    /// <summary>The node left the cluster.</summary>
    public static readonly ShutdownReason ClusterLeaving = new("cluster leaving");

    public override string ToString() => Description;
}
