namespace AkkaKv.Actors;

/// <summary>
/// A one-shot reference living under <c>/temp</c> that completes an ask with the first reply; a
/// <see cref="Status.Failure"/> reply fails it with that cause, a reply of another type with
/// <see cref="InvalidCastException"/>.
/// </summary>
internal sealed class PromiseActorRef<TReply> : IInternalActorRef
{
    private readonly TaskCompletionSource<TReply> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PromiseActorRef(ActorPath path) => Path = path;

    public ActorPath Path { get; }

    public Task<TReply> Task => _promise.Task;

    public void Tell(object message, IActorRef? sender = null)
    {
        switch (message)
        {
            case TReply reply:
                _promise.TrySetResult(reply);
                break;
            case Status.Failure failure:
                _promise.TrySetException(failure.Cause);
                break;
            default:
                _promise.TrySetException(new InvalidCastException(
                    $"Ask expected a reply of type {typeof(TReply).Name} but received {message.GetType().Name}."));
                break;
        }
    }

    public void SendSystemMessage(SystemMessage message)
    {
        if (message is WatchActor watch && watch.Watcher is IInternalActorRef watcher && _promise.Task.IsCompleted)
        {
            watcher.SendSystemMessage(new DeathWatchNotification(this));
        }
    }

    public void Fail(Exception exception) => _promise.TrySetException(exception);

    public override string ToString() => Path.ToString();
}
