using System.Text;

namespace AkkaKv.Hosting.Hocon;

/// <summary>
/// Replaces every substitution in a tree by what it refers to (a path of the tree, else an environment variable),
/// joins concatenations, and reports cycles and missing values with their positions.
/// </summary>
internal sealed class HoconResolver
{
    private readonly HoconObject _root;
    private readonly Func<string, string?> _environment;
    private readonly List<string> _resolving = [];

    private HoconResolver(HoconObject root, Func<string, string?> environment)
    {
        _root = root;
        _environment = environment;
    }

    /// <summary>Resolves <paramref name="root"/> in place.</summary>
    public static void Resolve(HoconObject root, Func<string, string?> environment) =>
        new HoconResolver(root, environment).ResolveObject(root, []);

    private void ResolveObject(HoconObject obj, List<string> path)
    {
        foreach (var key in obj.Keys.ToList())
        {
            if (!obj.TryGetField(key, out var value))
            {
                continue; // removed while resolving an earlier field
            }
            path.Add(key);
            ResolveField(obj, key, value, path);
            path.RemoveAt(path.Count - 1);
        }
    }

    private void ResolveField(HoconObject owner, string key, HoconValue value, List<string> path)
    {
        if (value.IsResolved)
        {
            if (value is HoconObject nested)
            {
                ResolveObject(nested, path);
            }
            return;
        }
        var pathText = string.Join('.', path);
        if (_resolving.Contains(pathText))
        {
            throw new HoconException(value.Position, $"substitution cycle: {string.Join(" -> ", _resolving)} -> {pathText}");
        }
        _resolving.Add(pathText);
        var resolved = ResolveValue(value, path);
        _resolving.RemoveAt(_resolving.Count - 1);
        if (resolved is null)
        {
            owner.Remove(key);
        }
        else
        {
            owner.Replace(key, resolved);
        }
    }

    /// <summary>The resolved form of <paramref name="value"/>, or null when it resolves to nothing (an absent optional substitution).</summary>
    private HoconValue? ResolveValue(HoconValue value, List<string> path)
    {
        switch (value)
        {
            case HoconSubstitution substitution:
                return ResolveSubstitution(substitution, path);
            case HoconConcatenation concatenation:
                return Concatenate(concatenation, concatenation.Parts.Select(part => ResolveValue(part, path)).Where(part => part is not null).ToList()!);
            case HoconArray array:
                var items = new List<HoconValue>();
                foreach (var item in array.Items)
                {
                    if (ResolveValue(item, path) is { } resolvedItem)
                    {
                        items.Add(resolvedItem);
                    }
                }
                return new HoconArray(array.Position, items);
            case HoconObject obj:
                ResolveObject(obj, path);
                return obj;
            default:
                return value;
        }
    }

    private HoconValue? ResolveSubstitution(HoconSubstitution substitution, List<string> path)
    {
        if (!substitution.EnvironmentOnly && Lookup(substitution) is { } found)
        {
            return found.Clone();
        }
        if (_environment(substitution.PathText) is { } fromEnvironment)
        {
            return new HoconScalar(substitution.Position, fromEnvironment, quoted: true);
        }
        if (substitution.IsOptional)
        {
            return substitution.Fallback is null ? null : ResolveValue(substitution.Fallback, path);
        }
        throw new HoconException(substitution.Position, $"could not resolve substitution {substitution}: no such setting and no environment variable {substitution.PathText}");
    }

    /// <summary>Finds the referenced value, resolving whatever lies on the way to it first.</summary>
    private HoconValue? Lookup(HoconSubstitution substitution)
    {
        HoconValue current = _root;
        var walked = new List<string>();
        foreach (var key in substitution.Path)
        {
            if (current is not HoconObject obj || !obj.TryGetField(key, out var next))
            {
                return null;
            }
            walked.Add(key);
            if (!next.IsResolved && next is not HoconObject)
            {
                ResolveField(obj, key, next, walked);
                if (!obj.TryGetField(key, out next))
                {
                    return null;
                }
            }
            current = next;
        }
        if (current is HoconObject target && !target.IsResolved)
        {
            ResolveObject(target, walked);
        }
        return current;
    }

    private static HoconValue? Concatenate(HoconConcatenation concatenation, List<HoconValue> parts)
    {
        // Whitespace between an absent optional value and another value is dropped with it.
        var meaningful = parts.Where(part => part is not HoconScalar { IsWhitespace: true }).ToList();
        if (meaningful.Count == 0)
        {
            return null;
        }
        if (meaningful.TrueForAll(part => part is HoconObject))
        {
            return meaningful.Cast<HoconObject>().Aggregate(HoconObject.Merge);
        }
        if (meaningful.TrueForAll(part => part is HoconArray))
        {
            return new HoconArray(concatenation.Position, meaningful.Cast<HoconArray>().SelectMany(array => array.Items).ToList());
        }
        var mixed = parts.FirstOrDefault(part => part is HoconObject or HoconArray);
        if (mixed is not null)
        {
            throw new HoconException(concatenation.Position, $"cannot concatenate an {mixed.KindName} with a string; use only objects, only arrays, or only strings");
        }
        var text = new StringBuilder();
        foreach (var part in TrimWhitespaceEnds(parts))
        {
            text.Append(((HoconScalar)part).Text ?? "null");
        }
        return new HoconScalar(concatenation.Position, text.ToString(), quoted: true);
    }

    private static List<HoconValue> TrimWhitespaceEnds(List<HoconValue> parts)
    {
        var first = parts.FindIndex(part => part is not HoconScalar { IsWhitespace: true });
        var last = parts.FindLastIndex(part => part is not HoconScalar { IsWhitespace: true });
        return first < 0 ? [] : parts.GetRange(first, last - first + 1);
    }
}
