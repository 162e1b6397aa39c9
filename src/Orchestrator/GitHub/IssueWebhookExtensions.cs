using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Octokit.Webhooks;
using Orchestrator.Integration;

namespace Orchestrator.GitHub;

public static class IssueWebhookExtensions
{
    /// <summary>An issue event is a few kilobytes; GitHub's own cap is 25 MB.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public static IServiceCollection AddIssueWebhooks(this IServiceCollection services)
    {
        services.AddOptions<IssueWebhookOptions>().BindConfiguration(IssueWebhookOptions.Section)
            .Validate(o => o.Path.StartsWith('/'), $"{IssueWebhookOptions.Section}:Path must start with '/'.")
            .Validate(o => !o.Enabled || o.Secret!.Trim().Length >= 16,
                $"{IssueWebhookOptions.Section}:Secret must be at least 16 characters (GitHub's webhook secret).")
            .ValidateOnStart();
        services.AddScoped<WebhookEventProcessor, IssueWebhookProcessor>();
        return services;
    }

    /// <summary>
    /// GitHub's webhook endpoint, only with a secret. The signature (<c>X-Hub-Signature-256</c>, HMAC-SHA256 of the
    /// body) is checked here, so a delivery without the secret gets <c>401</c> and is never parsed; Octokit.Webhooks then
    /// reads the event and calls <see cref="IssueWebhookProcessor"/> (its own endpoint would answer such a delivery 400).
    /// </summary>
    public static IEndpointRouteBuilder MapIssueWebhooks(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<IssueWebhookOptions>>().Value;
        if (options.Enabled)
        {
            var secret = Encoding.UTF8.GetBytes(options.Secret!.Trim());
            app.MapPost(options.Path, (HttpContext context, WebhookEventProcessor processor) => ReceiveAsync(context, processor, secret))
                .WithTags("GitHub").ExcludeFromDescription();
        }

        return app;
    }

    private static async Task<IResult> ReceiveAsync(HttpContext context, WebhookEventProcessor processor, byte[] secret)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        var body = buffer.ToArray();
        if (!WebhookSignature.IsValid(secret, body, context.Request.Headers["X-Hub-Signature-256"].ToString()))
        {
            return Http.Problems.Of(StatusCodes.Status401Unauthorized, "Signature refused",
                "The delivery is not signed with the webhook's secret (X-Hub-Signature-256).");
        }

        if (string.IsNullOrEmpty(context.Request.Headers["X-GitHub-Event"]))
        {
            return Http.Problems.Of(StatusCodes.Status400BadRequest, "Not a GitHub event", "The X-GitHub-Event header is missing.");
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
        try
        {
            await processor.ProcessWebhookAsync(headers, body, context.RequestAborted);
        }
        catch (System.Text.Json.JsonException ex)
        {
            // Signed, so from GitHub (or whoever holds the secret), but not an event Octokit can read: say so, not 500.
            return Http.Problems.Of(StatusCodes.Status400BadRequest, "Unreadable event", $"The event's JSON could not be read: {ex.Message}");
        }

        return TypedResults.Ok();
    }
}
