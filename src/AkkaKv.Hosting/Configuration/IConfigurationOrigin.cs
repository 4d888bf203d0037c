namespace AkkaKv.Hosting.Configuration;

/// <summary>A configuration provider that can say where a key's value came from, for error messages.</summary>
public interface IConfigurationOrigin
{
    /// <summary>A description such as <c>node1.conf:12:5</c> or <c>environment variable AKKAKV__HTTP__PORT</c>, or null.</summary>
    string? DescribeOrigin(string key);
}
