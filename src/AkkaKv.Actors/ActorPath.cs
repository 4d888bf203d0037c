using System.Text;

namespace AkkaKv.Actors;

/// <summary>
/// The location of an actor in its system's hierarchy, such as <c>akkakv://node1/user/shards/s3</c>. The root is
/// <c>/</c>; user actors live under <c>/user</c>, the runtime's own under <c>/system</c>, ask promises under
/// <c>/temp</c>.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>
{
    private readonly string _text;

    private ActorPath(ActorAddress address, ActorPath? parent, string name)
    {
        Address = address;
        Parent = parent;
        Name = name;
        _text = BuildText();
    }

    /// <summary>The system this path belongs to.</summary>
    public ActorAddress Address { get; }

    /// <summary>The parent path, or null for the root.</summary>
    public ActorPath? Parent { get; }

    /// <summary>The last element; empty for the root.</summary>
    public string Name { get; }

    /// <summary>The root path of <paramref name="address"/>.</summary>
    public static ActorPath Root(ActorAddress address) => new(address, null, "");

    /// <summary>The path of a child named <paramref name="name"/>.</summary>
    public ActorPath Child(string name) => new(Address, this, name);

    /// <summary>The elements below the root, outermost first (<c>user</c>, <c>shards</c>, ...).</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new List<string>();
            for (var path = this; path.Parent is not null; path = path.Parent)
            {
                elements.Add(path.Name);
            }
            elements.Reverse();
            return elements;
        }
    }

    /// <summary>The path without its address, such as <c>/user/shards/s3</c>.</summary>
    public string ToStringWithoutAddress() => _text[Address.ToString().Length..];

    public bool Equals(ActorPath? other) => other is not null && _text == other._text;

    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    public override string ToString() => _text;

    private string BuildText()
    {
        if (Parent is null)
        {
            return Address + "/";
        }
        var builder = new StringBuilder(Parent._text);
        if (Parent.Parent is not null)
        {
            builder.Append('/');
        }
        return builder.Append(Name).ToString();
    }
}
