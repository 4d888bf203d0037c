using AkkaKv.Actors.Deterministic;

namespace AkkaKv.Actors.Tests;

/// <summary>Virtual time fires timers in due order with the clock at each due time, and never by itself.</summary>
public sealed class ManualTimeProviderTests
{
    [Fact]
    public void Timers_fire_in_due_order_with_the_clock_at_their_due_time()
    {
        var time = new ManualTimeProvider();
        var start = time.GetUtcNow();
        var fired = new List<(string Name, TimeSpan At)>();
        using var late = time.CreateTimer(_ => fired.Add(("late", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add(("early", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        using var tie = time.CreateTimer(_ => fired.Add(("tie", time.GetUtcNow() - start)), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal([("early", TimeSpan.FromSeconds(1)), ("tie", TimeSpan.FromSeconds(1)), ("late", TimeSpan.FromSeconds(3))], fired);
        Assert.Equal(start + TimeSpan.FromSeconds(10), time.GetUtcNow());
    }

    [Fact]
    public void Periodic_timers_repeat_and_stop_when_disposed_or_changed()
    {
        var time = new ManualTimeProvider();
        var count = 0;
        var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(5, count);
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(5, count);
        timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(5, count);
        Assert.Equal(0, time.ActiveTimerCount);
    }

    [Fact]
    public void Timestamps_measure_virtual_elapsed_time()
    {
        var time = new ManualTimeProvider();
        var before = time.GetTimestamp();
        time.Advance(TimeSpan.FromMilliseconds(1_500));
        Assert.Equal(TimeSpan.FromMilliseconds(1_500), time.GetElapsedTime(before));
    }

    [Fact]
    public async Task Delays_on_virtual_time_complete_only_when_time_passes()
    {
        var time = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(30), time); // allowed: a delay on virtual time is the subject
        Assert.False(delay.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
