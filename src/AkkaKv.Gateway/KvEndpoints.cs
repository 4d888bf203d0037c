using System.Buffers;
using AkkaKv.Sharding;
using AkkaKv.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AkkaKv.Gateway;

/// <summary>
/// The public key-value API, <c>/v1/kv</c>, exactly as the contract describes it: raw values with an ETag
/// version, conditional writes (If-Match, If-None-Match: *), append, delete, prefix scans, Idempotency-Key, and
/// problem+json errors that say whether a request was applied (503: not applied; 504: unknown).
/// </summary>
public static class KvEndpoints
{
    private static readonly Dictionary<string, ReadConsistency> Consistencies = new(StringComparer.Ordinal)
    {
        ["linearizable"] = ReadConsistency.Linearizable,
        ["serializable"] = ReadConsistency.Serializable,
        ["eventual"] = ReadConsistency.Eventual,
    };

    /// <summary>Maps the /v1/kv endpoints.</summary>
    public static IEndpointRouteBuilder MapKvApi(this IEndpointRouteBuilder app, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        app.MapGet("/v1/kv/{**key}", (HttpContext context, ShardRouter router) => GetAsync(context, router, options));
        app.MapPut("/v1/kv/{**key}", (HttpContext context, ShardRouter router, TimeProvider time) => WriteAsync(context, router, time, options, WriteKind.Put));
        app.MapPost("/v1/kv/{**key}", (HttpContext context, ShardRouter router, TimeProvider time) => WriteAsync(context, router, time, options, WriteKind.Append));
        app.MapDelete("/v1/kv/{**key}", (HttpContext context, ShardRouter router, TimeProvider time) => WriteAsync(context, router, time, options, WriteKind.Delete));
        app.MapGet("/v1/kv", (HttpContext context, ShardRouter router) => ScanAsync(context, router, options));
        return app;
    }

    private enum WriteKind { Put, Append, Delete }

    private static async Task<IResult> GetAsync(HttpContext context, ShardRouter router, GatewayOptions options)
    {
        var (key, error) = KeyPath.Parse(RawTarget(context), append: false, options.MaxKeyBytes);
        if (key is null)
        {
            return Problems.BadRequest(error!);
        }
        var (consistency, consistencyError) = ParseConsistency(context.Request);
        if (consistencyError is not null)
        {
            return consistencyError;
        }
        if (IsStopping(context))
        {
            return Problems.Unavailable("The node is shutting down.");
        }
        var reply = await router.GetAsync(key, consistency, context.RequestAborted).ConfigureAwait(false);
        switch (reply)
        {
            case ReadReply { Value: null }:
                return Problems.NotFound(key);
            case ReadReply { Value: { } value }:
                context.Response.Headers.ETag = Preconditions.ETagOf(value.Version);
                return Results.Bytes(value.Value, "application/octet-stream");
            default:
                return NotServed(reply);
        }
    }

    /// <summary>A shard reply that carries no result: not applied (503) or outcome unknown (504).</summary>
    private static IResult NotServed(ShardReply reply) => reply switch
    {
        NotLeader { Leader.IsNone: true } => Problems.Unavailable("The shard has no leader at the moment (an election is under way)."),
        NotLeader notLeader => Problems.Unavailable($"This replica is not the shard's leader ({notLeader.Leader} is)."),
        ShardUnavailable unavailable => Problems.Unavailable($"The shard refused the request: {unavailable.Reason}."),
        OutcomeUnknown unknown => Problems.OutcomeUnknown($"The outcome is unknown: {unknown.Reason}."),
        _ => throw new InvalidOperationException($"Unexpected shard reply {reply}"),
    };

    private static async Task<IResult> WriteAsync(HttpContext context, ShardRouter router, TimeProvider time, GatewayOptions options, WriteKind kind)
    {
        var request = context.Request;
        var (key, error) = KeyPath.Parse(RawTarget(context), kind == WriteKind.Append, options.MaxKeyBytes);
        if (key is null)
        {
            return Problems.BadRequest(error!);
        }
        var (condition, conditionError) = Preconditions.Parse(request, allowIfNoneMatch: kind == WriteKind.Put);
        if (condition is null)
        {
            return Problems.BadRequest(conditionError!);
        }
        string? idempotencyKey = request.Headers["Idempotency-Key"];
        if (idempotencyKey is not null && (idempotencyKey.Length == 0 || idempotencyKey.Length > options.MaxIdempotencyKeyLength))
        {
            return Problems.BadRequest($"Idempotency-Key must be 1 to {options.MaxIdempotencyKeyLength} characters.");
        }
        byte[] value = [];
        if (kind != WriteKind.Delete)
        {
            var (body, bodyError) = await ReadBodyAsync(request, options.MaxValueBytes, context.RequestAborted).ConfigureAwait(false);
            if (body is null)
            {
                return bodyError!;
            }
            value = body;
        }
        if (IsStopping(context))
        {
            return Problems.Unavailable("The node is shutting down.");
        }
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        KvCommand command = kind switch
        {
            WriteKind.Put => new KvPut(key, value, condition, idempotencyKey, now),
            WriteKind.Append => new KvAppend(key, value, condition, idempotencyKey, now),
            _ => new KvDelete(key, condition, idempotencyKey, now),
        };
        var reply = await router.WriteAsync(command, context.RequestAborted).ConfigureAwait(false);
        if (reply is not WriteReply { Result: var result })
        {
            return NotServed(reply);
        }
        switch (result)
        {
            case KvResult.Written written:
                context.Response.Headers.ETag = Preconditions.ETagOf(written.Version);
                return Results.Ok();
            case KvResult.Deleted:
                return Results.NoContent();
            case KvResult.NotFound:
                return Problems.NotFound(key);
            case KvResult.ConditionFailed failed:
                return Problems.PreconditionFailed(key, failed.CurrentVersion);
            default:
                throw new InvalidOperationException($"Unknown result {result}");
        }
    }

    private static async Task<IResult> ScanAsync(HttpContext context, ShardRouter router, GatewayOptions options)
    {
        var query = context.Request.Query;
        var prefix = query["prefix"].ToString();
        var limit = 100;
        if (query.TryGetValue("limit", out var limitText)
            && (!int.TryParse(limitText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > options.MaxScanLimit))
        {
            return Problems.BadRequest($"limit must be an integer from 1 to {options.MaxScanLimit}.");
        }
        var (consistency, consistencyError) = ParseConsistency(context.Request);
        if (consistencyError is not null)
        {
            return consistencyError;
        }
        try
        {
            var keys = await router.ScanAsync(prefix, limit, consistency, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(keys.Select(entry => new KeyListing(entry.Key, entry.Version.Value)).ToList(), GatewayJsonContext.Default.ListKeyListing);
        }
        catch (ShardUnavailableException error)
        {
            return Problems.Unavailable($"{error.Message}.");
        }
    }

    /// <summary>Reads the body up to <paramref name="limit"/> bytes without trusting Content-Length.</summary>
    private static async Task<(byte[]? Body, IResult? Error)> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (null, Problems.TooLarge(limit));
        }
        if (request.ContentLength is { } length)
        {
            // The common case: exactly the announced bytes, in one buffer of the right size.
            var body = new byte[length];
            await request.Body.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
            return (body, null);
        }
        var writer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = writer.GetMemory(4096);
            var read = await request.Body.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (writer.WrittenSpan.ToArray(), null);
            }
            writer.Advance(read);
            if (writer.WrittenCount > limit)
            {
                return (null, Problems.TooLarge(limit));
            }
        }
    }

    private static (ReadConsistency Consistency, IResult? Error) ParseConsistency(HttpRequest request)
    {
        var consistency = request.Query["consistency"];
        if (consistency.Count == 0)
        {
            return (ReadConsistency.Linearizable, null);
        }
        return consistency.Count == 1 && consistency[0] is { } text && Consistencies.TryGetValue(text, out var level)
            ? (level, null)
            : (ReadConsistency.Linearizable, Problems.BadRequest("consistency must be linearizable (default), serializable or eventual."));
    }

    private static string RawTarget(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";

    private static bool IsStopping(HttpContext context) =>
        context.RequestServices.GetService<IHostApplicationLifetime>()?.ApplicationStopping.IsCancellationRequested == true;
}
