namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// A hollow organ (stomach, bowel loop): a wall around content that is gas, fluid or faeces. With a
/// gas-fluid level, gas fills the part anterior to the level, as it does in a patient lying supine.
/// </summary>
internal sealed class HollowViscus
{
    private readonly double wallStart;
    private readonly double gasLevelY;
    private readonly Tissue content;

    /// <summary>A viscus of <paramref name="shape"/> with a wall of the given relative thickness.</summary>
    /// <param name="shape">The outer surface.</param>
    /// <param name="wallFraction">Wall thickness as a fraction of the radius.</param>
    /// <param name="content">What fills it below any gas level.</param>
    /// <param name="gasLevelY">Gas fills y &lt; this; -∞ for none.</param>
    public HollowViscus(OrganShape shape, double wallFraction, Tissue content, double gasLevelY)
    {
        Shape = shape;
        wallStart = (1 - wallFraction) * (1 - wallFraction);
        this.content = content;
        this.gasLevelY = gasLevelY;
    }

    /// <summary>The outer surface.</summary>
    public OrganShape Shape { get; }

    /// <summary>The tissue at voxel (i, j, k) at anatomy-frame y, or false outside.</summary>
    public bool TryClassify(int i, int j, int k, double y, out Tissue tissue)
    {
        var f = Shape.Evaluate(i, j, k);
        if (f > 1)
        {
            tissue = Tissue.Air;
            return false;
        }

        tissue = f > wallStart ? Tissue.BowelWall : y < gasLevelY ? Tissue.BowelGas : content;
        return true;
    }
}
