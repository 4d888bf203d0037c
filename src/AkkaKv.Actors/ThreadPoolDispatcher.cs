namespace AkkaKv.Actors;

/// <summary>
/// Runs mailboxes on the .NET thread pool: a bounded set of threads shared by all actors, never a thread per actor.
/// </summary>
public sealed class ThreadPoolDispatcher : IDispatcher
{
    /// <summary>A dispatcher processing <paramref name="throughput"/> messages per actor turn.</summary>
    public ThreadPoolDispatcher(int throughput = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(throughput, 1);
        Throughput = throughput;
    }

    public int Throughput { get; }

    public void Schedule(IThreadPoolWorkItem work) => ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
}
