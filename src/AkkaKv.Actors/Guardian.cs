namespace AkkaKv.Actors;

/// <summary>The actor behind <c>/user</c> and <c>/system</c>: it only supervises its children.</summary>
internal sealed class Guardian(SupervisorStrategy strategy) : Actor
{
    protected internal override SupervisorStrategy SupervisorStrategy => strategy;

    protected internal override void Receive(object message) => Unhandled(message);
}
