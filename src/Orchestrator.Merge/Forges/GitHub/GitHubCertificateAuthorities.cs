using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Orchestrator.Merge.Forges.GitHub;

/// <summary>
/// Trust for a GitHub (Enterprise) server behind a private certificate authority (<c>Forge:GitHub:CaFile</c>): a server
/// certificate is accepted when the system trusts it, or when it chains to one of the file's authorities.
/// </summary>
public static class GitHubCertificateAuthorities
{
    /// <summary>The file's certificates, or the reason it cannot be used (null when it can).</summary>
    public static string? TryLoad(string path, out X509Certificate2Collection authorities)
    {
        authorities = [];
        if (!File.Exists(path))
        {
            return $"'{path}' does not exist.";
        }

        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (CryptographicException ex)
        {
            return $"'{path}' is not a PEM file of certificates: {ex.Message}";
        }

        return authorities.Count == 0 ? $"'{path}' holds no certificate." : null;
    }

    /// <summary>The TLS validation that adds the file's authorities to the system's store.</summary>
    public static RemoteCertificateValidationCallback Validation(X509Certificate2Collection authorities) =>
        (_, certificate, systemChain, errors) =>
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            // A wrong host name stays wrong whoever signed the certificate.
            if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (systemChain is not null)
            {
                // Intermediates the server sent along.
                chain.ChainPolicy.ExtraStore.AddRange(systemChain.ChainElements.Select(e => e.Certificate).ToArray());
            }

            return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        };

    /// <summary>
    /// A bundle of <paramref name="inheritedBundle"/>'s authorities and the file's, for git when the environment names a
    /// bundle of its own (<c>GIT_SSL_CAINFO</c>): git lets that variable win over <c>http.&lt;host&gt;.sslCAInfo</c>, so the
    /// company's authorities have to be in it. Written once per content, beside the other temporary files.
    /// </summary>
    public static string CombinedBundle(string caFile, string inheritedBundle)
    {
        var content = File.ReadAllText(inheritedBundle).TrimEnd() + "\n" + File.ReadAllText(caFile).Trim() + "\n";
        var hash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)))[..16];
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "orchestrator-ca")).FullName;
        var path = Path.Combine(folder, $"bundle-{hash}.pem");
        if (!File.Exists(path))
        {
            var temporary = path + "." + Guid.NewGuid().ToString("N");
            File.WriteAllText(temporary, content);
            File.Move(temporary, path, overwrite: true);
        }

        return path;
    }
}
