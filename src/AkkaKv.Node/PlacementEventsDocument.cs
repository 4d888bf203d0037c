using AkkaKv.Sharding.Hosting;
using AkkaKv.Sharding.Placement;

namespace AkkaKv.Node;

/// <summary>The body of <c>GET /v1/placement/events</c>: the coordinator's node and its recent events, oldest first.</summary>
internal sealed record PlacementEventsDocument(string? Coordinator, IReadOnlyList<PlacementEventDocument> Events)
{
    public static PlacementEventsDocument From(PlacementEventList list, PeerDirectory members) => new(
        list.Coordinator.IsNone ? null : ShardsDocument.NameOf(list.Coordinator, members),
        [.. list.Events.Select(record => new PlacementEventDocument(record.At, record.Kind, record.Text))]);
}

/// <summary>One event in <see cref="PlacementEventsDocument"/>.</summary>
internal sealed record PlacementEventDocument(DateTimeOffset At, string Kind, string Text);
