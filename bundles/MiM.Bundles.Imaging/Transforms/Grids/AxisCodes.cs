namespace MiM.Bundles.Imaging.Transforms.Grids;

/// <summary>
/// A target orientation in nibabel/MONAI axis codes ("RAS", "LPS", "PLI", ...): the letter at position a names the
/// patient direction towards which output axis a increases. Geometry here is LPS, so L = +x, P = +y, S = +z.
/// </summary>
public sealed class AxisCodes
{
    private readonly int[] world;
    private readonly int[] sign;

    private AxisCodes(string codes, int[] world, int[] sign)
    {
        Codes = codes;
        this.world = world;
        this.sign = sign;
    }

    /// <summary>The codes as given, upper case.</summary>
    public string Codes { get; }

    /// <summary>Right, Anterior, Superior: MONAI's usual target.</summary>
    public static AxisCodes Ras { get; } = Parse("RAS");

    /// <summary>The LPS world axis (0 = x, 1 = y, 2 = z) that output axis <paramref name="axis"/> follows.</summary>
    public int WorldAxisOf(int axis) => world[axis];

    /// <summary>+1 when output axis <paramref name="axis"/> increases along its LPS world axis, −1 when against it.</summary>
    public int SignOf(int axis) => sign[axis];

    /// <summary>Parses three letters, one from each of the pairs L/R, P/A and S/I, in any order.</summary>
    /// <exception cref="FormatException">The text is not such a triple.</exception>
    public static AxisCodes Parse(string codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        var upper = codes.ToUpperInvariant();
        if (upper.Length != 3)
        {
            throw new FormatException($"Axis codes must be three letters such as \"RAS\", was \"{codes}\".");
        }

        var world = new int[3];
        var sign = new int[3];
        var seen = new bool[3];
        for (var a = 0; a < 3; a++)
        {
            (world[a], sign[a]) = upper[a] switch
            {
                'L' => (0, 1),
                'R' => (0, -1),
                'P' => (1, 1),
                'A' => (1, -1),
                'S' => (2, 1),
                'I' => (2, -1),
                _ => throw new FormatException($"Axis code '{codes[a]}' in \"{codes}\" is not one of L, R, P, A, S, I."),
            };
            if (seen[world[a]])
            {
                throw new FormatException($"Axis codes \"{codes}\" name the same patient axis twice; use one of each pair L/R, P/A, S/I.");
            }

            seen[world[a]] = true;
        }

        return new AxisCodes(upper, world, sign);
    }

    /// <inheritdoc/>
    public override string ToString() => Codes;
}
