namespace AkkaKv.Actors;

/// <summary>
/// Gives mailboxes threads to run on. Production uses <see cref="ThreadPoolDispatcher"/>; the deterministic mode
/// uses <see cref="Deterministic.DeterministicDispatcher"/>, which runs everything on the caller's thread in an
/// order drawn from a seed.
/// </summary>
public interface IDispatcher
{
    /// <summary>Maximum user messages one actor processes before yielding its thread to another.</summary>
    int Throughput { get; }

    /// <summary>Arranges for <paramref name="work"/> to run once, soon.</summary>
    void Schedule(IThreadPoolWorkItem work);
}
