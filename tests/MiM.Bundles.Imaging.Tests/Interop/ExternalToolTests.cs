namespace MiM.Bundles.Imaging.Tests.Interop;

public class ExternalToolTests
{
    [Fact]
    public void A_missing_tool_fails_saying_how_to_install_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExternalTool.Run("mim-no-such-tool", Path.GetTempPath()));

        Assert.Contains("mim-no-such-tool", error.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install dcmtk dcm2niix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tool_that_exits_non_zero_fails_with_its_exit_code_and_stderr()
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => ExternalTool.Run("sh", Path.GetTempPath(), "-c", "echo broken-input >&2; exit 3"));

        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("broken-input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tool_that_succeeds_returns_its_stdout()
    {
        Assert.Equal("hello\n", ExternalTool.Run("sh", Path.GetTempPath(), "-c", "echo hello"));
    }
}
