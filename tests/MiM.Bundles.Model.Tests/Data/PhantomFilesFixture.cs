namespace MiM.Bundles.Model.Tests.Data;

/// <summary>Small phantom NIfTI files of mixed sizes, written once for all loader tests.</summary>
public sealed class PhantomFilesFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public PhantomFilesFixture()
    {
        Folder = _temp.Path;
        Files = [TestVolumes.WritePhantom(Folder, 1, 32), TestVolumes.WritePhantom(Folder, 2, 40), TestVolumes.WritePhantom(Folder, 3, 48)];
    }

    public string Folder { get; }

    public IReadOnlyList<string> Files { get; }

    public void Dispose() => _temp.Dispose();
}
