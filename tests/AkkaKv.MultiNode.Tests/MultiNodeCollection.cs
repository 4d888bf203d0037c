namespace AkkaKv.MultiNode.Tests;

/// <summary>Multi-node specs run one at a time: several clusters at once on two cores would make live nodes look dead.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MultiNodeCollection
{
    public const string Name = "multi-node";
}
