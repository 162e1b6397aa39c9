using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Orchestrator.Integration;

/// <summary>
/// Stops the orchestrator at start when a webhook could not be delivered or signed as configured: a URL that is not an
/// absolute http(s) URL (or carries credentials), a missing or short secret, a name that cannot travel as an environment
/// variable, delivery bounds out of range. Messages name the setting, never its value (a URL may hold a token).
/// </summary>
public sealed partial class IntegrationOptionsValidation : IValidateOptions<IntegrationOptions>
{
    public const int MinimumSecretLength = 16;
    public const int MaximumRetries = 10;

    public ValidateOptionsResult Validate(string? name, IntegrationOptions options)
    {
        var failures = new List<string>();
        foreach (var (webhookName, target) in options.Webhooks)
        {
            CheckWebhook(webhookName, target, failures);
        }

        CheckDelivery(options.WebhookDelivery, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckWebhook(string webhookName, WebhookTarget target, List<string> failures)
    {
        var setting = $"{IntegrationOptions.Section}:Webhooks:{webhookName}";
        if (!WebhookName().IsMatch(webhookName))
        {
            failures.Add($"{setting}: a webhook's name must be a letter followed by up to 31 letters, digits or '-' (it is logged, and travels as an environment variable).");
        }

        if (!Uri.TryCreate(target.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{setting}:Url must be an absolute http:// or https:// URL.");
        }
        else if (!string.IsNullOrEmpty(url.UserInfo))
        {
            failures.Add($"{setting}:Url must not hold credentials (user:password@): the signature authenticates the notification.");
        }

        if (string.IsNullOrEmpty(target.Secret))
        {
            failures.Add($"{setting}:Secret is empty: every notification is signed (e.g. `openssl rand -hex 32`).");
        }
        else if (target.Secret.Length < MinimumSecretLength)
        {
            failures.Add($"{setting}:Secret is too short: a webhook secret must have at least {MinimumSecretLength} characters.");
        }
    }

    private static void CheckDelivery(WebhookDeliveryOptions delivery, List<string> failures)
    {
        var setting = $"{IntegrationOptions.Section}:WebhookDelivery";
        if (delivery.MaxRetries is < 0 or > MaximumRetries)
        {
            failures.Add($"{setting}:MaxRetries must be between 0 and {MaximumRetries}, not {delivery.MaxRetries}.");
        }

        if (delivery.AttemptTimeout < TimeSpan.FromMilliseconds(10) || delivery.AttemptTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{setting}:AttemptTimeout must be between 00:00:00.010 and 00:05:00, not {delivery.AttemptTimeout}.");
        }

        if (delivery.RetryBaseDelay < TimeSpan.Zero || delivery.RetryBaseDelay > delivery.RetryMaxDelay || delivery.RetryMaxDelay > TimeSpan.FromMinutes(10))
        {
            failures.Add($"{setting}: RetryBaseDelay ({delivery.RetryBaseDelay}) must be at most RetryMaxDelay ({delivery.RetryMaxDelay}), which must be at most 00:10:00.");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,31}$")]
    private static partial Regex WebhookName();
}
