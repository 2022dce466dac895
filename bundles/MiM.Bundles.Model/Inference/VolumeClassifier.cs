using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Inference;

/// <summary>
/// Classifies whole CT volumes with a fine-tuned <see cref="MimClassificationNetwork"/>: the model's preprocessing brings
/// the volume to the ROI³ (as validation did during training), one forward pass in eval mode, softmax.
/// </summary>
/// <param name="network">The network (on the device it should run on).</param>
/// <param name="description">The model folder's description: preprocessing, class names and codes, model name and version.</param>
public sealed class VolumeClassifier(MimClassificationNetwork network, ClassificationModelDescription description)
{
    private readonly TransformPipeline _pipeline = TransformPipeline.Parse(description.Preprocessing.GetRawText());

    /// <summary>The class probabilities of <paramref name="volume"/>, in output order (they sum to 1).</summary>
    /// <exception cref="InvalidDataException">The preprocessing does not bring the volume to the ROI³.</exception>
    public double[] Probabilities(Volume volume)
    {
        ArgumentNullException.ThrowIfNull(volume);
        var sample = _pipeline.Apply(SampleSource.FromVolumes(volume), seed: 0).Single().Sample;
        var roi = network.Options.RoiFor(network.Config);
        var size = sample.Image.Size;
        if (size.I != roi || size.J != roi || size.K != roi)
        {
            throw new InvalidDataException($"The model's preprocessing made a {size} volume; the network's ROI is {roi}³.");
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        network.eval();
        var device = network.parameters().First().device;
        var input = VolumeTensors.Image(sample.Image).reshape(1, 1, roi, roi, roi).to(device);
        var probabilities = nn.functional.softmax(network.forward(input), 1).to(float64).cpu();
        return probabilities.data<double>().ToArray();
    }

    /// <summary>The result of <paramref name="volume"/> as the host's contract (and `mim dicom sr`'s input) states it.</summary>
    public ClassificationResult Classify(Volume volume)
    {
        var probabilities = Probabilities(volume);
        return new ClassificationResult(
            description.Name,
            description.Version,
            [.. probabilities.Select((p, c) => new ClassProbability(description.ClassCode(c), p))]);
    }
}
