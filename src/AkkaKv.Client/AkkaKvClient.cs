using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AkkaKv.Client;

/// <summary>
/// A client of one AkkaKv node's HTTP API. Expected outcomes are results (<c>null</c> for absent, <c>false</c> for
/// nothing deleted); failures are <see cref="AkkaKvException"/>. Every write carries an Idempotency-Key that its
/// retries reuse, so retrying after a timeout never applies a write twice. Thread-safe.
/// </summary>
public sealed class AkkaKvClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AkkaKvClientOptions _options;

    /// <summary>A client of the node at <paramref name="endpoint"/> (e.g. http://127.0.0.1:8080).</summary>
    public AkkaKvClient(Uri endpoint, AkkaKvClientOptions? options = null, HttpClient? http = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _options = options ?? new AkkaKvClientOptions();
        _ownsHttp = http is null;
        _http = http ?? new HttpClient();
        _http.BaseAddress ??= endpoint;
        _http.Timeout = Timeout.InfiniteTimeSpan;
    }

    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    public async Task<KvEntry?> GetAsync(string key, ReadConsistency consistency = ReadConsistency.Linearizable, CancellationToken cancellationToken = default)
    {
        var path = KeyPath(key) + (consistency == ReadConsistency.Linearizable ? "" : "?consistency=" + consistency.ToString().ToLowerInvariant());
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var value = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return new KvEntry(key, value, VersionOf(response));
    }

    /// <summary>Sets <paramref name="key"/>; returns the new version. <see cref="PreconditionFailedException"/> when a condition fails.</summary>
    public Task<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, ulong? ifVersion = null, bool ifAbsent = false, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Put, KeyPath(key), value, ifVersion, ifAbsent, cancellationToken);

    /// <summary>Appends to <paramref name="key"/> (an absent key starts empty); returns the new version.</summary>
    public Task<ulong> AppendAsync(string key, ReadOnlyMemory<byte> value, ulong? ifVersion = null, CancellationToken cancellationToken = default) =>
        WriteAsync(HttpMethod.Post, KeyPath(key) + "/append", value, ifVersion, ifAbsent: false, cancellationToken);

    /// <summary>
    /// Compare-and-swap: writes <paramref name="value"/> only if the key is at <paramref name="expectedVersion"/>
    /// (or absent, when null). Returns the new version, or null when the key was in another state.
    /// </summary>
    public async Task<ulong?> CompareAndSwapAsync(string key, ulong? expectedVersion, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        try
        {
            return await PutAsync(key, value, expectedVersion, ifAbsent: expectedVersion is null, cancellationToken).ConfigureAwait(false);
        }
        catch (PreconditionFailedException)
        {
            return null;
        }
    }

    /// <summary>Deletes <paramref name="key"/>; false when it did not exist.</summary>
    public async Task<bool> DeleteAsync(string key, ulong? ifVersion = null, CancellationToken cancellationToken = default)
    {
        var idempotencyKey = Guid.NewGuid().ToString("N");
        using var response = await SendAsync(() => WithConditions(new HttpRequestMessage(HttpMethod.Delete, KeyPath(key)), ifVersion, false, idempotencyKey), cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Keys starting with <paramref name="prefix"/>, sorted, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<KeyVersion>> ScanAsync(string prefix = "", int limit = 100, CancellationToken cancellationToken = default)
    {
        var path = $"/v1/kv?prefix={Uri.EscapeDataString(prefix)}&limit={limit.ToString(CultureInfo.InvariantCulture)}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        return [.. json.RootElement.EnumerateArray().Select(entry => new KeyVersion(entry.GetProperty("key").GetString()!, entry.GetProperty("version").GetUInt64()))];
    }

    /// <summary>The node's status document (<c>GET /v1/node</c>) as raw JSON.</summary>
    public async Task<JsonDocument> NodeStatusAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, "/v1/node"), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The membership as the node sees it (<c>GET /v1/cluster</c>) as raw JSON.</summary>
    public Task<JsonDocument> ClusterStatusAsync(CancellationToken cancellationToken = default) => GetJsonAsync("/v1/cluster", cancellationToken);

    /// <summary>
    /// Asks the member named <paramref name="node"/> to leave the cluster gracefully: its replicas and leaderships move
    /// to other nodes first (unless <paramref name="drain"/> is false), then it leaves and stops.
    /// </summary>
    public Task LeaveMemberAsync(string node, bool drain = true, CancellationToken cancellationToken = default) =>
        MemberCommandAsync(node, drain ? "leave" : "leave?drain=false", cancellationToken);

    /// <summary>The current configuration as the node knows it (<c>GET /v1/shards</c>): every shard's epoch, leader and replicas.</summary>
    public Task<JsonDocument> ShardsAsync(CancellationToken cancellationToken = default) => GetJsonAsync("/v1/shards", cancellationToken);

    /// <summary>One shard of the current configuration (<c>GET /v1/shards/{id}</c>).</summary>
    public Task<JsonDocument> ShardAsync(uint shard, CancellationToken cancellationToken = default) =>
        GetJsonAsync(string.Create(CultureInfo.InvariantCulture, $"/v1/shards/{shard}"), cancellationToken);

    /// <summary>The placement coordinator's newest <paramref name="limit"/> events (<c>GET /v1/placement/events</c>).</summary>
    public Task<JsonDocument> PlacementEventsAsync(int limit = 100, CancellationToken cancellationToken = default) =>
        GetJsonAsync(string.Create(CultureInfo.InvariantCulture, $"/v1/placement/events?limit={limit}"), cancellationToken);

    /// <summary>Configuration number <paramref name="number"/>, current or past (<c>GET /v1/config/{n}</c>).</summary>
    public Task<JsonDocument> ConfigurationAsync(long number, CancellationToken cancellationToken = default) =>
        GetJsonAsync(string.Create(CultureInfo.InvariantCulture, $"/v1/config/{number}"), cancellationToken);

    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks the member named <paramref name="node"/> Down (an operator's decision that it is gone).</summary>
    public Task DownMemberAsync(string node, CancellationToken cancellationToken = default) => MemberCommandAsync(node, "down", cancellationToken);

    private async Task MemberCommandAsync(string node, string command, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(node);
        var path = $"/v1/cluster/members/{Uri.EscapeDataString(node)}/{command}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, path), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<ulong> WriteAsync(HttpMethod method, string path, ReadOnlyMemory<byte> value, ulong? ifVersion, bool ifAbsent, CancellationToken cancellationToken)
    {
        var idempotencyKey = Guid.NewGuid().ToString("N");
        var body = value.ToArray();
        using var response = await SendAsync(
            () => WithConditions(new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) }, ifVersion, ifAbsent, idempotencyKey),
            cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return VersionOf(response);
    }

    private static HttpRequestMessage WithConditions(HttpRequestMessage request, ulong? ifVersion, bool ifAbsent, string idempotencyKey)
    {
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        if (ifVersion is { } version)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{version.ToString(CultureInfo.InvariantCulture)}\""));
        }
        else if (ifAbsent)
        {
            request.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Any);
        }
        return request;
    }

    /// <summary>Sends, retrying 503, 504 and network failures with backoff; the factory rebuilds the same request (same Idempotency-Key).</summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, CancellationToken cancellationToken)
    {
        var delay = _options.RetryBackoff;
        for (var attempt = 0; ; attempt++)
        {
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(_options.RequestTimeout);
            HttpResponseMessage? response = null;
            Exception? failure = null;
            try
            {
                using var request = createRequest();
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attemptTimeout.Token).ConfigureAwait(false);
                if (response.StatusCode is not (HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout) || attempt >= _options.MaxRetries)
                {
                    return response;
                }
                response.Dispose();
            }
            catch (HttpRequestException exception)
            {
                failure = exception;
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                failure = exception;
            }
            if (failure is not null && attempt >= _options.MaxRetries)
            {
                throw new AkkaKvException($"AkkaKv at {_http.BaseAddress} did not answer after {attempt + 1} attempts: {failure.Message}", failure);
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = $"{(int)response.StatusCode} {response.ReasonPhrase}";
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.TryGetProperty("detail", out var detail))
            {
                message += ": " + detail.GetString();
            }
        }
        catch (JsonException)
        {
            // not a problem document: the status line says enough
        }
        throw response.StatusCode == HttpStatusCode.PreconditionFailed
            ? new PreconditionFailedException(message)
            : new AkkaKvException(response.StatusCode, message);
    }

    private static ulong VersionOf(HttpResponseMessage response) =>
        response.Headers.ETag is { } tag && ulong.TryParse(tag.Tag.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new AkkaKvException("The answer carried no version (ETag).");

    private static string KeyPath(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return "/v1/kv/" + Uri.EscapeDataString(key);
    }
}
