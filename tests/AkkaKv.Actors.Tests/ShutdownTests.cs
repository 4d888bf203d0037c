namespace AkkaKv.Actors.Tests;

/// <summary>Coordinated shutdown: phases in order, a stuck task cannot stall it, and it is idempotent.</summary>
public sealed class ShutdownTests(ITestOutputHelper output)
    : TestKit.TestKit(output, new ActorSystemOptions { ShutdownPhaseTimeout = TimeSpan.FromMilliseconds(300) })
{
    [Fact]
    public async Task Phases_run_in_order_and_actors_stop_last()
    {
        var order = new List<string>();
        var actor = Sys.ActorOf(Props.Create(() => new ReportingActor(TestActor, "app")), "app");
        ExpectMsg("app started");
        Sys.CoordinatedShutdown.AddTask("service-unbind", "unbind", _ => { lock (order) { order.Add("service-unbind"); } return Task.CompletedTask; });
        Sys.CoordinatedShutdown.AddTask("before-service-unbind", "drain", _ => { lock (order) { order.Add("before-service-unbind"); } return Task.CompletedTask; });
        Sys.CoordinatedShutdown.AddTask("cluster-leave", "leave", _ => { lock (order) { order.Add("cluster-leave"); } return Task.CompletedTask; });
        Watch(actor);
        await Sys.Terminate();
        Assert.Equal(["before-service-unbind", "service-unbind", "cluster-leave"], order);
        Assert.True(Sys.WhenTerminated.IsCompleted);
        ExpectMsg("app stopped");
        ExpectTerminated(actor);
    }

    [Fact]
    public async Task A_task_that_hangs_times_out_its_phase_and_shutdown_goes_on()
    {
        Sys.CoordinatedShutdown.AddTask("service-stop", "stuck", token => Task.Delay(Timeout.InfiniteTimeSpan, token)); // allowed: the hung task under test
        Task? terminate = null;
        EventFilter.Warning("timed out").Expect(1, () => terminate = Sys.Terminate());
        await terminate!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(Sys.WhenTerminated.IsCompleted);
    }

    [Fact]
    public void Terminate_twice_returns_the_same_run_and_late_tasks_are_refused()
    {
        var first = Sys.Terminate();
        Assert.Same(first, Sys.Terminate());
        Assert.Throws<InvalidOperationException>(() => Sys.CoordinatedShutdown.AddTask("service-stop", "late", _ => Task.CompletedTask));
        Assert.Throws<ArgumentException>(() => ActorSystem.Create("bad name"));
    }

    [Fact]
    public void Unknown_phase_names_are_rejected_with_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => Sys.CoordinatedShutdown.AddTask("service-stp", "typo", _ => Task.CompletedTask));
        Assert.Contains("service-stop", error.Message, StringComparison.Ordinal);
    }
}
