namespace AkkaKv;

/// <summary>A broken invariant: a bug in AkkaKv, never an expected outcome.</summary>
public sealed class InvariantViolationException : Exception
{
    public InvariantViolationException() { }

    public InvariantViolationException(string message) : base(message) { }

    public InvariantViolationException(string message, Exception innerException) : base(message, innerException) { }
}
