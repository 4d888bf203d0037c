using System.Collections.Concurrent;
using AkkaKv.Actors;
using Xunit.Sdk;

namespace AkkaKv.TestKit;

/// <summary>
/// An actor reference whose messages the test inspects: pass it as a sender or reply-to, then assert on what arrives
/// with <see cref="ExpectMsg{T}(TimeSpan?)"/> and friends. Works in real and in virtual time.
/// </summary>
public sealed class TestProbe : IActorRef, IHasActorSystem, IDisposable
{
    private readonly ConcurrentQueue<Envelope> _queue = new();
    private readonly AutoResetEvent _arrived = new(false);
    private readonly TestClock _clock;
    private readonly Func<TimeSpan?> _remaining;
    private readonly IActorRef _actor;

    internal TestProbe(ActorSystem system, TestClock clock, string name, Func<TimeSpan?> remaining)
    {
        System = system;
        _clock = clock;
        _remaining = remaining;
        _actor = system.SystemActorOf(Props.Create(() => new ProbeActor(_queue, _arrived)), name);
    }

    public ActorSystem System { get; }

    public ActorPath Path => _actor.Path;

    /// <summary>The sender of the last message received by an expectation.</summary>
    public IActorRef LastSender { get; private set; } = ActorRefsNobody.Instance;

    /// <summary>Messages received and not yet expected.</summary>
    public int QueuedCount => _queue.Count;

    public void Tell(object message, IActorRef? sender = null) => _actor.Tell(message, sender);

    /// <summary>Replies to <see cref="LastSender"/> with this probe as the sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, this);

    /// <summary>Watches <paramref name="target"/> so <see cref="ExpectTerminated"/> can see it stop.</summary>
    public IActorRef Watch(IActorRef target)
    {
        _actor.Tell(new ProbeActor.WatchCommand(target));
        _clock.Settle();
        return target;
    }

    /// <summary>Stops watching <paramref name="target"/>.</summary>
    public IActorRef Unwatch(IActorRef target)
    {
        _actor.Tell(new ProbeActor.UnwatchCommand(target));
        _clock.Settle();
        return target;
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> next and returns it.</summary>
    public T ExpectMsg<T>(TimeSpan? timeout = null) => ExpectMsg<T>(static _ => true, timeout);

    /// <summary>Expects the next message to be a <typeparamref name="T"/> satisfying <paramref name="predicate"/>.</summary>
    public T ExpectMsg<T>(Func<T, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var envelope = ReceiveOne(timeout, $"a {typeof(T).Name}");
        if (envelope.Message is not T typed)
        {
            throw new XunitException($"{Path}: expected a {typeof(T).Name} but received {Describe(envelope.Message)}.");
        }
        if (!predicate(typed))
        {
            throw new XunitException($"{Path}: received {Describe(typed)}, which does not satisfy the expectation.");
        }
        return typed;
    }

    /// <summary>Expects the next message to equal <paramref name="expected"/>.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null)
        where T : notnull
    {
        var envelope = ReceiveOne(timeout, Describe(expected));
        if (!Equals(envelope.Message, expected))
        {
            throw new XunitException($"{Path}: expected {Describe(expected)} but received {Describe(envelope.Message)}.");
        }
        return (T)envelope.Message;
    }

    /// <summary>Expects no message at all during <paramref name="duration"/>.</summary>
    public void ExpectNoMsg(TimeSpan? duration = null)
    {
        var wait = duration ?? _clock.Settings.DefaultNoMessageWait;
        if (_clock.IsVirtual)
        {
            _clock.Pass(wait);
        }
        else
        {
            _clock.WaitUntil(() => !_queue.IsEmpty, wait, _arrived);
        }
        if (_queue.TryDequeue(out var unexpected))
        {
            throw new XunitException($"{Path}: expected no message but received {Describe(unexpected.Message)}.");
        }
    }

    /// <summary>Expects <see cref="Terminated"/> for <paramref name="target"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsg<Terminated>(terminated => ReferenceEquals(terminated.Actor, target) || terminated.Actor.Path.Equals(target.Path), timeout);

    /// <summary>Receives messages, skipping those <paramref name="predicate"/> rejects, until one matches; returns it.</summary>
    public object FishForMessage(Func<object, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var start = _clock.Time.GetTimestamp();
        var limit = timeout ?? _remaining() ?? _clock.Settings.DefaultTimeout;
        while (true)
        {
            var left = limit - _clock.Since(start) / (_clock.IsVirtual ? 1 : _clock.Settings.TimeFactor);
            var envelope = ReceiveOne(left > TimeSpan.Zero ? left : TimeSpan.Zero, "a matching message");
            if (predicate(envelope.Message))
            {
                return envelope.Message;
            }
        }
    }

    /// <summary>Receives exactly <paramref name="count"/> messages of any type.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null)
    {
        var received = new List<object>(count);
        for (var i = 0; i < count; i++)
        {
            received.Add(ReceiveOne(timeout, $"message {i + 1} of {count}").Message);
        }
        return received;
    }

    private Envelope ReceiveOne(TimeSpan? timeout, string expectation)
    {
        var limit = timeout ?? _remaining() ?? _clock.Settings.DefaultTimeout;
        if (!_clock.WaitUntil(() => !_queue.IsEmpty, limit, _arrived) || !_queue.TryDequeue(out var envelope))
        {
            throw new XunitException($"{Path}: timed out after {_clock.Dilate(limit).TotalMilliseconds:0} ms waiting for {expectation}.");
        }
        LastSender = envelope.Sender ?? System.DeadLetters;
        return envelope;
    }

    public void Dispose() => _arrived.Dispose();

    private static string Describe(object? message) => message is null ? "null" : $"{message.GetType().Name} {message}";

    public override string ToString() => Path.ToString();
}
