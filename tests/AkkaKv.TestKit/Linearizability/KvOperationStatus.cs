namespace AkkaKv.TestKit.Linearizability;

/// <summary>How an operation ended, as its client saw it.</summary>
public enum KvOperationStatus
{
    /// <summary>Completed; the output is known.</summary>
    Ok,

    /// <summary>Certainly did not take effect.</summary>
    Fail,

    /// <summary>Outcome unknown (a timeout): it may take effect at any time after its call, or never.</summary>
    Info,
}
