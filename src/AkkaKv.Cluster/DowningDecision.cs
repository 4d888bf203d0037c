namespace AkkaKv.Cluster;

/// <summary>What the split-brain resolver decided from one member's point of view.</summary>
/// <param name="Down">Members to mark Down (possibly including this member's own side).</param>
/// <param name="Reason">Why, for the log line an operator reads.</param>
public sealed record DowningDecision(IReadOnlyList<NodeId> Down, string Reason)
{
    /// <summary>Nothing to do: everyone is reachable.</summary>
    public static DowningDecision None { get; } = new([], "all members reachable");

    public bool DownsSelf(NodeId self) => Down.Contains(self);
}
