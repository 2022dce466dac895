using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Tests.Fixtures;

namespace MiM.Bundles.Packaging.Tests.Repository;

/// <summary>A publisher, a repository folder and helpers to publish sample bundles into it.</summary>
public sealed class RepositoryFixture : IDisposable
{
    public TempDir Temp { get; } = new();

    public Publisher Publisher { get; } = new();

    public string Repo => Temp["repo"];

    public RepositoryIndex Publish(string id, string version, ReleaseChannel channel = ReleaseChannel.Stable)
    {
        var source = SampleBundle.Write(Temp[$"src-{id}-{version}"], id, version);
        var archive = Temp[$"{id}-{version}.mimb"];
        BundlePacker.Pack(source, archive, Publisher.Key, Publisher.Now);
        return new RepositoryPublisher(Repo, Publisher.Key, Publisher.Trust(), Publisher.Clock).Publish(archive, channel);
    }

    public void Dispose()
    {
        Temp.Dispose();
        Publisher.Dispose();
    }
}
