using System.Collections.Concurrent;

namespace AkkaKv.MultiNode.Tests.Harness;

/// <summary>
/// Named barriers for the concurrent per-node bodies of <see cref="MultiNodeSpec.RunOnAsync"/> (Akka's
/// <c>EnterBarrier</c>): every participant waits at a name until all have arrived; a participant that does not
/// arrive in time fails the barrier with the names of those missing.
/// </summary>
internal sealed class AsyncBarrier(IReadOnlyCollection<string> participants, TimeSpan timeout)
{
    private readonly ConcurrentDictionary<string, (ConcurrentDictionary<string, bool> Arrived, TaskCompletionSource Open)> _barriers = new();

    public async Task EnterAsync(string barrier, string participant)
    {
        var (arrived, open) = _barriers.GetOrAdd(barrier, _ => (new ConcurrentDictionary<string, bool>(), new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
        arrived[participant] = true;
        if (participants.All(arrived.ContainsKey))
        {
            open.TrySetResult();
        }
        try
        {
            await open.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            var missing = participants.Where(name => !arrived.ContainsKey(name));
            throw new TimeoutException($"barrier '{barrier}' timed out after {timeout.TotalSeconds:0} s waiting for {string.Join(", ", missing)}");
        }
    }
}
