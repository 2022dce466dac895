using System.Buffers.Binary;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Dicom.Tests.Series;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Dicom.Tests.Derived;

/// <summary>
/// A 32³ phantom written as a CT series by DCMTK's dump2dcm (one file per slice), loaded back with CtSeriesLoader:
/// the source series and a label map (the phantom's labels) on its grid, shared by the SEG and SR tests.
/// </summary>
public sealed class PhantomSeriesFixture : IDisposable
{
    private const string UidRoot = "1.2.826.0.1.3680043.10.1466.78";
    private readonly TemporaryFolder _folder = new();

    public PhantomSeriesFixture()
    {
        var phantom = PhantomGenerator.Generate(seed: 5, size: 32);
        SeriesFolder = _folder.File("ct");
        Write(phantom.Image, SeriesFolder);
        Loaded = CtSeriesLoader.LoadFolder(SeriesFolder);
        Assert.True(Loaded.Volume.Geometry.IsSameGrid(phantom.Image.Geometry), $"series grid {Loaded.Volume.Geometry} differs from the phantom's {phantom.Image.Geometry}");
        Source = SourceSeries.FromLoad(Loaded);
        Labels = new LabelMap(Loaded.Volume.Geometry, phantom.Labels.Voxels);
    }

    public string SeriesFolder { get; }

    public CtSeries Loaded { get; }

    public SourceSeries Source { get; }

    public LabelMap Labels { get; }

    /// <summary>A fresh file path in the fixture's folder.</summary>
    public string NewFile(string name) => _folder.File(Guid.NewGuid().ToString("N")[..8] + "-" + name);

    /// <summary>Voxels per (label value, plane k) of <paramref name="labels"/>.</summary>
    public static Dictionary<(int Value, int Plane), long> CountPerPlane(LabelMap labels)
    {
        var counts = new Dictionary<(int, int), long>();
        var plane = labels.Size.I * labels.Size.J;
        for (var v = 0; v < labels.Voxels.Length; v++)
        {
            if (labels.Voxels[v] != 0)
            {
                var key = (labels.Voxels[v], v / plane);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        return counts;
    }

    public void Dispose() => _folder.Dispose();

    private static void Write(Volume image, string folder)
    {
        Directory.CreateDirectory(folder);
        var g = image.Geometry;
        var plane = g.Size.I * g.Size.J;
        for (var k = 0; k < g.Size.K; k++)
        {
            var stem = Path.Combine(folder, $"CT{k + 1:D4}");
            var bytes = new byte[plane * 2];
            for (var p = 0; p < plane; p++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * p), (short)Math.Clamp(Math.Round(image.Voxels[(k * plane) + p]), short.MinValue, short.MaxValue));
            }

            File.WriteAllBytes(stem + ".raw", bytes);
            File.WriteAllText(stem + ".txt", new DcmtkSliceDump
            {
                StudyInstanceUid = $"{UidRoot}.1",
                SeriesInstanceUid = $"{UidRoot}.2",
                SopInstanceUid = $"{UidRoot}.3.{k + 1}",
                FrameOfReferenceUid = $"{UidRoot}.4",
                InstanceNumber = k + 1,
                Position = g.IndexToPhysical(0, 0, k),
                RowDirection = g.Direction.IAxis,
                ColumnDirection = g.Direction.JAxis,
                Rows = g.Size.J,
                Columns = g.Size.I,
                RowSpacing = g.Spacing.Y,
                ColumnSpacing = g.Spacing.X,
                SliceThickness = g.Spacing.Z,
                RawFile = stem + ".raw",
            }.ToText());
            Tool.Run("dump2dcm", "--write-xfer-little", stem + ".txt", stem + ".dcm");
            File.Delete(stem + ".raw");
            File.Delete(stem + ".txt");
        }
    }
}

/// <summary>The SEG and SR tests share one phantom series.</summary>
[CollectionDefinition(Name)]
public sealed class DerivedObjectsDefinition : ICollectionFixture<PhantomSeriesFixture>
{
    public const string Name = "Derived objects on a phantom series";
}
