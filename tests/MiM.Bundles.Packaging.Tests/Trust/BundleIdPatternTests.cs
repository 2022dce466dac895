using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Packaging.Tests.Trust;

public sealed class BundleIdPatternTests
{
    [Theory]
    [InlineData("*", "anything", true)]
    [InlineData("acme-*", "acme-liver", true)]
    [InlineData("acme-*", "acme-", true)]
    [InlineData("acme-*", "evil-acme-liver", false)]
    [InlineData("mim-encoder", "mim-encoder", true)]
    [InlineData("mim-encoder", "mim-encoder-2", false)]
    [InlineData("*-seg", "abdomen-ct-seg", true)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "acb", false)]
    [InlineData("ab*ba", "aba", false)]
    public void Stars_match_any_run_and_nothing_else_is_special(string pattern, string id, bool matches) =>
        Assert.Equal(matches, new BundleIdPattern(pattern).Matches(id));
}
