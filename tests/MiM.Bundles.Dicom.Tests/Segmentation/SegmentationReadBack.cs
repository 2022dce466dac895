using System.Text.Json;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Tests.Peers;

namespace MiM.Bundles.Dicom.Tests.Segmentation;

/// <summary>
/// Reads a written SEG with pydicom or dcmjs: for each frame its segment number, plane position, number of set pixels
/// (BINARY: 1 bits; FRACTIONAL: the maximum value) and referenced source instances.
/// </summary>
internal static class SegmentationReadBack
{
    public sealed record Frame(int Segment, int Plane, long Count, IReadOnlyList<string> Sources);

    private const string PydicomScript = """
        import sys, json
        import numpy as np
        import pydicom
        ds = pydicom.dcmread(sys.argv[1])
        px = ds.pixel_array
        if int(ds.NumberOfFrames) == 1:
            px = px[None]
        on = 1 if ds.SegmentationType == 'BINARY' else int(ds.MaximumFractionalValue)
        frames = []
        for f, item in enumerate(ds.PerFrameFunctionalGroupsSequence):
            sources = [s.ReferencedSOPInstanceUID for d in item.get('DerivationImageSequence', []) for s in d.SourceImageSequence]
            frames.append({
                'segment': int(item.SegmentIdentificationSequence[0].ReferencedSegmentNumber),
                'ipp': [float(v) for v in item.PlanePositionSequence[0].ImagePositionPatient],
                'count': int(np.count_nonzero(px[f] == on)),
                'other': int(np.count_nonzero((px[f] != on) & (px[f] != 0))),
                'sources': sources})
        print(json.dumps({'frames': frames, 'shape': list(px.shape)}))
        """;

    private const string DcmjsScript = """
        const path = require('path');
        const fs = require('fs');
        const dcmjs = require(path.join(process.argv[1], 'dcmjs'));
        const file = fs.readFileSync(process.argv[2]);
        const message = dcmjs.data.DicomMessage.readFile(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength));
        const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.dict);
        const first = x => Array.isArray(x) ? x[0] : x;
        const list = x => x === undefined ? [] : (Array.isArray(x) ? x : [x]);
        let pixels = ds.PixelData;
        if (Array.isArray(pixels)) pixels = pixels[0];
        const bytes = new Uint8Array(pixels);
        const plane = ds.Rows * ds.Columns;
        const binary = ds.BitsAllocated === 1;
        const on = binary ? 1 : ds.MaximumFractionalValue;
        const frames = list(ds.PerFrameFunctionalGroupsSequence).map((item, f) => {
          let count = 0, other = 0;
          for (let p = 0; p < plane; p++) {
            const n = f * plane + p;
            const v = binary ? (bytes[n >> 3] >> (n & 7)) & 1 : bytes[n];
            if (v === on) count++; else if (v !== 0) other++;
          }
          const sources = list(item.DerivationImageSequence).flatMap(d => list(d.SourceImageSequence).map(s => s.ReferencedSOPInstanceUID));
          return { segment: first(item.SegmentIdentificationSequence).ReferencedSegmentNumber,
                   ipp: first(item.PlanePositionSequence).ImagePositionPatient.map(Number), count, other, sources };
        });
        console.log(JSON.stringify({ frames }));
        """;

    public static IReadOnlyList<Frame> WithPydicom(string file, VolumeGeometry grid) => Frames(DerivedObjectPeers.Pydicom(PydicomScript, file), grid);

    public static IReadOnlyList<Frame> WithDcmjs(string file, VolumeGeometry grid) => Frames(DerivedObjectPeers.Dcmjs(DcmjsScript, file), grid);

    /// <summary>Set pixels per (segment number, plane), as the reader saw them.</summary>
    public static Dictionary<(int Segment, int Plane), long> Counts(IEnumerable<Frame> frames) =>
        frames.Where(f => f.Count > 0).GroupBy(f => (f.Segment, f.Plane)).ToDictionary(g => g.Key, g => g.Sum(f => f.Count));

    private static List<Frame> Frames(JsonElement json, VolumeGeometry grid)
    {
        var frames = new List<Frame>();
        foreach (var f in json.GetProperty("frames").EnumerateArray())
        {
            var ipp = f.GetProperty("ipp").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var index = grid.PhysicalToIndex(new Vector3D(ipp[0], ipp[1], ipp[2]));
            var plane = (int)Math.Round(index.Z);
            Assert.True(Math.Abs(index.X) < 1e-3 && Math.Abs(index.Y) < 1e-3 && Math.Abs(index.Z - plane) < 1e-3, $"frame position {string.Join('\\', ipp)} is not the corner of a plane of the source grid (index {index})");
            Assert.Equal(0, f.GetProperty("other").GetInt32());
            frames.Add(new Frame(f.GetProperty("segment").GetInt32(), plane, f.GetProperty("count").GetInt64(), [.. f.GetProperty("sources").EnumerateArray().Select(s => s.GetString()!)]));
        }

        return frames;
    }
}
