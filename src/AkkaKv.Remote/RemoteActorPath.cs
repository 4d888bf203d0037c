using System.Globalization;

namespace AkkaKv.Remote;

/// <summary>
/// An actor's address across the cluster: <c>akkakv://&lt;cluster&gt;@host:port/user/path</c> — the cluster's name,
/// the node's peer address, and the actor's path in that node's hierarchy.
/// </summary>
public sealed record RemoteActorPath(string Cluster, string Address, IReadOnlyList<string> Elements)
{
    /// <summary>Longest accepted path text; longer is refused as hostile.</summary>
    public const int MaxLength = 1024;

    private const string Prefix = "akkakv://";

    public override string ToString() => $"{Prefix}{Cluster}@{Address}/{string.Join('/', Elements)}";

    /// <summary>Equal by text.</summary>
    public bool Equals(RemoteActorPath? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    /// <summary>Parses <paramref name="text"/>; false (with <paramref name="error"/>) when it is not a remote actor path.</summary>
    public static bool TryParse(string? text, out RemoteActorPath? path, out string error)
    {
        path = null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            error = $"an actor path must be 1-{MaxLength} characters";
            return false;
        }
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"'{Shorten(text)}' does not start with {Prefix}";
            return false;
        }
        var rest = text[Prefix.Length..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (at <= 0 || slash < at)
        {
            error = $"'{Shorten(text)}' is not akkakv://<cluster>@host:port/path";
            return false;
        }
        var cluster = rest[..at];
        var address = rest[(at + 1)..slash];
        var elements = rest[(slash + 1)..].Split('/');
        if (!cluster.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.'))
        {
            error = $"'{Shorten(cluster)}' is not a cluster name";
            return false;
        }
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65_535)
        {
            error = $"'{Shorten(address)}' is not a host:port address";
            return false;
        }
        if (elements.Any(element => element.Length == 0 || element.Any(char.IsControl)))
        {
            error = $"'{Shorten(text)}' has an empty or invalid path element";
            return false;
        }
        path = new RemoteActorPath(cluster, address, elements);
        error = "";
        return true;
    }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">It is not a remote actor path.</exception>
    public static RemoteActorPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path! : throw new FormatException(error);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
