namespace AkkaKv.Sharding.Hosting;

/// <summary>The answer to a local ask: completes the asker's task (its continuation runs on the thread pool, never on the replica's thread).</summary>
internal sealed class CompletionReplyTo(TaskCompletionSource<ShardReply?> completion) : IReplyTo<ShardReply>
{
    public void Tell(ShardReply reply) => completion.TrySetResult(reply);
}
