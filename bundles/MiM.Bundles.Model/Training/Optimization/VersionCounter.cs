using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Optimization;

/// <summary>
/// Moves libtorch's version counter of a tensor whose values were changed through its memory rather than by a libtorch
/// op, as every in-place op does. Autograd compares a saved tensor's version at backward time with the one it saved,
/// so a backward through a forward computed before the change fails ("modified by an inplace operation") instead of
/// using the new values silently. TorchSharp does not expose it; libtorch exports it as
/// <c>torch::autograd::impl::bump_version(const at::Tensor&amp;)</c>, and a TorchSharp tensor's handle is that
/// <c>at::Tensor*</c>.
/// </summary>
internal static unsafe class VersionCounter
{
    private const string Library = "libtorch_cpu.so";
    private const string Export = "_ZN5torch8autograd4impl12bump_versionERKN2at6TensorE";

    private static readonly delegate* unmanaged<nint, void> s_bump = Resolve();

    /// <summary>Whether this libtorch exports the function (writers through memory must not run without it).</summary>
    public static bool Available => s_bump != null;

    /// <summary>
    /// Counts one in-place change of <paramref name="tensor"/>. Not for tensors made under libtorch's inference mode
    /// (they have no counter and libtorch would throw across this call); this project never enters that mode.
    /// </summary>
    public static void Bump(Tensor tensor) => s_bump(tensor.Handle);

    // TorchSharp has loaded libtorch by the time an optimizer steps; loading it by its soname returns that copy.
    private static delegate* unmanaged<nint, void> Resolve() =>
        NativeLibrary.TryLoad(Library, out var handle) && NativeLibrary.TryGetExport(handle, Export, out var address)
            ? (delegate* unmanaged<nint, void>)address
            : null;
}
