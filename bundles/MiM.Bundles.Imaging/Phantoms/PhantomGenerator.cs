using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// Makes synthetic abdominal CT cases: a procedurally drawn body with lungs, liver, spleen, kidneys,
/// aorta, spine and ribs (labelled) among fat, muscle, heart, vessels and bowel (unlabelled), rendered in
/// HU and passed through a simple scanner model. Every case is a pure function of its seed.
/// </summary>
public static class PhantomGenerator
{
    /// <summary>The smallest grid size per axis.</summary>
    public const int MinimumSize = 32;

    /// <summary>
    /// Generates case <paramref name="seed"/> on a <paramref name="size"/>³ axial grid (LPS, identity direction).
    /// The same seed and size give bit-identical images and labels regardless of thread count.
    /// </summary>
    /// <param name="seed">Any integer; different seeds give different anatomy, geometry, contrast and noise.</param>
    /// <param name="size">Voxels per axis, at least <see cref="MinimumSize"/>; smaller grids use coarser voxels over the same body.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below <see cref="MinimumSize"/>.</exception>
    public static PhantomCase Generate(int seed, int size = 128) => Generate(seed, size, 0.0, maxDegreeOfParallelism: -1);

    /// <summary>
    /// As <see cref="Generate(int, int)"/>, with liver lesions (label <see cref="PhantomLabels.LiverLesion"/>) in a seeded
    /// <paramref name="lesionFraction"/> of cases. A case drawn without lesions is bit-identical to
    /// <see cref="Generate(int, int)"/>'s; a case with lesions differs only at and (through the scanner blur) right next to them.
    /// </summary>
    /// <param name="seed">Any integer.</param>
    /// <param name="size">Voxels per axis, at least <see cref="MinimumSize"/>.</param>
    /// <param name="lesionFraction">Probability in [0, 1] that the case has lesions (0 = never, 1 = always).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size below the minimum or a fraction outside [0, 1].</exception>
    public static PhantomCase Generate(int seed, int size, double lesionFraction) =>
        Generate(seed, size, lesionFraction, maxDegreeOfParallelism: -1);

    /// <summary>As <see cref="Generate(int, int, double)"/>, lesions drawn in <paramref name="style"/>.</summary>
    /// <param name="seed">Any integer.</param>
    /// <param name="size">Voxels per axis, at least <see cref="MinimumSize"/>.</param>
    /// <param name="lesionFraction">Probability in [0, 1] that the case has lesions.</param>
    /// <param name="style">How the lesions look; the cases that have lesions are the same in every style.</param>
    public static PhantomCase Generate(int seed, int size, double lesionFraction, LesionStyle style) =>
        Generate(seed, size, lesionFraction, style, maxDegreeOfParallelism: -1);

    /// <summary>As <see cref="Generate(int, int)"/>, with a cap on the threads used (-1 for no cap).</summary>
    internal static PhantomCase Generate(int seed, int size, int maxDegreeOfParallelism) =>
        Generate(seed, size, 0.0, maxDegreeOfParallelism);

    /// <summary>As <see cref="Generate(int, int, double)"/>, with a cap on the threads used (-1 for no cap).</summary>
    internal static PhantomCase Generate(int seed, int size, double lesionFraction, int maxDegreeOfParallelism) =>
        Generate(seed, size, lesionFraction, LesionStyle.Subtle, maxDegreeOfParallelism);

    /// <summary>As <see cref="Generate(int, int, double, LesionStyle)"/>, with a cap on the threads used (-1 for no cap).</summary>
    internal static PhantomCase Generate(int seed, int size, double lesionFraction, LesionStyle style, int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinimumSize);
        var lesions = new LiverLesions(seed, lesionFraction, style);
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        var frame = PhantomFrame.Sample(seed, size);
        var anatomy = new PhantomAnatomy(seed, frame);
        var (tissues, labels) = AnatomyRasterizer.Rasterize(anatomy, options);
        var tissueModel = new TissueModel(seed);
        var image = tissueModel.Render(tissues, options);
        lesions.Paint(frame, image, labels, tissueModel.Mean(Tissue.Liver));
        new ScannerModel(seed, size).Apply(image, size, options);
        return new PhantomCase(new Volume(frame.Geometry, image), new LabelMap(frame.Geometry, labels), seed) { Lesions = lesions.Count };
    }
}
