using System.Text.Json;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Weights;

[Collection(SerialTorchTests.Name)]
public sealed class SegmentationModelFolderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mim-segmodel-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_saved_model_folder_rebuilds_the_same_network_with_its_description()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(31);
        var options = new DownstreamOptions { Classes = 3, Roi = 32, LayerScaleInit = 0.1 };
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, options);
        network.eval();
        var description = new SegmentationModelDescription
        {
            Network = MimNetworkConfig.Unit,
            Options = options,
            ClassNames = ["background", "liver", "spleen"],
            Preprocessing = JsonDocument.Parse("""{"transforms":[{"name":"Orientation","axcodes":"RAS"}]}""").RootElement,
        };

        SegmentationModelFolder.Save(_directory, network, description);
        var (loaded, readBack) = SegmentationModelFolder.Load(_directory);
        using var _ = loaded;
        loaded.eval();

        var input = rand([1, 1, 32, 32, 32]);
        Assert.True(network.forward(input).equal(loaded.forward(input)).all().item<bool>());
        Assert.Equal(["background", "liver", "spleen"], readBack.ClassNames);
        Assert.Equal(options, readBack.Options);
        Assert.Equal("spleen", readBack.ClassName(2));
        Assert.Equal("Orientation", readBack.Preprocessing!.Value.GetProperty("transforms")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void A_folder_without_a_description_is_refused_with_its_name()
    {
        var error = Assert.Throws<InvalidDataException>(() => SegmentationModelFolder.Load(_directory));
        Assert.Contains("segmentation.json", error.Message, StringComparison.Ordinal);
    }
}
