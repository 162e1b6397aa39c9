using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Orchestrator.Workspaces;

namespace Orchestrator.Merge.Staging;

/// <summary>
/// Serves the staging repositories over git's smart HTTP protocol by running <c>git http-backend</c> as a CGI program:
/// agents clone from and push their task branches to <c>/git/&lt;feature&gt;.git</c> here, so they need no forge
/// credentials and share no file system with anyone.
/// </summary>
public static partial class GitHttpBackend
{
    public const string RoutePrefix = "/git";

    public static IEndpointRouteBuilder MapGitStaging(this IEndpointRouteBuilder app)
    {
        app.Map(RoutePrefix + "/{**path}", ServeAsync).DisableAntiforgery();
        return app;
    }

    private static async Task ServeAsync(
        HttpContext context, string? path, IOptions<StagingOptions> options, [FromServices] ProcessRunner processes, ILoggerFactory loggers)
    {
        var root = Path.GetFullPath(options.Value.Root);
        if (string.IsNullOrEmpty(path) || path.Contains("..", StringComparison.Ordinal) || !File.Exists(Path.Combine(root, RepositoryOf(path), "HEAD")))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // No timeout of its own: the request bounds it, and a client that goes away gets the process tree killed.
        var spec = new ProcessSpec("git", ["http-backend"], root) { Environment = CgiEnvironment(context, root, path), Timeout = Timeout.InfiniteTimeSpan };
        var answered = false;
        var streams = new ProcessStreams(context.Request.Body, async (output, cancellationToken) =>
        {
            answered = await WriteCgiHeadersAsync(output, context.Response, cancellationToken);
            await output.CopyToAsync(context.Response.Body, cancellationToken);
        });

        var result = await processes.RunAsync(spec, streams, context.RequestAborted);
        if (!result.Succeeded)
        {
            LogBackendFailed(loggers.CreateLogger(typeof(GitHttpBackend)), path, result.ExitCode, result.Output);
            if (!answered && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
            }
        }
    }

    // CGI meta-variables on top of the launcher's allow-listed environment; git's own configuration files are ignored.
    private static Dictionary<string, string> CgiEnvironment(HttpContext context, string root, string path)
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
            // http-backend only accepts pushes from an authenticated user; the staging area is internal to the system.
            ["REMOTE_USER"] = "agent",
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

    private static string RepositoryOf(string path)
    {
        var end = path.IndexOf(".git", StringComparison.Ordinal);
        return end < 0 ? path : path[..(end + 4)];
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "git http-backend for {Path} exited with {ExitCode}: {Errors}")]
    private static partial void LogBackendFailed(ILogger logger, string path, int exitCode, string errors);
}
