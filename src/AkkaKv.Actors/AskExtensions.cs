namespace AkkaKv.Actors;

/// <summary>
/// Request-reply from outside an actor (a gateway handler, a test): send a message whose sender is a one-shot
/// reference, and await the reply. Inside an actor prefer plain messages: an actor must not await.
/// </summary>
public static class AskExtensions
{
    /// <summary>Sends <paramref name="message"/> and awaits a reply of type <typeparamref name="TReply"/>.</summary>
    /// <exception cref="AskTimeoutException">No reply within the timeout (default: <c>akkakv.actor.ask-timeout</c>).</exception>
    public static Task<TReply> Ask<TReply>(this IActorRef target, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Ask<TReply>(target, _ => message, timeout, cancellationToken);
    }

    /// <summary>Builds the message from the reply-to reference (for protocols that carry <c>ReplyTo</c>) and awaits the reply.</summary>
    /// <remarks>The returned task completes on the thread that delivers the reply (or fires the timeout), so
    /// virtual time observes it at once.</remarks>
    public static Task<TReply> Ask<TReply>(this IActorRef target, Func<IActorRef, object> messageFactory, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(messageFactory);
        var system = SystemOf(target);
        var limit = timeout ?? system.Options.AskTimeout;
        var promise = new PromiseActorRef<TReply>(system.NewTempPath());
        var timer = system.TimeProvider.CreateTimer(
            static state =>
            {
                var (pending, path, after) = ((PromiseActorRef<TReply>, ActorPath, TimeSpan))state!;
                pending.Fail(new AskTimeoutException($"Ask to {path} timed out after {after.TotalMilliseconds:0} ms."));
            },
            (promise, target.Path, limit), limit, Timeout.InfiniteTimeSpan);
        var registration = cancellationToken.Register(static state => ((PromiseActorRef<TReply>)state!).Fail(new OperationCanceledException()), promise);
        promise.Task.ContinueWith(
            static (_, state) =>
            {
                var (pendingTimer, pendingRegistration) = ((ITimer, CancellationTokenRegistration))state!;
                pendingTimer.Dispose();
                pendingRegistration.Dispose();
            },
            (timer, registration),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        target.Tell(messageFactory(promise), promise);
        return promise.Task;
    }

    private static ActorSystem SystemOf(IActorRef target) => target switch
    {
        LocalActorRef local => local.Cell.System,
        IHasActorSystem owned => owned.System,
        _ => throw new ArgumentException($"Cannot ask {target.Path}: it does not belong to a local actor system.", nameof(target)),
    };
}
