using MiM.Bundles.Cli.Commands.Demo;

namespace MiM.Bundles.Host.Tests.Cli.Demo;

/// <summary>The demo's bundle cache: keyed by the recipe's content, reused when complete, rebuilt when the recipe changes.</summary>
public sealed class DemoBundlesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mim-demo-bundles-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_changed_recipe_file_changes_the_cache_key_and_an_unchanged_one_keeps_it()
    {
        var configs = CopyConfigs();
        var before = new DemoRecipe(configs).Hash();
        Assert.Equal(before, new DemoRecipe(configs).Hash());

        File.AppendAllText(Path.Combine(configs, "finetune", "demo-lesion.json"), "\n");

        Assert.NotEqual(before, new DemoRecipe(configs).Hash());
    }

    [Fact]
    public void A_complete_cache_is_reused_without_running_any_step()
    {
        var configs = CopyConfigs();
        var recipe = new DemoRecipe(configs);
        var cache = Directory.CreateDirectory(Path.Combine(_folder, "out", "cache", recipe.Hash())).FullName;
        File.WriteAllText(Path.Combine(cache, "READY"), "test\n");
        var console = new StringWriter();

        var outcome = new DemoBundles(recipe, console).BuildOrReuse(Path.Combine(_folder, "out"), TimeSpan.FromSeconds(1));

        Assert.True(outcome.Succeeded && outcome.Reused);
        Assert.Equal(Path.Combine(cache, "bundles"), outcome.BundleFolder);
        Assert.False(File.Exists(outcome.Log), "no step ran, so no child wrote a log");
        Assert.Contains("reusing", console.ToString(), StringComparison.Ordinal);
    }

    private string CopyConfigs()
    {
        var configs = Path.Combine(_folder, "configs");
        foreach (var file in Directory.EnumerateFiles(RepositoryFiles.Path("configs"), "*.json", SearchOption.AllDirectories))
        {
            var target = Path.Combine(configs, Path.GetRelativePath(RepositoryFiles.Path("configs"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return configs;
    }
}
