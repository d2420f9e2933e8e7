namespace Durably.Cli.Output;

/// <summary>
/// An aligned text table. <see cref="Write"/> sizes each column to its widest cell; <see cref="WriteHeader"/> and
/// <see cref="WriteRow"/> stream rows at the columns' minimum widths (for <c>history --follow</c>).
/// Cells are measured without colour, then painted.
/// </summary>
internal sealed class Table(TextWriter writer, Style style, params Column[] columns)
{
    private const string Gap = "  ";

    /// <summary>Writes the header and every row, each column as wide as its widest cell.</summary>
    public void Write(IEnumerable<Cell[]> rows) => WriteAll(rows, header: true);

    /// <summary>Writes every row without a header (label/value lists).</summary>
    public void WriteRows(IEnumerable<Cell[]> rows) => WriteAll(rows, header: false);

    /// <summary>Writes the header at the columns' minimum widths.</summary>
    public void WriteHeader() => WriteLine(columns.Select(c => new Cell(c.Header, style.Bold)).ToArray(), MinWidths());

    /// <summary>Writes one row at the columns' minimum widths.</summary>
    public void WriteRow(Cell[] row) => WriteLine(row, MinWidths());

    private void WriteAll(IEnumerable<Cell[]> rows, bool header)
    {
        List<Cell[]> all = [.. rows];
        int[] widths = [.. columns.Select((column, i) => all.Select(row => row[i].Text.Length)
            .Append(header ? column.Header.Length : 0).Append(column.MinWidth).Max())];
        if (header)
        {
            WriteLine(columns.Select(c => new Cell(c.Header, style.Bold)).ToArray(), widths);
        }

        foreach (Cell[] row in all)
        {
            WriteLine(row, widths);
        }
    }

    private int[] MinWidths() => [.. columns.Select(c => Math.Max(c.MinWidth, c.Header.Length))];

    private void WriteLine(Cell[] row, int[] widths)
    {
        int last = row.Length - 1;
        while (last > 0 && row[last].Text.Length == 0)
        {
            last--;
        }

        var line = new System.Text.StringBuilder();
        for (int i = 0; i <= last; i++)
        {
            string text = row[i].Text;
            int pad = Math.Max(0, widths[i] - text.Length);
            string painted = row[i].Paint?.Invoke(text) ?? text;
            if (columns[i].AlignRight)
            {
                line.Append(' ', pad).Append(painted);
            }
            else
            {
                line.Append(painted);
                if (i < last)
                {
                    line.Append(' ', pad);
                }
            }

            if (i < last)
            {
                line.Append(Gap);
            }
        }

        writer.WriteLine(line.ToString());
    }
}

/// <summary>A table column.</summary>
/// <param name="Header">The header text.</param>
/// <param name="MinWidth">The minimum width (the fixed width when streaming).</param>
/// <param name="AlignRight">Right-align (numbers).</param>
internal sealed record Column(string Header, int MinWidth = 0, bool AlignRight = false);

/// <summary>A table cell: its text and how to colour it.</summary>
/// <param name="Text">The visible text.</param>
/// <param name="Paint">Wraps the text in colour, or null for plain.</param>
internal readonly record struct Cell(string Text, Func<string, string>? Paint = null)
{
    /// <summary>A plain cell.</summary>
    public static implicit operator Cell(string text) => new(text);
}
