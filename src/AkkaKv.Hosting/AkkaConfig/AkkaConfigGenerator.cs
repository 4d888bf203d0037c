using System.Globalization;
using System.Text;
using AkkaKv.Hosting.Options;

namespace AkkaKv.Hosting.AkkaConfig;

/// <summary>
/// Turns AkkaKv's validated settings (read from operators' files, <c>AKKAKV__*</c> and <c>--set</c> by our own HOCON
/// parser) into the configuration Akka.NET runs on: the actor provider, Akka.Remote's DotNetty TCP endpoint and frame
/// limit (plus, in test mode only, the throttler and failure-injector transport adapters that fault injection drives),
/// Akka.Cluster's seeds, roles, gossip and phi-accrual failure detector, and the split-brain resolver. Every string is
/// quoted and escaped, so no setting (a role, a host name) can inject HOCON of its own; every value has been validated
/// before. The text is Akka's HOCON, parsed by Akka — never operators' text.
/// </summary>
public static class AkkaConfigGenerator
{
    /// <summary>The role every AkkaKv node carries, so a cluster's members can tell AkkaKv nodes apart from other Akka.NET members.</summary>
    public const string NodeRole = "akkakv";

    /// <summary>The prefix of the role naming the node (<c>akkakv-node:NAME</c>), how members map to node names.</summary>
    public const string NodeNameRolePrefix = "akkakv-node:";

    /// <summary>
    /// The Akka.NET configuration for a node called <paramref name="nodeName"/> with these settings; members carry
    /// <paramref name="appVersion"/> (the build's version) as Akka's <c>app-version</c>, shown in the cluster view.
    /// </summary>
    /// <exception cref="ConfigurationErrorsException">A setting Akka.NET cannot take (the message names it).</exception>
    public static string Generate(string nodeName, RemoteSettings remote, ClusterSettings cluster, FailureDetectorSettings failureDetector,
        SplitBrainResolverSettings splitBrainResolver, ActorOptions actor, bool tls, Version? appVersion = null)
    {
        ArgumentNullException.ThrowIfNull(nodeName);
        ArgumentNullException.ThrowIfNull(remote);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(failureDetector);
        ArgumentNullException.ThrowIfNull(splitBrainResolver);
        ArgumentNullException.ThrowIfNull(actor);
        var systemName = SystemName(cluster);
        var text = new StringBuilder();
        text.AppendLine("akka {");
        text.AppendLine("  actor.provider = cluster");
        text.AppendLine($"  actor.default-dispatcher.throughput = {Int(actor.Throughput)}");
        // Dedicated threads for the node's actors (measured in docs/benchmarks.md: about 20% more writes per CPU than
        // the .NET thread pool on 2 cores). Akka.Remote's endpoints and Akka.Cluster's internals keep their own
        // dispatchers, so heartbeats are never queued behind busy actors (a node starting 64 replicas, a recovery).
        text.AppendLine("  actor.default-dispatcher.executor = fork-join-executor");
        text.AppendLine($"  actor.default-dispatcher.fork-join-executor.parallelism-min = {Int(actor.EffectiveDispatcherThreads)}");
        text.AppendLine($"  actor.default-dispatcher.fork-join-executor.parallelism-max = {Int(actor.EffectiveDispatcherThreads)}");
        text.AppendLine($"  actor.ask-timeout = {Duration(actor.AskTimeout)}");
        text.AppendLine($"  actor.default-mailbox.stash-capacity = {Int(actor.StashCapacity)}");
        text.AppendLine($"  log-dead-letters = {Int(actor.LogDeadLetters)}");
        text.AppendLine($"  coordinated-shutdown.default-phase-timeout = {Duration(actor.ShutdownPhaseTimeout)}");
        text.AppendLine($"  remote.handshake-timeout = {Duration(remote.HandshakeTimeout)}");
        text.AppendLine($"  remote.retry-gate-closed-for = {Duration(remote.RetryGateClosedFor)}");
        text.AppendLine("  remote.dot-netty.tcp {");
        text.AppendLine($"    hostname = {Quote(remote.Hostname)}");
        text.AppendLine($"    port = {Int(remote.Port)}");
        if (remote.PublicHostname.Length > 0)
        {
            text.AppendLine($"    public-hostname = {Quote(remote.PublicHostname)}");
        }
        text.AppendLine($"    maximum-frame-size = {Long(remote.MaxFrameSize.Bytes)}b");
        // The socket buffers hold at least one largest frame, so a full snapshot chunk never waits on a tiny buffer.
        text.AppendLine($"    send-buffer-size = {Long(Math.Max(remote.MaxFrameSize.Bytes, 256_000))}b");
        text.AppendLine($"    receive-buffer-size = {Long(Math.Max(remote.MaxFrameSize.Bytes, 256_000))}b");
        text.AppendLine($"    enable-ssl = {(tls ? "on" : "off")}");
        if (remote.TestMode)
        {
            // The throttler (blackhole, throttle) and failure-injector adapters the test-mode fault API drives; never in production.
            text.AppendLine("    applied-adapters = [\"trttl\", \"gremlin\"]");
        }
        text.AppendLine("  }");
        text.AppendLine("  cluster {");
        // Without seeds the node forms a cluster of its own: it is its own first seed — unless its port is chosen at
        // bind time (0), when no seed can name it and the host joins the node to itself once it is bound.
        IReadOnlyList<string> seeds = cluster.SeedNodes.Count > 0 ? cluster.SeedNodes
            : remote.Port == 0 ? [] : [$"{remote.AdvertisedHost}:{remote.Port.ToString(CultureInfo.InvariantCulture)}"];
        text.AppendLine($"    seed-nodes = [{string.Join(", ", seeds.Select(seed => Quote(SeedAddress(systemName, seed, remote.TestMode))))}]");
        var roles = cluster.Roles.Prepend(NodeNameRolePrefix + nodeName).Prepend(NodeRole).Distinct(StringComparer.Ordinal);
        text.AppendLine($"    roles = [{string.Join(", ", roles.Select(Quote))}]");
        text.AppendLine($"    seed-node-timeout = {Duration(cluster.SeedNodeTimeout)}");
        text.AppendLine($"    gossip-interval = {Duration(cluster.GossipInterval)}");
        text.AppendLine("    run-coordinated-shutdown-when-down = on");
        if (appVersion is not null)
        {
            text.AppendLine($"    app-version = {Quote(appVersion.ToString(3))}");
        }
        text.AppendLine("    failure-detector {");
        text.AppendLine($"      threshold = {failureDetector.Threshold.ToString("R", CultureInfo.InvariantCulture)}");
        text.AppendLine($"      max-sample-size = {Int(failureDetector.MaxSampleSize)}");
        text.AppendLine($"      min-std-deviation = {Duration(failureDetector.MinStdDeviation)}");
        text.AppendLine($"      acceptable-heartbeat-pause = {Duration(failureDetector.AcceptableHeartbeatPause)}");
        text.AppendLine($"      heartbeat-interval = {Duration(failureDetector.HeartbeatInterval)}");
        text.AppendLine($"      monitored-by-nr-of-members = {Int(cluster.MonitoredByNrOfMembers)}");
        text.AppendLine("    }");
        text.AppendLine("    downing-provider-class = \"Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster\"");
        text.AppendLine("    split-brain-resolver {");
        text.AppendLine($"      active-strategy = {splitBrainResolver.ActiveStrategy}");
        text.AppendLine($"      stable-after = {Duration(splitBrainResolver.StableAfter)}");
        if (splitBrainResolver.StaticQuorumSize > 0)
        {
            text.AppendLine($"      static-quorum.quorum-size = {Int(splitBrainResolver.StaticQuorumSize)}");
        }
        text.AppendLine("    }");
        text.AppendLine("  }");
        text.AppendLine("}");
        return text.ToString();
    }

    /// <summary>The actor system's name: the cluster's (Akka.NET joins only systems of the same name).</summary>
    /// <exception cref="ConfigurationErrorsException">The name is not a valid Akka.NET actor system name.</exception>
    public static string SystemName(ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var name = cluster.Name;
        var valid = name.Length is > 0 and <= 63 && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        return valid
            ? name
            : throw new ConfigurationErrorsException($"akkakv.cluster.name: '{name}' must be 1-63 letters, digits, '-' or '_', starting with a letter or digit (an Akka.NET actor system name)");
    }

    /// <summary>The Akka.NET address of a seed given as <c>host:port</c>.</summary>
    /// <remarks>
    /// In test mode the throttler and failure-injector adapters wrap the transport, and Akka.NET then knows addresses
    /// only by the adapted protocol (<c>akka.trttl.gremlin.tcp</c>): a seed given as <c>akka.tcp</c> could not be reached.
    /// </remarks>
    public static string SeedAddress(string systemName, string seed, bool testMode = false)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var colon = seed.LastIndexOf(':');
        var host = seed[..colon];
        var port = seed[(colon + 1)..];
        return $"{(testMode ? "akka.trttl.gremlin.tcp" : "akka.tcp")}://{systemName}@{host}:{port}";
    }

    internal static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': quoted.Append("\\\""); break;
                case '\\': quoted.Append("\\\\"); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                case < ' ': quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: quoted.Append(c); break;
            }
        }
        return quoted.Append('"').ToString();
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Long(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan value) => $"{Long((long)Math.Ceiling(value.TotalMilliseconds))}ms";
}
