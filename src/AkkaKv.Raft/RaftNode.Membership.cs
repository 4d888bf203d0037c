namespace AkkaKv.Raft;

/// <summary>Membership changes, one at a time, taking effect when applied (thesis §4.1, as etcd does).</summary>
public sealed partial class RaftNode
{
    private void ApplyConfChange(ConfChange change, LogIndex index, bool isBootstrap)
    {
        var before = Conf;
        Conf = Conf.Apply(change) with { Index = index };
        if (isBootstrap)
        {
            LogMessages.AppliedBootstrapConfChange(_logger, _group, Id, change, Conf);
        }
        else
        {
            LogMessages.AppliedConfChange(_logger, _group, Id, change, Conf);
        }
        if (Role != RaftRole.Leader)
        {
            return;
        }
        foreach (var member in Conf.Members)
        {
            if (!_progress.ContainsKey(member))
            {
                _progress[member] = new Progress(_log.LastIndex.Next(), _options.MaxInflightMessages);
                SendAppend(member, sendIfEmpty: true);
            }
        }
        foreach (var member in before.Members.Where(member => !Conf.Contains(member)).ToList())
        {
            _progress.Remove(member);
            if (member == _leadTransferee)
            {
                _leadTransferee = NodeId.None;
            }
        }
        if (!Conf.Voters.Contains(Id))
        {
            // The leader was removed (or demoted): it has committed the change, so it can step aside.
            BecomeFollower(Term, NodeId.None);
            return;
        }
        if (MaybeCommit())
        {
            BroadcastAppend(); // a smaller quorum may commit more at once
        }
    }
}
