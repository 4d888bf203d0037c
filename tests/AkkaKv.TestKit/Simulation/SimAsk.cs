using AkkaKv.Sharding;

namespace AkkaKv.TestKit.Simulation;

/// <summary>
/// Ask, the deterministic way: a request goes out with a reply target, the reply arrives as a message in the asks'
/// own mailbox (or a timeout fires in virtual time) and completes a task on the simulation's thread, whose
/// continuations run inline. Callers await with <c>ConfigureAwait(false)</c> and no synchronization context is current,
/// so nothing leaves the thread.
/// </summary>
public sealed class SimAsk
{
    private readonly Dictionary<long, TaskCompletionSource<object?>> _pending = [];
    private readonly SimMailbox _inbox;
    private long _nextId;

    public SimAsk(SimRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        _inbox = runtime.CreateMailbox("asks", OnMessage);
    }

    /// <summary>
    /// Calls <paramref name="send"/> with a reply target; the task yields the reply, or null when none came within
    /// <paramref name="timeout"/> (or <paramref name="send"/> returned false: there was nothing to ask).
    /// </summary>
    public Task<object?> AskAsync<TReply>(Func<IReplyTo<TReply>, bool> send, TimeSpan timeout)
        where TReply : notnull
    {
        ArgumentNullException.ThrowIfNull(send);
        var id = ++_nextId;
        var completion = new TaskCompletionSource<object?>(); // continuations inline, on the simulation's thread
        if (!send(new SimReplyTo<TReply>(_inbox, reply => new Reply(id, reply))))
        {
            return Task.FromResult<object?>(null);
        }
        _pending[id] = completion;
        _inbox.StartSingleTimer(id.ToString(System.Globalization.CultureInfo.InvariantCulture), new TimedOut(id), timeout);
        return completion.Task;
    }

    private void OnMessage(object message)
    {
        switch (message)
        {
            case Reply reply:
                _inbox.CancelTimer(reply.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Complete(reply.Id, reply.Message);
                break;
            case TimedOut timedOut:
                Complete(timedOut.Id, null);
                break;
        }
    }

    private void Complete(long id, object? reply)
    {
        if (_pending.Remove(id, out var completion))
        {
            completion.SetResult(reply);
        }
    }

    private sealed record Reply(long Id, object Message);

    private sealed record TimedOut(long Id);
}
