using System.Globalization;
using System.Runtime.InteropServices;
using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Tests.Contracts;

public class VoxelArraysTests
{
    private static readonly VolumeGeometry Large = new(new GridSize(256, 256, 40), new Vector3D(0, 0, 0), new Vector3D(1, 1, 1), Direction3D.Identity);

    [Fact]
    public void A_large_volume_is_zero_even_where_its_memory_held_other_voxels_before()
    {
        for (var round = 0; round < 3; round++)
        {
            var volume = Volume.Zeros(Large);
            Assert.All(volume.Voxels, v => Assert.Equal(0f, v));
            var labels = LabelMap.Empty(Large);
            Assert.All(labels.Voxels, l => Assert.Equal(0, l));

            // Dirty the memory so that the next round's arrays, if they reuse it, would show it.
            volume.Voxels.AsSpan().Fill(3f);
            labels.Voxels.AsSpan().Fill(7);
            GC.Collect();
        }
    }

    [Fact]
    public void A_large_volume_lies_in_huge_pages_where_the_kernel_takes_the_advice()
    {
        // Transparent huge pages "never" (or another OS): nothing to advise, the array is an ordinary one.
        const string Setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!File.Exists(Setting) || File.ReadAllText(Setting).Contains("[never]", StringComparison.Ordinal))
        {
            return;
        }

        var volume = Volume.Zeros(Large);
        // The advice covers the array's whole 2 MiB pages; its middle lies in them.
        var middle = (long)Marshal.UnsafeAddrOfPinnedArrayElement(volume.Voxels, volume.Voxels.Length / 2);
        Assert.True(HugePagesKilobytes(middle) >= 2048, "no 2 MiB page backs the volume's memory");
        GC.KeepAlive(volume);
    }

    /// <summary>AnonHugePages of the mapping in /proc/self/smaps that holds <paramref name="address"/>.</summary>
    private static long HugePagesKilobytes(long address)
    {
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && long.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var from)
                && long.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var to))
            {
                inside = address >= from && address < to;
            }
            else if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
