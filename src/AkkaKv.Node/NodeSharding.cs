using Akka.Actor;
using AkkaKv.Hosting.Options;
using AkkaKv.Persistence.Snapshots;
using AkkaKv.Persistence.Wal;
using AkkaKv.Raft;
using AkkaKv.Sharding;
using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>
/// The node's shards in the cluster, as Akka.NET actors: its <see cref="ReplicaManagerHost"/> (<c>/user/replicas</c>,
/// where peers' Raft batches arrive; replicas with state on disk recovered at start), its <see cref="NodePlacementHost"/>
/// (<c>/user/placement</c>, running the coordinator while this node leads the placement group), the
/// <see cref="ClusterMembershipBridge"/> feeding Akka.Cluster's events to both, the configuration cache, and the
/// routing region the gateway sends every request through.
/// </summary>
internal sealed class NodeSharding
{
    private readonly IShardLocator _locator;
    private readonly NodeId _self;
    private readonly TimeSpan _requestTimeout;

    private NodeSharding(ShardMapCache cache, ShardRouter router, IActorRef replicas, IActorRef host, PlacementStore store, int shardCount, IShardLocator locator, NodeId self, TimeSpan requestTimeout)
    {
        _locator = locator;
        _self = self;
        _requestTimeout = requestTimeout;
        Cache = cache;
        Router = router;
        Replicas = replicas;
        Host = host;
        Store = store;
        ShardCount = shardCount;
    }

    public ShardMapCache Cache { get; }

    public ShardRouter Router { get; }

    /// <summary>The replica manager, <c>/user/replicas</c>.</summary>
    public IActorRef Replicas { get; }

    /// <summary>The placement host, <c>/user/placement</c>.</summary>
    public IActorRef Host { get; }

    /// <summary>The coordinator's durable state, reached through the routing region (for administration from any node).</summary>
    public PlacementStore Store { get; }

    public int ShardCount { get; }

    public static NodeSharding Start(NodeRuntime runtime, NodeWal wal, ISnapshotStore snapshots, ShardingOptions sharding, RaftSettings raft, TimeSpan requestTimeout,
        Metrics.NodeMetrics metrics, Persistence.Membership.IClusterMembershipRecord membership, ILoggerFactory loggers)
    {
        var system = runtime.System;
        var self = runtime.Self;
        var time = TimeProvider.System;
        system.ActorOf(PlacementEventLog.Props(metrics, loggers.CreateLogger<PlacementEventLog>()), "placement-log");
        var replicas = system.ActorOf(ReplicaManagerHost.Props(self, wal, snapshots, runtime.Transport, GroupOptions(sharding, raft), membership, loggers, time, runtime.Traffic), ReplicaManagerHost.Name);
        runtime.Transport.SetLocal(replicas);
        // The replicas with state on disk are recovered now (a damaged snapshot stops the start, as before).
        replicas.Ask<LocalReplicas>(StartLocalReplicas.Instance, TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();

        var cache = new ShardMapCache();
        var regionOptions = new ShardRegionOptions { LocalNode = self, RequestTimeout = requestTimeout };
        var locator = new AkkaShardLocator(cache, self, system, runtime.Peers, runtime.Traffic);
        var region = new ShardRegion(locator, regionOptions, time);
        metrics.Observe(cache, region);
        metrics.Observe(wal);
        var placement = new PlacementCoordinatorOptions
        {
            Placement = new PlacementOptions
            {
                Replicas = sharding.Replicas,
                MaxConcurrentMoves = sharding.MaxConcurrentMoves,
                PlacementShard = PlacementGroup.Shard,
                PlacementReplicas = sharding.PlacementReplicas,
            },
            RoundInterval = sharding.RebalanceInterval,
            ReplaceDownAfter = sharding.ReplaceDownAfter,
        };
        var replicaHost = new AkkaReplicaHost(node => runtime.ActorOn(node, ReplicaManagerHost.Path), requestTimeout);
        var executor = new RaftPlacementExecutor(region, replicaHost, (ulong)sharding.LearnerMaxLag);
        var initial = ShardMap.Bootstrap(PlacementGroup.AllShards(sharding.ShardCount), self);
        // The coordinator's store is the local placement replica: the coordinator runs where that replica leads.
        async Task<ShardReply?> AskLocalPlacement(ShardRequest request, CancellationToken cancellation) =>
            await locator.AskAsync(PlacementGroup.Shard, self, request, requestTimeout, cancellation).ConfigureAwait(false);
        Props CoordinatorProps()
        {
            var store = new PlacementStore(async (request, cancellation) => await AskLocalPlacement(request, cancellation).ConfigureAwait(false) ?? new ShardUnavailable("the placement replica did not answer in time"));
            return PlacementCoordinatorHost.Props(initial, placement, executor, store, time);
        }
        var host = system.ActorOf(NodePlacementHost.Props(
            new PlacementHostOptions { Node = self, PlacementShard = PlacementGroup.Shard, RemovedReplicaGrace = sharding.RemovedReplicaGrace },
            replicas,
            cache,
            CoordinatorProps,
            () => AskLocalPlacement(GetShardStatus.Instance, CancellationToken.None),
            node => runtime.ActorOn(node, NodePlacementHost.Path),
            runtime.Leave,
            time), NodePlacementHost.Name);
        var bootstrap = new BootstrapCluster(PlacementGroup.DataShards(sharding.ShardCount), PlacementGroup.Shard);
        system.ActorOf(ClusterMembershipBridge.Props(self, runtime.Transport, runtime.Peers, replicas, host, bootstrap, loggers), "membership");
        var adminStore = new PlacementStore((request, cancellation) => region.SendAsync(PlacementGroup.Shard, request, cancellation));
        return new NodeSharding(cache, new ShardRouter(region, sharding.ShardCount), replicas, host, adminStore, sharding.ShardCount, locator, self, requestTimeout);
    }

    /// <summary>The status of each of this node's own data-shard replicas (voters and learners; the placement group's is left out).</summary>
    public async Task<IReadOnlyList<ShardStatus>> LocalStatusesAsync(CancellationToken cancellationToken)
    {
        var local = await Replicas.Ask<LocalReplicas>(GetLocalReplicas.Instance, _requestTimeout, cancellationToken).ConfigureAwait(false);
        var replies = await Task.WhenAll(local.Shards
            .Where(shard => shard != PlacementGroup.Shard)
            .Select(shard => _locator.AskAsync(shard, _self, GetShardStatus.Instance, _requestTimeout, cancellationToken))).ConfigureAwait(false);
        return [.. replies.OfType<ShardStatus>()];
    }

    private static RaftGroupOptions GroupOptions(ShardingOptions sharding, RaftSettings raft) => new()
    {
        TickInterval = raft.TickInterval,
        Raft = new RaftOptions
        {
            ElectionTicks = raft.ElectionTicks,
            HeartbeatTicks = raft.HeartbeatTicks,
            PreVote = raft.PreVote,
            CheckQuorum = raft.CheckQuorum,
            LeaseReads = raft.LeaseReads,
            LeaseDriftMarginTicks = raft.LeaseDriftMarginTicks,
            MaxInflightMessages = raft.MaxInflightMessages,
            MaxMessageBytes = raft.MaxMessageSize.Bytes,
            SnapshotChunkBytes = (int)raft.SnapshotChunkSize.Bytes,
            QuiesceAfterTicks = raft.QuiesceAfterTicks,
            QuiescentHeartbeatTicks = raft.QuiescentHeartbeatTicks,
        },
        CompactionLagEntries = raft.CompactionLagEntries,
        SnapshotEveryEntries = sharding.SnapshotEveryEntries,
        SnapshotEveryBytes = sharding.SnapshotEveryBytes.Bytes,
        IdempotencyCapacity = sharding.IdempotencyCapacity,
        IdempotencyRetention = sharding.IdempotencyRetention,
    };
}
