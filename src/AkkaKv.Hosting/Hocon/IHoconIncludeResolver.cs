namespace AkkaKv.Hosting.Hocon;

/// <summary>Finds the text of an included file.</summary>
public interface IHoconIncludeResolver
{
    /// <summary>The text and display name of <paramref name="name"/> included from <paramref name="fromFile"/>, or null when it does not exist.</summary>
    (string Text, string File)? Resolve(string name, string fromFile);
}
