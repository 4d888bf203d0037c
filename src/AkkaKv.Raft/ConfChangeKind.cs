namespace AkkaKv.Raft;

/// <summary>The kinds of single-node membership change (one in flight at a time, thesis §4.1).</summary>
public enum ConfChangeKind : byte
{
    /// <summary>Adds a voter, or promotes a learner to voter.</summary>
    AddVoter = 1,

    /// <summary>Adds a learner (non-voting member that receives the log).</summary>
    AddLearner = 2,

    /// <summary>Removes a voter or learner.</summary>
    RemoveNode = 3,
}
