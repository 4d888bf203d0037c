namespace AkkaKv.Hosting.Hocon;

/// <summary>A cursor over HOCON text that tracks line and column and skips whitespace and comments.</summary>
internal sealed class HoconReader(string text, string file)
{
    private int _offset;
    private int _line = 1;
    private int _column = 1;

    public string File { get; } = file;

    public HoconPosition Position => new(File, _line, _column);

    public bool AtEnd => _offset >= text.Length;

    public char Peek(int ahead = 0) => _offset + ahead < text.Length ? text[_offset + ahead] : '\0';

    public bool LookingAt(string literal) => string.CompareOrdinal(text, _offset, literal, 0, literal.Length) == 0;

    public char Next()
    {
        var ch = text[_offset++];
        if (ch == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }
        return ch;
    }

    public void Skip(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Next();
        }
    }

    public bool IsCommentStart => Peek() == '#' || (Peek() == '/' && Peek(1) == '/');

    /// <summary>Skips spaces and tabs (not newlines) and a comment running to the end of the line; returns the skipped spaces.</summary>
    public string SkipInlineWhitespace(bool includeComments = true)
    {
        var start = _offset;
        while (!AtEnd && IsInlineWhitespace(Peek()))
        {
            Next();
        }
        var skipped = text[start.._offset];
        if (includeComments && IsCommentStart)
        {
            while (!AtEnd && Peek() != '\n')
            {
                Next();
            }
        }
        return skipped;
    }

    /// <summary>Skips whitespace, newlines and comments; returns whether a newline was crossed.</summary>
    public bool SkipWhitespaceAndComments()
    {
        var crossedNewline = false;
        while (!AtEnd)
        {
            SkipInlineWhitespace();
            if (Peek() == '\n' || Peek() == '\r')
            {
                crossedNewline |= Next() == '\n';
                continue;
            }
            break;
        }
        return crossedNewline;
    }

    public HoconException Error(string message) => new(Position, message);

    /// <summary>Spaces and tabs, the BOM, and the other Unicode spaces HOCON allows; never a newline.</summary>
    public static bool IsInlineWhitespace(char ch) =>
        ch is ' ' or '\t' or '\uFEFF' or '\r' || (ch != '\n' && char.IsWhiteSpace(ch));
}
