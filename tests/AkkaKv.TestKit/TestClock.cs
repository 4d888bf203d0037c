using AkkaKv.Actors.Deterministic;

namespace AkkaKv.TestKit;

/// <summary>
/// How expectations wait: on the wall clock (blocking the test thread, timeouts dilated), or in virtual time by
/// running the deterministic environment until the condition holds.
/// </summary>
public sealed class TestClock
{
    private readonly DeterministicEnvironment? _environment;
    private static readonly ManualResetEventSlim NeverSet = new(false);

    internal TestClock(TestKitSettings settings, DeterministicEnvironment? environment)
    {
        Settings = settings;
        _environment = environment;
        Time = environment?.Time ?? TimeProvider.System;
    }

    /// <summary>The expectation settings.</summary>
    public TestKitSettings Settings { get; }

    /// <summary>The clock the actors under test see.</summary>
    public TimeProvider Time { get; }

    /// <summary>True in virtual time.</summary>
    public bool IsVirtual => _environment is not null;

    /// <summary>A real-time duration stretched by the time factor; virtual durations are exact.</summary>
    public TimeSpan Dilate(TimeSpan duration) =>
        IsVirtual || duration == Timeout.InfiniteTimeSpan ? duration : duration * Settings.TimeFactor;

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns whether it holds.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout, WaitHandle? wakeUp = null, TimeSpan? pollInterval = null)
    {
        if (_environment is not null)
        {
            return _environment.RunUntil(condition, timeout);
        }
        var deadline = Time.GetTimestamp() + (long)(Dilate(timeout).TotalSeconds * Time.TimestampFrequency);
        var poll = pollInterval ?? TimeSpan.FromMilliseconds(10);
        while (!condition())
        {
            var remaining = TimeSpan.FromSeconds((double)(deadline - Time.GetTimestamp()) / Time.TimestampFrequency);
            if (remaining <= TimeSpan.Zero)
            {
                return condition();
            }
            // Woken early by the probe when a message arrives; otherwise re-check at the poll interval.
            var slice = remaining < poll ? remaining : poll;
            if (wakeUp is not null)
            {
                wakeUp.WaitOne(slice);
            }
            else
            {
                NeverSet.Wait(slice);
            }
        }
        return true;
    }

    /// <summary>Lets <paramref name="duration"/> pass: real time blocks; virtual time advances and runs the actors.</summary>
    public void Pass(TimeSpan duration)
    {
        if (_environment is not null)
        {
            _environment.Advance(duration);
            return;
        }
        NeverSet.Wait(Dilate(duration));
    }

    /// <summary>In virtual time, runs actors until idle; in real time, nothing.</summary>
    public void Settle() => _environment?.RunUntilIdle();

    /// <summary>Elapsed time since <paramref name="startTimestamp"/> on <see cref="Time"/>.</summary>
    public TimeSpan Since(long startTimestamp) => Time.GetElapsedTime(startTimestamp);
}
