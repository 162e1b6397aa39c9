using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Testing.GitHub;

/// <summary>
/// A throwaway certificate authority and a server certificate it signs for <c>localhost</c>, as a company CA signs
/// its GitHub Enterprise server's certificate. Nothing is added to the machine's trust store.
/// </summary>
public sealed class PrivateCertificateAuthority : IDisposable
{
    private PrivateCertificateAuthority(X509Certificate2 authority, X509Certificate2 server, string pemPath)
    {
        Authority = authority;
        Server = server;
        PemPath = pemPath;
    }

    public X509Certificate2 Authority { get; }

    /// <summary>The server's certificate, with its private key (for Kestrel).</summary>
    public X509Certificate2 Server { get; }

    /// <summary>The authority's certificate as a PEM file: what <c>Forge:GitHub:CaFile</c> points at.</summary>
    public string PemPath { get; }

    public static PrivateCertificateAuthority Create(string folder)
    {
        using var authorityKey = RSA.Create(2048);
        var authorityRequest = new CertificateRequest("CN=Orchestrator Test CA", authorityKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        var authority = authorityRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverRequest.Create(authority, now.AddDays(-1), now.AddDays(29), [1, 2, 3, 4, 5, 6, 7, 8]);
        // Kestrel on Linux wants the key in an exportable, re-importable form.
        var server = X509CertificateLoader.LoadPkcs12(signed.CopyWithPrivateKey(serverKey).Export(X509ContentType.Pkcs12), null);

        var pemPath = Path.Combine(folder, "company-ca.pem");
        File.WriteAllText(pemPath, authority.ExportCertificatePem());
        return new PrivateCertificateAuthority(authority, server, pemPath);
    }

    public void Dispose()
    {
        Authority.Dispose();
        Server.Dispose();
    }
}
