using System.Globalization;
using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// The voxel grid of one case and where it lies in the anatomy frame: LPS millimetres with the body's
/// axis at x = y = 0 and the top of the right diaphragm dome at z = 0. Also fixes the body's overall size,
/// because the field of view a scanner operator picks follows the patient.
/// </summary>
internal sealed class PhantomFrame
{
    /// <summary>How far harmonics and the pelvic flare can push the outline beyond the mean half-axes.</summary>
    public const double MaximumOutline = 1.14;

    /// <summary>The largest fraction of the field of view the body may span, leaving air at the edges.</summary>
    private const double MaximumFill = 0.92;

    private PhantomFrame(VolumeGeometry geometry, double[] x, double[] y, double[] z, double bodyHalfWidth, double bodyHalfDepth)
    {
        Geometry = geometry;
        X = x;
        Y = y;
        Z = z;
        BodyHalfWidth = bodyHalfWidth;
        BodyHalfDepth = bodyHalfDepth;
    }

    /// <summary>The grid in DICOM patient coordinates.</summary>
    public VolumeGeometry Geometry { get; }

    /// <summary>Anatomy-frame x (mm, patient left positive) of each column i.</summary>
    public double[] X { get; }

    /// <summary>Anatomy-frame y (mm, posterior positive) of each row j.</summary>
    public double[] Y { get; }

    /// <summary>Anatomy-frame z (mm, superior positive) of each slice k.</summary>
    public double[] Z { get; }

    /// <summary>The voxels per axis.</summary>
    public int Size => X.Length;

    /// <summary>The body's mean half-width (left-right) in mm.</summary>
    public double BodyHalfWidth { get; }

    /// <summary>The body's mean half-depth (anterior-posterior) in mm.</summary>
    public double BodyHalfDepth { get; }

    /// <summary>Draws spacing, field of view, body size and table position for case <paramref name="seed"/>.</summary>
    public static PhantomFrame Sample(int seed, int size)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Geometry);

        // The operator fits the field of view to the patient: a wide patient gets coarser in-plane voxels.
        // Smaller grids get coarser voxels still, so that they cover the same body.
        var halfWidth = rng.Uniform(135, 165);
        var halfDepth = halfWidth * rng.Uniform(0.72, 0.85);
        var scale = 128.0 / size;
        var inPlane = Math.Max(rng.Uniform(2.4, 3.2), 2 * halfWidth * MaximumOutline / MaximumFill / 128) * scale;
        var slice = rng.Uniform(2.5, 3.5) * scale;
        var fov = size * inPlane;

        // Shift the body off-centre only as far as keeps its widest outline inside the field of view.
        var shiftX = rng.Symmetric(1) * Math.Max(0, (MaximumFill * fov / 2) - (MaximumOutline * halfWidth));
        var shiftY = rng.Symmetric(1) * Math.Max(0, (MaximumFill * fov / 2) - (MaximumOutline * halfDepth));
        var top = rng.Uniform(100, 160);

        var x = new double[size];
        var y = new double[size];
        var z = new double[size];
        for (var n = 0; n < size; n++)
        {
            x[n] = ((n - ((size - 1) / 2.0)) * inPlane) - shiftX;
            y[n] = ((n - ((size - 1) / 2.0)) * inPlane) - shiftY;
            z[n] = top - ((size - 1 - n) * slice);
        }

        // Where the anatomy frame sits in scanner coordinates: table height and couch position vary.
        var table = new Vector3D(rng.Symmetric(20), rng.Symmetric(25), rng.Uniform(-250, 50));
        var origin = new Vector3D(x[0], y[0], z[0]) + table;
        var uid = "2.25." + new UInt128(rng.NextUInt64() >> 1, rng.NextUInt64()).ToString(CultureInfo.InvariantCulture);
        var geometry = new VolumeGeometry(
            new GridSize(size, size, size), origin, new Vector3D(inPlane, inPlane, slice), Direction3D.Identity, uid);
        return new PhantomFrame(geometry, x, y, z, halfWidth, halfDepth);
    }

    /// <summary>The index range [first, last] along an axis whose coordinates fall in [min, max]; empty when first &gt; last.</summary>
    public static (int First, int Last) IndexRange(double[] axis, double min, double max)
    {
        var step = axis[1] - axis[0];
        var first = (int)Math.Ceiling((min - axis[0]) / step);
        var last = (int)Math.Floor((max - axis[0]) / step);
        return (Math.Max(first, 0), Math.Min(last, axis.Length - 1));
    }
}
