using Microsoft.AspNetCore.Http;

namespace AkkaKv.Gateway;

/// <summary>RFC 9457 problem responses used by the API; each says what went wrong and whether the request was applied.</summary>
internal static class Problems
{
    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static IResult NotFound(string key) => Problem(StatusCodes.Status404NotFound, "Key not found", $"The key '{key}' does not exist.");

    public static IResult PreconditionFailed(string key, LogIndex? current) => Problem(
        StatusCodes.Status412PreconditionFailed,
        "Precondition failed",
        current is { } version ? $"The key '{key}' is at version {version.Value}; nothing was written." : $"The key '{key}' does not exist; nothing was written.");

    public static IResult TooLarge(long limit) => Problem(
        StatusCodes.Status413PayloadTooLarge, "Value too large", $"Values are limited to {limit} bytes (akkakv.http.max-value-size); nothing was written.");

    public static IResult Unavailable(string detail) => Problem(
        StatusCodes.Status503ServiceUnavailable, "Service unavailable", detail + " The request was not applied; retry later.", retryAfterSeconds: 1);

    public static IResult OutcomeUnknown(string detail) => Problem(
        StatusCodes.Status504GatewayTimeout, "Outcome unknown", detail + " The write may or may not have been applied; retry with the same Idempotency-Key.");

    private static ProblemResult Problem(int status, string title, string detail, int? retryAfterSeconds = null) =>
        new ProblemResult(status, title, detail, retryAfterSeconds);

    /// <summary>Writes <c>application/problem+json</c> (and Retry-After when given).</summary>
    private sealed class ProblemResult(int status, string title, string detail, int? retryAfterSeconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (retryAfterSeconds is { } seconds)
            {
                httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = status,
                Title = title,
                Detail = detail,
                Instance = httpContext.Request.Path,
            };
            return Results.Problem(problem).ExecuteAsync(httpContext);
        }
    }
}
