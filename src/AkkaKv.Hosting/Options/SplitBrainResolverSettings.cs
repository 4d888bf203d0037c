using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;

namespace AkkaKv.Hosting.Options;

/// <summary>The split-brain resolver (<c>akkakv.cluster.split-brain-resolver</c>).</summary>
public sealed record SplitBrainResolverSettings : IValidatableObject
{
    public const string Section = "akkakv:cluster:split-brain-resolver";

    /// <summary>keep-majority, static-quorum, keep-oldest or down-all.</summary>
    [ConfigurationKeyName("active-strategy"), RegularExpression("^(keep-majority|static-quorum|keep-oldest|down-all)$", ErrorMessage = "must be keep-majority, static-quorum, keep-oldest or down-all")]
    public string ActiveStrategy { get; init; } = "keep-majority";

    /// <summary>How long the set of unreachable members must stay unchanged before the resolver acts.</summary>
    [ConfigurationKeyName("stable-after"), Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>For static-quorum: members a side needs to survive.</summary>
    [ConfigurationKeyName("static-quorum-size"), Range(0, 10_000)]
    public int StaticQuorumSize { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ActiveStrategy == "static-quorum" && StaticQuorumSize < 1)
        {
            yield return new ValidationResult("must be at least 1 with active-strategy = static-quorum", [nameof(StaticQuorumSize)]);
        }
    }
}
