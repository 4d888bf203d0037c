namespace AkkaKv.Hosting.Hocon;

/// <summary>Resolves includes as files relative to the including file's directory (or the working directory).</summary>
public sealed class FileIncludeResolver : IHoconIncludeResolver
{
    /// <summary>The shared instance.</summary>
    public static readonly FileIncludeResolver Instance = new();

    public (string Text, string File)? Resolve(string name, string fromFile)
    {
        ArgumentNullException.ThrowIfNull(name);
        var directory = File.Exists(fromFile) ? Path.GetDirectoryName(Path.GetFullPath(fromFile)) : Directory.GetCurrentDirectory();
        var path = Path.IsPathRooted(name) ? name : Path.Combine(directory ?? ".", name);
        if (!File.Exists(path))
        {
            if (Path.HasExtension(path) || !File.Exists(path + ".conf"))
            {
                return null;
            }
            path += ".conf";
        }
        return (File.ReadAllText(path), Path.GetRelativePath(Directory.GetCurrentDirectory(), path));
    }
}
