namespace AkkaKv.Node;

/// <summary>Prepares the node's data directory and proves it is writable before anything is stored there.</summary>
internal static class DataDirectory
{
    /// <summary>Creates <paramref name="path"/> if needed and checks it can hold files; throws <see cref="IOException"/> saying why not.</summary>
    public static string Prepare(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".write-probe-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return full;
        }
        catch (Exception exception) when (exception is UnauthorizedAccessException or IOException)
        {
            throw new IOException($"data directory '{full}' is not writable: {exception.Message}", exception);
        }
    }
}
