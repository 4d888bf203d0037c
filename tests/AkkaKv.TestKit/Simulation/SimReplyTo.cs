using AkkaKv.Sharding;

namespace AkkaKv.TestKit.Simulation;

/// <summary>A reply target that posts the reply, wrapped by <paramref name="wrap"/>, to <paramref name="inbox"/> (so it arrives as a message, on its turn).</summary>
public sealed class SimReplyTo<TReply>(SimMailbox inbox, Func<TReply, object> wrap) : IReplyTo<TReply>
{
    public void Tell(TReply reply) => inbox.Post(wrap(reply));
}
