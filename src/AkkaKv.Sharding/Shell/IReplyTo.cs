namespace AkkaKv.Sharding;

/// <summary>
/// Where the answer to one request goes: the asking actor in production, a simulated client or a pending ask in
/// the simulation. A state machine keeps it while the request is pending and answers it exactly once.
/// </summary>
/// <typeparam name="TReply">The protocol's family of replies.</typeparam>
public interface IReplyTo<in TReply>
{
    /// <summary>Sends <paramref name="reply"/> to the requester (never blocks).</summary>
    void Tell(TReply reply);
}
