using Akka.Configuration;
using AkkaKv.Sharding.Remoting;

namespace AkkaKv.Sharding.Tests.Remoting;

/// <summary>The configuration of a test actor system that talks to its peers over Akka.Remote on loopback.</summary>
internal static class LoopbackRemoting
{
    /// <summary>
    /// A remote provider on 127.0.0.1 with a port chosen at bind time, warnings and above logged, and AkkaKv's
    /// serializers bound; <paramref name="extra"/> (HOCON) goes on top.
    /// </summary>
    public static Config Config(string extra = "") => ConfigurationFactory.ParseString(extra)
        .WithFallback(ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.loglevel = WARNING
            """))
        .WithFallback(ConfigurationFactory.ParseString(ShardingSerialization.Hocon));
}
