namespace AkkaKv.Actors.Tests;

/// <summary>Replies to every message with the same message.</summary>
internal sealed class EchoActor : Actor
{
    protected override void Receive(object message) => Sender.Tell(message, Self);
}

/// <summary>Forwards every message to <paramref name="target"/> and reports its lifecycle there.</summary>
internal sealed class ReportingActor(IActorRef target, string name) : Actor
{
    private int _handled;

    protected override void PreStart() => target.Tell($"{name} started");

    protected override void PostStop() => target.Tell($"{name} stopped");

    protected override void PreRestart(Exception cause, object? message)
    {
        target.Tell($"{name} restarting after {cause.Message}");
        base.PreRestart(cause, message);
    }

    protected override void Receive(object message)
    {
        switch (message)
        {
            case "fail":
                throw new InvalidOperationException("boom");
            case "count":
                Sender.Tell(_handled);
                break;
            case Props props:
                Sender.Tell(Context.ActorOf(props, "child"));
                break;
            default:
                _handled++;
                target.Tell(message, Sender);
                break;
        }
    }
}

/// <summary>A parent whose strategy is given, with children made from the props it is sent.</summary>
internal sealed class SupervisingParent(SupervisorStrategy strategy) : Actor
{
    protected override SupervisorStrategy SupervisorStrategy => strategy;

    protected override void Receive(object message)
    {
        switch (message)
        {
            case (Props props, string name):
                Sender.Tell(Context.ActorOf(props, name));
                break;
            case "fail":
                throw new InvalidOperationException("parent boom");
            default:
                Unhandled(message);
                break;
        }
    }
}
