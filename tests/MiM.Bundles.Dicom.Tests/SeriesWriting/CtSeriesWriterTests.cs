using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Dicom.SeriesWriting;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Dicom.Tests.Series;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Dicom.Tests.SeriesWriting;

/// <summary>
/// A phantom written as a CT series: dciodvfy finds no error in its slices, and both our loader and dcm2niix read back
/// the phantom's grid and its HU (rounded to integers, as 12-bit stored values hold them).
/// </summary>
public sealed class CtSeriesWriterTests
{
    private static readonly CtSeriesIdentity Identity =
        CtSeriesIdentity.Derived("test/phantom 11", "PHANTOM^0011", "MIM-PHANTOM-0011", new DateTimeOffset(2026, 1, 5, 9, 30, 0, TimeSpan.Zero));

    [Fact]
    public void Written_slices_pass_dciodvfy_without_errors()
    {
        using var folder = new TemporaryFolder();
        var phantom = PhantomGenerator.Generate(11, 32, 1.0);
        var files = CtSeriesWriter.Write(phantom.Image, folder.Path, Identity);

        Assert.Equal(32, files.Count);
        foreach (var file in new[] { files[0], files[15], files[^1] })
        {
            var (code, errors, _) = DerivedObjectPeers.RunDciodvfy(file);
            Assert.True(errors.Count == 0 && code == 0, $"{Path.GetFileName(file)}: exit {code}\n{string.Join('\n', errors)}");
        }
    }

    [Fact]
    public void The_loader_reads_back_the_phantoms_grid_and_rounded_HU()
    {
        using var folder = new TemporaryFolder();
        var phantom = PhantomGenerator.Generate(11, 40, 1.0);
        CtSeriesWriter.Write(phantom.Image, folder.Path, Identity);

        var loaded = CtSeriesLoader.LoadFolder(folder.Path);

        Assert.Empty(loaded.Report.Issues);
        Assert.True(loaded.Volume.Geometry.IsSameGrid(phantom.Image.Geometry, 1e-4), $"read {loaded.Volume.Geometry}, wrote {phantom.Image.Geometry}");
        Assert.Equal(Identity.FrameOfReferenceUid, loaded.Volume.Geometry.FrameOfReferenceUid);
        for (var n = 0; n < phantom.Image.Voxels.Length; n++)
        {
            Assert.Equal(Rounded(phantom.Image.Voxels[n]), loaded.Volume.Voxels[n]);
        }
    }

    [Fact]
    public void Dcm2niix_reads_back_the_same_voxels_at_the_same_positions()
    {
        using var folder = new TemporaryFolder();
        var phantom = PhantomGenerator.Generate(12, 32, 1.0);
        var dicom = folder.File("dicom");
        CtSeriesWriter.Write(phantom.Image, dicom, Identity);

        var nifti = Directory.CreateDirectory(folder.File("nifti")).FullName;
        Tool.Run("dcm2niix", "-z", "y", "-f", "out", "-o", nifti, dicom);
        var theirs = NiftiReader.ReadVolume(Assert.Single(Directory.GetFiles(nifti, "*.nii.gz")));

        Assert.Equal(phantom.Image.Size.VoxelCount, theirs.Size.VoxelCount);
        for (var k = 0; k < theirs.Size.K; k++)
        {
            for (var j = 0; j < theirs.Size.J; j++)
            {
                for (var i = 0; i < theirs.Size.I; i++)
                {
                    var index = phantom.Image.Geometry.PhysicalToIndex(theirs.Geometry.IndexToPhysical(i, j, k));
                    var (a, b, c) = ((int)Math.Round(index.X), (int)Math.Round(index.Y), (int)Math.Round(index.Z));
                    Assert.True(Math.Abs(index.X - a) < 1e-3 && Math.Abs(index.Y - b) < 1e-3 && Math.Abs(index.Z - c) < 1e-3, $"dcm2niix voxel ({i}, {j}, {k}) lies at our index {index}");
                    Assert.Equal(Rounded(phantom.Image[a, b, c]), theirs[i, j, k]);
                }
            }
        }
    }

    [Fact]
    public void The_same_identity_gives_the_same_UIDs_and_attributes_a_CT_viewer_reads()
    {
        using var folder = new TemporaryFolder();
        var phantom = PhantomGenerator.Generate(13, 32);
        var first = CtSeriesWriter.Write(phantom.Image, folder.File("a"), Identity);
        var second = CtSeriesWriter.Write(phantom.Image, folder.File("b"), Identity);

        Assert.Equal(File.ReadAllBytes(first[5]), File.ReadAllBytes(second[5]));
        var slice = DicomFile.Open(first[5]).Dataset;
        Assert.Equal(CtSeriesWriter.SopClassUid, slice.GetUid(DicomTag.SopClassUid));
        Assert.Equal(CtSeriesWriter.InstanceUid(Identity, 5), slice.GetUid(DicomTag.SopInstanceUid));
        Assert.Equal("-1024", slice.GetString(new DicomTag(0x0028, 0x1052)));
        Assert.Equal("120", slice.GetString(new DicomTag(0x0018, 0x0060)));
        Assert.Equal("ORIGINAL\\PRIMARY\\AXIAL", slice.GetString(new DicomTag(0x0008, 0x0008)));
        Assert.NotEqual(Identity.StudyInstanceUid, CtSeriesIdentity.Derived("test/phantom 12", "P", "P", Identity.AcquiredAt).StudyInstanceUid);
    }

    private static float Rounded(float hu) => CtSeriesWriter.StoredValue(hu) + CtSeriesWriter.RescaleIntercept;
}
