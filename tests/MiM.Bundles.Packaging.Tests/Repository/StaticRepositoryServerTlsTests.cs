using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Repository;

namespace MiM.Bundles.Packaging.Tests.Repository;

/// <summary>`mim repo serve --cert`: the repository over HTTPS, and a site that trusts its certificate (or does not).</summary>
public sealed class StaticRepositoryServerTlsTests : IDisposable
{
    private readonly RepositoryFixture fixture = new();

    public StaticRepositoryServerTlsTests() => fixture.Publish("abdomen-ct-seg", "1.0.0");

    public void Dispose() => fixture.Dispose();

    [Fact]
    public async Task Over_https_a_site_trusting_the_certificate_syncs_and_one_trusting_only_the_system_roots_is_refused()
    {
        var (certificate, key) = SelfSigned("repository", "127.0.0.1");
        await using var server = StaticRepositoryServer.Start(fixture.Repo, new StaticRepositoryServerOptions { CertificateFile = certificate, PrivateKeyFile = key });
        Assert.Equal("https", server.Address.Scheme);

        using var trusting = RepositoryHttpClient.Create(certificate, TimeSpan.FromMinutes(1));
        var installer = new BundleInstaller(fixture.Temp["bundles"], fixture.Publisher.Trust(), clock: fixture.Publisher.Clock);
        var outcome = Assert.Single(await new RepositoryClient(trusting, server.Address, fixture.Publisher.Trust(), fixture.Publisher.Clock)
            .SyncAsync([new BundlePolicy("abdomen-ct-seg")], installer, CancellationToken.None));
        Assert.Equal("1.0.0", outcome.Version);
        Assert.True(outcome.Installed);

        using var systemOnly = RepositoryHttpClient.Create(null, TimeSpan.FromMinutes(1));
        await Assert.ThrowsAsync<HttpRequestException>(() => systemOnly.GetAsync(new Uri(server.Address, "index.json")));
    }

    [Fact]
    public async Task A_certificate_for_another_host_name_is_refused_even_when_it_is_trusted()
    {
        var (certificate, key) = SelfSigned("elsewhere", "10.9.8.7");
        await using var server = StaticRepositoryServer.Start(fixture.Repo, new StaticRepositoryServerOptions { CertificateFile = certificate, PrivateKeyFile = key });
        using var trusting = RepositoryHttpClient.Create(certificate, TimeSpan.FromMinutes(1));

        await Assert.ThrowsAsync<HttpRequestException>(() => trusting.GetAsync(new Uri(server.Address, "index.json")));
    }

    [Fact]
    public void Serving_on_a_network_address_without_tls_is_refused_with_the_reason()
    {
        var refusal = Assert.Throws<ArgumentException>(() => StaticRepositoryServer.Start(fixture.Repo, new StaticRepositoryServerOptions { BindAddress = IPAddress.Any }));

        Assert.Contains("needs TLS", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_trust_file_without_certificates_is_refused_naming_the_file()
    {
        var empty = fixture.Temp["empty.pem"];
        File.WriteAllText(empty, "not a certificate\n");

        var refusal = Assert.Throws<ArgumentException>(() => RepositoryHttpClient.Create(empty, TimeSpan.FromMinutes(1)));
        Assert.Contains(empty, refusal.Message, StringComparison.Ordinal);
    }

    /// <summary>A self-signed P-256 server certificate for <paramref name="ip"/>, as PEM certificate and key files.</summary>
    private (string Certificate, string Key) SelfSigned(string name, string ip)
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", ecdsa, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Parse(ip));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        var folder = Directory.CreateDirectory(fixture.Temp["tls"]).FullName;
        var certificate = Path.Combine(folder, name + ".crt");
        var key = Path.Combine(folder, name + ".key");
        File.WriteAllText(certificate, made.ExportCertificatePem());
        File.WriteAllText(key, ecdsa.ExportPkcs8PrivateKeyPem());
        return (certificate, key);
    }
}
