namespace AkkaKv.Actors.Tests;

/// <summary>Ask: replies complete the task; failures, wrong types and silence fail it with a clear exception.</summary>
public sealed class AskTests(ITestOutputHelper output) : TestKit.TestKit(output)
{
    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        Assert.Equal("ping", await echo.Ask<string>("ping"));
    }

    [Fact]
    public async Task Ask_with_reply_to_builds_the_message_from_the_promise()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var reply = await echo.Ask<IActorRef>(replyTo => replyTo);
        Assert.StartsWith($"akkakv://{Sys.Name}/temp/", reply.Path.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_without_reply_times_out()
    {
        var silent = CreateTestProbe();
        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<string>("hello?", TimeSpan.FromMilliseconds(100)));
        Assert.Contains("timed out after 100 ms", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_fails_with_the_cause_of_a_status_failure_and_on_a_reply_of_another_type()
    {
        var echo = Sys.ActorOf(Props.Create<EchoActor>(), "echo");
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => echo.Ask<string>(new Status.Failure(new InvalidOperationException("nope"))));
        Assert.Equal("nope", failure.Message);
        await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<string>(42));
    }

    [Fact]
    public async Task Ask_honours_cancellation()
    {
        var silent = CreateTestProbe();
        using var cancellation = new CancellationTokenSource();
        var pending = silent.Ask<string>("hello?", TimeSpan.FromMinutes(1), cancellation.Token);
        await cancellation.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => pending);
    }
}
