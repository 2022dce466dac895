using MiM.Bundles.Model.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Parallel;

public class TrainingDeviceListTests
{
    [Fact]
    public void Cpu_may_repeat_for_tests()
    {
        var devices = TrainingDevice.ParseList("cpu, CPU");
        Assert.Equal(2, devices.Count);
        Assert.All(devices, d => Assert.Equal(DeviceType.CPU, d.type));
        Assert.Single(TrainingDevice.ParseList("cpu"));
    }

    [Theory]
    [InlineData("cuda:0,1")]
    [InlineData("cuda:0,cuda:1")]
    [InlineData("cuda")]
    public void Cuda_lists_are_checked_against_the_machine(string setting)
    {
        if (cuda.is_available())
        {
            return;
        }

        var error = Assert.Throws<ArgumentException>(() => TrainingDevice.ParseList(setting));
        Assert.Contains("CUDA is not available", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpu,gpu", "not understood")]
    [InlineData("cpu,", "empty entry")]
    [InlineData("cuda:x", "not understood")]
    [InlineData("cpu,1", "not understood")]
    public void Garbage_is_refused_with_a_clear_message(string setting, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingDevice.ParseList(setting));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Single_device_parse_points_to_the_list_form()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingDevice.Parse("cpu,cpu"));
        Assert.Contains(nameof(TrainingDevice.ParseList), error.Message, StringComparison.Ordinal);
        Assert.Equal(DeviceType.CPU, TrainingDevice.Parse("cpu").type);
    }
}
