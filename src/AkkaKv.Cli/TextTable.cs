using System.Text;

namespace AkkaKv.Cli;

/// <summary>Plain-text tables: columns padded to their widest cell, two spaces apart, no trailing blanks.</summary>
internal static class TextTable
{
    public static string Format(IReadOnlyList<string[]> rows)
    {
        var widths = Enumerable.Range(0, rows[0].Length).Select(column => rows.Max(row => row[column].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, column) => cell.PadRight(widths[column]))).TrimEnd());
        }
        return text.ToString();
    }
}
