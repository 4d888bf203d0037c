namespace AkkaKv.Actors;

/// <summary>Creation, restart and the ordered stop of a cell (children first, then PostStop, then watchers).</summary>
internal sealed partial class ActorCell
{
    /// <summary>Processes one system message; runs even while the actor is suspended.</summary>
    internal void SystemInvoke(SystemMessage message)
    {
        if (_terminated)
        {
            // A stopped actor still answers death watch so late watchers are told at once.
            if (message is WatchActor watch && watch.Watcher is IInternalActorRef watcher)
            {
                watcher.SendSystemMessage(new DeathWatchNotification(Self));
            }
            return;
        }
        switch (message)
        {
            case CreateActor: OnCreate(); break;
            case ChildFailed failed: OnChildFailed(failed); break;
            case ResumeActor: _suspended = false; break;
            case RestartActor restart: OnRestart(restart.Cause); break;
            case TerminateActor: OnTerminate(); break;
            case ChildTerminated terminated: OnChildTerminated(terminated.Child); break;
            case WatchActor watch: OnWatch(watch); break;
            case UnwatchActor unwatch: _watchers.Remove(unwatch.Watcher); break;
            case DeathWatchNotification notification: OnDeathWatchNotification(notification.Actor); break;
            default: throw new InvalidOperationException($"Unknown system message {message}");
        }
    }

    private void OnCreate()
    {
        try
        {
            _actor = NewActor();
            _actor.PreStart();
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            HandleInvokeFailure(new ActorInitializationException($"{Self.Path} failed to start: {exception.Message}", exception), null);
        }
    }

    private void OnRestart(Exception cause)
    {
        var failed = _actor;
        if (failed is not null)
        {
            try
            {
                failed.PreRestart(cause, _failedMessage);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Log.RestartHookFailed(Self.Path, exception);
            }
        }
        _timers?.CancelAll();
        _behaviors.Clear();
        _stash?.UnstashAll();
        _failedMessage = null;
        _suspended = false;
        try
        {
            _actor = NewActor();
            _actor.PostRestart(cause);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            HandleInvokeFailure(new ActorInitializationException($"{Self.Path} failed to restart: {exception.Message}", exception), null);
        }
    }

    private void OnTerminate()
    {
        if (_terminating)
        {
            return;
        }
        _suspended = true;
        _timers?.CancelAll();
        List<LocalActorRef> children;
        lock (_childrenLock)
        {
            _terminating = true;
            children = [.. _children];
        }
        if (children.Count == 0)
        {
            FinishTerminate();
            return;
        }
        foreach (var child in children)
        {
            child.SendSystemMessage(TerminateActor.Instance);
        }
    }

    private void OnChildTerminated(IActorRef child)
    {
        bool allGone;
        lock (_childrenLock)
        {
            _children.RemoveAll(existing => ReferenceEquals(existing, child));
            allGone = _children.Count == 0;
        }
        if (_watching.Remove(child))
        {
            Self.Tell(new Terminated(child), child);
        }
        if (_terminating && allGone)
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        if (_actor is not null)
        {
            try
            {
                _actor.PostStop();
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                Log.PostStopFailed(Self.Path, exception);
            }
        }
        _terminated = true;
        _actor = null;
        System.EventStream.Unsubscribe(Self);
        foreach (var envelope in _stash?.Clear() ?? [])
        {
            OnUndelivered(envelope);
        }
        foreach (var envelope in Mailbox.Close())
        {
            OnUndelivered(envelope);
        }
        foreach (var watcher in _watchers)
        {
            (watcher as IInternalActorRef)?.SendSystemMessage(new DeathWatchNotification(Self));
        }
        _watchers.Clear();
        foreach (var watchee in _watching)
        {
            (watchee as IInternalActorRef)?.SendSystemMessage(new UnwatchActor(watchee, Self));
        }
        _watching.Clear();
        ParentRef.SendSystemMessage(new ChildTerminated(Self));
    }
}
