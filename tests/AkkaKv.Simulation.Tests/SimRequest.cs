using AkkaKv.Sharding;

namespace AkkaKv.Simulation.Tests;

/// <summary>A client's request as it arrives in a simulated replica's mailbox, with where its answer goes.</summary>
internal sealed record SimRequest(ShardRequest Request, IReplyTo<ShardReply> ReplyTo);
