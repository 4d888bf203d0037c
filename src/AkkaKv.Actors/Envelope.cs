namespace AkkaKv.Actors;

/// <summary>A message in a mailbox together with its sender.</summary>
public readonly record struct Envelope(object Message, IActorRef? Sender);
