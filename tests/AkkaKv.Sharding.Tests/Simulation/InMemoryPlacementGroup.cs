using AkkaKv.Store;

namespace AkkaKv.Sharding.Tests.Simulation;

/// <summary>
/// The placement group's key-value state for the simulation: reads and conditional writes with versions, as the
/// real group answers them; it may be made unavailable (no quorum), when every request is refused.
/// </summary>
internal sealed class InMemoryPlacementGroup
{
    private readonly Dictionary<string, KvValue> _values = [];
    private ulong _version;

    public bool Available { get; set; } = true;

    public Task<ShardReply> SendAsync(ShardRequest request, CancellationToken cancellationToken) => Task.FromResult(Answer(request));

    private ShardReply Answer(ShardRequest request)
    {
        if (!Available)
        {
            return new ShardUnavailable("the placement group has no quorum");
        }
        switch (request)
        {
            case ReadRequest read:
                return new ReadReply(_values.GetValueOrDefault(read.Key));
            case WriteRequest { Command: KvPut put }:
                var current = _values.GetValueOrDefault(put.Key);
                var allowed = put.Condition switch
                {
                    KvCondition.VersionIs expected => current?.Version == expected.Version,
                    KvCondition.Absent => current is null,
                    _ => true,
                };
                if (!allowed)
                {
                    return new WriteReply(new KvResult.ConditionFailed(current?.Version));
                }
                var version = new LogIndex(++_version);
                _values[put.Key] = new KvValue(put.Value.ToArray(), version);
                return new WriteReply(new KvResult.Written(version));
            default:
                throw new InvalidOperationException($"the simulation does not model {request}");
        }
    }
}
