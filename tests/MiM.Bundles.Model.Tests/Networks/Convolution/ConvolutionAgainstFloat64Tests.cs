using MiM.Bundles.Model.Networks.Convolution;
using MiM.Bundles.Model.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks.Convolution;

/// <summary>
/// Every convolution configuration the unit-size networks use, as the networks run it (the module's forward, on the
/// path the start-up self-check chose), forward and backward at batch 1 and 2, against the same convolution in
/// float64. With libtorch's Conv3d these failed on an AVX-512 AMD CPU (Zen 5): errors of 0.1–0.9 and NaN at batch 2
/// (docs/numerics.md). The tolerance is <see cref="KernelCheck.Tolerance"/> (1e-4 of the largest reference value):
/// the longest sum here has 48·27 = 1,296 terms, whose fp32 rounding stays near 1e-6 relative.
/// </summary>
public sealed class ConvolutionAgainstFloat64Tests
{
    public static TheoryData<string, int> Configurations()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Modules.Keys)
        {
            data.Add(name, 1);
            data.Add(name, 2);
        }

        return data;
    }

    // name → (module factory, input channels, input edge); unit network: widths 12/24/48/96, decoder feature size 12.
    private static readonly Dictionary<string, (Func<ConvolutionWeights> Create, int In, int Size)> Modules = new()
    {
        ["patch_embed1 k2 1→12 @32³"] = (() => new PatchConv3d(1, 12, 2), 1, 32),
        ["patch_embed2 k2 12→24 @16³"] = (() => new PatchConv3d(12, 24, 2), 12, 16),
        ["patch_embed3 k2 24→48 @8³"] = (() => new PatchConv3d(24, 48, 2), 24, 8),
        ["patch_embed4 k2 48→96 @4³"] = (() => new PatchConv3d(48, 96, 2), 48, 4),
        ["stage1_output_decode k8 12→96 @16³"] = (() => new PatchConv3d(12, 96, 8), 12, 16),
        ["stage2_output_decode k4 24→96 @8³"] = (() => new PatchConv3d(24, 96, 4), 24, 8),
        ["fpn.0 k2 96→192 @2³"] = (() => new PatchConv3d(96, 192, 2), 96, 2),
        ["blocks1 conv1 12→12 @16³"] = (() => new PointwiseConv3d(12, 12), 12, 16),
        ["blocks1 mlp.fc1 12→48 @16³"] = (() => new PointwiseConv3d(12, 48), 12, 16),
        ["blocks1 mlp.fc2 48→12 @16³"] = (() => new PointwiseConv3d(48, 12), 48, 16),
        ["blocks3 mlp.fc1 48→192 @4³"] = (() => new PointwiseConv3d(48, 192), 48, 4),
        ["blocks1 attn depthwise 5³ 12 @16³"] = (() => new DepthwiseConv3d(12, 5), 12, 16),
        ["blocks2 attn depthwise 5³ 24 @8³"] = (() => new DepthwiseConv3d(24, 5), 24, 8),
        ["blocks3 attn depthwise 5³ 48 @4³"] = (() => new DepthwiseConv3d(48, 5), 48, 4),
        ["depthwise 5³ 48 @20³ (whole vectors of channels, rows wider than the kernel)"] = (() => new DepthwiseConv3d(48, 5), 48, 20),
        ["encoder1 conv1 3³ 1→12 @32³"] = (() => new DenseConv3d(1, 12, 3, bias: false), 1, 32),
        ["encoder1 conv2 3³ 12→12 @32³"] = (() => new DenseConv3d(12, 12, 3, bias: false), 12, 32),
        ["3³ 12→12 with bias @32³ (several im2col slabs)"] = (() => new DenseConv3d(12, 12, 3, bias: true), 12, 32),
        ["encoder1 conv3 1→12 @32³"] = (() => new PointwiseConv3d(1, 12, bias: false), 1, 32),
        ["encoder3 conv1 3³ 24→24 @8³"] = (() => new DenseConv3d(24, 24, 3, bias: false), 24, 8),
        ["encoder10 conv1 3³ 192→192 @1³"] = (() => new DenseConv3d(192, 192, 3, bias: false), 192, 1),
        ["decoder2 conv1 3³ 48→24 @8³"] = (() => new DenseConv3d(48, 24, 3, bias: false), 48, 8),
        ["decoder5 transp_conv k2 192→96 @1³"] = (() => new PatchConvTranspose3d(192, 96, 2, bias: false), 192, 1),
        ["decoder1 transp_conv k2 24→12 @16³"] = (() => new PatchConvTranspose3d(24, 12, 2, bias: false), 24, 16),
        ["out 12→2 @32³"] = (() => new PointwiseConv3d(12, 2), 12, 32),
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Forward_and_gradients_equal_float64(string name, int batch)
    {
        using var scope = NewDisposeScope();
        var (create, channels, size) = Modules[name];
        using var module32 = create();
        using var module64 = create();
        module64.to(float64);
        using (no_grad())
        {
            module64.Weight.copy_(module32.Weight);
            module64.Bias?.copy_(module32.Bias!);
        }

        var generator = new Generator(7, device: CPU);
        var input64 = randn([batch, channels, size, size, size], dtype: float64, generator: generator).requires_grad_();
        // The networks hand these modules channels-last views (channel LayerNorm, pointwise convs).
        var input32 = input64.detach().to(float32).permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3).requires_grad_();

        var output32 = module32.forward(input32);
        var output64 = Reference(module64, input64);
        var upstream = randn(output64.shape, dtype: float64, generator: generator);
        output32.mul(upstream.to(float32)).sum().backward();
        output64.mul(upstream).sum().backward();

        AssertClose("output", output32, output64);
        AssertClose("input gradient", input32.grad!, input64.grad!);
        AssertClose("weight gradient", module32.Weight.grad!, module64.Weight.grad!);
        if (module32.Bias is not null)
        {
            AssertClose("bias gradient", module32.Bias.grad!, module64.Bias!.grad!);
        }
    }

    [Theory]
    [InlineData(ConvolutionKind.Depthwise)]
    [InlineData(ConvolutionKind.Dense)]
    public void The_explicit_path_equals_float64_on_any_cpu(ConvolutionKind kind)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11, device: CPU);
        var channels = 12;
        long[] weightShape = kind == ConvolutionKind.Depthwise ? [channels, 1, 5, 5, 5] : [24, channels, 3, 3, 3];
        var input = randn([2, channels, 9, 7, 8], dtype: float64, generator: generator);
        var weight = randn(weightShape, dtype: float64, generator: generator);
        var bias = randn([weightShape[0]], dtype: float64, generator: generator);

        var explicitResult = KernelSelfCheck.Convolve(kind, ConvolutionPath.Explicit, input, weight, bias);
        var reference = KernelSelfCheck.Reference(kind, input, weight, bias);

        Assert.True(explicitResult.allclose(reference, rtol: 1e-12, atol: 1e-12), $"{kind}: max difference {(explicitResult - reference).abs().max().item<double>()}");
    }

    [Fact]
    public void A_patch_convolution_ignores_voxels_beyond_the_last_whole_patch_like_conv3d()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3, device: CPU);
        var input = randn([1, 2, 9, 8, 11], dtype: float64, generator: generator);
        var weight = randn([4, 2, 2, 2, 2], dtype: float64, generator: generator);

        var result = PatchConv3d.Compute(input, weight, null);

        Assert.True(result.allclose(nn.functional.conv3d(input, weight, strides: [2, 2, 2]), rtol: 1e-12, atol: 1e-12));
    }

    [Fact]
    public void Module_to_float64_converts_the_weights_the_forward_uses()
    {
        using var scope = NewDisposeScope();
        using var module = new DepthwiseConv3d(4, 5);
        module.to(float64);

        Assert.Equal(ScalarType.Float64, module.Weight.dtype);
        Assert.Equal(ScalarType.Float64, module.forward(randn([1, 4, 6, 6, 6], dtype: float64)).dtype);
        Assert.Equal(["weight", "bias"], module.named_parameters().Select(p => p.name));
    }

    private static Tensor Reference(ConvolutionWeights module, Tensor input) => module switch
    {
        PatchConvTranspose3d => KernelSelfCheck.Reference(ConvolutionKind.PatchTransposed, input, module.Weight, module.Bias),
        PatchConv3d => KernelSelfCheck.Reference(ConvolutionKind.Patch, input, module.Weight, module.Bias),
        PointwiseConv3d => KernelSelfCheck.Reference(ConvolutionKind.Pointwise, input, module.Weight, module.Bias),
        DepthwiseConv3d => KernelSelfCheck.Reference(ConvolutionKind.Depthwise, input, module.Weight, module.Bias),
        DenseConv3d => KernelSelfCheck.Reference(ConvolutionKind.Dense, input, module.Weight, module.Bias),
        _ => throw new ArgumentOutOfRangeException(nameof(module)),
    };

    private static void AssertClose(string what, Tensor value, Tensor reference)
    {
        var scale = reference.abs().max().item<double>();
        var error = (value.to(float64) - reference).abs().max().item<double>() / Math.Max(scale, double.Epsilon);
        Assert.True(double.IsFinite(error) && error <= KernelCheck.Tolerance, $"{what}: relative error {error:E2} (tolerance {KernelCheck.Tolerance:E0})");
    }
}
