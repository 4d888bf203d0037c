using System.Globalization;
using System.Text;

namespace AkkaKv.Hosting.Hocon;

/// <summary>
/// Parses HOCON text into an unresolved tree (substitutions are resolved afterwards by <see cref="HoconResolver"/>).
/// Fields are written straight into the tree so duplicate keys merge and self-references (<c>a = ${a} x</c>,
/// <c>a += x</c>) see the earlier value, as the HOCON specification requires.
/// </summary>
internal sealed partial class HoconParser
{
    private const int MaxIncludeDepth = 16;
    private const int MaxNestingDepth = 256;
    private const string ForbiddenUnquoted = "$\"{}[]:=,+#`^?!@*&\\";

    private readonly HoconReader _reader;
    private readonly HoconObject _root;
    private readonly IHoconIncludeResolver _includes;
    private readonly int _includeDepth;
    private int _nesting;

    private HoconParser(HoconReader reader, HoconObject root, IHoconIncludeResolver includes, int includeDepth)
    {
        _reader = reader;
        _root = root;
        _includes = includes;
        _includeDepth = includeDepth;
    }

    /// <summary>Parses a whole document into a new root object.</summary>
    public static HoconObject Parse(string text, string file, IHoconIncludeResolver includes)
    {
        var root = new HoconObject(new HoconPosition(file, 1, 1));
        ParseInto(root, [], text, file, includes, includeDepth: 0);
        return root;
    }

    /// <summary>Parses a document's fields into the object at <paramref name="prefix"/> of <paramref name="root"/>.</summary>
    private static void ParseInto(HoconObject root, IReadOnlyList<string> prefix, string text, string file, IHoconIncludeResolver includes, int includeDepth)
    {
        var parser = new HoconParser(new HoconReader(text, file), root, includes, includeDepth);
        parser.ParseDocument(prefix);
    }

    private void ParseDocument(IReadOnlyList<string> prefix)
    {
        _reader.SkipWhitespaceAndComments();
        if (_reader.Peek() == '{')
        {
            _reader.Next();
            ParseFields(prefix, braced: true);
            _reader.SkipWhitespaceAndComments();
            if (!_reader.AtEnd)
            {
                throw _reader.Error($"unexpected '{_reader.Peek()}' after the closing '}}' of the document");
            }
            return;
        }
        ParseFields(prefix, braced: false);
    }

    /// <summary>Parses fields into the object at <paramref name="prefix"/> until '}' (braced) or the end of input.</summary>
    private void ParseFields(IReadOnlyList<string> prefix, bool braced)
    {
        EnterNesting();
        while (true)
        {
            _reader.SkipWhitespaceAndComments();
            if (_reader.AtEnd)
            {
                if (braced)
                {
                    throw _reader.Error("end of input inside an object: expected '}'");
                }
                break;
            }
            if (_reader.Peek() == '}')
            {
                if (!braced)
                {
                    throw _reader.Error("unexpected '}' with no object open");
                }
                _reader.Next();
                break;
            }
            if (IsIncludeKeyword())
            {
                ParseInclude(prefix);
            }
            else
            {
                ParseField(prefix);
            }
            var beforeSeparator = _reader.Position;
            _reader.SkipInlineWhitespace();
            if (_reader.Peek() == ',')
            {
                _reader.Next();
            }
            else if (!_reader.AtEnd && _reader.Peek() != '\n' && _reader.Peek() != '}')
            {
                throw new HoconException(beforeSeparator, $"expected a newline, ',' or '}}' after a field but found '{_reader.Peek()}'");
            }
        }
        _nesting--;
    }

    private void ParseField(IReadOnlyList<string> prefix)
    {
        var keyPosition = _reader.Position;
        var key = ParseKeyPath();
        var path = prefix.Concat(key).ToList();
        _reader.SkipInlineWhitespace(includeComments: false);
        if (_reader.Peek() == '{')
        {
            // "key { ... }": parse straight into the (possibly existing) object so it merges.
            _reader.Next();
            EnsureObjectAt(path, keyPosition);
            ParseFields(path, braced: true);
            return;
        }
        var append = false;
        if (_reader.LookingAt("+="))
        {
            _reader.Skip(2);
            append = true;
        }
        else if (_reader.Peek() is ':' or '=')
        {
            _reader.Next();
        }
        else
        {
            throw _reader.Error($"expected ':', '=', '+=' or '{{' after key '{string.Join('.', key)}'");
        }
        _reader.SkipInlineWhitespace(includeComments: false);
        if (_reader.Peek() == '{' && !append)
        {
            _reader.Next();
            EnsureObjectAt(path, keyPosition);
            ParseFields(path, braced: true);
            _reader.SkipInlineWhitespace(includeComments: false);
            if (StartsValue())
            {
                throw _reader.Error("an object value cannot be followed by more values on the same line");
            }
            return;
        }
        var value = ParseValue(path);
        if (append)
        {
            var previous = new HoconSubstitution(keyPosition, path, optional: true);
            value = new HoconConcatenation(keyPosition, [previous, new HoconArray(value.Position, [value])]);
        }
        Assign(path, ReplaceSelfReferences(value, path));
    }

    /// <summary>Sets <paramref name="path"/> in the root, creating intermediate objects.</summary>
    private void Assign(List<string> path, HoconValue value)
    {
        var parent = EnsureObjectAt(path.Take(path.Count - 1).ToList(), value.Position);
        parent.TryGetField(path[^1], out var existing);
        if (existing is HoconSubstitution or HoconConcatenation && value is HoconObject)
        {
            // An unresolved earlier value merges with this object once resolved.
            parent.Replace(path[^1], new HoconConcatenation(value.Position, [existing, value]));
            return;
        }
        parent.Set(path[^1], value);
    }

    /// <summary>The object at <paramref name="path"/>, created (or replacing a non-object) as needed.</summary>
    private HoconObject EnsureObjectAt(IReadOnlyList<string> path, HoconPosition position)
    {
        var current = _root;
        foreach (var key in path)
        {
            if (current.TryGetField(key, out var existing) && existing is HoconObject existingObject)
            {
                current = existingObject;
                continue;
            }
            var created = new HoconObject(position);
            if (existing is HoconSubstitution or HoconConcatenation)
            {
                // "a = ${x}" then "a { b = 1 }": keep the substitution and merge the new fields over it.
                current.Replace(key, new HoconConcatenation(position, [existing, created]));
            }
            else
            {
                current.Replace(key, created);
            }
            current = created;
        }
        return current;
    }

    /// <summary>
    /// Replaces <c>${path}</c> inside the new value of <paramref name="path"/> by the value it had before this
    /// definition; with no earlier value, only the environment can supply it.
    /// </summary>
    private HoconValue ReplaceSelfReferences(HoconValue value, List<string> path)
    {
        switch (value)
        {
            case HoconSubstitution substitution when substitution.Path.SequenceEqual(path):
                var previous = _root.GetPath(path);
                if (previous is not null)
                {
                    return previous.Clone();
                }
                return new HoconSubstitution(substitution.Position, substitution.Path, substitution.IsOptional) { EnvironmentOnly = true };
            case HoconConcatenation concatenation:
                return new HoconConcatenation(concatenation.Position, concatenation.Parts.ConvertAll(part => ReplaceSelfReferences(part, path)));
            case HoconArray array:
                return new HoconArray(array.Position, array.Items.ConvertAll(item => ReplaceSelfReferences(item, path)));
            default:
                return value;
        }
    }

    private List<string> ParseKeyPath()
    {
        var keys = new List<string>();
        var current = new StringBuilder();
        var any = false;
        while (!_reader.AtEnd)
        {
            var ch = _reader.Peek();
            if (ch == '"')
            {
                if (_reader.LookingAt("\"\"\""))
                {
                    throw _reader.Error("a key cannot be a triple-quoted string");
                }
                current.Append(ParseQuotedString());
                any = true;
            }
            else if (ch == '.')
            {
                if (!any)
                {
                    throw _reader.Error("empty key segment: a key cannot start with '.' or contain '..'");
                }
                _reader.Next();
                keys.Add(current.ToString());
                current.Clear();
                any = false;
            }
            else if (IsUnquotedChar(ch) && !_reader.IsCommentStart)
            {
                current.Append(_reader.Next());
                any = true;
            }
            else
            {
                break;
            }
        }
        if (!any)
        {
            throw keys.Count == 0
                ? _reader.Error(_reader.AtEnd ? "expected a key" : $"expected a key but found '{_reader.Peek()}'")
                : _reader.Error("a key cannot end with '.'");
        }
        keys.Add(current.ToString());
        return keys;
    }

    private void EnterNesting()
    {
        if (++_nesting > MaxNestingDepth)
        {
            throw _reader.Error($"objects and arrays nested deeper than {MaxNestingDepth.ToString(CultureInfo.InvariantCulture)} levels");
        }
    }

    private static bool IsUnquotedChar(char ch) =>
        !HoconReader.IsInlineWhitespace(ch) && ch != '\n' && ch != '\0' && !ForbiddenUnquoted.Contains(ch, StringComparison.Ordinal) && ch != '.';
}
