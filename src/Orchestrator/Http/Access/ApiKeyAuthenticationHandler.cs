using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Orchestrator.Http.Access;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c> against <c>Api:Keys</c>. The caller's identity is the key's name, which
/// the rate limiter partitions by and the logs show; the key itself is never logged or echoed.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptionsMonitor<ApiOptions> apiOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) || header.Length == BearerPrefix.Length)
        {
            LogRefused(Logger, Request.Method, Request.Path, "the Authorization header is not a bearer key");
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header is not a bearer key."));
        }

        var keyName = ApiKeyRing.Identify(apiOptions.CurrentValue.Keys, header[BearerPrefix.Length..].Trim());
        if (keyName is null)
        {
            LogRefused(Logger, Request.Method, Request.Path, "the bearer key is not a configured API key");
            return Task.FromResult(AuthenticateResult.Fail("The bearer key is not one of the configured API keys."));
        }

        LogAccepted(Logger, keyName, Request.Method, Request.Path);
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, keyName)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>401 as problem details, with the RFC 6750 challenge; says whether a key was missing or refused.</summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = (await HandleAuthenticateOnceSafeAsync()).Failure is not null;
        Response.Headers.WWWAuthenticate = presented
            ? "Bearer realm=\"orchestrator\", error=\"invalid_token\""
            : "Bearer realm=\"orchestrator\"";
        var problem = presented
            ? Problems.Of(StatusCodes.Status401Unauthorized, "API key refused",
                "The bearer key is not one of the API keys this orchestrator accepts (Api:Keys).")
            : Problems.Of(StatusCodes.Status401Unauthorized, "API key required",
                "Send an API key as 'Authorization: Bearer <key>' (the CLI reads it from ORCHESTRATOR_API_KEY).");
        await problem.ExecuteAsync(Context);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "API key {KeyName} accepted for {Method} {Path}")]
    private static partial void LogAccepted(ILogger logger, string keyName, string method, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, string reason);
}
