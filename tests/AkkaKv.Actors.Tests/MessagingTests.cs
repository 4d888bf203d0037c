namespace AkkaKv.Actors.Tests;

/// <summary>
/// The actor contract on the real thread pool: per-sender ordering, one message at a time, senders, Become,
/// stash, dead letters and bounded mailboxes. Method: send through real dispatchers and observe with probes.
/// </summary>
public sealed class MessagingTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public void Messages_from_one_sender_arrive_in_send_order()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        for (var i = 0; i < 10_000; i++)
        {
            echo.Tell(i, TestActor);
        }
        for (var i = 0; i < 10_000; i++)
        {
            ExpectMsg(i);
        }
    }

    [Fact]
    public void An_actor_handles_one_message_at_a_time_even_with_many_concurrent_senders()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ConcurrencyProbeActor()), "concurrency");
        const int Senders = 8;
        const int PerSender = 2_000;
        Parallel.For(0, Senders, _ =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                actor.Tell("work");
            }
        });
        actor.Tell("report", TestActor);
        var report = ExpectMsg<(int Handled, int MaxConcurrent)>();
        Assert.Equal(Senders * PerSender, report.Handled);
        Assert.Equal(1, report.MaxConcurrent);
    }

    [Fact]
    public void No_message_is_stranded_when_senders_race_a_mailbox_going_idle()
    {
        // Ping-pong keeps each mailbox flipping between idle and scheduled: the window where a lost wake-up would
        // strand a message (and hang this test) is crossed hundreds of thousands of times.
        const int Pairs = 4;
        const int RoundTrips = 50_000;
        var pingers = Enumerable.Range(0, Pairs).Select(i =>
        {
            var ponger = Sys.ActorOf(Props.Create<EchoActor>(), $"pong{i}");
            return Sys.ActorOf(Props.Create(() => new PingActor(ponger, RoundTrips, TestActor)), $"ping{i}");
        }).ToList();
        foreach (var pinger in pingers)
        {
            pinger.Tell("start");
        }
        for (var i = 0; i < Pairs; i++)
        {
            ExpectMsg("done", TimeSpan.FromSeconds(60));
        }
    }

    [Fact]
    public void Sender_is_the_replying_actor_and_dead_letters_when_absent()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell("hi", TestActor);
        ExpectMsg("hi");
        Assert.Same(echo, TestActor.LastSender);

        EventFilter.DeadLetter<string>().Expect(1, () => echo.Tell("nobody to reply to"));
    }

    [Fact]
    public void Become_switches_behavior_and_unbecome_returns()
    {
        var actor = Sys.ActorOf(Props.Create(() => new MoodActor()), "mood");
        actor.Tell("how", TestActor);
        ExpectMsg("calm");
        actor.Tell("anger", TestActor);
        actor.Tell("how", TestActor);
        ExpectMsg("angry");
        actor.Tell("soothe", TestActor);
        actor.Tell("how", TestActor);
        ExpectMsg("calm");
    }

    [Fact]
    public void Stashed_messages_are_replayed_in_order_ahead_of_later_ones()
    {
        var actor = Sys.ActorOf(Props.Create(() => new GateActor()), "gate");
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell("open", TestActor);
        actor.Tell(3, TestActor);
        ExpectMsg(1);
        ExpectMsg(2);
        ExpectMsg(3);
    }

    [Fact]
    public void Messages_to_a_stopped_actor_are_dead_letters_counted_and_logged()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Watch(echo);
        Sys.Stop(echo);
        ExpectTerminated(echo);
        var before = Sys.DeadLetterCount;
        EventFilter.DeadLetter<string>().Expect(1, () => echo.Tell("late", TestActor));
        Assert.Equal(before + 1, Sys.DeadLetterCount);
        Assert.Contains(Capture.Events, captured => captured is TestKit.CapturedLog log && log.Message.Contains("was not delivered", StringComparison.Ordinal));
    }

    [Fact]
    public void A_full_bounded_mailbox_sends_the_newest_message_to_dead_letters()
    {
        var gate = new ManualResetEventSlim(false);
        var actor = Sys.ActorOf(Props.Create(() => new BlockedActor(gate)).WithMailbox(MailboxOptions.Bounded(2)), "bounded");
        actor.Tell("block");
        AwaitCondition(() => BlockedActor.Entered(gate));
        actor.Tell(1);
        actor.Tell(2);
        EventFilter.DeadLetter<int>().Expect(1, () => actor.Tell(3));
        gate.Set();
        gate.Dispose();
    }

    [Fact]
    public void A_full_drop_oldest_mailbox_sends_the_oldest_message_to_dead_letters()
    {
        var gate = new ManualResetEventSlim(false);
        var actor = Sys.ActorOf(Props.Create(() => new BlockedActor(gate)).WithMailbox(MailboxOptions.Bounded(2, MailboxOverflow.DropOldest)), "bounded");
        actor.Tell("block");
        AwaitCondition(() => BlockedActor.Entered(gate));
        actor.Tell(1);
        actor.Tell(2);
        EventFilter.DeadLetter<int>().Expect(1, () => actor.Tell(3));
        Assert.Contains(Capture.Events, e => e is TestKit.CapturedDeadLetter { DeadLetter.Message: 1 });
        gate.Set();
        gate.Dispose();
    }

    [Fact]
    public void Child_names_must_be_unique_and_well_formed()
    {
        Sys.ActorOf(Props.Create<EchoActor>(), "unique");
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), "unique"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), "a/b"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create<EchoActor>(), ""));
    }

    [Fact]
    public void Actors_cannot_be_constructed_with_new() =>
        Assert.Throws<InvalidOperationException>(() => new EchoActor());

    [Fact]
    public void Paths_name_the_hierarchy()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Assert.Equal($"akkakv://{Sys.Name}/user/echo", echo.Path.ToString());
        Assert.Equal("/user/echo", echo.Path.ToStringWithoutAddress());
        Assert.Equal(["user", "echo"], echo.Path.Elements);
    }

    [Fact]
    public void Pipe_to_delivers_a_task_result_or_its_failure()
    {
        Task.FromResult(42).PipeTo(TestActor);
        ExpectMsg(42);
        Task.FromException<int>(new InvalidOperationException("disk gone")).PipeTo(TestActor);
        var failure = ExpectMsg<Status.Failure>();
        Assert.Equal("disk gone", failure.Cause.Message);
    }

    private sealed class PingActor(IActorRef ponger, int roundTrips, IActorRef report) : Actor
    {
        private int _remaining = roundTrips;

        protected override void Receive(object message)
        {
            if (message is "start" || --_remaining > 0)
            {
                ponger.Tell(_remaining, Self);
            }
            else
            {
                report.Tell("done");
            }
        }
    }

    private sealed class ConcurrencyProbeActor : Actor
    {
        private int _inside;
        private int _maxConcurrent;
        private int _handled;

        protected override void Receive(object message)
        {
            var now = Interlocked.Increment(ref _inside);
            _maxConcurrent = Math.Max(_maxConcurrent, now);
            if (message is "report")
            {
                Sender.Tell((_handled, _maxConcurrent));
            }
            else
            {
                _handled++;
            }
            Interlocked.Decrement(ref _inside);
        }
    }

    private sealed class MoodActor : Actor
    {
        protected override void Receive(object message)
        {
            switch (message)
            {
                case "how": Sender.Tell("calm"); break;
                case "anger": Context.Become(Angry, discardOld: false); break;
                default: Unhandled(message); break;
            }
        }

        private void Angry(object message)
        {
            switch (message)
            {
                case "how": Sender.Tell("angry"); break;
                case "soothe": Context.Unbecome(); break;
                default: Unhandled(message); break;
            }
        }
    }

    private sealed class GateActor : Actor
    {
        protected override void Receive(object message)
        {
            if (message is "open")
            {
                Context.Become(Open);
                Stash.UnstashAll();
            }
            else
            {
                Stash.Stash();
            }
        }

        private void Open(object message) => Sender.Tell(message);
    }

    private sealed class BlockedActor(ManualResetEventSlim gate) : Actor
    {
        private static readonly HashSet<ManualResetEventSlim> EnteredGates = [];

        public static bool Entered(ManualResetEventSlim gate)
        {
            lock (EnteredGates)
            {
                return EnteredGates.Contains(gate);
            }
        }

        protected override void Receive(object message)
        {
            if (message is "block")
            {
                lock (EnteredGates)
                {
                    EnteredGates.Add(gate);
                }
                gate.Wait(TimeSpan.FromSeconds(30));
            }
        }
    }
}
