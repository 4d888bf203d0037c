namespace AkkaKv.Actors;

/// <summary>
/// The system's publish-subscribe bus (dead letters, unhandled messages, and later cluster events). A subscriber
/// receives every published event whose type is assignable to the channel it subscribed to.
/// </summary>
public sealed class EventStream
{
    private readonly Lock _lock = new();
    private (IActorRef Subscriber, Type Channel)[] _subscriptions = [];

    /// <summary>Subscribes <paramref name="subscriber"/> to events of <paramref name="channel"/> and its subtypes.</summary>
    public void Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions, (subscriber, channel)];
        }
    }

    /// <summary>Removes every subscription of <paramref name="subscriber"/>; stopped actors are removed automatically.</summary>
    public void Unsubscribe(IActorRef subscriber)
    {
        if (!Array.Exists(Volatile.Read(ref _subscriptions), entry => ReferenceEquals(entry.Subscriber, subscriber)))
        {
            return;
        }
        lock (_lock)
        {
            _subscriptions = [.. _subscriptions.Where(entry => !ReferenceEquals(entry.Subscriber, subscriber))];
        }
    }

    /// <summary>Delivers <paramref name="event"/> to every matching subscriber.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        foreach (var (subscriber, channel) in Volatile.Read(ref _subscriptions))
        {
            if (channel.IsAssignableFrom(type))
            {
                subscriber.Tell(@event);
            }
        }
    }
}
