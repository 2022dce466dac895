using System.Net;
using System.Net.Sockets;
using MiM.Bundles.Packaging.Archives;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// Serves a repository folder read-only over HTTP on 127.0.0.1 (HttpListener, no ASP.NET): GET and HEAD of files by
/// safe relative name, with a strong ETag from size and modification time and 304 on If-None-Match. No listings, no
/// dot-files (a publisher's temporary files), no links.
/// </summary>
public sealed class StaticRepositoryServer : IAsyncDisposable
{
    private readonly HttpListener listener;
    private readonly string root;
    private readonly Action<string>? log;
    private readonly Task loop;

    private StaticRepositoryServer(HttpListener listener, string root, int port, Action<string>? log)
    {
        this.listener = listener;
        this.root = root;
        this.log = log;
        Address = new Uri($"http://127.0.0.1:{port}/");
        loop = Task.Run(AcceptAsync);
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:8080/.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving <paramref name="directory"/> on 127.0.0.1:<paramref name="port"/> (0: a free port).</summary>
    public static StaticRepositoryServer Start(string directory, int port, Action<string>? log = null)
    {
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"no repository folder at {root}");
        }

        var chosen = port == 0 ? FreePort() : port;
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{chosen}/");
        listener.Start();
        return new StaticRepositoryServer(listener, root, chosen, log);
    }

    /// <summary>Waits until the server stops (for a foreground `mim repo serve`).</summary>
    public Task Completion => loop;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        await loop.ConfigureAwait(false);
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var status = await RespondAsync(context.Request, response).ConfigureAwait(false);
            log?.Invoke($"{context.Request.HttpMethod} {context.Request.Url?.AbsolutePath} {status}");
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            log?.Invoke($"{context.Request.HttpMethod} {context.Request.Url?.AbsolutePath} aborted: {e.Message}");
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                // The client went away; nothing to tell it.
            }
        }
    }

    private async Task<int> RespondAsync(HttpListenerRequest request, HttpListenerResponse response)
    {
        if (request.HttpMethod is not ("GET" or "HEAD"))
        {
            response.StatusCode = 405;
            response.AddHeader("Allow", "GET, HEAD");
            return 405;
        }

        var relative = Uri.UnescapeDataString(request.Url?.AbsolutePath.TrimStart('/') ?? string.Empty);
        var file = Resolve(relative);
        if (file is null)
        {
            response.StatusCode = 404;
            return 404;
        }

        var etag = $"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"";
        response.AddHeader("ETag", etag);
        response.AddHeader("Cache-Control", "no-cache");
        var ifNoneMatch = request.Headers["If-None-Match"];
        if (ifNoneMatch is not null && ifNoneMatch.Split(',').Select(tag => tag.Trim()).Any(tag => tag == etag || tag == "*"))
        {
            response.StatusCode = 304;
            return 304;
        }

        response.StatusCode = 200;
        response.ContentType = file.Extension == ".json" ? "application/json" : "application/octet-stream";
        response.ContentLength64 = file.Length;
        if (request.HttpMethod == "GET")
        {
            var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                await stream.CopyToAsync(response.OutputStream, 1 << 20).ConfigureAwait(false);
            }
        }

        return 200;
    }

    private FileInfo? Resolve(string relative)
    {
        if (!ArchivePath.IsSafe(relative) || relative.Split('/').Any(segment => segment.StartsWith('.')))
        {
            return null;
        }

        var file = new FileInfo(Path.Combine(root, relative));
        if (!file.Exists || file.LinkTarget is not null || !file.FullName.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null;
        }

        // A folder on the way that is a link could point outside the root.
        for (var directory = file.Directory; directory is not null && directory.FullName != root; directory = directory.Parent)
        {
            if (directory.LinkTarget is not null)
            {
                return null;
            }
        }

        return file;
    }
}
