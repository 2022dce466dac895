namespace MiM.Bundles.Model.Data;

/// <summary>
/// The list of image files a pre-training run draws from. Order matters (the per-step volume choice indexes
/// into it), so every kind of source yields a deterministic order.
/// </summary>
public sealed class PretrainDatasetSource
{
    private PretrainDatasetSource(string location, IReadOnlyList<string> files)
    {
        Location = location;
        Files = files;
    }

    /// <summary>The folder or file the source was opened from, as a full path.</summary>
    public string Location { get; }

    /// <summary>Full paths of the image files, in a fixed order. Files are not checked here; unreadable ones are skipped by the loader.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>
    /// Opens <paramref name="path"/>: a folder (its dataset.json when it has one, else every *.nii and *.nii.gz below it
    /// outside folders whose name starts with "labels", sorted by ordinal path), a single
    /// NIfTI file, an MSD <c>dataset.json</c> (any *.json: its <c>training</c> images and <c>test</c> entries), or a
    /// text file listing one image path per line (relative to the list's folder; blank lines and <c>#</c> comments ignored).
    /// </summary>
    /// <exception cref="FileNotFoundException">There is no file or folder at <paramref name="path"/>.</exception>
    /// <exception cref="PretrainDataException">The source names no image file, or a dataset.json is malformed.</exception>
    public static PretrainDatasetSource Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var location = Path.GetFullPath(path);
        IReadOnlyList<string> files;
        string lookedAt;
        if (Directory.Exists(location) && File.Exists(Path.Combine(location, "dataset.json")))
        {
            // An MSD-layout folder: its dataset.json says which files are images (labelsTr/ holds label maps).
            files = MsdDatasetJsonReader.ReadImagePaths(Path.Combine(location, "dataset.json"));
            lookedAt = $"the 'training' and 'test' images of '{Path.Combine(location, "dataset.json")}'";
        }
        else if (Directory.Exists(location))
        {
            files = NiftiFolderScanner.Scan(location);
            lookedAt = $"*.nii and *.nii.gz files under the folder '{location}', outside folders named labels*";
        }
        else if (File.Exists(location))
        {
            if (NiftiFolderScanner.IsNifti(location))
            {
                files = [location];
                lookedAt = $"the NIfTI file '{location}'";
            }
            else if (location.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            {
                files = MsdDatasetJsonReader.ReadImagePaths(location);
                lookedAt = $"the 'training' and 'test' images of the dataset description '{location}'";
            }
            else
            {
                files = ImageListReader.ReadImagePaths(location);
                lookedAt = $"the lines of the list file '{location}'";
            }
        }
        else
        {
            throw new FileNotFoundException($"There is no pre-training data file or folder at '{location}'.", location);
        }

        if (files.Count == 0)
        {
            throw new PretrainDataException($"No pre-training images found: looked for {lookedAt}.");
        }

        return new PretrainDatasetSource(location, files);
    }

    /// <summary>A source over the given files, in the given order (for callers that build their own lists).</summary>
    /// <exception cref="PretrainDataException"><paramref name="files"/> is empty.</exception>
    public static PretrainDatasetSource FromFiles(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var list = files.Select(Path.GetFullPath).ToArray();
        if (list.Length == 0)
        {
            throw new PretrainDataException("No pre-training images given: the file list is empty.");
        }

        return new PretrainDatasetSource("(explicit list)", list);
    }
}
