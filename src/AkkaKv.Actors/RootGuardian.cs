namespace AkkaKv.Actors;

/// <summary>
/// The actor at <c>/</c>. On <see cref="StopGuardians"/> it stops <c>/user</c> first, then <c>/system</c>, then
/// itself, so the runtime's own actors outlive the application's.
/// </summary>
internal sealed class RootGuardian : Actor
{
    private IActorRef? _user;
    private IActorRef? _system;

    protected internal override SupervisorStrategy SupervisorStrategy => SupervisorStrategy.StoppingStrategy;

    protected internal override void Receive(object message)
    {
        switch (message)
        {
            case StopGuardians:
                // The guardians are created by ActorSystem itself, so they exist before any user actor.
                _user = Context.Child("user");
                _system = Context.Child("system");
                if (_user is null)
                {
                    StopSystemGuardian();
                    break;
                }
                Context.Watch(_user);
                Context.Stop(_user);
                break;
            case Terminated terminated when ReferenceEquals(terminated.Actor, _user):
                StopSystemGuardian();
                break;
            case Terminated terminated when ReferenceEquals(terminated.Actor, _system):
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void StopSystemGuardian()
    {
        if (_system is null)
        {
            Context.Stop(Self);
            return;
        }
        Context.Watch(_system);
        Context.Stop(_system);
    }

    /// <summary>Begin stopping the system's actors.</summary>
    internal sealed record StopGuardians
    {
        public static readonly StopGuardians Instance = new();
    }
}
