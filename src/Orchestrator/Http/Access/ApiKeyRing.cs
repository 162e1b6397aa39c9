using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Http.Access;

/// <summary>Tells which configured key, by name, a presented bearer key is.</summary>
public static class ApiKeyRing
{
    /// <summary>
    /// The name of the key equal to <paramref name="presented"/>, or null. Both sides are hashed first so that every
    /// comparison is of 32 bytes, and every key is compared: the time taken tells neither how much of a key matched,
    /// nor its length, nor which key it was.
    /// </summary>
    public static string? Identify(IReadOnlyDictionary<string, string> keys, string presented)
    {
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> keyHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);

        string? match = null;
        foreach (var (name, key) in keys)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(key ?? ""), keyHash);
            if (CryptographicOperations.FixedTimeEquals(presentedHash, keyHash) && !string.IsNullOrEmpty(key))
            {
                match = name;
            }
        }

        return match;
    }
}
