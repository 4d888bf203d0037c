namespace AkkaKv.HttpFloor;

/// <summary>The /v1/kv routes without storage: the per-request work of HTTP and nothing else.</summary>
internal static class FloorRoutes
{
    private const string ETag = "\"1\"";

    public static void MapFloorRoutes(this WebApplication app, byte[] value)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/v1/kv/{**key}", (HttpContext context) =>
        {
            context.Response.Headers.ETag = ETag;
            return Results.Bytes(value, "application/octet-stream");
        });
        app.MapPut("/v1/kv/{**key}", async (HttpContext context) =>
        {
            if (context.Request.ContentLength is not { } length || length > FloorSettings.MaxValueBytes)
            {
                return Results.StatusCode(StatusCodes.Status411LengthRequired);
            }
            var body = new byte[length];
            await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers.ETag = ETag;
            return Results.Ok();
        });
    }
}
