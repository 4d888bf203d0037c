using AkkaKv.MultiNode.Tests.Harness;

namespace AkkaKv.MultiNode.Tests;

/// <summary>
/// Cluster membership with every node a separate <c>akkakv-node</c> process, as an operator runs it: the leader
/// killed with SIGKILL is removed and another node leads; a whole cluster stopped with SIGTERM and started again
/// forms anew with its data intact; a node asked to leave exits 0 on its own. Method: processes on free ports,
/// conditions awaited on <c>GET /v1/cluster</c> with deadlines; logs kept on failure.
/// </summary>
[Collection(MultiNodeCollection.Name)]
public sealed class ProcessSpecs(ITestOutputHelper output) : MultiNodeSpec(output)
{
    private static readonly string[] Three = ["node1", "node2", "node3"];

    private async Task StartThreeAsync()
    {
        DeclareNodes(3, NodeMode.Process);
        await StartAsync(Three);
        await AwaitViewsAsync(Three, view => view.Up.SequenceEqual(Three), "three processes Up");
        await AwaitReadyAsync(Three);
        Step("three processes are up and ready");
    }

    [Fact]
    public Task When_the_leader_process_is_killed_it_is_removed_and_another_node_leads() => RunSpecAsync(async () =>
    {
        await StartThreeAsync();
        var leader = (await Node("node2").ViewAsync())!.Leader!;
        var survivors = Three.Where(name => name != leader).ToArray();
        var killedAt = DateTime.UtcNow;
        await Node(leader).KillAsync();
        Step($"killed the leader {leader}");
        await AwaitViewsAsync(survivors, view => view.Member(leader) is null && view.Up.SequenceEqual(survivors) && view.Leader is { } next && next != leader,
            $"{leader} removed and a new leader");
        Step($"{leader} removed {(DateTime.UtcNow - killedAt).TotalSeconds:0.0} s after the kill");
    });

    [Fact]
    public Task A_cluster_whose_processes_are_all_restarted_forms_again_with_its_data() => RunSpecAsync(async () =>
    {
        await StartThreeAsync();
        var before = (await Node("node1").ViewAsync())!.Members.ToDictionary(member => member.Node, member => member.Incarnation);
        foreach (var name in Three)
        {
            using var put = await Node(name).Http.PutAsync($"/v1/kv/key-of-{name}", new StringContent($"value of {name}"));
            put.EnsureSuccessStatusCode();
        }
        await Task.WhenAll(Three.Select(name => Node(name).StopAsync()));
        Assert.All(Three, name => Assert.Equal(0, ((ProcessNode)Node(name)).ExitCode));
        Step("all three stopped with SIGTERM, exit 0");

        await StartAsync(Three);
        await AwaitViewsAsync(Three, view => view.Up.SequenceEqual(Three) && view.Members.Count == 3 && view.Members.All(member => member.Incarnation != before[member.Node]),
            "the restarted processes form one cluster of new incarnations");
        await AwaitReadyAsync(Three);
        foreach (var name in Three)
        {
            Assert.Equal($"value of {name}", await Node(name).Http.GetStringAsync($"/v1/kv/key-of-{name}"));
        }
    });

    [Fact]
    public Task A_process_asked_to_leave_exits_zero_and_the_others_carry_on() => RunSpecAsync(async () =>
    {
        await StartThreeAsync();
        using (var response = await Node("node1").Http.PostAsync("/v1/cluster/members/node2/leave", null))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }
        Assert.Equal(0, await ((ProcessNode)Node("node2")).WaitForExitAsync(Deadline));
        await AwaitViewsAsync(["node1", "node3"], view => view.Member("node2") is null && view.Up.SequenceEqual(["node1", "node3"]), "node2 removed");
    });
}
