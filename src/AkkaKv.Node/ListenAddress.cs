using System.Net;
using System.Net.Sockets;

namespace AkkaKv.Node;

/// <summary>Turns a configured host name into the address a listener binds.</summary>
internal static class ListenAddress
{
    /// <summary>An IP as given, loopback for <c>localhost</c>, else the name's first IPv4 address (or first of any family).</summary>
    /// <exception cref="ArgumentException">The name does not resolve; the message names <paramref name="setting"/>.</exception>
    public static IPAddress Resolve(string hostname, string setting)
    {
        if (IPAddress.TryParse(hostname, out var address))
        {
            return address;
        }
        if (hostname == "localhost")
        {
            return IPAddress.Loopback;
        }
        IPAddress[] resolved;
        try
        {
            resolved = Dns.GetHostAddresses(hostname);
        }
        catch (SocketException error)
        {
            throw new ArgumentException($"{setting} '{hostname}' does not resolve: {error.Message}", error);
        }
        return Array.Find(resolved, candidate => candidate.AddressFamily == AddressFamily.InterNetwork) ?? resolved.FirstOrDefault()
            ?? throw new ArgumentException($"{setting} '{hostname}' does not resolve to an address");
    }
}
