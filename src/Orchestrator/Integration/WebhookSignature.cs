using System.Security.Cryptography;
using System.Text;

namespace Orchestrator.Integration;

/// <summary>
/// The headers of a webhook delivery and its signature, in GitHub's convention: <c>sha256=</c> and the lower-case hex
/// HMAC-SHA256 of the exact body bytes under the webhook's secret. Used both ways: the notifications the orchestrator
/// sends, and GitHub's deliveries to its issue webhook. A receiver computes the same over the body it read (before
/// parsing it) and compares in constant time.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Orchestrator-Signature-256";
    public const string EventHeader = "X-Orchestrator-Event";
    public const string DeliveryHeader = "X-Orchestrator-Delivery";

    private const string Prefix = "sha256=";

    public static string Sign(string secret, ReadOnlySpan<byte> body) => Prefix + Hex(Encoding.UTF8.GetBytes(secret), body);

    /// <summary>Whether <paramref name="signature"/> (the header's value) signs <paramref name="body"/> under <paramref name="key"/>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> key, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null
        && signature.StartsWith(Prefix, StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Hex(key, body)), Encoding.ASCII.GetBytes(signature[Prefix.Length..].ToLowerInvariant()));

    /// <summary>
    /// The delivery id of one event to one webhook: the same on every attempt and on a redelivery of the same event, so
    /// a receiver can drop a notification it has already handled.
    /// </summary>
    public static Guid DeliveryId(Guid featureId, string eventName, string webhookName)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{featureId:N}\n{eventName}\n{webhookName.ToLowerInvariant()}"));
        return new Guid(digest.AsSpan(0, 16));
    }

    private static string Hex(ReadOnlySpan<byte> key, ReadOnlySpan<byte> body) => Convert.ToHexStringLower(HMACSHA256.HashData(key, body));
}
