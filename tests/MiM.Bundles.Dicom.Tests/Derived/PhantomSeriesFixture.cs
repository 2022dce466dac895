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
        DcmtkPhantomSeries.Write(phantom.Image, SeriesFolder, UidRoot);
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
}

/// <summary>The SEG and SR tests share one phantom series.</summary>
[CollectionDefinition(Name)]
public sealed class DerivedObjectsDefinition : ICollectionFixture<PhantomSeriesFixture>
{
    public const string Name = "Derived objects on a phantom series";
}
