namespace AkkaKv.Actors;

/// <summary>
/// Sends the outcome of a task to an actor as a message: the way an actor starts asynchronous work (disk, network)
/// without awaiting in its handler.
/// </summary>
public static class PipeToExtensions
{
    /// <summary>
    /// When <paramref name="task"/> completes, tells <paramref name="recipient"/> the result (mapped by
    /// <paramref name="success"/>) or a <see cref="Status.Failure"/> (mapped by <paramref name="failure"/>).
    /// </summary>
    public static Task PipeTo<TResult>(
        this Task<TResult> task,
        IActorRef recipient,
        IActorRef? sender = null,
        Func<TResult, object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return task.ContinueWith(
            completed =>
            {
                if (completed.IsCompletedSuccessfully)
                {
                    var result = completed.Result;
                    recipient.Tell(success is null ? (object?)result ?? new Status.Success(null) : success(result), sender);
                }
                else
                {
                    var cause = completed.Exception?.InnerExceptions.Count == 1
                        ? completed.Exception.InnerException!
                        : (Exception?)completed.Exception ?? new TaskCanceledException(completed);
                    recipient.Tell(failure is null ? new Status.Failure(cause) : failure(cause), sender);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>When <paramref name="task"/> completes, tells <paramref name="recipient"/> <paramref name="success"/>() or <paramref name="failure"/>(cause).</summary>
    public static Task PipeTo(this Task task, IActorRef recipient, Func<object> success, Func<Exception, object> failure, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentNullException.ThrowIfNull(success);
        ArgumentNullException.ThrowIfNull(failure);
        return task.ContinueWith(
            completed => recipient.Tell(
                completed.IsCompletedSuccessfully
                    ? success()
                    : failure(completed.Exception?.InnerException ?? new TaskCanceledException(completed)),
                sender),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>When <paramref name="task"/> completes, tells <paramref name="recipient"/> <see cref="Status.Success"/> or <see cref="Status.Failure"/>.</summary>
    public static Task PipeTo(this Task task, IActorRef recipient, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return task.ContinueWith(
            completed => recipient.Tell(
                completed.IsCompletedSuccessfully
                    ? new Status.Success(null)
                    : new Status.Failure(completed.Exception?.InnerException ?? new TaskCanceledException(completed)),
                sender),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
