using System.Globalization;
using System.Text;

namespace AkkaKv.Hosting.Hocon;

/// <summary>Values: concatenations of strings, numbers, substitutions, arrays and detached objects.</summary>
internal sealed partial class HoconParser
{
    /// <summary>Parses one value, which may be several simple values side by side on one line.</summary>
    private HoconValue ParseValue(IReadOnlyList<string> path)
    {
        var start = _reader.Position;
        var parts = new List<HoconValue>();
        while (StartsValue())
        {
            parts.Add(ParseSimpleValue(path));
            var whitespace = _reader.SkipInlineWhitespace(includeComments: false);
            if (!StartsValue())
            {
                break;
            }
            if (whitespace.Length > 0)
            {
                parts.Add(new HoconScalar(_reader.Position, whitespace, quoted: true) { IsWhitespace = true });
            }
        }
        return parts.Count switch
        {
            0 => throw _reader.Error(_reader.AtEnd || _reader.Peek() == '\n' ? "expected a value" : $"expected a value but found '{_reader.Peek()}'"),
            1 => parts[0],
            _ => new HoconConcatenation(start, parts),
        };
    }

    private bool StartsValue()
    {
        if (_reader.AtEnd || _reader.IsCommentStart)
        {
            return false;
        }
        var ch = _reader.Peek();
        return ch is '{' or '[' or '"' || (ch == '$' && _reader.Peek(1) == '{') || IsUnquotedChar(ch) || ch == '.'
            || (ch == '+' && _reader.Peek(1) != '=') || ch is '?' or '!' or '@' or '*' or '&' or '^' or '`';
    }

    private HoconValue ParseSimpleValue(IReadOnlyList<string> path)
    {
        var position = _reader.Position;
        var ch = _reader.Peek();
        if (ch == '{')
        {
            _reader.Next();
            return ParseDetachedObject(position);
        }
        if (ch == '[')
        {
            return ParseArray(path);
        }
        if (ch == '"')
        {
            return _reader.LookingAt("\"\"\"")
                ? new HoconScalar(position, ParseTripleQuotedString(), quoted: true)
                : new HoconScalar(position, ParseQuotedString(), quoted: true);
        }
        if (ch == '$')
        {
            return ParseSubstitution();
        }
        if (!IsUnquotedChar(ch) && ch != '.')
        {
            throw _reader.Error($"'{ch}' is not allowed in an unquoted value; quote the value");
        }
        var text = new StringBuilder();
        while (!_reader.AtEnd && (IsUnquotedChar(_reader.Peek()) || _reader.Peek() == '.') && !_reader.IsCommentStart)
        {
            text.Append(_reader.Next());
        }
        var unquoted = text.ToString();
        return new HoconScalar(position, unquoted == "null" ? null : unquoted, quoted: false);
    }

    /// <summary>An object inside an array or a concatenation: parsed on its own, merged where it lands.</summary>
    private HoconObject ParseDetachedObject(HoconPosition position)
    {
        var detached = new HoconObject(position);
        var parser = new HoconParser(_reader, detached, _includes, _includeDepth) { _nesting = _nesting };
        parser.ParseFields([], braced: true);
        return detached;
    }

    private HoconArray ParseArray(IReadOnlyList<string> path)
    {
        var position = _reader.Position;
        _reader.Next(); // '['
        EnterNesting();
        var items = new List<HoconValue>();
        while (true)
        {
            _reader.SkipWhitespaceAndComments();
            if (_reader.AtEnd)
            {
                throw _reader.Error("end of input inside an array: expected ']'");
            }
            if (_reader.Peek() == ']')
            {
                _reader.Next();
                break;
            }
            items.Add(ParseValue(path));
            _reader.SkipInlineWhitespace();
            if (_reader.Peek() == ',')
            {
                _reader.Next();
            }
            else if (_reader.Peek() != '\n' && _reader.Peek() != ']' && !_reader.AtEnd)
            {
                throw _reader.Error($"expected ',', a newline or ']' in an array but found '{_reader.Peek()}'");
            }
        }
        _nesting--;
        return new HoconArray(position, items);
    }

    private string ParseQuotedString()
    {
        var start = _reader.Position;
        _reader.Next(); // opening quote
        var text = new StringBuilder();
        while (true)
        {
            if (_reader.AtEnd || _reader.Peek() == '\n')
            {
                throw new HoconException(start, "unterminated quoted string");
            }
            var ch = _reader.Next();
            if (ch == '"')
            {
                return text.ToString();
            }
            if (ch != '\\')
            {
                text.Append(ch);
                continue;
            }
            if (_reader.AtEnd)
            {
                throw new HoconException(start, "unterminated quoted string");
            }
            var escapePosition = _reader.Position;
            var escaped = _reader.Next();
            text.Append(escaped switch
            {
                '"' => '"',
                '\\' => '\\',
                '/' => '/',
                'b' => '\b',
                'f' => '\f',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'u' => ParseUnicodeEscape(escapePosition),
                _ => throw new HoconException(escapePosition, $"invalid escape '\\{escaped}' in a quoted string"),
            });
        }
    }

    private char ParseUnicodeEscape(HoconPosition position)
    {
        Span<char> hex = stackalloc char[4];
        for (var i = 0; i < 4; i++)
        {
            if (_reader.AtEnd || !char.IsAsciiHexDigit(_reader.Peek()))
            {
                throw new HoconException(position, "\\u must be followed by four hex digits");
            }
            hex[i] = _reader.Next();
        }
        return (char)int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private string ParseTripleQuotedString()
    {
        var start = _reader.Position;
        _reader.Skip(3);
        var text = new StringBuilder();
        while (true)
        {
            if (_reader.AtEnd)
            {
                throw new HoconException(start, "unterminated triple-quoted string");
            }
            if (_reader.LookingAt("\"\"\""))
            {
                // Quotes just before the closing three belong to the string ("""a"""" is a").
                while (_reader.LookingAt("\"\"\"\""))
                {
                    text.Append(_reader.Next());
                }
                _reader.Skip(3);
                return text.ToString();
            }
            text.Append(_reader.Next());
        }
    }

    private HoconSubstitution ParseSubstitution()
    {
        var position = _reader.Position;
        _reader.Skip(2); // "${"
        var optional = false;
        if (_reader.Peek() == '?')
        {
            _reader.Next();
            optional = true;
        }
        if (_reader.Peek() == '}')
        {
            throw new HoconException(position, "empty substitution '${}'");
        }
        var path = ParseKeyPath();
        if (_reader.Peek() != '}')
        {
            throw new HoconException(position, "unterminated substitution: expected '}' after the path");
        }
        _reader.Next();
        return new HoconSubstitution(position, path, optional);
    }

    private bool IsIncludeKeyword()
    {
        if (!_reader.LookingAt("include"))
        {
            return false;
        }
        var after = _reader.Peek(7);
        return after is ' ' or '\t';
    }

    /// <summary>
    /// <c>include "file"</c>, <c>include file("...")</c>, <c>include required(file("..."))</c>: the file's fields are
    /// merged here. A missing optional file is skipped; a missing required one is an error.
    /// </summary>
    private void ParseInclude(IReadOnlyList<string> prefix)
    {
        var position = _reader.Position;
        _reader.Skip(7);
        _reader.SkipInlineWhitespace(includeComments: false);
        var required = false;
        if (_reader.LookingAt("required("))
        {
            _reader.Skip(9);
            required = true;
        }
        string name;
        if (_reader.LookingAt("file("))
        {
            _reader.Skip(5);
            name = ParseIncludeName(position);
            ExpectChar(')', position);
        }
        else if (_reader.LookingAt("classpath(") || _reader.LookingAt("url("))
        {
            throw new HoconException(position, "only file includes are supported (include \"path\" or include file(\"path\"))");
        }
        else
        {
            name = ParseIncludeName(position);
        }
        if (required)
        {
            ExpectChar(')', position);
        }
        if (_includeDepth >= MaxIncludeDepth)
        {
            throw new HoconException(position, $"includes nested deeper than {MaxIncludeDepth} levels (an include cycle?)");
        }
        var included = _includes.Resolve(name, _reader.File);
        if (included is null)
        {
            if (required)
            {
                throw new HoconException(position, $"required include '{name}' was not found");
            }
            return;
        }
        ParseInto(_root, prefix, included.Value.Text, included.Value.File, _includes, _includeDepth + 1);
    }

    private string ParseIncludeName(HoconPosition position)
    {
        if (_reader.Peek() != '"')
        {
            throw new HoconException(position, "include expects a quoted file name");
        }
        return ParseQuotedString();
    }

    private void ExpectChar(char expected, HoconPosition position)
    {
        if (_reader.Peek() != expected)
        {
            throw new HoconException(position, $"malformed include: expected '{expected}'");
        }
        _reader.Next();
    }
}
