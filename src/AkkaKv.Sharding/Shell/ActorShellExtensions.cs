namespace AkkaKv.Sharding;

/// <summary>How a state machine starts asynchronous work without awaiting: the outcome comes back as a message.</summary>
public static class ActorShellExtensions
{
    /// <summary>Posts <paramref name="success"/>(result) or <paramref name="failure"/>(cause) when <paramref name="task"/> completes.</summary>
    public static void PipeToSelf<TResult>(this IActorShell shell, Task<TResult> task, Func<TResult, object> success, Func<Exception, object> failure)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(success);
        ArgumentNullException.ThrowIfNull(failure);
        // Inline continuation: in the simulation the task completes on its one thread, and so must the post.
        task.ContinueWith(
            completed => shell.Post(completed.IsCompletedSuccessfully ? success(completed.Result) : failure(CauseOf(completed))),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Posts <paramref name="success"/>() or <paramref name="failure"/>(cause) when <paramref name="task"/> completes.</summary>
    public static void PipeToSelf(this IActorShell shell, Task task, Func<object> success, Func<Exception, object> failure)
    {
        ArgumentNullException.ThrowIfNull(shell);
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(success);
        ArgumentNullException.ThrowIfNull(failure);
        task.ContinueWith(
            completed => shell.Post(completed.IsCompletedSuccessfully ? success() : failure(CauseOf(completed))),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Milliseconds since the Unix epoch on the shell's clock.</summary>
    public static long NowMs(this IActorShell shell)
    {
        ArgumentNullException.ThrowIfNull(shell);
        return shell.Time.GetUtcNow().ToUnixTimeMilliseconds();
    }

    private static Exception CauseOf(Task completed) =>
        completed.Exception is { InnerExceptions.Count: 1 } single ? single.InnerException! : (Exception?)completed.Exception ?? new TaskCanceledException(completed);
}
