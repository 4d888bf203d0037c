using System.Globalization;
using System.Text.Json;

namespace AkkaKv.TestKit.Linearizability;

/// <summary>Reads histories in the JSON-lines format of <c>shared/testdata/histories</c> (one operation per line).</summary>
public static class KvHistoryFile
{
    /// <summary>Parses every line of <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">A line is not a valid operation (the message names the line).</exception>
    public static IReadOnlyList<KvOperation> Read(string path)
    {
        var operations = new List<KvOperation>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                operations.Add(Parse(line));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new FormatException($"{path}:{lineNumber}: {ex.Message}", ex);
            }
        }
        return operations;
    }

    private static KvOperation Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var kind = root.GetProperty("op").GetString() switch
        {
            "get" => KvOperationKind.Get,
            "put" => KvOperationKind.Put,
            "append" => KvOperationKind.Append,
            "delete" => KvOperationKind.Delete,
            "cas" => KvOperationKind.CompareAndSwap,
            var other => throw new FormatException($"unknown op '{other}'"),
        };
        var status = root.GetProperty("status").GetString() switch
        {
            "ok" => KvOperationStatus.Ok,
            "fail" => KvOperationStatus.Fail,
            "info" => KvOperationStatus.Info,
            var other => throw new FormatException($"unknown status '{other}'"),
        };
        string? Text(string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var value = kind switch
        {
            KvOperationKind.Get => Text("output"),
            KvOperationKind.CompareAndSwap => Text("new"),
            _ => Text("value"),
        };
        return new KvOperation(
            root.GetProperty("client").GetInt32(),
            kind,
            root.GetProperty("key").GetString() ?? throw new FormatException("key is null"),
            value,
            root.GetProperty("call_time").GetDouble(),
            root.GetProperty("return_time").GetDouble(),
            status,
            kind == KvOperationKind.CompareAndSwap ? Text("expected") : null,
            kind == KvOperationKind.CompareAndSwap && string.Equals(Text("output"), "ok", StringComparison.Ordinal));
    }

    /// <summary>Writes <paramref name="operations"/> in the same format (for keeping a failing simulation's history).</summary>
    public static void Write(string path, IEnumerable<KvOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        using var writer = new StreamWriter(path);
        foreach (var operation in operations)
        {
            var fields = new Dictionary<string, object?>
            {
                ["client"] = operation.Client,
                ["op"] = operation.Kind switch
                {
                    KvOperationKind.Get => "get",
                    KvOperationKind.Put => "put",
                    KvOperationKind.Append => "append",
                    KvOperationKind.Delete => "delete",
                    _ => "cas",
                },
                ["key"] = operation.Key,
                ["call_time"] = operation.CallTime,
                ["return_time"] = operation.ReturnTime,
                ["status"] = operation.Status.ToString().ToLower(CultureInfo.InvariantCulture),
            };
            switch (operation.Kind)
            {
                case KvOperationKind.Get:
                    fields["output"] = operation.Value;
                    break;
                case KvOperationKind.CompareAndSwap:
                    fields["expected"] = operation.Expected;
                    fields["new"] = operation.Value;
                    fields["output"] = operation.Swapped ? "ok" : "fail";
                    break;
                default:
                    fields["value"] = operation.Value;
                    break;
            }
            writer.WriteLine(JsonSerializer.Serialize(fields));
        }
    }
}
