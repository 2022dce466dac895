using System.Globalization;

namespace MiM.Bundles.Model.Training.Reporting;

/// <summary>One column of a <see cref="StepCsv"/>: its header name and how its numbers are written.</summary>
/// <param name="Name">Header name.</param>
/// <param name="Format">.NET numeric format ("R" round-trips exactly; "F4" for timings).</param>
public sealed record StepCsvColumn(string Name, string Format = "R");

/// <summary>
/// A CSV file of numbers with one row per optimiser step (the first column), flushed as written so a killed run keeps
/// its history. Opened for a resumed run, rows beyond the checkpoint's step are dropped: they will be recomputed.
/// </summary>
public sealed class StepCsv : IDisposable
{
    private readonly IReadOnlyList<StepCsvColumn> _columns;
    private readonly StreamWriter _writer;

    /// <summary>Opens (or creates) <paramref name="path"/>, keeping rows whose step is at most <paramref name="keepThroughStep"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="columns">Every column, the step first.</param>
    /// <param name="keepThroughStep">The last step whose rows survive (the resumed checkpoint's step; 0 for a new run).</param>
    public StepCsv(string path, IReadOnlyList<StepCsvColumn> columns, long keepThroughStep)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfZero(columns.Count);
        Path = path;
        _columns = columns;
        var kept = File.Exists(path)
            ? File.ReadLines(path).Skip(1).Select(Parse).Where(r => r[0] <= keepThroughStep).ToList()
            : [];
        Rows = kept;
        _writer = new StreamWriter(path, append: false);
        _writer.WriteLine(string.Join(',', columns.Select(c => c.Name)));
        foreach (var row in kept)
        {
            _writer.WriteLine(Format(row));
        }

        _writer.Flush();
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Every row so far, resumed ones included; each holds one value per column, the step first.</summary>
    public List<double[]> Rows { get; }

    /// <summary>Appends and flushes one row.</summary>
    /// <exception cref="ArgumentException">The row does not have one value per column.</exception>
    public void Append(double[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Length != _columns.Count)
        {
            throw new ArgumentException($"A row of {Path} needs {_columns.Count} values, got {row.Length}.", nameof(row));
        }

        Rows.Add(row);
        _writer.WriteLine(Format(row));
        _writer.Flush();
    }

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();

    private string Format(double[] row) => string.Join(
        ',', row.Select((value, i) => value.ToString(i == 0 ? "R" : _columns[i].Format, CultureInfo.InvariantCulture)));

    private static double[] Parse(string line) =>
        line.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
}
