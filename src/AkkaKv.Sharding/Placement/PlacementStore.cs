using System.Globalization;
using System.Text;
using AkkaKv.Store;

namespace AkkaKv.Sharding.Placement;

/// <summary>
/// The coordinator's durable state, kept as keys of the placement group — itself a Raft group, so it survives the
/// loss of a minority of its nodes and moves with the coordinator: <c>placement/current</c> (the current
/// configuration, replaced only by compare-and-swap on the version this store last saw, which fences a coordinator
/// that lost its place), <c>placement/config/N</c> (every configuration, for <c>GET /v1/config/{n}</c>) and
/// <c>placement/draining</c> (nodes an operator asked to leave, whose replicas move off before they go).
/// Requests reach the group through <paramref name="send"/>: the local replica for the coordinator, the routing
/// region elsewhere.
/// </summary>
public sealed class PlacementStore(Func<ShardRequest, CancellationToken, Task<ShardReply>> send)
{
    private const string CurrentKey = "placement/current";
    private const string DrainingKey = "placement/draining";
    private LogIndex? _currentVersion;

    /// <summary>The key of configuration <paramref name="number"/>.</summary>
    public static string ConfigurationKey(long number) => $"placement/config/{number:D20}";

    /// <summary>The current configuration, or null when none was ever saved (a new cluster).</summary>
    /// <exception cref="PlacementStoreException">The placement group did not answer.</exception>
    public async Task<ShardMap?> LoadCurrentAsync(CancellationToken cancellationToken)
    {
        var value = await ReadAsync(CurrentKey, cancellationToken).ConfigureAwait(false);
        _currentVersion = value?.Version;
        return value is null ? null : ShardMapCodec.Decode(value.Value.Span);
    }

    /// <summary>Configuration <paramref name="number"/>, or null when it was never saved.</summary>
    public async Task<ShardMap?> LoadAsync(long number, CancellationToken cancellationToken)
    {
        var value = await ReadAsync(ConfigurationKey(number), cancellationToken).ConfigureAwait(false);
        return value is null ? null : ShardMapCodec.Decode(value.Value.Span);
    }

    /// <summary>
    /// Records <paramref name="map"/> as the current configuration, if the current one is still the one this store
    /// last loaded or saved. Throws <see cref="PlacementStoreException"/> when another coordinator saved since (this
    /// one must step down) or the group did not answer.
    /// </summary>
    public async Task SaveAsync(ShardMap map, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(map);
        var bytes = ShardMapCodec.Encode(map);
        await WriteAsync(new KvPut(ConfigurationKey(map.Number), bytes, KvCondition.None), cancellationToken).ConfigureAwait(false);
        var condition = _currentVersion is { } version ? new KvCondition.VersionIs(version) : KvCondition.MustNotExist;
        var result = await WriteAsync(new KvPut(CurrentKey, bytes, condition), cancellationToken).ConfigureAwait(false);
        _currentVersion = result switch
        {
            KvResult.Written written => written.Version,
            _ => throw new PlacementStoreException($"configuration {map.Number} was not saved: another coordinator changed the placement"),
        };
    }

    /// <summary>The nodes being drained.</summary>
    public async Task<IReadOnlySet<NodeId>> LoadDrainingAsync(CancellationToken cancellationToken)
    {
        var value = await ReadAsync(DrainingKey, cancellationToken).ConfigureAwait(false);
        return value is null ? new HashSet<NodeId>() : ParseNodes(Encoding.UTF8.GetString(value.Value.Span));
    }

    /// <summary>Adds <paramref name="node"/> to (or removes it from) the nodes being drained; retried on concurrent changes.</summary>
    public async Task SetDrainingAsync(NodeId node, bool draining, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var value = await ReadAsync(DrainingKey, cancellationToken).ConfigureAwait(false);
            var nodes = value is null ? new HashSet<NodeId>() : ParseNodes(Encoding.UTF8.GetString(value.Value.Span));
            if (!(draining ? nodes.Add(node) : nodes.Remove(node)))
            {
                return;
            }
            var text = string.Join(',', nodes.Order().Select(id => id.Value.ToString("x16", CultureInfo.InvariantCulture)));
            var condition = value is null ? KvCondition.MustNotExist : new KvCondition.VersionIs(value.Version);
            if (await WriteAsync(new KvPut(DrainingKey, Encoding.UTF8.GetBytes(text), condition), cancellationToken).ConfigureAwait(false) is KvResult.Written)
            {
                return;
            }
        }
        throw new PlacementStoreException("the draining nodes kept changing; try again");
    }

    private static HashSet<NodeId> ParseNodes(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(id => new NodeId(ulong.Parse(id, NumberStyles.HexNumber, CultureInfo.InvariantCulture)))];

    private async Task<KvValue?> ReadAsync(string key, CancellationToken cancellationToken) =>
        await SendAsync(new ReadRequest(key), cancellationToken).ConfigureAwait(false) switch
        {
            ReadReply read => read.Value,
            var other => throw new PlacementStoreException($"the placement group did not answer a read of {key}: {ShardUnavailableException.Describe(other)}"),
        };

    private async Task<KvResult> WriteAsync(KvCommand command, CancellationToken cancellationToken) =>
        await SendAsync(new WriteRequest(command), cancellationToken).ConfigureAwait(false) switch
        {
            WriteReply write => write.Result,
            var other => throw new PlacementStoreException($"the placement group did not take a write of {command.Key}: {ShardUnavailableException.Describe(other)}"),
        };

    private Task<ShardReply> SendAsync(ShardRequest request, CancellationToken cancellationToken) => send(request, cancellationToken);
}
