using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Host.Api;

namespace MiM.Bundles.Host.Tests.Api;

public sealed class ApiSettingsValidationTests
{
    private const string Key = "0123456789abcdef-key";

    [Theory]
    [InlineData("http://127.0.0.1:8044")]
    [InlineData("http://localhost:8044")]
    [InlineData("http://[::1]:8044")]
    [InlineData("http://127.0.0.2:8044")]
    public void Loopback_address_without_tls_or_key_is_accepted(string url)
    {
        Assert.Empty(ApiSettingsValidation.Check(new ApiSettings { Url = url }));
    }

    [Theory]
    [InlineData("http://0.0.0.0:8044", null, "TLS", "Api:ApiKey")]
    [InlineData("http://*:8044", Key, "TLS", null)]
    [InlineData("http://10.1.2.3:8044", Key, "TLS", null)]
    [InlineData("http://[::]:8044", null, "TLS", "Api:ApiKey")]
    public void Non_loopback_address_without_tls_and_key_is_refused_naming_what_is_missing(string url, string? key, string missingTls, string? missingKey)
    {
        var failures = ApiSettingsValidation.Check(new ApiSettings { Url = url, ApiKey = key });

        var failure = Assert.Single(failures);
        Assert.Contains("Api:Url", failure, StringComparison.Ordinal);
        Assert.Contains("not a loopback address", failure, StringComparison.Ordinal);
        Assert.Contains(missingTls, failure, StringComparison.Ordinal);
        if (missingKey is null)
        {
            Assert.DoesNotContain("Api:ApiKey", failure, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(missingKey, failure, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Non_loopback_https_with_certificate_but_no_key_is_refused_naming_the_key()
    {
        using var temp = new TempFolder("api-tls");
        var (certificate, key) = WriteSelfSigned(temp.Path);

        var failures = ApiSettingsValidation.Check(new ApiSettings { Url = "https://0.0.0.0:8044", CertificateFile = certificate, CertificateKeyFile = key });

        var failure = Assert.Single(failures);
        Assert.Contains("missing Api:ApiKey", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_loopback_https_with_certificate_and_key_is_accepted()
    {
        using var temp = new TempFolder("api-tls");
        var (certificate, key) = WriteSelfSigned(temp.Path);

        Assert.Empty(ApiSettingsValidation.Check(new ApiSettings { Url = "https://0.0.0.0:8044", CertificateFile = certificate, CertificateKeyFile = key, ApiKey = Key }));
    }

    [Theory]
    [InlineData("https://127.0.0.1:8044", "Api:CertificateFile is not set")]
    [InlineData("ftp://127.0.0.1:8044", "not an http:// or https:// URL")]
    [InlineData("http://api.example:8044", "is not an IP address")]
    [InlineData("http://127.0.0.1:8044/api", "has a path")]
    public void Unusable_url_is_refused_with_the_reason(string url, string reason)
    {
        Assert.Contains(ApiSettingsValidation.Check(new ApiSettings { Url = url }), f => f.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Short_api_key_is_refused()
    {
        Assert.Contains(ApiSettingsValidation.Check(new ApiSettings { ApiKey = "short" }), f => f.Contains("Api:ApiKey is shorter", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_on_a_non_loopback_address_without_tls_and_key_refuses_to_start_and_listens_nowhere()
    {
        var port = FreePort.Next();
        var server = new ApiServer(Options.Create(new ApiSettings { Url = $"http://0.0.0.0:{port}" }), new EmptyServices(), NullLoggerFactory.Instance);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => server.StartAsync(CancellationToken.None));

        Assert.Contains("Api:ApiKey", refused.Message, StringComparison.Ordinal);
        Assert.Contains("TLS", refused.Message, StringComparison.Ordinal);
        using var probe = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Server_with_tls_and_key_on_every_interface_serves_https()
    {
        using var temp = new TempFolder("api-tls");
        var (certificate, key) = WriteSelfSigned(temp.Path);
        var settings = ApiFixture.Loopback(apiKey: Key) with { Url = "https://0.0.0.0:0", CertificateFile = certificate, CertificateKeyFile = key };
        await using var api = await ApiFixture.StartAsync(settings);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Subject == "CN=mim-api-test" };
        using var client = new HttpClient(handler) { BaseAddress = new Uri($"https://127.0.0.1:{api.Server.Addresses[0].Port}") };

        using var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static (string Certificate, string Key) WriteSelfSigned(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=mim-api-test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(folder, "api.crt");
        var keyPath = Path.Combine(folder, "api.key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, rsa.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath);
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
