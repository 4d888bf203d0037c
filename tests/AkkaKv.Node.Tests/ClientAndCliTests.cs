using AkkaKv.TestKit;
using System.Text;
using AkkaKv.Cli;
using AkkaKv.Client;

namespace AkkaKv.Node.Tests;

/// <summary>
/// The .NET client and the akkakv CLI against a real node: typed results (absent is null, compare-and-swap
/// returns null when it loses), CLI output formats and exit codes, and the load generator's report.
/// Method: one in-process node; the CLI runs in process with captured output.
/// </summary>
public sealed class ClientAndCliTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private AkkaKvClient NewClient() => new(node.Http.BaseAddress!);

    private async Task<(int Exit, string Stdout, string Stderr)> Cli(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AkkaKvCli.RunAsync([.. args, "--endpoint", node.Http.BaseAddress!.ToString()], stdout, stderr, new MemoryStream(Encoding.UTF8.GetBytes("from stdin")));
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Client_reads_writes_and_compares_and_swaps()
    {
        using var client = NewClient();
        Assert.Null(await client.GetAsync("client/absent"));
        var version = await client.PutAsync("client/k", "one"u8.ToArray());
        var entry = await client.GetAsync("client/k");
        Assert.Equal("one", Encoding.UTF8.GetString(entry!.Value.Span));
        Assert.Equal(version, entry.Version);
        Assert.Null(await client.CompareAndSwapAsync("client/k", version + 1000, "lost"u8.ToArray()));
        var swapped = await client.CompareAndSwapAsync("client/k", version, "two"u8.ToArray());
        Assert.NotNull(swapped);
        Assert.NotNull(await client.CompareAndSwapAsync("client/new", null, "first"u8.ToArray()));
        Assert.Null(await client.CompareAndSwapAsync("client/new", null, "second"u8.ToArray()));
        await client.AppendAsync("client/k", "!"u8.ToArray());
        Assert.Equal("two!", Encoding.UTF8.GetString((await client.GetAsync("client/k"))!.Value.Span));
        Assert.Contains(await client.ScanAsync("client/"), listed => listed.Key == "client/new");
        Assert.True(await client.DeleteAsync("client/k"));
        Assert.False(await client.DeleteAsync("client/k"));
        await Assert.ThrowsAsync<PreconditionFailedException>(() => client.PutAsync("client/new", "x"u8.ToArray(), ifAbsent: true));
    }

    [Fact]
    public async Task Client_reports_an_unreachable_node_after_its_retries()
    {
        using var client = new AkkaKvClient(new Uri($"http://127.0.0.1:{FreeTcpPort.Next()}"), new AkkaKvClientOptions { MaxRetries = 1, RetryBackoff = TimeSpan.FromMilliseconds(1) });
        var error = await Assert.ThrowsAsync<AkkaKvException>(() => client.GetAsync("x"));
        Assert.Contains("did not answer after 2 attempts", error.Message, StringComparison.Ordinal);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task Cli_put_get_append_scan_and_delete()
    {
        Assert.Equal(0, (await Cli("kv", "put", "cli/a", "hello")).Exit);
        Assert.Equal("hello\n", (await Cli("kv", "get", "cli/a")).Stdout);
        Assert.Equal(0, (await Cli("kv", "append", "cli/a", "-")).Exit);
        Assert.Equal("hellofrom stdin\n", (await Cli("kv", "get", "cli/a")).Stdout);
        var scan = await Cli("kv", "scan", "--prefix", "cli/");
        Assert.StartsWith("KEY    VERSION\ncli/a  ", scan.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("[{\"key\":\"cli/a\",\"version\":", (await Cli("kv", "scan", "--prefix", "cli/", "--output", "json")).Stdout, StringComparison.Ordinal);
        Assert.Equal((0, "cli/a deleted\n", ""), await Cli("kv", "del", "cli/a"));
    }

    [Fact]
    public async Task Cli_exit_codes_say_what_happened()
    {
        var missing = await Cli("kv", "get", "cli/missing");
        Assert.Equal(1, missing.Exit);
        Assert.Equal("akkakv: key 'cli/missing' not found\n", missing.Stderr);
        await Cli("kv", "put", "cli/guarded", "v");
        var conflict = await Cli("kv", "put", "cli/guarded", "w", "--if-absent");
        Assert.Equal(1, conflict.Exit);
        Assert.Contains("not written: 412", conflict.Stderr, StringComparison.Ordinal);
        var usage = await Cli("kv", "get");
        Assert.Equal(2, usage.Exit);
        Assert.Contains("see 'akkakv --help'", usage.Stderr, StringComparison.Ordinal);
        var badKey = await Cli("kv", "put", new string('k', 2000), "v");
        Assert.Equal(2, badKey.Exit);
        Assert.Contains("longer than 1024 bytes", badKey.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_node_status_prints_a_table_or_json()
    {
        var table = await Cli("node", "status");
        Assert.Contains("shards          8", table.Stdout, StringComparison.Ordinal);
        Assert.StartsWith("{\"node\":\"akkakv\",\"shards\":8", (await Cli("node", "status", "-o", "json")).Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_runs_a_fixed_number_of_operations_and_reports_percentiles()
    {
        var run = await Cli("bench", "--connections", "4", "--ops", "200", "--keys", "50", "--value-size", "16", "--read-ratio", "0.5", "--json");
        Assert.Equal(0, run.Exit);
        using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        var operations = json.RootElement.GetProperty("operations").EnumerateArray().ToList();
        Assert.Equal(200, operations.Sum(op => op.GetProperty("count").GetInt64() + op.GetProperty("errors").GetInt64()));
        Assert.All(operations, op => Assert.True(op.GetProperty("p99Ms").GetDouble() >= op.GetProperty("p50Ms").GetDouble()));
        Assert.Contains("ops/s", run.Stderr, StringComparison.Ordinal); // the live progress line
    }

    [Fact]
    public async Task Bench_prints_json_with_the_common_output_option_too()
    {
        var run = await Cli("bench", "--connections", "2", "--ops", "20", "--keys", "10", "-o", "json");
        Assert.Equal(0, run.Exit);
        using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        Assert.Equal(20, json.RootElement.GetProperty("operations").EnumerateArray().Sum(op => op.GetProperty("count").GetInt64() + op.GetProperty("errors").GetInt64()));
    }

    [Fact]
    public async Task Bench_warms_up_without_counting_the_warm_up()
    {
        var run = await Cli("bench", "--connections", "2", "--ops", "20", "--keys", "10", "--warmup", "300ms", "--json");
        Assert.Equal(0, run.Exit);
        using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        Assert.Equal(0.3, json.RootElement.GetProperty("warmupSeconds").GetDouble(), 3);
        Assert.Equal(20, json.RootElement.GetProperty("operations").EnumerateArray().Sum(op => op.GetProperty("count").GetInt64() + op.GetProperty("errors").GetInt64()));
        Assert.Contains("warming up for 0.3 s", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--warmup", "soon", "--warmup 'soon' is not a duration")]
    [InlineData("--read-ratio", "2", "--read-ratio must be between 0 and 1")]
    [InlineData("--connections", "0", "--connections must be 1-10000")]
    [InlineData("--duration", "soon", "is not a duration")]
    public async Task Bench_refuses_bad_settings(string option, string value, string message)
    {
        var run = await Cli("bench", option, value);
        Assert.Equal(2, run.Exit);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_show_prints_the_members_as_a_table_or_as_json_and_leave_of_an_unknown_member_is_a_usage_error()
    {
        // A node without seeds forms a cluster of one at its first gossip round.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string json;
        do
        {
            var (exit, stdout, _) = await Cli("cluster", "show", "--output", "json");
            Assert.Equal(0, exit);
            json = stdout;
            Assert.True(DateTime.UtcNow < deadline, "the node did not come Up: " + json);
        }
        while (!json.Contains("\"status\":\"Up\"", StringComparison.Ordinal));
        using (var document = System.Text.Json.JsonDocument.Parse(json))
        {
            var member = Assert.Single(document.RootElement.GetProperty("members").EnumerateArray());
            Assert.Equal("akkakv", member.GetProperty("node").GetString());
            Assert.True(member.GetProperty("reachable").GetBoolean());
            Assert.Equal(0, member.GetProperty("roles").GetArrayLength());
            Assert.Matches("^127\\.0\\.0\\.1:[0-9]+$", member.GetProperty("address").GetString());
            Assert.Equal("akkakv", document.RootElement.GetProperty("leader").GetString());
        }
        var (tableExit, table, _) = await Cli("cluster", "show");
        Assert.Equal(0, tableExit);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NODE +ADDRESS +STATUS +REACHABLE +ROLES +LEADER$", lines[0]);
        Assert.Matches("^akkakv +127\\.0\\.0\\.1:[0-9]+ +Up +yes +\\*$", lines[1]);
        Assert.Equal("1 members, leader akkakv, seen from akkakv", lines[2]);

        var (leaveExit, _, leaveError) = await Cli("cluster", "leave", "nobody");
        Assert.Equal(2, leaveExit);
        Assert.Contains("No member named 'nobody'", leaveError, StringComparison.Ordinal);
        var (usageExit, _, usageError) = await Cli("cluster", "down");
        Assert.Equal(2, usageExit);
        Assert.Contains("akkakv:", usageError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fault_injection_endpoints_do_not_exist_outside_test_mode()
    {
        using var response = await node.Http.PutAsync("/v1/test/faults/node2", new StringContent("{\"mode\":\"blackhole\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Shards_list_and_show_print_the_placement_as_tables_and_json()
    {
        var (exit, table, _) = await Cli("shards", "list");
        Assert.Equal(0, exit);
        Assert.StartsWith("SHARD  EPOCH  LEADER  VOTERS  LEARNERS", table, StringComparison.Ordinal);
        Assert.Contains("8 shards, configuration ", table, StringComparison.Ordinal);
        Assert.Contains("  akkakv: 8 replicas, leads 8", table, StringComparison.Ordinal);
        var (jsonExit, json, _) = await Cli("shards", "list", "--output", "json");
        Assert.Equal(0, jsonExit);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var shards = document.RootElement.GetProperty("shards");
        Assert.Equal(8, shards.GetArrayLength());
        var first = shards[0];
        Assert.Equal(0u, first.GetProperty("id").GetUInt32());
        Assert.Equal("akkakv", first.GetProperty("leader").GetString());
        Assert.Equal("voter", first.GetProperty("replicas")[0].GetProperty("role").GetString());
        Assert.Equal("akkakv", first.GetProperty("replicas")[0].GetProperty("node").GetString());

        // The epoch is the group's own (the index of its bootstrap membership entry), recorded once its leader reports it.
        var (showExit, show, _) = await Cli("shards", "show", "3");
        for (var deadline = DateTime.UtcNow.AddSeconds(30); !show.StartsWith("shard 3, epoch 1,", StringComparison.Ordinal) && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(100); // allowed: polling the recorded epoch with a deadline
            (showExit, show, _) = await Cli("shards", "show", "3");
        }
        Assert.Equal(0, showExit);
        Assert.StartsWith("shard 3, epoch 1, leader akkakv", show, StringComparison.Ordinal);
        Assert.Contains("akkakv  voter  *", show, StringComparison.Ordinal);
        var (missingExit, _, missing) = await Cli("shards", "show", "99");
        Assert.Equal(2, missingExit);
        Assert.Contains("There is no shard 99", missing, StringComparison.Ordinal);
        var (configExit, config, _) = await Cli("shards", "list", "--config", "1");
        Assert.Equal(0, configExit);
        Assert.Contains("configuration 1", config, StringComparison.Ordinal);
        var (badExit, _, bad) = await Cli("shards", "list", "--config", "0");
        Assert.Equal(2, badExit);
        Assert.Contains("--config must be 1 or more", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shard_endpoints_refuse_malformed_ids_and_unknown_configurations()
    {
        foreach (var (path, status) in new[] { ("/v1/shards/abc", 400), ("/v1/shards/-1", 400), ("/v1/shards/99999999999", 400), ("/v1/config/0", 400), ("/v1/config/x", 400), ("/v1/config/999999", 404) })
        {
            using var response = await node.Http.GetAsync(path);
            Assert.Equal(status, (int)response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Cluster_leave_refuses_a_malformed_timeout_before_asking_anything()
    {
        var (exit, _, error) = await Cli("cluster", "leave", "akkakv", "--timeout", "soon");
        Assert.Equal(2, exit);
        Assert.Contains("--timeout 'soon' is not a duration", error, StringComparison.Ordinal);
        using var cluster = await NewClient().ClusterStatusAsync();
        Assert.Contains("\"status\":\"Up\"", cluster.RootElement.GetRawText(), StringComparison.Ordinal); // still a member, not draining
    }

    [Fact]
    public async Task Placement_events_are_listed_and_a_bad_limit_is_refused()
    {
        var (exit, text, _) = await Cli("shards", "events", "--limit", "5");
        Assert.Equal(0, exit);
        Assert.EndsWith("coordinator on akkakv\n", text.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        foreach (var limit in new[] { "0", "501", "x" })
        {
            using var response = await node.Http.GetAsync($"/v1/placement/events?limit={limit}");
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        }
    }
}
