namespace AkkaKv.TestKit.Linearizability;

/// <summary>
/// One client operation of a history. <see cref="Value"/> is the written value (put, append) or the value read
/// (get, null = absent); a compare-and-swap carries <see cref="Expected"/> (null = must be absent),
/// <see cref="Value"/> as the new value, and <see cref="Swapped"/> as its outcome.
/// </summary>
public sealed record KvOperation(
    int Client,
    KvOperationKind Kind,
    string Key,
    string? Value,
    double CallTime,
    double ReturnTime,
    KvOperationStatus Status,
    string? Expected = null,
    bool Swapped = false)
{
    public override string ToString() =>
        $"client {Client} {Kind} {Key} value={Value ?? "<absent>"}" +
        (Kind == KvOperationKind.CompareAndSwap ? $" expected={Expected ?? "<absent>"} swapped={Swapped}" : "") +
        $" [{CallTime:F6}, {ReturnTime:F6}] {Status}";
}
