namespace AkkaKv.Actors;

/// <summary>
/// The address of an actor system: <c>akkakv://name</c> in process, <c>akkakv://name@host:port</c> once remote.
/// </summary>
public sealed record ActorAddress(string System, string? Host = null, int? Port = null)
{
    /// <summary>The URI scheme of actor paths.</summary>
    public const string Scheme = "akkakv";

    public override string ToString() =>
        Host is null ? $"{Scheme}://{System}" : $"{Scheme}://{System}@{Host}:{Port}";
}
