using System.Text.Json;
using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Imaging.Transforms.IO;

namespace MiM.Bundles.Imaging.Transforms;

/// <summary>
/// An ordered list of transforms read from a pipeline file (<c>{"transforms": [{"name": "Orientation", "axcodes": "RAS"},
/// ...]}</c>, see docs/transforms.md). <see cref="Apply(SampleSource, ulong, long, ParallelOptions?)"/> loads a sample, runs every transform, and returns each output
/// sample with the inverse that maps results on its grid back to the loaded grid.
/// </summary>
public sealed class TransformPipeline
{
    private static readonly string[] SampleKeys = ["image", "label"];

    /// <summary>A pipeline of <paramref name="transforms"/> (LoadImage is implicit: every source is loaded first).</summary>
    public TransformPipeline(IReadOnlyList<ISampleTransform> transforms)
    {
        ArgumentNullException.ThrowIfNull(transforms);
        Transforms = [.. transforms];
    }

    /// <summary>The transforms after loading, in order.</summary>
    public IReadOnlyList<ISampleTransform> Transforms { get; }

    /// <summary>Reads a pipeline file.</summary>
    /// <exception cref="TransformConfigException">The file is not a valid pipeline; the message says where and why.</exception>
    public static TransformPipeline Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            return Parse(File.ReadAllText(path));
        }
        catch (TransformConfigException e)
        {
            throw new TransformConfigException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Parses pipeline JSON.</summary>
    /// <exception cref="TransformConfigException">The JSON is not a valid pipeline; the message names the transform, the key and what was expected.</exception>
    public static TransformPipeline Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new TransformConfigException($"Not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("transforms", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new TransformConfigException("A pipeline is a JSON object with a \"transforms\" array, e.g. {\"transforms\": [{\"name\": \"Orientation\", \"axcodes\": \"RAS\"}]}.");
            }

            foreach (var property in root.EnumerateObject())
            {
                if (property.Name is not ("transforms" or "description"))
                {
                    throw new TransformConfigException($"Unknown top-level key \"{property.Name}\"; a pipeline has \"transforms\" and optionally \"description\".");
                }
            }

            var transforms = new List<ISampleTransform>();
            var index = 0;
            foreach (var item in list.EnumerateArray())
            {
                transforms.AddRange(ParseOne(item, index++));
            }

            return new TransformPipeline(transforms);
        }
    }

    /// <summary>The index of the first random transform (<see cref="IRandomTransform"/>), or the count when there is none.</summary>
    public int RandomStart => Transforms.TakeWhile(t => t is not IRandomTransform).Count();

    /// <summary>
    /// Loads <paramref name="source"/> and runs every transform. Random choices are a pure function of
    /// (<paramref name="seed"/>, <paramref name="sampleIndex"/>, transform index, branch), so the same arguments give the same
    /// samples in any order, on any thread and with any <paramref name="parallel"/> setting.
    /// </summary>
    public IReadOnlyList<TransformedSample> Apply(SampleSource source, ulong seed, long sampleIndex = 0, ParallelOptions? parallel = null) =>
        Apply(Prepare(source, parallel), seed, sampleIndex, parallel);

    /// <summary>Loads <paramref name="source"/> and runs the deterministic prefix, the part worth caching per case.</summary>
    public PreparedSample Prepare(SampleSource source, ParallelOptions? parallel = null)
    {
        var loaded = LoadImageTransform.Load(source);

        // The prefix never draws, so its streams' seed is irrelevant; 0 keeps the cached result seed-independent.
        return new PreparedSample(this, Run([loaded], 0, RandomStart, seed: 0, sampleIndex: 0, parallel), loaded.Geometry);
    }

    /// <summary>
    /// Runs the rest of the pipeline on a prepared case; the result equals <see cref="Apply(SampleSource, ulong, long, ParallelOptions?)"/>
    /// on the source it was prepared from.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="prepared"/> comes from another pipeline.</exception>
    public IReadOnlyList<TransformedSample> Apply(PreparedSample prepared, ulong seed, long sampleIndex = 0, ParallelOptions? parallel = null)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (!ReferenceEquals(prepared.Pipeline, this))
        {
            throw new ArgumentException("The sample was prepared by another pipeline.", nameof(prepared));
        }

        var samples = Run(prepared.Samples, RandomStart, Transforms.Count, seed, sampleIndex, parallel);
        var names = Transforms.Select(t => t.Name).ToArray();
        return [.. samples.Select(s => new TransformedSample(s, new TransformInverse(prepared.OriginalGeometry, s.Geometry, names)))];
    }

    private List<TransformSample> Run(IReadOnlyList<TransformSample> input, int from, int to, ulong seed, long sampleIndex, ParallelOptions? parallel)
    {
        var options = parallel ?? new ParallelOptions();
        var samples = input.ToList();
        for (var t = from; t < to; t++)
        {
            var next = new List<TransformSample>(samples.Count);
            for (var branch = 0; branch < samples.Count; branch++)
            {
                var context = new TransformContext(new TransformRandom(seed, sampleIndex, t, branch), options);
                next.AddRange(Transforms[t].Apply(samples[branch], context));
            }

            samples = next;
        }

        return samples;
    }

    private static IEnumerable<ISampleTransform> ParseOne(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String)
        {
            throw new TransformConfigException($"transforms[{index}]: each transform is an object with a \"name\" string, was {item.GetRawText()}.");
        }

        var written = nameElement.GetString()!;
        var name = TransformCatalog.Canonical(written)
            ?? throw new TransformConfigException(
                $"transforms[{index}]: unknown transform \"{written}\"; expected one of LoadImage, {string.Join(", ", TransformCatalog.Names)}.");
        var parameters = new TransformParameters(item, index, name);
        var keys = parameters.OptionalStrings("keys");
        if (keys?.FirstOrDefault(k => !SampleKeys.Contains(k)) is { } wrong)
        {
            throw parameters.Invalid("keys", $"names from \"image\" and \"label\" (the sample's two keys), had \"{wrong}\"");
        }

        if (name == LoadImageTransform.Name)
        {
            if (index != 0)
            {
                throw new TransformConfigException($"transforms[{index}] \"LoadImage\": LoadImage can only be the first transform.");
            }

            _ = LoadImageTransform.FromParameters(parameters);
            parameters.RejectUnknown();
            return [];
        }

        return [TransformCatalog.Create(name, parameters)];
    }
}
