using Akka.Actor;
using Akka.Configuration;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace AkkaKv.Benchmarks;

/// <summary>
/// Message throughput of the actor runtime on the thread-pool dispatcher. Each operation is one delivered message
/// (OperationsPerInvoke), so ops/s is messages per second and the allocation column is bytes per message: the
/// messages are preallocated, so anything above zero is the runtime's own cost.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 20)]
public class ActorMessagingBenchmarks
{
    private const int FanOutActors = 1_000;
    private const int FanOutMessagesPerActor = 1_000;
    private const int PingPongPairs = 4;
    private const int PingPongRoundTrips = 100_000;

    private static readonly object Message = new();
    private ActorSystem _system = null!;
    private IActorRef[] _fanOutTargets = [];
    private CountdownEvent _fanOutDone = null!;
    private IActorRef[] _pingers = [];
    private CountdownEvent _pingPongDone = null!;

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("akka.actor.default-dispatcher.throughput = 100\nakka.loglevel = WARNING"));
        _fanOutDone = new CountdownEvent(FanOutActors);
        var done = _fanOutDone;
        _fanOutTargets = Enumerable.Range(0, FanOutActors)
            .Select(i => _system.ActorOf(Props.Create(() => new CountingActor(FanOutMessagesPerActor, done)), $"target{i}"))
            .ToArray();
        _pingPongDone = new CountdownEvent(PingPongPairs);
        var pingDone = _pingPongDone;
        _pingers = Enumerable.Range(0, PingPongPairs).Select(i =>
        {
            var ponger = _system.ActorOf(Props.Create(() => new PongActor()), $"pong{i}");
            return _system.ActorOf(Props.Create(() => new PingActor(ponger, PingPongRoundTrips, pingDone)), $"ping{i}");
        }).ToArray();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
        _fanOutDone.Dispose();
        _pingPongDone.Dispose();
    }

    /// <summary>One sender tells each of 1,000 actors 1,000 messages; ops = messages processed.</summary>
    [Benchmark(OperationsPerInvoke = FanOutActors * FanOutMessagesPerActor)]
    public void FanOutTo1000Actors()
    {
        _fanOutDone.Reset();
        for (var round = 0; round < FanOutMessagesPerActor; round++)
        {
            foreach (var target in _fanOutTargets)
            {
                target.Tell(Message);
            }
        }
        _fanOutDone.Wait();
    }

    /// <summary>Four pairs of actors bounce a message 100,000 times each; ops = messages (two per round trip).</summary>
    [Benchmark(OperationsPerInvoke = PingPongPairs * PingPongRoundTrips * 2)]
    public void PingPong4Pairs()
    {
        _pingPongDone.Reset();
        foreach (var pinger in _pingers)
        {
            pinger.Tell(PingActor.Start);
        }
        _pingPongDone.Wait();
    }

    /// <summary>Counts messages and signals once it has seen its share of a round.</summary>
    private sealed class CountingActor(int perRound, CountdownEvent done) : UntypedActor
    {
        private int _seen;

        protected override void OnReceive(object message)
        {
            if (++_seen == perRound)
            {
                _seen = 0;
                done.Signal();
            }
        }
    }

    private sealed class PongActor : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message, Self);
    }

    private sealed class PingActor(IActorRef ponger, int roundTrips, CountdownEvent done) : UntypedActor
    {
        public static readonly object Start = new();
        private int _remaining;

        protected override void OnReceive(object message)
        {
            if (ReferenceEquals(message, Start))
            {
                _remaining = roundTrips;
                ponger.Tell(Message, Self);
                return;
            }
            if (--_remaining == 0)
            {
                done.Signal();
                return;
            }
            ponger.Tell(Message, Self);
        }
    }
}
