using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Orchestrator.Http.Access;

/// <summary>
/// Who may call the API (<see cref="KeyPolicy"/>: a configured bearer key) and how often a key may submit
/// (<see cref="SubmissionPolicy"/>). Health endpoints stay open: they carry no policy.
/// </summary>
public static partial class ApiAccess
{
    public const string KeyPolicy = "api-key";
    public const string SubmissionPolicy = "submissions";

    public static IServiceCollection AddApiAccess(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidation>();

        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(KeyPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RefuseSubmissionAsync;
            options.AddPolicy(SubmissionPolicy, SubmissionPartition);
        });
        return services;
    }

    /// <summary>Authentication, then authorization (a request without a key ends here), then the rate limits.</summary>
    public static IApplicationBuilder UseApiAccess(this IApplicationBuilder app) =>
        app.UseAuthentication().UseAuthorization().UseRateLimiter();

    // One window per key name: two clients with their own keys do not share a limit, and a rotated key keeps its name.
    private static RateLimitPartition<string> SubmissionPartition(HttpContext context)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.SubmissionLimit;
        return RateLimitPartition.GetFixedWindowLimiter(context.User.Identity?.Name ?? "", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.Permits,
            Window = limit.Window,
            QueueLimit = 0,
        });
    }

    private static async ValueTask RefuseSubmissionAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var limit = http.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.SubmissionLimit;
        var keyName = http.User.Identity?.Name ?? "(none)";
        LogLimited(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiAccess)), keyName, limit.Permits, limit.Window);

        var retry = "later";
        if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            retry = $"in {seconds} s";
        }

        await Problems.Of(StatusCodes.Status429TooManyRequests, "Too many submissions",
                $"API key '{keyName}' may submit at most {limit.Permits} features per {limit.Window} (Api:SubmissionLimit); try again {retry}.")
            .ExecuteAsync(http);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "API key {KeyName} reached the submission limit ({Permits} per {Window})")]
    private static partial void LogLimited(ILogger logger, string keyName, int permits, TimeSpan window);
}
