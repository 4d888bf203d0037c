using AkkaKv.HttpFloor;

// The same routes and response shapes as the node's /v1/kv API, with nothing behind them: a PUT reads its body and
// answers 200 with an ETag, a GET answers a fixed value with an ETag. Whatever this serves per second on a machine
// is the most any HTTP key-value server built on Kestrel can serve there with the same client.
//   akkakv-http-floor [--urls http://127.0.0.1:8090] [--value-size 256]
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:8090");
var valueSize = FloorSettings.ValueSize(builder.Configuration["value-size"]);
if (valueSize is null)
{
    Console.Error.WriteLine("--value-size must be an integer from 0 to 1048576");
    return 2;
}
var app = builder.Build();
app.MapFloorRoutes(new byte[valueSize.Value]);
await app.RunAsync().ConfigureAwait(false);
return 0;
