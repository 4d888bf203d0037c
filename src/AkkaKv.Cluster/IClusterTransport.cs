namespace AkkaKv.Cluster;

/// <summary>Carries cluster messages between nodes; best effort (gossip and heartbeats tolerate loss).</summary>
public interface IClusterTransport
{
    void Send(NodeId to, ClusterMessage message);
}
