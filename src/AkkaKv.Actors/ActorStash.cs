namespace AkkaKv.Actors;

/// <summary>The stash of one actor; touched only on its own turn.</summary>
internal sealed class ActorStash(ActorCell cell, int capacity) : IStash
{
    private readonly List<Envelope> _stashed = [];

    public int Count => _stashed.Count;

    public void Stash()
    {
        var current = cell.CurrentEnvelope;
        if (current.Message is null)
        {
            throw new InvalidOperationException("Stash() can only be called while handling a message.");
        }
        if (_stashed.Count >= capacity)
        {
            throw new StashOverflowException($"{cell.Self.Path}: stash capacity of {capacity} messages exceeded.");
        }
        _stashed.Add(current);
    }

    public void UnstashAll()
    {
        if (_stashed.Count == 0)
        {
            return;
        }
        var envelopes = Clear();
        cell.Prepend(envelopes);
    }

    /// <summary>Empties the stash and returns what it held.</summary>
    public List<Envelope> Clear()
    {
        var envelopes = new List<Envelope>(_stashed);
        _stashed.Clear();
        return envelopes;
    }
}
