using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AkkaKv.Node.Tests;

/// <summary>
/// The public /v1/kv contract over real HTTP: every status it names (200, 204, 400, 404, 405, 412, 413), ETags
/// as versions, conditional writes, append, delete, prefix listing, Idempotency-Key, problem+json bodies, and
/// hostile input (bad percent-encoding, oversized keys and bodies, garbage If-Match, huge headers, wrong methods).
/// Method: one node in process on a free port; each test uses its own keys.
/// </summary>
public sealed class KvApiTests(NodeFixture node) : IClassFixture<NodeFixture>
{
    private HttpClient Http => node.Http;

    private static ByteArrayContent Body(string text) => new(Encoding.UTF8.GetBytes(text));

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Body(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        return await Http.SendAsync(request);
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, string detailFragment)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.Contains(detailFragment, json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_then_get_returns_the_raw_value_with_its_version_as_etag()
    {
        var put = await Send(HttpMethod.Put, "/v1/kv/put-get", "hello");
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var version = put.Headers.ETag!.Tag;
        var get = await Http.GetAsync("/v1/kv/put-get");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("hello", await get.Content.ReadAsStringAsync());
        Assert.Equal(version, get.Headers.ETag!.Tag);
        Assert.Equal("application/octet-stream", get.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Values_are_binary_safe()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var put = await Http.PutAsync("/v1/kv/binary", new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(bytes, await Http.GetByteArrayAsync("/v1/kv/binary"));
    }

    [Fact]
    public async Task Absent_keys_are_404_problems()
    {
        await AssertProblem(await Http.GetAsync("/v1/kv/never-written"), HttpStatusCode.NotFound, "'never-written' does not exist");
        await AssertProblem(await Http.DeleteAsync("/v1/kv/never-written"), HttpStatusCode.NotFound, "does not exist");
    }

    [Fact]
    public async Task If_match_and_if_none_match_guard_writes_with_412()
    {
        var first = await Send(HttpMethod.Put, "/v1/kv/guarded", "v1", ("If-None-Match", "*"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var version = first.Headers.ETag!.Tag;
        await AssertProblem(await Send(HttpMethod.Put, "/v1/kv/guarded", "v2", ("If-None-Match", "*")), HttpStatusCode.PreconditionFailed, "nothing was written");
        await AssertProblem(await Send(HttpMethod.Put, "/v1/kv/guarded", "v2", ("If-Match", "\"999999\"")), HttpStatusCode.PreconditionFailed, "is at version");
        var second = await Send(HttpMethod.Put, "/v1/kv/guarded", "v2", ("If-Match", version));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await AssertProblem(await Send(HttpMethod.Delete, "/v1/kv/guarded", null, ("If-Match", version)), HttpStatusCode.PreconditionFailed, "is at version");
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, "/v1/kv/guarded", null, ("If-Match", second.Headers.ETag!.Tag))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/v1/kv/guarded")).StatusCode);
    }

    [Fact]
    public async Task Append_concatenates_and_acts_as_put_on_an_absent_key()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync("/v1/kv/appended/append", Body("a"))).StatusCode);
        var second = await Http.PostAsync("/v1/kv/appended/append", Body("b"));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.NotNull(second.Headers.ETag);
        Assert.Equal("ab", await Http.GetStringAsync("/v1/kv/appended"));
    }

    [Fact]
    public async Task A_retry_with_the_same_idempotency_key_is_applied_once()
    {
        var first = await Send(HttpMethod.Post, "/v1/kv/idem/append", "x", ("Idempotency-Key", "req-1"));
        var retry = await Send(HttpMethod.Post, "/v1/kv/idem/append", "x", ("Idempotency-Key", "req-1"));
        Assert.Equal(first.Headers.ETag!.Tag, retry.Headers.ETag!.Tag);
        Assert.Equal("x", await Http.GetStringAsync("/v1/kv/idem"));
    }

    [Fact]
    public async Task Listing_by_prefix_is_sorted_limited_and_includes_versions()
    {
        foreach (var key in new[] { "list/c", "list/a", "list/b", "lists" })
        {
            await Http.PutAsync($"/v1/kv/{Uri.EscapeDataString(key)}", Body(key));
        }
        var json = JsonDocument.Parse(await Http.GetStringAsync("/v1/kv?prefix=list%2F&limit=2")).RootElement;
        Assert.Equal(["list/a", "list/b"], json.EnumerateArray().Select(entry => entry.GetProperty("key").GetString()));
        Assert.All(json.EnumerateArray(), entry => Assert.True(entry.GetProperty("version").GetUInt64() > 0));
        await AssertProblem(await Http.GetAsync("/v1/kv?limit=0"), HttpStatusCode.BadRequest, "limit must be");
        await AssertProblem(await Http.GetAsync("/v1/kv?limit=abc"), HttpStatusCode.BadRequest, "limit must be");
    }

    [Fact]
    public async Task Keys_are_percent_decoded_exactly_including_slashes_and_unicode()
    {
        const string Key = "a/b c/ключ✓";
        var path = "/v1/kv/" + Uri.EscapeDataString(Key);
        Assert.Equal(HttpStatusCode.OK, (await Http.PutAsync(path, Body("v"))).StatusCode);
        Assert.Equal("v", await Http.GetStringAsync(path));
        var listed = JsonDocument.Parse(await Http.GetStringAsync("/v1/kv?prefix=" + Uri.EscapeDataString("a/b"))).RootElement;
        Assert.Equal(Key, listed[0].GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("/v1/kv/bad%zz", "Malformed percent-encoding")]
    [InlineData("/v1/kv/bad%2", "Malformed percent-encoding")]
    [InlineData("/v1/kv/%C3%28", "not valid UTF-8")]
    [InlineData("/v1/kv/x?consistency=strong", "consistency must be")]
    public async Task Malformed_keys_and_parameters_are_400(string path, string detail)
    {
        // Sent byte for byte: the client must not repair the malformed escapes.
        var raw = new Uri(Http.BaseAddress + path.TrimStart('/'), new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        await AssertProblem(await Http.GetAsync(raw), HttpStatusCode.BadRequest, detail);
    }

    [Fact]
    public async Task Keys_longer_than_1024_bytes_are_refused_and_1024_is_accepted()
    {
        Assert.Equal(HttpStatusCode.OK, (await Http.PutAsync("/v1/kv/" + new string('k', 1024), Body("v"))).StatusCode);
        await AssertProblem(await Http.PutAsync("/v1/kv/" + new string('k', 1025), Body("v")), HttpStatusCode.BadRequest, "longer than 1024 bytes");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_nothing_is_written()
    {
        await AssertProblem(await Http.PutAsync("/v1/kv/too-big", new ByteArrayContent(new byte[64 * 1024 + 1])), HttpStatusCode.RequestEntityTooLarge, "limited to 65536 bytes");
        // Without a Content-Length the limit is enforced while reading.
        var chunked = new StreamContent(new MemoryStream(new byte[200_000]));
        chunked.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/kv/too-big") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        await AssertProblem(await Http.SendAsync(request), HttpStatusCode.RequestEntityTooLarge, "limited to");
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/v1/kv/too-big")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.PutAsync("/v1/kv/just-fits", new ByteArrayContent(new byte[64 * 1024]))).StatusCode);
    }

    [Theory]
    [InlineData("If-Match", "42")]
    [InlineData("If-Match", "\"abc\"")]
    [InlineData("If-Match", "\"0\"")]
    [InlineData("If-Match", "W/\"1\"")]
    [InlineData("If-None-Match", "\"1\"")]
    public async Task Garbage_preconditions_are_400_and_write_nothing(string header, string value)
    {
        await AssertProblem(await Send(HttpMethod.Put, "/v1/kv/garbage-precondition", "v", (header, value)), HttpStatusCode.BadRequest, "If-");
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/v1/kv/garbage-precondition")).StatusCode);
    }

    [Fact]
    public async Task Wrong_methods_and_unknown_paths_are_problems()
    {
        var patch = await Send(HttpMethod.Patch, "/v1/kv/x", "v");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, patch.StatusCode);
        Assert.Equal("application/problem+json", patch.Content.Headers.ContentType?.MediaType);
        var unknown = await Http.GetAsync("/v2/nothing");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        await AssertProblem(await Http.PostAsync("/v1/kv/no-suffix", Body("v")), HttpStatusCode.BadRequest, "/v1/kv/{key}/append");
    }

    [Fact]
    public async Task Huge_headers_are_refused_and_the_node_keeps_serving()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/kv/x");
        request.Headers.TryAddWithoutValidation("X-Huge", new string('h', 100_000));
        var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Node_status_reports_shards_and_keys()
    {
        await Http.PutAsync("/v1/kv/status-key", Body("v"));
        var json = JsonDocument.Parse(await Http.GetStringAsync("/v1/node")).RootElement;
        Assert.Equal(8, json.GetProperty("shards").GetInt32());
        Assert.Equal(8, json.GetProperty("leaderShards").GetInt32()); // a single node leads every group of one
        Assert.True(json.GetProperty("keys").GetInt64() >= 1);
        Assert.Equal("ready akkakv\n", await Http.GetStringAsync("/readyz"));
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_text_format()
    {
        using var response = await Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        Assert.Contains("akkakv_replicas 8", lines);
        Assert.Contains("# TYPE akkakv_replicas_quiescent gauge", lines);
        Assert.Contains("# TYPE akkakv_routing_redirects_total counter", lines);
        Assert.Contains(lines, line => line.StartsWith("akkakv_placement_configuration ", StringComparison.Ordinal) && long.Parse(line[31..], CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Http.PostAsync("/metrics", Body("x"))).StatusCode);
    }

    [Fact]
    public async Task Metrics_count_the_write_ahead_logs_group_commits()
    {
        var before = await WalCounters();
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Http.PutAsync($"/v1/kv/wal-metric-{i}", Body("v"))).StatusCode);
        }
        var after = await WalCounters();
        Assert.True(after["akkakv_wal_requests_total"] >= before["akkakv_wal_requests_total"] + 3, "each acknowledged write was made durable by a request");
        Assert.True(after["akkakv_wal_flushes_total"] > before["akkakv_wal_flushes_total"]);
        Assert.True(after["akkakv_wal_written_bytes_total"] > before["akkakv_wal_written_bytes_total"]);
        Assert.True(after["akkakv_wal_flush_seconds_total"] > 0);
    }

    private async Task<Dictionary<string, double>> WalCounters()
    {
        var lines = (await Http.GetStringAsync("/metrics")).Split('\n');
        return lines
            .Where(line => line.StartsWith("akkakv_wal_", StringComparison.Ordinal))
            .Select(line => line.Split(' '))
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Idempotency_keys_that_are_too_long_are_refused() =>
        await AssertProblem(await Send(HttpMethod.Put, "/v1/kv/idem-long", "v", ("Idempotency-Key", new string('i', 300))), HttpStatusCode.BadRequest, "Idempotency-Key must be");

    [Fact]
    public async Task Content_type_of_a_write_does_not_matter()
    {
        var content = Body("{\"json\":true}");
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        Assert.Equal(HttpStatusCode.OK, (await Http.PutAsync("/v1/kv/json-value", content)).StatusCode);
        Assert.Equal("{\"json\":true}", await Http.GetStringAsync("/v1/kv/json-value"));
    }
}
