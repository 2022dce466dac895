using MiM.Bundles.Packaging.Archives;

namespace MiM.Bundles.Packaging.Tests.Archives;

public sealed class ArchivePathTests
{
    [Theory]
    [InlineData("configs/metadata.json")]
    [InlineData("models/a.b-c_d.safetensors")]
    [InlineData("LICENSE")]
    [InlineData("docs/..hidden")]
    public void Ordinary_relative_names_are_safe(string path) => Assert.True(ArchivePath.IsSafe(path));

    [Theory]
    [InlineData("")]
    [InlineData("/abs")]
    [InlineData("a/../b")]
    [InlineData("..")]
    [InlineData("a\\b")]
    [InlineData("c:evil")]
    [InlineData("a//b")]
    [InlineData("a/")]
    [InlineData("./a")]
    [InlineData("a\nb")]
    public void Names_that_could_leave_the_root_are_unsafe(string path) => Assert.False(ArchivePath.IsSafe(path));
}
