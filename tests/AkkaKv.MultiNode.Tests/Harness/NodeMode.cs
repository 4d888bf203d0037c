namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>How a spec runs its nodes.</summary>
public enum NodeMode
{
    /// <summary>Each node hosted in the test process on its own ports.</summary>
    InProcess,

    /// <summary>Each node an <c>akkakv-node</c> process.</summary>
    Process,
}
