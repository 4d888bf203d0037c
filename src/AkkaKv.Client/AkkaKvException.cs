using System.Net;

namespace AkkaKv.Client;

/// <summary>An error answer of the API (its problem+json title and detail), or a failure to reach it.</summary>
public class AkkaKvException : Exception
{
    public AkkaKvException() { }

    public AkkaKvException(string message) : base(message) { }

    public AkkaKvException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>An error answer with <paramref name="status"/>.</summary>
    public AkkaKvException(HttpStatusCode status, string message) : base(message) => StatusCode = status;

    /// <summary>The HTTP status, or null when the node could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>True when the write certainly did not take effect (400, 412, 413, 503).</summary>
    public bool CertainlyNotApplied => StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.PreconditionFailed
        or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.ServiceUnavailable;
}

/// <summary>A conditional write found the key in another state; nothing was written.</summary>
public sealed class PreconditionFailedException : AkkaKvException
{
    public PreconditionFailedException() { }

    public PreconditionFailedException(string message) : base(HttpStatusCode.PreconditionFailed, message) { }

    public PreconditionFailedException(string message, Exception innerException) : base(message, innerException) { }
}
