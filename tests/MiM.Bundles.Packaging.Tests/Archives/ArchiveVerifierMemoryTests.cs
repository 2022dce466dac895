using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Tests.Fixtures;

namespace MiM.Bundles.Packaging.Tests.Archives;

public sealed class ArchiveVerifierMemoryTests : IDisposable
{
    private readonly TempDir temp = new();
    private readonly Publisher publisher = new();

    public void Dispose()
    {
        temp.Dispose();
        publisher.Dispose();
    }

    [Fact]
    public void Verifying_streams_a_large_file_without_loading_it()
    {
        var source = SampleBundle.Write(temp["src"], weightBytes: 96 << 20);
        BundlePacker.Pack(source, temp["b.mimb"], publisher.Key, publisher.Now);
        var verifier = new ArchiveVerifier(publisher.Trust(), clock: publisher.Clock);
        verifier.Verify(temp["b.mimb"]); // warm up: JIT and the pooled buffer

        var before = GC.GetAllocatedBytesForCurrentThread();
        verifier.Verify(temp["b.mimb"]);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 8 << 20, $"verifying a 96 MiB file allocated {allocated} bytes");
    }
}
