namespace AkkaKv.Persistence.Membership;

/// <summary>The membership mark as a file (<c>&lt;data-dir&gt;/cluster-member</c>), written and fsynced with its directory.</summary>
public sealed class FileClusterMembershipRecord(string dataDirectory) : IClusterMembershipRecord
{
    private readonly string _path = Path.Combine(dataDirectory, "cluster-member");

    public bool Exists => File.Exists(_path);

    public void Record()
    {
        if (Exists)
        {
            return;
        }
        var temporary = _path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write("this disk belonged to a cluster: it does not bootstrap new groups\n"u8);
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, _path, overwrite: true);
        Storage.DirectorySync.Flush(dataDirectory);
    }
}
