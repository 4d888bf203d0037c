using AkkaKv.Actors.Deterministic;
using Xunit.Sdk;

namespace AkkaKv.Actors.Tests;

/// <summary>
/// The TestKit's own contract: expectations fail when they should, with messages that say what was awaited.
/// Method: provoke each failure and check the assertion exception (in virtual time, so timeouts cost nothing).
/// </summary>
public sealed class TestKitTests(ITestOutputHelper output) : TestKit.TestKit(new DeterministicEnvironment(seed: 3), output)
{
    [Fact]
    public void Expect_msg_times_out_in_virtual_time_naming_what_it_waited_for()
    {
        var start = Clock.Time.GetUtcNow();
        var error = Assert.Throws<XunitException>(() => ExpectMsg<string>(TimeSpan.FromMinutes(10)));
        Assert.Contains("timed out after 600000 ms waiting for a String", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromMinutes(10), Clock.Time.GetUtcNow() - start);
    }

    [Fact]
    public void Expect_msg_of_the_wrong_type_or_value_fails()
    {
        TestActor.Tell(42);
        Assert.Contains("expected a String but received Int32 42", Assert.Throws<XunitException>(() => ExpectMsg<string>()).Message, StringComparison.Ordinal);
        TestActor.Tell("a");
        Assert.Contains("expected String b but received String a", Assert.Throws<XunitException>(() => ExpectMsg("b")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expect_no_msg_fails_when_a_message_arrives()
    {
        TestActor.Tell("surprise");
        Assert.Contains("expected no message but received String surprise", Assert.Throws<XunitException>(() => ExpectNoMsg()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Within_fails_when_the_block_takes_longer_than_allowed_and_bounds_expectations()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Within(TimeSpan.FromSeconds(1), () =>
        {
            echo.Tell("fast", TestActor);
            ExpectMsg("fast");
        });
        Assert.Throws<XunitException>(() => Within(TimeSpan.FromSeconds(1), () => Clock.Pass(TimeSpan.FromSeconds(2))));
        // Inside Within, an expectation with no timeout waits only for the time left.
        var start = Clock.Time.GetUtcNow();
        Assert.ThrowsAny<XunitException>(() => Within(TimeSpan.FromSeconds(2), () => ExpectMsg<string>()));
        Assert.Equal(TimeSpan.FromSeconds(2), Clock.Time.GetUtcNow() - start);
    }

    [Fact]
    public void Await_assert_retries_until_the_assertion_passes_or_reports_the_last_failure()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        echo.Tell("later", TestActor);
        AwaitAssert(() => Assert.Equal(1, TestActor.QueuedCount));
        var error = Assert.Throws<XunitException>(() => AwaitAssert(() => Assert.Equal(5, TestActor.QueuedCount), TimeSpan.FromSeconds(1)));
        Assert.Contains("AwaitAssert did not pass in time", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fish_for_message_skips_until_a_match()
    {
        TestActor.Tell(1);
        TestActor.Tell(2);
        TestActor.Tell("three");
        Assert.Equal("three", FishForMessage(message => message is string));
    }

    [Fact]
    public void Event_filter_fails_on_the_wrong_count()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var error = Assert.Throws<XunitException>(() => EventFilter.DeadLetter<string>().Expect(2, () => echo.Tell("one dead letter")));
        Assert.Contains("Expected 2 dead letters of String but saw 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stopped_dead_letter_subscriber_is_unsubscribed_and_nothing_loops()
    {
        var subscriber = CreateTestProbe();
        var listener = Sys.ActorOf(Props.Create<EchoActor>(), "listener");
        Sys.EventStream.Subscribe(listener, typeof(DeadLetter));
        subscriber.Watch(listener);
        Sys.Stop(listener);
        subscriber.ExpectTerminated(listener);
        var before = Sys.DeadLetterCount;
        Sys.DeadLetters.Tell("orphan");
        Clock.Settle();
        Assert.Equal(before + 1, Sys.DeadLetterCount);
    }
}
