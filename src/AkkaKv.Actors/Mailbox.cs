using System.Collections.Concurrent;
using System.Threading.Channels;

namespace AkkaKv.Actors;

/// <summary>
/// An actor's queues and its run loop. User messages travel in a single-reader <see cref="Channel{T}"/>; system
/// messages in their own queue, processed first. At most one thread runs a mailbox at a time (the status flag),
/// and each run processes at most the dispatcher's throughput of user messages before yielding its thread, so many
/// actors share a bounded set of threads fairly.
/// </summary>
internal sealed class Mailbox : IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Scheduled = 1;

    private readonly ConcurrentQueue<SystemMessage> _systemMessages = new();
    private readonly ChannelReader<Envelope> _reader;
    private readonly ChannelWriter<Envelope> _writer;
    private readonly ActorCell _cell;
    private readonly IDispatcher _dispatcher;
    private int _status;

    public Mailbox(ActorCell cell, IDispatcher dispatcher, MailboxOptions options)
    {
        _cell = cell;
        _dispatcher = dispatcher;
        Channel<Envelope> channel;
        if (options.Capacity is { } capacity)
        {
            var channelOptions = new BoundedChannelOptions(capacity)
            {
                SingleReader = true,
                SingleWriter = false,
                AllowSynchronousContinuations = false,
                FullMode = options.Overflow == MailboxOverflow.DropOldest
                    ? BoundedChannelFullMode.DropOldest
                    : BoundedChannelFullMode.Wait,
            };
            channel = Channel.CreateBounded<Envelope>(channelOptions, dropped => _cell.OnUndelivered(dropped));
        }
        else
        {
            channel = Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions { SingleReader = true });
        }
        _reader = channel.Reader;
        _writer = channel.Writer;
    }

    /// <summary>Enqueues a user message; when full or closed it goes to dead letters.</summary>
    public void Post(Envelope envelope)
    {
        if (!_writer.TryWrite(envelope))
        {
            _cell.OnUndelivered(envelope);
            return;
        }
        TrySchedule();
    }

    /// <summary>Enqueues a system message.</summary>
    public void PostSystem(SystemMessage message)
    {
        _systemMessages.Enqueue(message);
        TrySchedule();
    }

    /// <summary>Refuses further user messages and returns what was still queued.</summary>
    public List<Envelope> Close()
    {
        _writer.TryComplete();
        return DrainForPrepend();
    }

    /// <summary>Takes every queued user message out, in order; only on the actor's own turn.</summary>
    public List<Envelope> DrainForPrepend()
    {
        var drained = new List<Envelope>();
        while (_reader.TryRead(out var envelope))
        {
            drained.Add(envelope);
        }
        return drained;
    }

    /// <summary>True when a run would find work to do.</summary>
    public bool HasWork =>
        !_systemMessages.IsEmpty || (_cell.CanProcessUserMessages && _reader.TryPeek(out _));

    /// <summary>Runs one turn on the calling thread. Called by dispatchers only.</summary>
    public void Execute()
    {
        try
        {
            ProcessSystemMessages();
            var budget = _dispatcher.Throughput;
            while (budget-- > 0 && _cell.CanProcessUserMessages && _reader.TryRead(out var envelope))
            {
                _cell.Invoke(envelope);
                ProcessSystemMessages();
            }
        }
        finally
        {
            // A full fence, not a release store: the emptiness check below must not be reordered before the
            // store, or a sender that saw "Scheduled" and this run that saw "empty" would both walk away.
            Interlocked.Exchange(ref _status, Idle);
            if (HasWork)
            {
                TrySchedule();
            }
        }
    }

    private void ProcessSystemMessages()
    {
        while (_systemMessages.TryDequeue(out var message))
        {
            _cell.SystemInvoke(message);
        }
    }

    private void TrySchedule()
    {
        if (Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
        {
            _dispatcher.Schedule(this);
        }
    }
}
