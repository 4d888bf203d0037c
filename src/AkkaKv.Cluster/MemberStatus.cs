namespace AkkaKv.Cluster;

/// <summary>
/// A member's life cycle (Akka's). The numeric order is the merge order: when two gossips disagree about a member,
/// the later status wins — a member never goes back, and Down and Removed win over everything before them.
/// </summary>
public enum MemberStatus
{
    Joining = 0,
    WeaklyUp = 1,
    Up = 2,
    Leaving = 3,
    Exiting = 4,
    Down = 5,
    Removed = 6,
}
