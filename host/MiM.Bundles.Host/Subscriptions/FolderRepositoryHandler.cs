using System.Net;
using System.Net.Http.Headers;

namespace MiM.Bundles.Host.Subscriptions;

/// <summary>
/// Answers the repository client's GETs from a local folder (a file share), with the same ETag rule as
/// `mim repo serve` (size and modification time), so a folder repository is polled exactly like an HTTP one:
/// an unchanged index.json costs a 304, and the signed index and archives are checked the same way.
/// </summary>
internal sealed class FolderRepositoryHandler(string root) : HttpMessageHandler
{
    private readonly string _root = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var path = request.RequestUri is { IsFile: true } uri ? Path.GetFullPath(uri.LocalPath) : null;
        var file = path is null ? null : new FileInfo(path);
        // The client only asks for index.json and names from the signed index; anything else, or a link, is not served.
        if (file is null || !file.Exists || file.LinkTarget is not null || file.DirectoryName != _root || file.Name.StartsWith('.'))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request });
        }

        var etag = new EntityTagHeaderValue($"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"");
        if (request.Headers.IfNoneMatch.Any(tag => tag.Tag == etag.Tag))
        {
            var unchanged = new HttpResponseMessage(HttpStatusCode.NotModified) { RequestMessage = request };
            unchanged.Headers.ETag = etag;
            return Task.FromResult(unchanged);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StreamContent(new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan)),
        };
        response.Headers.ETag = etag;
        return Task.FromResult(response);
    }
}
