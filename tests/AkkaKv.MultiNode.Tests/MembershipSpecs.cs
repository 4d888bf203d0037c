using AkkaKv.MultiNode.Tests.Harness;

namespace AkkaKv.MultiNode.Tests;

/// <summary>
/// Cluster membership across real nodes hosted in this process (each with its own WAL, HTTP port and Akka.NET actor system),
/// driven through their HTTP APIs: join, graceful leave, operator down, unreachable then reachable again, 2|1 and 3|2
/// partitions resolved for the majority, and a node of another cluster refused. Method: fast membership timings
/// (<see cref="MultiNodeSpec.FastMembership"/>), faults injected through Akka.Remote's transport adapters, conditions awaited on every
/// node's <c>GET /v1/cluster</c> with deadlines.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class MembershipSpecs(ITestOutputHelper output) : MultiNodeSpec(output)
{
    private static readonly string[] Three = ["node1", "node2", "node3"];

    private async Task StartThreeAsync()
    {
        DeclareNodes(3);
        await StartAsync(Three);
        // The leader is the Up member with the lowest address (Akka's rule); ports are random here.
        var leader = Three.MinBy(name => Node(name).Address, StringComparer.Ordinal);
        await AwaitViewsAsync(Three, view => view.Up.SequenceEqual(Three) && view.Leader == leader, $"three nodes Up under {leader}");
        await AwaitReadyAsync(Three);
        Step("cluster of three is up and ready");
    }

    [Fact]
    public Task Three_nodes_join_through_the_seeds_and_agree_on_members_and_leader() => RunSpecAsync(async () =>
    {
        await StartThreeAsync();
        await RunOnAsync(Three, async node =>
        {
            var view = await node.ViewAsync();
            Assert.NotNull(view);
            Assert.Equal(node.Name, view.Self);
            Assert.All(view.Members, member => Assert.True(member.Reachable));
            Assert.Equal(Three.Select(name => Node(name).Address).Order(StringComparer.Ordinal), view.Members.Select(member => member.Address));
            await EnterBarrierAsync("checked");
        });
    });

    [Fact]
    public Task A_node_that_leaves_is_removed_everywhere_and_stops() => RunSpecAsync(async () =>
    {
        await StartThreeAsync();
        var leaving = (InProcessNode)Node("node3");
        using (var response = await Node("node1").Http.PostAsync("/v1/cluster/members/node3/leave", null))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }
        await leaving.Stopped.WaitAsync(Deadline);
        Step("node3 stopped after leaving");
        await AwaitViewsAsync(["node1", "node2"], view => view.Member("node3") is null && view.Up.SequenceEqual(["node1", "node2"]), "node3 removed");
        Step("node3 removed");
    });

    [Fact]
    public Task A_member_downed_by_the_operator_is_replaced_by_a_new_incarnation_of_itself() => RunSpecAsync(async () =>
    {
        await StartThreeAsync();
        var before = (await Node("node1").ViewAsync())!.Member("node3")!.Incarnation;
        using (var response = await Node("node2").Http.PostAsync("/v1/cluster/members/node3/down", null))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }
        await AwaitViewsAsync(Three, view => view.Member("node3") is { Status: "Up" } member && member.Incarnation != before && view.Up.Count == 3,
            "node3 back as a new incarnation");
    });

    [Fact]
    public Task A_node_cut_off_briefly_becomes_unreachable_then_reachable_again_without_being_downed() => RunSpecAsync(async () =>
    {
        // stable-after is long here, so the resolver does not act while the node is cut off.
        DeclareNodes(3, NodeMode.InProcess, "akkakv.cluster.split-brain-resolver.stable-after=60s");
        await StartAsync(Three);
        await AwaitViewsAsync(Three, view => view.Up.SequenceEqual(Three), "three nodes Up");
        var incarnation = (await Node("node1").ViewAsync())!.Member("node3")!.Incarnation;
        await PartitionAsync(["node1", "node2"], ["node3"]);
        await AwaitViewsAsync(["node1", "node2"], view => view.Member("node3") is { Reachable: false }, "node3 unreachable");
        await AwaitViewsAsync(["node3"], view => view.Member("node1") is { Reachable: false }, "node1 unreachable from node3");
        await HealAsync();
        await AwaitViewsAsync(Three, view => view.Members.All(member => member.Reachable && member.Status == "Up") && view.Member("node3")!.Incarnation == incarnation,
            "everyone reachable again, node3 the same incarnation");
    });

    [Fact]
    public Task In_a_two_one_partition_the_majority_downs_the_single_node_which_rejoins_after_the_heal() => RunSpecAsync(async () =>
    {
        await StartThreeAsync();
        var incarnation = (await Node("node1").ViewAsync())!.Member("node3")!.Incarnation;
        await PartitionAsync(["node1", "node2"], ["node3"]);
        await AwaitViewsAsync(["node1", "node2"], view => view.Member("node3") is null && view.Up.SequenceEqual(["node1", "node2"]), "node3 removed by the majority");
        await HealAsync();
        await AwaitViewsAsync(Three, view => view.Up.SequenceEqual(Three) && view.Member("node3")!.Incarnation != incarnation, "node3 back as a new incarnation");
    });

    [Fact]
    public Task In_a_three_two_partition_the_majority_survives_and_the_minority_rejoins_after_the_heal() => RunSpecAsync(async () =>
    {
        string[] all = ["node1", "node2", "node3", "node4", "node5"];
        DeclareNodes(5);
        await StartAsync(all);
        await AwaitViewsAsync(all, view => view.Up.SequenceEqual(all), "five nodes Up");
        var incarnations = (await Node("node1").ViewAsync())!.Members.ToDictionary(member => member.Node, member => member.Incarnation);
        await PartitionAsync(["node1", "node2", "node3"], ["node4", "node5"]);
        await AwaitViewsAsync(["node1", "node2", "node3"], view => view.Up.SequenceEqual(["node1", "node2", "node3"]) && view.Member("node4") is null && view.Member("node5") is null,
            "the minority removed by the majority");
        // The majority's own members are the same incarnations: it never downed itself.
        var majority = (await Node("node2").ViewAsync())!;
        Assert.All(["node1", "node2", "node3"], name => Assert.Equal(incarnations[name], majority.Member(name)!.Incarnation));
        await HealAsync();
        await AwaitViewsAsync(all, view => view.Up.SequenceEqual(all) && view.Member("node4")!.Incarnation != incarnations["node4"], "one cluster of five again");
    });

    [Fact]
    public Task A_node_of_another_cluster_is_refused_and_never_becomes_a_member() => RunSpecAsync(async () =>
    {
        await StartThreeAsync();
        var stranger = DeclareNode("stranger", NodeMode.InProcess, "another-cluster", Seeds);
        await stranger.StartAsync();
        // The stranger keeps knocking; give it several seed rounds, then check nobody let it in.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(4);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False((await stranger.ViewAsync())?.Joined ?? false);
            await Task.Delay(200); // allowed: sampling that something does NOT happen over a window
        }
        await AwaitViewsAsync(Three, view => view.Member("stranger") is null && view.Up.SequenceEqual(Three), "the stranger is not a member");
        var log = await ReadSharedAsync(Node("node1").LogPath);
        // Akka.Remote drops what the stranger sends to a system of another name, and says so.
        Assert.Contains("for non-local recipient", log, StringComparison.Ordinal);
    });

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"mode\":\"explode\"}")]
    [InlineData("{\"mode\":\"delay\",\"delayMs\":0}")]
    [InlineData("{\"mode\":\"delay\",\"delayMs\":-5}")]
    [InlineData("{\"mode\":\"throttle\",\"bytesPerSecond\":0}")]
    [InlineData("{\"mode\":\"blackhole\",\"direction\":\"sideways\"}")]
    public Task A_malformed_fault_request_is_refused_with_problem_json_and_changes_nothing(string body) => RunSpecAsync(async () =>
    {
        var node = DeclareNodes(1)[0];
        await node.StartAsync();
        using var response = await node.Http.PutAsync("/v1/test/faults/node2", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{}", await node.Http.GetStringAsync("/v1/test/faults"));
    });

    private static async Task<string> ReadSharedAsync(string path)
    {
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        return await reader.ReadToEndAsync();
    }
}
