using System.Text.Json.Serialization;

namespace AkkaKv.Gateway;

/// <summary>Source-generated JSON for the API's own documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<KeyListing>))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
