using System.Net;
using AkkaKv.Client;

namespace AkkaKv.Node.Tests;

/// <summary>
/// The client's retries: a 503 or 504 answer is retried with the same Idempotency-Key (so the node applies the
/// write at most once), other errors are not retried. Method: a scripted HTTP handler records every attempt.
/// </summary>
public sealed class ClientRetryTests
{
    private sealed class ScriptedHandler(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public List<(HttpMethod Method, string? IdempotencyKey)> Attempts { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Attempts.Add((request.Method, request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null));
            var status = answers[Math.Min(Attempts.Count - 1, answers.Length - 1)];
            var response = new HttpResponseMessage(status) { Content = new StringContent("{\"detail\":\"scripted\"}") };
            if (status == HttpStatusCode.OK)
            {
                response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue("\"7\"");
            }
            return Task.FromResult(response);
        }
    }

    private static AkkaKvClient ClientOver(ScriptedHandler handler, int maxRetries = 3) =>
        new(new Uri("http://127.0.0.1:9"), new AkkaKvClientOptions { MaxRetries = maxRetries, RetryBackoff = TimeSpan.FromMilliseconds(1) }, new HttpClient(handler));

    [Fact]
    public async Task A_write_answered_503_then_504_is_retried_with_the_same_idempotency_key()
    {
        var handler = new ScriptedHandler(HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout, HttpStatusCode.OK);
        using var client = ClientOver(handler);
        Assert.Equal(7UL, await client.AppendAsync("k", "v"u8.ToArray()));
        Assert.Equal(3, handler.Attempts.Count);
        Assert.Single(handler.Attempts.Select(attempt => attempt.IdempotencyKey).Distinct());
        Assert.NotNull(handler.Attempts[0].IdempotencyKey);
    }

    [Fact]
    public async Task Two_writes_carry_different_idempotency_keys()
    {
        var handler = new ScriptedHandler(HttpStatusCode.OK);
        using var client = ClientOver(handler);
        await client.PutAsync("k", "a"u8.ToArray());
        await client.PutAsync("k", "a"u8.ToArray());
        Assert.NotEqual(handler.Attempts[0].IdempotencyKey, handler.Attempts[1].IdempotencyKey);
    }

    [Fact]
    public async Task Client_errors_are_not_retried_and_retries_stop_at_the_limit()
    {
        var badRequest = new ScriptedHandler(HttpStatusCode.BadRequest);
        using (var client = ClientOver(badRequest))
        {
            var error = await Assert.ThrowsAsync<AkkaKvException>(() => client.PutAsync("k", "v"u8.ToArray()));
            Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
            Assert.Contains("scripted", error.Message, StringComparison.Ordinal);
            Assert.True(error.CertainlyNotApplied);
        }
        Assert.Single(badRequest.Attempts);

        var unavailable = new ScriptedHandler(HttpStatusCode.ServiceUnavailable);
        using (var client = ClientOver(unavailable, maxRetries: 2))
        {
            var error = await Assert.ThrowsAsync<AkkaKvException>(() => client.PutAsync("k", "v"u8.ToArray()));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        }
        Assert.Equal(3, unavailable.Attempts.Count);
    }
}
