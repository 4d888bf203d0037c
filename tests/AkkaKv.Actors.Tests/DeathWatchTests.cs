namespace AkkaKv.Actors.Tests;

/// <summary>Death watch: Terminated reaches every watcher once, even when watching starts after the stop.</summary>
public sealed class DeathWatchTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public void Every_watcher_receives_terminated_once()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>(), "target");
        var other = CreateTestProbe();
        Watch(target);
        other.Watch(target);
        Sys.Stop(target);
        ExpectTerminated(target);
        other.ExpectTerminated(target);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Watching_an_already_stopped_actor_delivers_terminated_at_once()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>(), "target");
        var first = CreateTestProbe();
        first.Watch(target);
        Sys.Stop(target);
        first.ExpectTerminated(target);
        Watch(target);
        ExpectTerminated(target);
    }

    [Fact]
    public void Unwatch_stops_the_notification()
    {
        var target = Sys.ActorOf(Props.Create<EchoActor>(), "target");
        Watch(target);
        TestActor.Unwatch(target);
        Sys.Stop(target);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Children_stop_before_their_parent_and_post_stop_runs_bottom_up()
    {
        var parent = Sys.ActorOf(Props.Create(() => new ReportingActor(TestActor, "parent")), "parent");
        ExpectMsg("parent started");
        parent.Tell(Props.Create(() => new ReportingActor(TestActor, "child")), TestActor);
        Assert.Contains("child started", TestActor.ReceiveN(2));
        Watch(parent);
        Sys.Stop(parent);
        ExpectMsg("child stopped");
        ExpectMsg("parent stopped");
        ExpectTerminated(parent);
    }
}
