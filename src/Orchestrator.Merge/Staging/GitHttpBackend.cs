using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Orchestrator.Messaging;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Staging;

/// <summary>
/// Serves the staging repositories over git's smart HTTP protocol by running <c>git http-backend</c> as a CGI program:
/// agents clone from and push their task branches to <c>/git/&lt;feature&gt;.git</c> here, so they need no forge
/// credentials and share no file system with anyone. Every request needs a staging credential
/// (<see cref="StagingAccess"/>); a push may update only its task's branch, checked on the command list before the
/// backend sees the body (<see cref="ReceivePackCommands"/>).
/// </summary>
public static partial class GitHttpBackend
{
    public const string RoutePrefix = "/git";

    // A push's command list is a few hundred bytes; this bounds what is held before the backend starts.
    private const int MaxCommandListBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapGitStaging(this IEndpointRouteBuilder app)
    {
        app.Map(RoutePrefix + "/{**path}", ServeAsync).DisableAntiforgery();
        return app;
    }

    private static async Task ServeAsync(
        HttpContext context, string? path, IOptions<StagingOptions> options, [FromServices] StagingAccess access,
        [FromServices] StagingRequestLimiter limiter, [FromServices] ProcessRunner processes, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(GitHttpBackend));
        var root = Path.GetFullPath(options.Value.Root);
        if (FeatureOf(path) is not { } featureId || !File.Exists(Path.Combine(root, $"{featureId:N}.git", "HEAD")))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var decision = access.Authorize(featureId, context.Request.Headers.Authorization, IsReceivePack(context.Request, path!));
        if (decision is not StagingDecision.Granted { Grant: var grant })
        {
            await RefuseAsync(context, logger, featureId, (StagingDecision.Denied)decision);
            return;
        }

        if (!CapBody(context, options.Value.MaxRequestBodyBytes))
        {
            await RefuseAsync(context, logger, featureId, new(StatusCodes.Status413PayloadTooLarge,
                $"the request body is larger than the staging endpoint accepts ({options.Value.MaxRequestBodyBytes} bytes)"));
            return;
        }

        await ServeGrantedAsync(context, root, path!, grant, limiter, processes, logger);
    }

    private static async Task ServeGrantedAsync(
        HttpContext context, string root, string path, StagingGrant grant, StagingRequestLimiter limiter, ProcessRunner processes, ILogger logger)
    {
        try
        {
            using var lease = await limiter.AcquireAsync(context.RequestAborted);
            if (!lease.IsAcquired)
            {
                context.Response.Headers.RetryAfter = "5";
                await RefuseAsync(context, logger, grant.FeatureId, new(StatusCodes.Status503ServiceUnavailable, "too many git requests at once; try again"));
                return;
            }

            if (await CheckPushAsync(context, path, grant) is StagingDecision.Denied refused)
            {
                await RefuseAsync(context, logger, grant.FeatureId, refused);
                return;
            }

            await RunBackendAsync(context, root, path, grant, processes, logger);
        }
        catch (BadHttpRequestException ex)
        {
            // The body outgrew the cap while streaming (no Content-Length), or ended early because the client went away:
            // either way the backend saw its input end and exited.
            if (!context.RequestAborted.IsCancellationRequested)
            {
                LogRefused(logger, grant.FeatureId, ex.StatusCode, ex.Message);
            }

            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.StatusCode = ex.StatusCode;
            }
        }
        catch (Exception ex) when ((ex is OperationCanceledException or IOException) && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (while waiting for a slot, or while the runner killed the backend's process tree).
        }
    }

    /// <summary>For a push, the ref updates its command list asks for must be the grant's; null when it may go on.</summary>
    private static async Task<StagingDecision?> CheckPushAsync(HttpContext context, string path, StagingGrant grant)
    {
        if (!path.EndsWith("/git-receive-pack", StringComparison.Ordinal))
        {
            return null;
        }

        // git never compresses a push body; a compressed one could not be checked without inflating it here.
        if (context.Request.Headers.ContentEncoding.Count > 0)
        {
            return new StagingDecision.Denied(StatusCodes.Status415UnsupportedMediaType, "a push's request body must not be compressed");
        }

        var updates = await ReceivePackCommands.PeekAsync(context.Request.BodyReader, MaxCommandListBytes, context.RequestAborted);
        return updates is null
            ? new StagingDecision.Denied(StatusCodes.Status400BadRequest, "the push's command list could not be read")
            : StagingAccess.AuthorizeUpdates(grant, updates) as StagingDecision.Denied;
    }

    private static async Task RunBackendAsync(
        HttpContext context, string root, string path, StagingGrant grant, ProcessRunner processes, ILogger logger)
    {
        // No timeout of its own: the request bounds it, and a client that goes away gets the process tree killed.
        var spec = new ProcessSpec("git", ["http-backend"], root) { Environment = CgiEnvironment(context, root, path, grant), Timeout = Timeout.InfiniteTimeSpan };
        var answered = false;
        var streams = new ProcessStreams(context.Request.BodyReader.AsStream(leaveOpen: true), async (output, cancellationToken) =>
        {
            answered = await WriteCgiHeadersAsync(output, context.Response, cancellationToken);
            await output.CopyToAsync(context.Response.Body, cancellationToken);
        });

        var result = await processes.RunAsync(spec, streams, context.RequestAborted);
        if (!result.Succeeded)
        {
            LogBackendFailed(logger, path, result.ExitCode, result.Output);
            if (!answered && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
        }
    }

    // A reason for the client (git prints it) and for the log; never the credential itself.
    private static async Task RefuseAsync(HttpContext context, ILogger logger, Guid featureId, StagingDecision.Denied refusal)
    {
        LogRefused(logger, featureId, refusal.StatusCode, refusal.Reason);
        context.Response.StatusCode = refusal.StatusCode;
        if (refusal.StatusCode == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer realm=\"orchestrator-staging\"";
        }

        await context.Response.WriteAsync(refusal.Reason + "\n", context.RequestAborted);
    }

    private static bool CapBody(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            return false;
        }

        // Kestrel enforces it on a body without Content-Length too, failing the read that crosses it.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBytes;
        }

        return true;
    }

    // The receive-pack service: its ref advertisement or a push. Judged loosely (any mention), so nothing slips past.
    private static bool IsReceivePack(HttpRequest request, string path) =>
        path.EndsWith("/git-receive-pack", StringComparison.Ordinal)
        || (request.QueryString.Value?.Contains("receive-pack", StringComparison.OrdinalIgnoreCase) ?? false);

    // "<feature>.git" or "<feature>.git/..." with nothing that could lead into another repository.
    private static Guid? FeatureOf(string? path) =>
        path is not null && !path.Contains("..", StringComparison.Ordinal) && RepositoryPath().Match(path) is { Success: true } match
            ? Guid.ParseExact(match.Groups["feature"].Value, "N")
            : null;

    [GeneratedRegex("^(?<feature>[0-9a-f]{32})\\.git(/|$)")]
    private static partial Regex RepositoryPath();

    // CGI meta-variables on top of the launcher's allow-listed environment; git's own configuration files are ignored.
    private static Dictionary<string, string> CgiEnvironment(HttpContext context, string root, string path, StagingGrant grant)
    {
        var request = context.Request;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GIT_PROJECT_ROOT"] = root,
            ["GIT_HTTP_EXPORT_ALL"] = "1",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["PATH_INFO"] = "/" + path,
            ["REQUEST_METHOD"] = request.Method,
            ["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty,
            ["CONTENT_TYPE"] = request.ContentType ?? string.Empty,
            ["REMOTE_ADDR"] = context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1",
            // http-backend only accepts pushes from an authenticated user; the name ends up in the repository's reflog.
            ["REMOTE_USER"] = grant.TaskId is { } task ? $"{task}-attempt-{grant.Attempt}" : "merge",
        };
        if (request.ContentLength is { } length)
        {
            environment["CONTENT_LENGTH"] = length.ToString(CultureInfo.InvariantCulture);
        }

        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            environment["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            environment["GIT_PROTOCOL"] = protocol;
        }

        return environment;
    }

    // CGI: header lines up to an empty line; "Status: 404 Not Found" sets the status code. False when the output ended first.
    private static async Task<bool> WriteCgiHeadersAsync(Stream output, HttpResponse response, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await output.ReadAsync(buffer, cancellationToken) == 1)
        {
            if (buffer[0] != '\n')
            {
                line.Append((char)buffer[0]);
                continue;
            }

            var header = line.ToString().TrimEnd('\r');
            line.Clear();
            if (header.Length == 0)
            {
                return true;
            }

            var colon = header.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var name = header[..colon].Trim();
            var value = header[(colon + 1)..].Trim();
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                response.StatusCode = int.Parse(value.Split(' ')[0], CultureInfo.InvariantCulture);
            }
            else
            {
                response.Headers.Append(name, value);
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Staging request for feature {FeatureId} refused with {StatusCode}: {Reason}")]
    private static partial void LogRefused(ILogger logger, Guid featureId, int statusCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "git http-backend for {Path} exited with {ExitCode}: {Errors}")]
    private static partial void LogBackendFailed(ILogger logger, string path, int exitCode, string errors);
}
