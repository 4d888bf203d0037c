namespace AkkaKv.Actors;

/// <summary>What a supervisor does with a child that threw.</summary>
public enum Directive
{
    /// <summary>Keep the instance and its state; drop the failing message and go on.</summary>
    Resume,

    /// <summary>Replace the instance with a fresh one; the mailbox is kept, the failing message dropped.</summary>
    Restart,

    /// <summary>Stop the child for good.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, so its own parent decides.</summary>
    Escalate,
}
