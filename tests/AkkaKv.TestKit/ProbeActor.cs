using System.Collections.Concurrent;
using AkkaKv.Actors;

namespace AkkaKv.TestKit;

/// <summary>The actor behind a <see cref="TestProbe"/>: it queues whatever it receives for the test thread.</summary>
internal sealed class ProbeActor(ConcurrentQueue<Envelope> queue, AutoResetEvent arrived) : Actor
{
    protected override void Receive(object message)
    {
        switch (message)
        {
            case WatchCommand watch:
                Context.Watch(watch.Target);
                break;
            case UnwatchCommand unwatch:
                Context.Unwatch(unwatch.Target);
                break;
            default:
                queue.Enqueue(new Envelope(message, Sender));
                arrived.Set();
                break;
        }
    }

    /// <summary>Watch <paramref name="Target"/> so its termination reaches the probe.</summary>
    internal sealed record WatchCommand(IActorRef Target);

    /// <summary>Stop watching <paramref name="Target"/>.</summary>
    internal sealed record UnwatchCommand(IActorRef Target);
}
