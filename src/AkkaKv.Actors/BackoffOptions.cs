namespace AkkaKv.Actors;

/// <summary>
/// Settings of a <see cref="BackoffSupervisor"/>: the child restarts after <c>min(MaxBackoff, MinBackoff·2ⁿ)</c>
/// stretched by up to <see cref="RandomFactor"/>, so a crashing child (a lost disk, a refused port) is retried
/// without a storm. The count resets once the child has run for <see cref="ResetAfter"/>.
/// </summary>
public sealed record BackoffOptions(Props ChildProps, string ChildName)
{
    /// <summary>Delay before the first restart.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest delay between restarts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Random stretch of each delay, 0 to 1 (0.2 adds up to 20%).</summary>
    public double RandomFactor { get; init; } = 0.2;

    /// <summary>A child alive this long resets the restart count.</summary>
    public TimeSpan ResetAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Restarts before giving up and stopping the supervisor; negative means never give up.</summary>
    public int MaxRestarts { get; init; } = -1;
}
