namespace AkkaKv.Cluster;

/// <summary>Carries cluster messages to the node listening at an address ("host:port"); best effort (gossip and heartbeats tolerate loss).</summary>
public interface IClusterTransport
{
    void Send(string address, ClusterMessage message);
}
