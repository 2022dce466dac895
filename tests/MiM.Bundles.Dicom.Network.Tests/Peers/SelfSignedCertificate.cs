namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>A self-signed certificate and its unencrypted key, made by openssl (PEM files), for TLS tests.</summary>
internal sealed record SelfSignedCertificate(string CertificateFile, string KeyFile)
{
    public static SelfSignedCertificate Make(string folder, string name)
    {
        var certificate = Path.Combine(folder, name + ".crt");
        var key = Path.Combine(folder, name + ".key");
        var made = PeerProcess.Run(
            TimeSpan.FromSeconds(60),
            "openssl",
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
            "-subj", $"/CN={name}", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        Assert.True(made.ExitCode == 0, made.Output);
        return new SelfSignedCertificate(certificate, key);
    }
}
