using Akka.Actor;

namespace AkkaKv.Sharding.Hosting;

/// <summary>Asks an Akka.NET replica actor for its answer, as <see cref="IShardLocator.AskAsync"/> describes it.</summary>
public static class AkkaAsk
{
    /// <summary>The answer <paramref name="answer"/> completes with, or null when none came within <paramref name="timeout"/> (cancellation propagates).</summary>
    internal static async Task<ShardReply?> AnswerOrNullAsync(Task<ShardReply?> answer, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await answer.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>The reply of <paramref name="replica"/>; <see cref="ShardUnavailable"/> when there is none to ask; null when it did not answer in time.</summary>
    public static async Task<ShardReply?> AskReplicaAsync(IActorRef? replica, ShardRequest request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (replica is null)
        {
            return new ShardUnavailable("the replica cannot be reached");
        }
        try
        {
            return await replica.Ask<ShardReply>(request, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }
}
