namespace AkkaKv.Actors;

/// <summary>A reference that also accepts the runtime's system messages (supervision, death watch).</summary>
internal interface IInternalActorRef : IActorRef
{
    /// <summary>Delivers a system message; ahead of user messages, even while suspended.</summary>
    void SendSystemMessage(SystemMessage message);
}
