namespace MiM.Bundles.Tests.Shared;

/// <summary>Finds files of the repository (shipped configs) from the test output folder. Linked into each test project.</summary>
internal static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "MiM.Bundles.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"No MiM.Bundles.sln above {AppContext.BaseDirectory}.");
        }
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}
