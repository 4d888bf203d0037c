namespace AkkaKv.Actors;

/// <summary>The parent above the root guardian: it completes the system's termination and logs root failures.</summary>
internal sealed class RootParentRef(ActorSystem system, ActorPath path) : IInternalActorRef
{
    public ActorPath Path { get; } = path;

    public void Tell(object message, IActorRef? sender = null) => system.DeadLetters.Tell(message, sender);

    public void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case ChildTerminated:
                system.OnRootTerminated();
                break;
            case ChildFailed failed:
                system.OnRootFailed(failed.Cause);
                (failed.Child as IInternalActorRef)?.SendSystemMessage(TerminateActor.Instance);
                break;
        }
    }
}
