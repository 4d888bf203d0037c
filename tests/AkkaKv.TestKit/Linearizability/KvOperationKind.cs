namespace AkkaKv.TestKit.Linearizability;

/// <summary>The operations of the key-value model.</summary>
public enum KvOperationKind
{
    Get,
    Put,
    Append,
    Delete,
    CompareAndSwap,
}
