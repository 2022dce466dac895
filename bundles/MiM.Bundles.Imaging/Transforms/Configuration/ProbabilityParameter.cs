namespace MiM.Bundles.Imaging.Transforms.Configuration;

/// <summary>The <c>prob</c> parameter every MONAI random transform has, with MONAI's default of 0.1.</summary>
public static class ProbabilityParameter
{
    /// <summary>MONAI's default probability for its Rand* transforms.</summary>
    public const double MonaiDefault = 0.1;

    /// <summary>Reads <c>prob</c>, checking it lies in [0, 1].</summary>
    public static double Read(TransformParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var prob = parameters.OptionalNumber("prob") ?? MonaiDefault;
        return prob is >= 0 and <= 1 ? prob : throw parameters.Invalid("prob", $"a probability from 0 to 1, was {prob}");
    }
}
