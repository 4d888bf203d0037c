using AkkaKv.TestKit;

namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>
/// The multi-node spec harness (Akka's MultiNodeSpec, reduced to what a test process can drive): declares nodes
/// <c>node1..nodeN</c> on free loopback ports — in this process or as <c>akkakv-node</c> processes — with fast
/// membership timings and fault injection on; runs bodies on chosen nodes concurrently with named barriers
/// (<see cref="RunOnAsync"/>, <see cref="EnterBarrierAsync"/>); cuts and heals links; awaits conditions on the nodes'
/// cluster views with deadlines. Every node logs to its own file; when a spec fails the logs are kept and their
/// paths and last lines are written to the test output.
/// </summary>
public abstract class MultiNodeSpec(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Longest wait for a cluster condition; generous, so a busy 2-core machine is not a failure.</summary>
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Membership timings of every node: heartbeats and gossip every 200 ms, a 2 s acceptable pause (a crashed node is
    /// suspected after about 3 s) and a 3 s stable-after for the split-brain resolver.
    /// </summary>
    protected static readonly string[] FastMembership =
    [
        "akkakv.cluster.gossip-interval=200ms",
        "akkakv.cluster.seed-node-timeout=2s",
        "akkakv.cluster.failure-detector.heartbeat-interval=200ms",
        "akkakv.cluster.failure-detector.acceptable-heartbeat-pause=2s",
        "akkakv.cluster.split-brain-resolver.stable-after=3s",
        "akkakv.remote.retry-gate-closed-for=500ms",
        "akkakv.sharding.shard-count=4",
        "akkakv.sharding.rebalance-interval=200ms",
        "akkakv.remote.test-mode=on",
    ];

    private static readonly AsyncLocal<(AsyncBarrier Barrier, string Participant)?> CurrentBarrier = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("akkakv-multinode-").FullName;
    private readonly Dictionary<string, NodeHandle> _nodes = new(StringComparer.Ordinal);
    private bool _failed;

    protected ITestOutputHelper Output { get; } = output;

    /// <summary>This spec's cluster name (unique, so concurrent specs never meet).</summary>
    protected string ClusterName { get; } = "spec-" + Guid.NewGuid().ToString("N")[..8];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_nodes.Values.Select(node => node.DisposeAsync().AsTask()));
        if (!_failed)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // a process still closing a file: the temp directory is cleaned by the OS eventually
            }
        }
    }

    /// <summary>
    /// Declares <paramref name="count"/> nodes named node1..nodeN (seeds: node1 and node2) in <paramref name="mode"/>;
    /// <paramref name="settings"/> are added to every node's (after <see cref="FastMembership"/>).
    /// </summary>
    protected IReadOnlyList<NodeHandle> DeclareNodes(int count, NodeMode mode = NodeMode.InProcess, params string[] settings)
    {
        var ports = FreeTcpPort.Take(2 * count);
        var seeds = Enumerable.Range(0, Math.Min(2, count)).Select(i => $"127.0.0.1:{ports[2 * i + 1]}").ToArray();
        for (var i = 1; i <= count; i++)
        {
            DeclareNode($"node{i}", mode, ports[2 * (i - 1)], ports[2 * (i - 1) + 1], ClusterName, seeds, settings);
        }
        return [.. _nodes.Values];
    }

    /// <summary>Declares one more node named <paramref name="name"/> that joins through <paramref name="seeds"/>, in cluster <paramref name="cluster"/>.</summary>
    protected NodeHandle DeclareNode(string name, NodeMode mode, string cluster, IReadOnlyList<string> seeds, params string[] settings)
    {
        var ports = FreeTcpPort.Take(2);
        return DeclareNode(name, mode, ports[0], ports[1], cluster, seeds, settings);
    }

    private NodeHandle DeclareNode(string name, NodeMode mode, int httpPort, int remotePort, string cluster, IReadOnlyList<string> seeds, string[] settings)
    {
        List<string> all =
        [
            $"akkakv.node.name={name}",
            $"akkakv.node.data-dir={Path.Combine(_directory, name)}",
            $"akkakv.http.port={httpPort}",
            $"akkakv.remote.port={remotePort}",
            $"akkakv.cluster.name={cluster}",
            .. seeds.Select((seed, index) => $"akkakv.cluster.seed-nodes.{index}={seed}"),
            .. FastMembership,
            .. settings,
        ];
        var log = Path.Combine(_directory, $"{name}.log");
        NodeHandle node = mode == NodeMode.Process
            ? new ProcessNode(name, httpPort, remotePort, all, log, _directory)
            : new InProcessNode(name, httpPort, remotePort, all, log);
        _nodes.Add(name, node);
        return node;
    }

    protected NodeHandle Node(string name) => _nodes[name];

    /// <summary>The data directory of the node named <paramref name="name"/>.</summary>
    protected string DataDirectoryOf(string name) => Path.Combine(_directory, name);

    /// <summary>The seeds of the declared cluster (node1's and node2's peer addresses).</summary>
    protected IReadOnlyList<string> Seeds => [Node("node1").Address, Node("node2").Address];

    /// <summary>Starts the named nodes concurrently.</summary>
    protected Task StartAsync(params string[] names) => Task.WhenAll(names.Select(name => Node(name).StartAsync()));

    /// <summary>
    /// Runs <paramref name="body"/> for each named node concurrently; inside it, <see cref="EnterBarrierAsync"/> waits
    /// for the same barrier on all of them (Akka's <c>runOn</c> and <c>enterBarrier</c>).
    /// </summary>
    protected async Task RunOnAsync(IReadOnlyCollection<string> names, Func<NodeHandle, Task> body)
    {
        var barrier = new AsyncBarrier(names, Deadline);
        await Task.WhenAll(names.Select(name => Task.Run(async () =>
        {
            CurrentBarrier.Value = (barrier, name);
            await body(Node(name));
        })));
    }

    /// <summary>Waits until every node of the current <see cref="RunOnAsync"/> has entered <paramref name="name"/>.</summary>
    protected static Task EnterBarrierAsync(string name) =>
        CurrentBarrier.Value is var (barrier, participant)
            ? barrier.EnterAsync(name, participant)
            : throw new InvalidOperationException("EnterBarrierAsync is for the bodies of RunOnAsync");

    /// <summary>Waits until every node in <paramref name="observers"/> reports a view satisfying <paramref name="condition"/>.</summary>
    protected async Task AwaitViewsAsync(IEnumerable<string> observers, Func<ClusterView, bool> condition, string what, TimeSpan? timeout = null)
    {
        var names = observers.ToList();
        var deadline = DateTime.UtcNow + (timeout ?? Deadline);
        var last = new Dictionary<string, ClusterView?>();
        while (true)
        {
            var satisfied = true;
            foreach (var name in names)
            {
                var view = last[name] = await Node(name).ViewAsync();
                satisfied &= view is not null && condition(view);
            }
            if (satisfied)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"not within {(timeout ?? Deadline).TotalSeconds:0} s: {what}. Last views:\n" +
                    string.Join('\n', last.Select(pair => $"  {pair.Key}: {Describe(pair.Value)}")));
            }
            await Task.Delay(100); // allowed: polling interval of a condition with a deadline
        }
    }

    /// <summary>Waits until every named node answers <c>/readyz</c> (it knows the configuration and every shard has a leader).</summary>
    protected async Task AwaitReadyAsync(IEnumerable<string> names, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Deadline);
        foreach (var name in names)
        {
            string? last = null;
            while (true)
            {
                try
                {
                    using var response = await Node(name).Http.GetAsync("/readyz");
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                    last = await response.Content.ReadAsStringAsync();
                }
                catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
                {
                    last = error.Message;
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new Xunit.Sdk.XunitException($"{name} not ready within {(timeout ?? Deadline).TotalSeconds:0} s: {last}");
                }
                await Task.Delay(100); // allowed: polling interval of a condition with a deadline
            }
        }
    }

    /// <summary>Waits until <paramref name="observer"/>'s <c>GET /v1/shards</c> satisfies <paramref name="condition"/>; returns it.</summary>
    protected async Task<PlacementView> AwaitPlacementAsync(string observer, Func<PlacementView, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Deadline);
        PlacementView? last = null;
        while (true)
        {
            last = await Node(observer).PlacementAsync() ?? last;
            if (last is not null && condition(last))
            {
                return last;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"not within {(timeout ?? Deadline).TotalSeconds:0} s: {what}. Last placement seen by {observer}:\n{last?.Describe() ?? "(none)"}");
            }
            await Task.Delay(200); // allowed: polling interval of a condition with a deadline
        }
    }

    /// <summary>A view in one line: leader and members with status and reachability.</summary>
    protected static string Describe(ClusterView? view) => view is null
        ? "(no answer)"
        : $"leader {view.Leader ?? "-"}; " + string.Join(", ", view.Members.Select(member => $"{member.Node}#{member.Incarnation % 100000} {member.Status}{(member.Reachable ? "" : " UNREACHABLE")}"));

    /// <summary>Cuts every link between the two sides with blackholes on both ends.</summary>
    protected async Task PartitionAsync(IEnumerable<string> left, IEnumerable<string> right)
    {
        var rights = right.ToList();
        foreach (var a in left)
        {
            foreach (var b in rights)
            {
                await Node(a).SetFaultAsync(b, "blackhole");
                await Node(b).SetFaultAsync(a, "blackhole");
            }
        }
        Output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} partitioned [{string.Join(",", left)}] | [{string.Join(",", rights)}]");
    }

    /// <summary>Removes every injected fault on every running node.</summary>
    protected async Task HealAsync()
    {
        foreach (var node in _nodes.Values.Where(node => node.IsRunning))
        {
            await node.ClearFaultsAsync();
        }
        Output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} healed");
    }

    /// <summary>Runs a spec body; on failure keeps every node's log and writes their paths and last lines to the output.</summary>
    protected async Task RunSpecAsync(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch
        {
            _failed = true;
            foreach (var node in _nodes.Values)
            {
                Output.WriteLine($"--- {node.Name} log kept at {node.LogPath}; last lines:");
                if (File.Exists(node.LogPath))
                {
                    using var reader = new StreamReader(new FileStream(node.LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
                    var lines = (await reader.ReadToEndAsync()).Split('\n');
                    foreach (var line in lines.TakeLast(40))
                    {
                        Output.WriteLine(line);
                    }
                }
            }
            throw;
        }
    }

    /// <summary>Writes a progress line with a timestamp to the test output.</summary>
    protected void Step(string text) => Output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {text}");
}
