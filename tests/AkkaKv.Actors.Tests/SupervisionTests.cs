namespace AkkaKv.Actors.Tests;

/// <summary>
/// Supervision: each directive's effect on the failing child's state, mailbox and siblings, the retry window,
/// and escalation. Method: children report lifecycle hooks and handled messages to the test actor.
/// </summary>
public sealed class SupervisionTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    private IActorRef ChildOf(IActorRef parent, string name)
    {
        parent.Tell((Props.Create(() => new ReportingActor(TestActor, name)), name), TestActor);
        // The parent's reply and the child's start report race; take both in either order.
        var both = TestActor.ReceiveN(2);
        Assert.Contains($"{name} started", both);
        return both.OfType<IActorRef>().Single();
    }

    [Fact]
    public void Restart_replaces_the_instance_and_keeps_the_queued_messages()
    {
        var parent = Sys.ActorOf(Props.Create(() => new SupervisingParent(SupervisorStrategy.Default)), "parent");
        var child = ChildOf(parent, "c");
        child.Tell("before");
        ExpectMsg("before");
        child.Tell("fail");
        child.Tell("after-1");
        child.Tell("after-2");
        ExpectMsg("c restarting after boom");
        ExpectMsg("c stopped");
        ExpectMsg("c started");
        ExpectMsg("after-1");
        ExpectMsg("after-2");
        child.Tell("count", TestActor);
        ExpectMsg(2); // a fresh instance counted only the messages after the restart
    }

    [Fact]
    public void Resume_keeps_the_instance_and_its_state()
    {
        var parent = Sys.ActorOf(Props.Create(() => new SupervisingParent(SupervisorStrategy.OneForOne(_ => Directive.Resume))), "parent");
        var child = ChildOf(parent, "c");
        child.Tell("one");
        ExpectMsg("one");
        child.Tell("fail");
        child.Tell("two");
        ExpectMsg("two");
        child.Tell("count", TestActor);
        ExpectMsg(2);
    }

    [Fact]
    public void Stop_directive_stops_the_child_and_watchers_see_it()
    {
        var parent = Sys.ActorOf(Props.Create(() => new SupervisingParent(SupervisorStrategy.StoppingStrategy)), "parent");
        var child = ChildOf(parent, "c");
        Watch(child);
        child.Tell("fail");
        ExpectMsg("c stopped");
        ExpectTerminated(child);
    }

    [Fact]
    public void Too_many_restarts_within_the_window_stop_the_child()
    {
        var strategy = SupervisorStrategy.OneForOne(_ => Directive.Restart, maxRetries: 2, window: TimeSpan.FromMinutes(1));
        var parent = Sys.ActorOf(Props.Create(() => new SupervisingParent(strategy)), "parent");
        var child = ChildOf(parent, "c");
        Watch(child);
        for (var restart = 0; restart < 2; restart++)
        {
            child.Tell("fail");
            ExpectMsg("c restarting after boom");
            ExpectMsg("c stopped");
            ExpectMsg("c started");
        }
        EventFilter.Warning("exceeded 2 restarts").Expect(1, () => child.Tell("fail"));
        FishForMessage(message => message is Terminated);
    }

    [Fact]
    public void All_for_one_restarts_the_siblings_too()
    {
        var parent = Sys.ActorOf(Props.Create(() => new SupervisingParent(SupervisorStrategy.AllForOne(_ => Directive.Restart))), "parent");
        var first = ChildOf(parent, "a");
        ChildOf(parent, "b");
        first.Tell("fail");
        var messages = TestActor.ReceiveN(6).Cast<string>().ToHashSet();
        Assert.Superset(new HashSet<string> { "a restarting after boom", "b restarting after boom", "a started", "b started" }, messages);
    }

    [Fact]
    public void Escalate_fails_the_parent_which_its_own_supervisor_restarts()
    {
        var grandparent = Sys.ActorOf(Props.Create(() => new SupervisingParent(SupervisorStrategy.Default)), "grandparent");
        grandparent.Tell((Props.Create(() => new SupervisingParent(SupervisorStrategy.OneForOne(_ => Directive.Escalate))), "parent"), TestActor);
        var parent = ExpectMsg<IActorRef>();
        var child = ChildOf(parent, "c");
        Watch(child);
        EventFilter.Error("parent").Expect(2, () => child.Tell("fail")); // the child's failure, then the parent's
        // The restarted parent stops its children by default (PreRestart).
        FishForMessage(message => message is Terminated terminated && terminated.Actor.Equals(child));
    }

    [Fact]
    public void A_failing_constructor_stops_the_actor_with_an_initialization_error()
    {
        var probe = CreateTestProbe();
        EventFilter.Error(exceptionType: typeof(ActorInitializationException)).Expect(1, () =>
        {
            var broken = Sys.ActorOf(Props.Create<BrokenActor>(), "broken");
            probe.Watch(broken);
        });
        probe.ExpectMsg<Terminated>();
    }

    [Fact]
    public void Poison_pill_stops_after_the_earlier_messages_and_kill_fails_the_actor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ReportingActor(TestActor, "r")), "r");
        ExpectMsg("r started");
        Watch(actor);
        actor.Tell("first");
        actor.Tell(PoisonPill.Instance);
        actor.Tell("never");
        ExpectMsg("first");
        ExpectMsg("r stopped");
        ExpectTerminated(actor);

        var killed = Sys.ActorOf(Props.Create(() => new ReportingActor(TestActor, "k")), "k");
        ExpectMsg("k started");
        Watch(killed);
        killed.Tell(Kill.Instance);
        ExpectMsg("k stopped");
        ExpectTerminated(killed);
    }

    private sealed class BrokenActor : Actor
    {
        public BrokenActor() => throw new InvalidOperationException("cannot start");

        protected override void Receive(object message) { }
    }
}
