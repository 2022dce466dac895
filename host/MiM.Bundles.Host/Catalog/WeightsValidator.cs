using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Compares the weights a bundle's network expects (from its provider) with its safetensors files, naming both sides.</summary>
public static class WeightsValidator
{
    /// <summary>Adds a problem for every missing file, missing or unexpected tensor and shape mismatch.</summary>
    public static void Validate(string folder, IReadOnlyList<ExpectedWeights> expected, ICollection<BundleProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var file in expected)
        {
            var path = BundleLayout.PathIn(folder, file.File);
            if (!File.Exists(path))
            {
                problems.Add(new(file.File, "", "missing: the network needs this weights file"));
                continue;
            }

            IReadOnlyDictionary<string, long[]> actual;
            try
            {
                actual = SafetensorsHeader.ReadShapes(path);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                problems.Add(new(file.File, "", e.Message));
                continue;
            }

            var wanted = file.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
            foreach (var tensor in file.Tensors)
            {
                if (!actual.TryGetValue(tensor.Name, out var shape))
                {
                    problems.Add(new(file.File, tensor.Name, $"missing: the network expects a tensor of shape {tensor.ShapeText}"));
                }
                else if (!shape.SequenceEqual(tensor.Shape))
                {
                    problems.Add(new(file.File, tensor.Name, $"has shape [{string.Join(", ", shape)}] but the network expects {tensor.ShapeText}"));
                }
            }

            foreach (var name in actual.Keys.Where(n => !wanted.ContainsKey(n)).Order(StringComparer.Ordinal))
            {
                problems.Add(new(file.File, name, "unexpected: the network has no parameter of this name"));
            }
        }
    }
}
