using AkkaKv.Actors.Deterministic;

namespace AkkaKv.Actors.Tests;

/// <summary>
/// The deterministic mode: several actor systems in one process on one seeded scheduler and one virtual clock.
/// Method: run the same gossip-like workload twice per seed and compare the full delivery traces.
/// </summary>
public sealed class DeterministicModeTests
{
    private static IReadOnlyList<string> RunWorkload(int seed)
    {
        var environment = new DeterministicEnvironment(seed, recordTrace: true);
        var systems = Enumerable.Range(1, 3).Select(n => environment.CreateSystem($"node{n}")).ToList();
        var peers = systems.SelectMany(system => Enumerable.Range(0, 4).Select(i => system.ActorOf(Props.Create(() => new ChattyActor()), $"peer{i}"))).ToList();
        foreach (var peer in peers)
        {
            peer.Tell(new Introduce(peers));
        }
        environment.RunUntilIdle();
        foreach (var peer in peers)
        {
            peer.Tell(new Rumor(3));
        }
        environment.Advance(TimeSpan.FromSeconds(5));
        return environment.Trace;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(42)]
    [InlineData(20261122)]
    public void The_same_seed_yields_the_identical_trace(int seed)
    {
        var first = RunWorkload(seed);
        var second = RunWorkload(seed);
        Assert.True(first.Count > 100, $"AKKAKV_SEED={seed}: trace too short ({first.Count}) to mean anything");
        Assert.Equal(first, second);
    }

    [Fact]
    public void Different_seeds_yield_different_traces()
    {
        var first = RunWorkload(1);
        var second = RunWorkload(2);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Virtual_time_only_moves_when_advanced()
    {
        var environment = new DeterministicEnvironment(5);
        var start = environment.Time.GetUtcNow();
        var system = environment.CreateSystem("quiet");
        system.ActorOf(Props.Create(() => new ChattyActor()), "idle");
        environment.RunUntilIdle();
        Assert.Equal(start, environment.Time.GetUtcNow());
        environment.Advance(TimeSpan.FromDays(3));
        Assert.Equal(start + TimeSpan.FromDays(3), environment.Time.GetUtcNow());
    }

    [Fact]
    public void Shutdown_in_virtual_time_stops_every_system()
    {
        var environment = new DeterministicEnvironment(11);
        var systems = Enumerable.Range(1, 2).Select(n => environment.CreateSystem($"node{n}")).ToList();
        foreach (var system in systems)
        {
            system.ActorOf(Props.Create(() => new ChattyActor()), "peer");
        }
        foreach (var system in systems)
        {
            _ = system.Terminate();
        }
        Assert.True(environment.RunUntil(() => systems.TrueForAll(system => system.WhenTerminated.IsCompleted), TimeSpan.FromSeconds(30)));
    }

    private sealed record Introduce(IReadOnlyList<IActorRef> Peers);

    private sealed record Rumor(int HopsLeft);

    private sealed record Tick;

    /// <summary>Spreads rumors to random peers and ticks on a timer: both choices come from the seed.</summary>
    private sealed class ChattyActor : Actor
    {
        private IReadOnlyList<IActorRef> _peers = [];
        private int _heard;

        protected override void PreStart() => Timers.StartPeriodicTimer("tick", new Tick(), TimeSpan.FromSeconds(1));

        protected override void Receive(object message)
        {
            switch (message)
            {
                case Introduce introduce:
                    _peers = introduce.Peers;
                    break;
                case Rumor rumor when rumor.HopsLeft > 0:
                    _heard++;
                    _peers[Context.Random.Next(_peers.Count)].Tell(rumor with { HopsLeft = rumor.HopsLeft - 1 }, Self);
                    break;
                case Tick when _peers.Count > 0 && _heard > 0:
                    _peers[Context.Random.Next(_peers.Count)].Tell(new Rumor(1), Self);
                    break;
            }
        }
    }
}
