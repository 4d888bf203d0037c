using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace AkkaKv.Node;

/// <summary>JSON settings of the node's own documents (camelCase).</summary>
internal static class NodeJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
}
