using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Packaging.Archives;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// Serves a repository folder read-only over HTTP, or HTTPS with a PEM certificate (Kestrel): GET and HEAD of files by
/// safe relative name, with a strong ETag from size and modification time and 304 on If-None-Match. No listings, no
/// dot-files (a publisher's temporary files), no links. Loopback unless TLS is on: index and archives are signed, but a
/// site's models are not for anyone on the network to read.
/// </summary>
public sealed class StaticRepositoryServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private StaticRepositoryServer(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:8080/ or https://10.0.0.5:8443/.</summary>
    public Uri Address { get; }

    /// <summary>Starts serving <paramref name="directory"/> over HTTP on 127.0.0.1:<paramref name="port"/> (0: a free port).</summary>
    public static StaticRepositoryServer Start(string directory, int port, Action<string>? log = null) =>
        Start(directory, new StaticRepositoryServerOptions { Port = port }, log);

    /// <summary>Starts serving <paramref name="directory"/> as <paramref name="options"/> say.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="ArgumentException">A non-loopback address without TLS, or a certificate that cannot be read.</exception>
    public static StaticRepositoryServer Start(string directory, StaticRepositoryServerOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = Path.GetFullPath(directory);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"no repository folder at {root}");
        }

        var certificate = options.CertificateFile is { Length: > 0 } file ? LoadCertificate(file, options.PrivateKeyFile) : null;
        if (certificate is null && !IPAddress.IsLoopback(options.BindAddress))
        {
            throw new ArgumentException($"serving on {options.BindAddress} needs TLS (a certificate and its key); without it only a loopback address is allowed");
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(StaticRepositoryServer).Assembly.GetName().Name,
            ContentRootPath = root,
            EnvironmentName = Environments.Production,
        });

        // Configured by the options alone: no ASPNETCORE_URLS or appsettings.json of the working folder.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CallerOwnedLifetime>();
        if (certificate is not null)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.BindAddress, options.Port, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });

        var app = builder.Build();
        app.Run(async context =>
        {
            var request = context.Request;
            try
            {
                var status = await RespondAsync(root, request, context.Response, context.RequestAborted).ConfigureAwait(false);
                log?.Invoke($"{request.Method} {request.Path} {status}");
            }
            catch (Exception e) when (e is IOException or OperationCanceledException)
            {
                log?.Invoke($"{request.Method} {request.Path} aborted: {e.Message}");
            }
        });
        app.StartAsync().GetAwaiter().GetResult();
        return new StaticRepositoryServer(app, BoundAddress(app, certificate is not null));
    }

    /// <summary>Waits until the server stops (for a foreground `mim repo serve`).</summary>
    public Task Completion => app.WaitForShutdownAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static Uri BoundAddress(WebApplication app, bool tls)
    {
        // After start the feature holds the real port when 0 was asked for.
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"the {(tls ? "HTTPS" : "HTTP")} repository server started without an address");
        return new Uri(bound.TrimEnd('/') + "/");
    }

    private static X509Certificate2 LoadCertificate(string certificateFile, string? keyFile)
    {
        try
        {
            // A PEM key stays an ephemeral key, which SslStream on Linux accepts; re-exporting as PKCS#12 keeps the
            // certificate usable on every platform.
            using var pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile is { Length: > 0 } ? keyFile : null);
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException)
        {
            throw new ArgumentException($"TLS certificate '{certificateFile}'{(keyFile is { Length: > 0 } ? $" with key '{keyFile}'" : "")} cannot be read as PEM: {e.Message}", e);
        }
    }

    private static async Task<int> RespondAsync(string root, HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            response.StatusCode = 405;
            response.Headers.Allow = "GET, HEAD";
            return 405;
        }

        var relative = Uri.UnescapeDataString(request.Path.Value?.TrimStart('/') ?? string.Empty);
        var file = Resolve(root, relative);
        if (file is null)
        {
            response.StatusCode = 404;
            return 404;
        }

        var etag = $"\"{file.Length:x}-{file.LastWriteTimeUtc.Ticks:x}\"";
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "no-cache";
        var ifNoneMatch = request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && ifNoneMatch.Split(',').Select(tag => tag.Trim()).Any(tag => tag == etag || tag == "*"))
        {
            response.StatusCode = 304;
            return 304;
        }

        response.StatusCode = 200;
        response.ContentType = file.Extension == ".json" ? "application/json" : "application/octet-stream";
        response.ContentLength = file.Length;
        if (HttpMethods.IsGet(request.Method))
        {
            var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using (stream.ConfigureAwait(false))
            {
                await stream.CopyToAsync(response.Body, 1 << 20, cancellationToken).ConfigureAwait(false);
            }
        }

        return 200;
    }

    private static FileInfo? Resolve(string root, string relative)
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
