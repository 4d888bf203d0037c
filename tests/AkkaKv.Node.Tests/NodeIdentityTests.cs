namespace AkkaKv.Node.Tests;

/// <summary>
/// The node id belongs to the data directory: a new one takes the hash of the node's name and keeps it (also after a
/// rename), one written before ids were kept keeps id 1 (its replicas' id), and a damaged id file stops the start
/// naming the file. Method: temporary directories.
/// </summary>
public sealed class NodeIdentityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("akkakv-id-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_new_data_directory_takes_the_name_hash_and_keeps_it_after_a_rename()
    {
        Assert.Equal(NodeId.FromName("node1"), NodeIdentity.Load(_directory, "node1"));
        Assert.Equal(NodeId.FromName("node1"), NodeIdentity.Load(_directory, "renamed"));
        Assert.Equal($"{NodeId.FromName("node1").Value}\n", File.ReadAllText(Path.Combine(_directory, NodeIdentity.FileName)));
    }

    [Fact]
    public void A_data_directory_from_before_ids_were_kept_keeps_id_one()
    {
        var wal = Directory.CreateDirectory(Path.Combine(_directory, "wal"));
        File.WriteAllBytes(Path.Combine(wal.FullName, "00000000000000000000.wal"), [1, 2, 3]);
        Assert.Equal(new NodeId(1), NodeIdentity.Load(_directory, "node1"));
        Assert.Equal(new NodeId(1), NodeIdentity.Load(_directory, "node1"));
    }

    [Theory]
    [InlineData("not a number")]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("99999999999999999999999")]
    public void A_damaged_id_file_stops_the_start_naming_it(string content)
    {
        File.WriteAllText(Path.Combine(_directory, NodeIdentity.FileName), content);
        var error = Assert.Throws<IOException>(() => NodeIdentity.Load(_directory, "node1"));
        Assert.Contains($"node id file '{Path.Combine(_directory, NodeIdentity.FileName)}' is damaged", error.Message, StringComparison.Ordinal);
    }
}
