using AkkaKv.Actors;

namespace AkkaKv.Simulation.Tests.Cluster;

/// <summary>
/// Ask, the deterministic way: a request goes out with a sender that tags its reply, the reply (or a timeout in
/// virtual time) completes a task on the simulator's thread, and continuations run inline — unlike the runtime's ask,
/// whose continuations run on the thread pool, which would make a run unrepeatable. Callers await with
/// <c>ConfigureAwait(false)</c> so nothing is posted to a synchronization context.
/// </summary>
internal sealed class SimAsk
{
    private readonly Dictionary<long, TaskCompletionSource<object?>> _pending = [];
    private readonly IActorRef _inbox;
    private long _nextId;

    public SimAsk(ActorSystem system) => _inbox = system.ActorOf(Props.Create(() => new Inbox(this)), "asks");

    /// <summary>Sends <paramref name="request"/> to <paramref name="target"/>; the task yields its reply, or null after <paramref name="timeout"/>.</summary>
    public Task<object?> AskAsync(IActorRef? target, object request, TimeSpan timeout)
    {
        if (target is null)
        {
            return Task.FromResult<object?>(null);
        }
        var id = ++_nextId;
        var completion = new TaskCompletionSource<object?>(); // continuations inline, on the simulator's thread
        _pending[id] = completion;
        _inbox.Tell(new Started(id, timeout));
        target.Tell(request, new TaggedSender(_inbox, id, static (tag, reply) => new Reply(tag, reply)));
        return completion.Task;
    }

    private void Complete(long id, object? reply)
    {
        if (_pending.Remove(id, out var completion))
        {
            completion.SetResult(reply);
        }
    }

    private sealed record Started(long Id, TimeSpan Timeout);

    private sealed record Reply(long Id, object Message);

    private sealed record TimedOut(long Id);

    private sealed class Inbox(SimAsk asks) : Actor
    {
        protected override void Receive(object message)
        {
            switch (message)
            {
                case Started started:
                    Timers.StartSingleTimer(started.Id, new TimedOut(started.Id), started.Timeout);
                    break;
                case Reply reply:
                    Timers.Cancel(reply.Id);
                    asks.Complete(reply.Id, reply.Message);
                    break;
                case TimedOut timedOut:
                    asks.Complete(timedOut.Id, null);
                    break;
            }
        }
    }
}
