using System.Text.Json;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Tests.Shared.Dicom;
using Xunit.Abstractions;

namespace MiM.Bundles.Dicom.Tests.IO;

public sealed class PydicomCorpusTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in PeerTools.AllPydicomFiles())
        {
            data.Add(Path.GetRelativePath(PeerTools.PydicomTestFiles, f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_file_loads_or_fails_with_DicomException(string name)
    {
        var path = PeerTools.PydicomFile(name);
        var task = Task.Run(() => Load(path));
        var finished = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10)));
        Assert.True(finished == task, $"{name}: reading did not finish within 10 s");
        var (file, error) = await task;
        if (error is not null)
        {
            output.WriteLine($"FAIL {name}: {error.Message}");
            Assert.IsType<DicomException>(error);
            return;
        }

        output.WriteLine($"LOAD {name}: {file!.Dataset.Count} elements, {file.TransferSyntax.Name}, warnings: {string.Join("; ", file.Warnings)}");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Top_level_string_values_equal_dcm2json(string name)
    {
        var path = PeerTools.PydicomFile(name);
        var (file, error) = Load(path);
        var (exit, stdout, _) = ExternalTool.Run(PeerTools.Dcm2Json, "-fc", path);
        if (error is not null || exit != 0 || stdout.Length == 0)
        {
            // Only files both readers accept are compared; the other test pins what happens to the rest.
            output.WriteLine($"skip {name}: ours {(error is null ? "ok" : error.Message)}, dcm2json exit {exit}");
            return;
        }

        using var json = JsonDocument.Parse(stdout);
        var compared = 0;
        foreach (var property in json.RootElement.EnumerateObject())
        {
            // dcm2json converts text to UTF-8 and rewrites Specific Character Set accordingly, so that one is skipped.
            var tag = DicomTag.Parse(property.Name);
            var vr = property.Value.GetProperty("vr").GetString();
            if (!property.Value.TryGetProperty("Value", out var values) || vr is "PN" or "SQ" || tag.Group == 0x0002 || tag == DicomTag.SpecificCharacterSet)
            {
                continue;
            }

            if (!DicomVrInfo.TryParse((byte)vr![0], (byte)vr[1], out var parsed) || !DicomVrInfo.IsString(parsed) || parsed is DicomVr.DS or DicomVr.IS)
            {
                continue;
            }

            // Character sets beyond Latin-1 and UTF-8 decode as Latin-1 with a warning; their text is not compared.
            if (DicomVrInfo.UsesCharacterSet(parsed) && file!.Dataset.CharacterSet.Warning is not null)
            {
                continue;
            }

            var expected = values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Null ? string.Empty : v.GetString()!).ToArray();
            var ours = file!.Dataset.GetStrings(tag).ToArray();
            Assert.True(expected.SequenceEqual(ours), $"{name} {tag} {vr}: dcm2json [{string.Join("|", expected)}] ours [{string.Join("|", ours)}]");
            compared++;
        }

        output.WriteLine($"{name}: {compared} string values equal");
    }

    private static (DicomFile? File, Exception? Error) Load(string path)
    {
        try
        {
            var file = DicomFile.Open(path);
            foreach (var element in file.Dataset)
            {
                Touch(element);
            }

            return (file, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, e);
        }
    }

    /// <summary>Reads every value so deferred pixel data and fragments are exercised too.</summary>
    private static void Touch(DicomElement element)
    {
        switch (element)
        {
            case DicomValueElement v:
                _ = v.Buffer.GetBytes();
                break;
            case DicomSequence s:
                foreach (var e in s.Items.SelectMany(i => i))
                {
                    Touch(e);
                }

                break;
            case DicomFragmentSequence f:
                _ = f.Fragments.Sum(x => x.GetBytes().Length);
                break;
        }
    }
}
