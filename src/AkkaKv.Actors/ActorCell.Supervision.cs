namespace AkkaKv.Actors;

/// <summary>Failure handling: the failing actor suspends and reports; its parent applies its strategy.</summary>
internal sealed partial class ActorCell
{
    private object? _failedMessage;

    private void HandleInvokeFailure(Exception cause, object? message)
    {
        if (_terminating)
        {
            Log.FailureWhileStopping(Self.Path, cause);
            return;
        }
        _suspended = true;
        _failedMessage = message;
        ParentRef.SendSystemMessage(new ChildFailed(Self, cause));
    }

    private void OnChildFailed(ChildFailed failed)
    {
        LocalActorRef? child;
        lock (_childrenLock)
        {
            child = _children.Find(existing => ReferenceEquals(existing, failed.Child));
        }
        if (child is null)
        {
            return; // already stopped: nothing to decide
        }
        var strategy = _actor?.SupervisorStrategy ?? SupervisorStrategy.Default;
        var directive = strategy.Decide(failed.Cause);
        Log.ChildFailed(child.Path, failed.Cause.GetType().Name, failed.Cause.Message, directive, failed.Cause);
        switch (directive)
        {
            case Directive.Resume:
                child.SendSystemMessage(ResumeActor.Instance);
                break;
            case Directive.Restart:
                var now = System.TimeProvider.GetTimestamp();
                var affected = strategy.AppliesToAllChildren ? Children.Cast<LocalActorRef>().ToList() : [child];
                foreach (var target in affected)
                {
                    if (target.Cell.RestartStats.RequestRestart(strategy.MaxRetries, strategy.Window, now, System.TimeProvider))
                    {
                        target.SendSystemMessage(new RestartActor(failed.Cause));
                    }
                    else
                    {
                        Log.RestartLimitReached(target.Path, strategy.MaxRetries, strategy.Window);
                        Stop(target);
                    }
                }
                break;
            case Directive.Stop:
                if (strategy.AppliesToAllChildren)
                {
                    foreach (var target in Children)
                    {
                        Stop(target);
                    }
                }
                else
                {
                    Stop(child);
                }
                break;
            case Directive.Escalate:
                HandleInvokeFailure(failed.Cause, null);
                break;
            default:
                throw new InvalidOperationException($"Unknown directive {directive}");
        }
    }
}
