using System.Globalization;

namespace AkkaKv.Node;

/// <summary>
/// The node's id, kept in <c>&lt;data-dir&gt;/node-id</c> so it belongs to the data, as an etcd member id does: the
/// node's Raft replicas carry it, so it must not change while the data lives. A new data directory takes the stable
/// hash of the node's name (<see cref="NodeId.FromName"/>); a data directory written before ids were kept (it has a
/// write-ahead log but no id file) keeps the id its replicas were created with, 1.
/// </summary>
internal static class NodeIdentity
{
    public const string FileName = "node-id";

    /// <summary>Reads, or on first start chooses and writes, the id of the node whose data is in <paramref name="dataDirectory"/>.</summary>
    /// <exception cref="IOException">The id file is unreadable or damaged (the message names it and how to repair).</exception>
    public static NodeId Load(string dataDirectory, string nodeName)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            if (!ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value == 0)
            {
                throw new IOException($"node id file '{path}' is damaged ('{(text.Length > 40 ? text[..40] + "…" : text)}' is not a node id); restore it from a backup: the node's replicas are known to the cluster by that id");
            }
            return new NodeId(value);
        }
        var walDirectory = Path.Combine(dataDirectory, "wal");
        var legacy = Directory.Exists(walDirectory) && Directory.EnumerateFiles(walDirectory).Any();
        var id = legacy ? new NodeId(1) : NodeId.FromName(nodeName);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(System.Text.Encoding.ASCII.GetBytes(id.Value.ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        return id;
    }
}
