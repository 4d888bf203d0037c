using AkkaKv.Actors.Deterministic;

namespace AkkaKv.Actors.Tests;

/// <summary>
/// Actor timers under virtual time: exact firing instants, periodic repetition, cancellation and replacement that
/// also discard a tick already queued. Method: the deterministic mode, advancing the clock by exact amounts.
/// </summary>
public sealed class TimerTests(ITestOutputHelper output) : TestKit.TestKit(new DeterministicEnvironment(seed: 7), output)
{
    private DeterministicEnvironment Env => Deterministic!;

    private IActorRef StartTimerActor() => Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)), "timers");

    [Fact]
    public void Single_timer_fires_once_exactly_at_its_delay()
    {
        var actor = StartTimerActor();
        actor.Tell(new StartSingle("tick", TimeSpan.FromSeconds(5)));
        Env.Advance(TimeSpan.FromMilliseconds(4_999));
        Assert.Equal(0, TestActor.QueuedCount);
        Env.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("tick");
        Env.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, TestActor.QueuedCount);
    }

    [Fact]
    public void Periodic_timer_fires_every_interval_until_cancelled()
    {
        var actor = StartTimerActor();
        actor.Tell(new StartPeriodic("beat", TimeSpan.FromSeconds(1)));
        Env.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(["beat", "beat", "beat"], TestActor.ReceiveN(3));
        actor.Tell(new CancelTimer("beat"));
        Env.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, TestActor.QueuedCount);
    }

    [Fact]
    public void Restarting_a_timer_under_the_same_key_replaces_it()
    {
        var actor = StartTimerActor();
        actor.Tell(new StartSingle("first", TimeSpan.FromSeconds(1), Key: "k"));
        actor.Tell(new StartSingle("second", TimeSpan.FromSeconds(2), Key: "k"));
        Env.Advance(TimeSpan.FromSeconds(5));
        ExpectMsg("second");
        Assert.Equal(0, TestActor.QueuedCount);
    }

    [Fact]
    public void A_tick_already_in_the_mailbox_is_dropped_when_its_timer_is_cancelled()
    {
        var actor = StartTimerActor();
        actor.Tell(new StartSingle("stale", TimeSpan.FromSeconds(1)));
        Env.RunUntilIdle();
        actor.Tell(new CancelTimer("stale"));                                             // queued, not yet handled
        Assert.True(Env.Time.FireNextDue(Env.Time.GetUtcNow() + TimeSpan.FromSeconds(1))); // the tick queues behind it
        Env.RunUntilIdle();
        Assert.Equal(0, TestActor.QueuedCount);
    }

    [Fact]
    public void Timers_stop_with_the_actor()
    {
        var actor = StartTimerActor();
        actor.Tell(new StartPeriodic("beat", TimeSpan.FromSeconds(1)));
        Env.RunUntilIdle();
        Assert.Equal(1, Env.Time.ActiveTimerCount);
        Sys.Stop(actor);
        Env.RunUntilIdle();
        Assert.Equal(0, Env.Time.ActiveTimerCount);
    }

    [Fact]
    public void Ask_times_out_in_virtual_time_without_waiting_in_real_time()
    {
        var silent = CreateTestProbe();
        var pending = silent.Ask<string>("hello?", TimeSpan.FromHours(1));
        Env.Advance(TimeSpan.FromMinutes(59));
        Assert.False(pending.IsCompleted);
        Env.Advance(TimeSpan.FromMinutes(1));
        AwaitCondition(() => pending.IsCompleted);
        Assert.IsType<AskTimeoutException>(pending.Exception!.InnerException);
    }

    [Fact]
    public void Backoff_supervisor_restarts_a_crashing_child_after_growing_delays()
    {
        var options = new BackoffOptions(Props.Create(() => new ReportingActor(TestActor, "worker")), "worker")
        {
            MinBackoff = TimeSpan.FromSeconds(1),
            MaxBackoff = TimeSpan.FromSeconds(10),
            RandomFactor = 0,
        };
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(options), "backoff");
        ExpectMsg("worker started");
        supervisor.Tell("fail");
        ExpectMsg("worker stopped");
        Env.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(0, TestActor.QueuedCount);
        Env.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("worker started");
        supervisor.Tell("fail");
        ExpectMsg("worker stopped");
        Env.Advance(TimeSpan.FromMilliseconds(1_999));
        Assert.Equal(0, TestActor.QueuedCount);
        Env.Advance(TimeSpan.FromMilliseconds(1));
        ExpectMsg("worker started");
        supervisor.Tell(GetBackoffChild.Instance, TestActor);
        var current = ExpectMsg<BackoffCurrentChild>();
        Assert.NotNull(current.Child);
        Assert.Equal(2, current.RestartCount);
        supervisor.Tell("forwarded", TestActor);
        ExpectMsg("forwarded");
    }

    private sealed record StartSingle(string Message, TimeSpan Delay, string? Key = null);

    private sealed record StartPeriodic(string Message, TimeSpan Interval);

    private sealed record CancelTimer(string Key);

    private sealed class TimerActor(IActorRef target) : Actor
    {
        protected override void Receive(object message)
        {
            switch (message)
            {
                case StartSingle single:
                    Timers.StartSingleTimer(single.Key ?? single.Message, single.Message, single.Delay);
                    break;
                case StartPeriodic periodic:
                    Timers.StartPeriodicTimer(periodic.Message, periodic.Message, periodic.Interval);
                    break;
                case CancelTimer cancel:
                    Timers.Cancel(cancel.Key);
                    break;
                case string text:
                    target.Tell(text);
                    break;
            }
        }
    }
}
