namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The whole anatomy of one case, and the rule that decides each voxel's tissue and label. Structures
/// are tested in a fixed priority order so that nothing overlaps: body wall layers, bone, paraspinal
/// muscle, vessels, then (above the diaphragm) heart, mediastinum and lungs or (below it) the labelled
/// organs, hollow viscera, psoas and visceral fat. Organs only occupy the body cavity, so they stay inside
/// the body.
/// </summary>
internal sealed class PhantomAnatomy
{
    /// <summary>Draws every structure of case <paramref name="seed"/> on <paramref name="frame"/>.</summary>
    public PhantomAnatomy(int seed, PhantomFrame frame)
    {
        Frame = frame;
        Body = new BodyOutline(seed, frame);
        Spine = new Spine(seed);
        Muscles = new Musculature(seed);
        Ribs = new RibCage(seed, Spine, frame.Z[^1]);
        Vessels = new Vessels(seed);
        Thorax = new Thorax(seed, frame, Body);
        Organs = new AbdominalOrgans(seed, frame, Body, Spine, Thorax.Diaphragm);
        Bowel = new Bowel(seed, frame, Thorax, Body, Spine);
    }

    /// <summary>The grid.</summary>
    public PhantomFrame Frame { get; }

    /// <summary>Body outline and wall.</summary>
    public BodyOutline Body { get; }

    /// <summary>Vertebral column.</summary>
    public Spine Spine { get; }

    /// <summary>Paraspinal and psoas muscles.</summary>
    public Musculature Muscles { get; }

    /// <summary>Ribs.</summary>
    public RibCage Ribs { get; }

    /// <summary>Aorta, iliac arteries and inferior vena cava.</summary>
    public Vessels Vessels { get; }

    /// <summary>Diaphragm, heart, mediastinum and lungs.</summary>
    public Thorax Thorax { get; }

    /// <summary>Liver, spleen and kidneys.</summary>
    public AbdominalOrgans Organs { get; }

    /// <summary>Stomach and bowel loops.</summary>
    public Bowel Bowel { get; }

    /// <summary>Works out what does not vary within slice <paramref name="k"/>.</summary>
    public AnatomySlice Slice(int k)
    {
        var z = Frame.Z[k];
        var body = Body.At(z);
        var vertebra = Spine.At(z, body);
        return new AnatomySlice(
            k,
            z,
            body,
            vertebra,
            Vessels.At(z, vertebra),
            [.. Organs.Shapes.Where(o => o.Shape.CoversSlice(k))],
            [.. Bowel.Viscera.Where(v => v.Shape.CoversSlice(k))],
            z >= Ribs.Bottom ? Ribs.MaxDepth(body) : -1);
    }

    /// <summary>The tissue and label of voxel (i, j) in <paramref name="slice"/>.</summary>
    public Tissue Classify(int i, int j, AnatomySlice slice, out ushort label)
    {
        label = 0;
        var x = Frame.X[i];
        var y = Frame.Y[j];
        var body = slice.Body;
        var depth = body.Depth(x, y, out var cos, out var sin);
        if (depth < 0)
        {
            return Tissue.Air;
        }

        if (depth < body.Skin)
        {
            return Tissue.Skin;
        }

        var fat = body.FatAt(cos, sin);
        if (depth < body.Skin + fat)
        {
            return Tissue.SubcutaneousFat;
        }

        var v = slice.Vertebra;
        if (Spine.TryClassify(x, y, v, out var bone, out var isSpine))
        {
            label = isSpine ? PhantomLabels.Spine : (ushort)0;
            return bone;
        }

        if (depth < slice.RibDepth && Ribs.Contains(slice.Z, depth, cos, sin, body))
        {
            label = PhantomLabels.Ribs;
            return Tissue.RibBone;
        }

        if (Muscles.IsParaspinal(x, y, v) || depth < body.Skin + fat + body.Muscle)
        {
            return Tissue.Muscle;
        }

        return ClassifyCavity(i, j, x, y, slice, out label);
    }

    private Tissue ClassifyCavity(int i, int j, double x, double y, AnatomySlice slice, out ushort label)
    {
        label = 0;
        var vessels = slice.Vessels;
        if (vessels.InAorta(x, y))
        {
            label = PhantomLabels.Aorta;
            return Tissue.ArterialBlood;
        }

        if (vessels.InIliac(x, y))
        {
            return Tissue.ArterialBlood;
        }

        if (vessels.InIvc(x, y))
        {
            return Tissue.VenousBlood;
        }

        var diaphragm = Thorax.Diaphragm.SurfaceZ(x, y);
        if (slice.Z >= diaphragm)
        {
            return Thorax.Classify(i, j, slice.K, x, y, slice.Vertebra, out label);
        }

        if (slice.Z >= diaphragm - Thorax.Diaphragm.Thickness)
        {
            return Tissue.Muscle;
        }

        foreach (var organ in slice.Organs)
        {
            if (organ.Shape.Evaluate(i, j, slice.K) <= 1)
            {
                label = organ.Label;
                return organ.Tissue;
            }
        }

        if (Muscles.IsPsoas(x, y, slice.Z, slice.Vertebra))
        {
            return Tissue.Muscle;
        }

        foreach (var viscus in slice.Viscera)
        {
            if (viscus.TryClassify(i, j, slice.K, y, out var tissue))
            {
                return tissue;
            }
        }

        return Tissue.VisceralFat;
    }
}
