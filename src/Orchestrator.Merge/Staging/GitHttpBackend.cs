using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Options;

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

    private static async Task ServeAsync(HttpContext context, string? path, IOptions<StagingOptions> options, ILoggerFactory loggers)
    {
        var root = Path.GetFullPath(options.Value.Root);
        if (string.IsNullOrEmpty(path) || path.Contains("..", StringComparison.Ordinal) || !File.Exists(Path.Combine(root, RepositoryOf(path), "HEAD")))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var start = new ProcessStartInfo("git", ["http-backend"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var request = context.Request;
        start.Environment.Clear();
        start.Environment["PATH"] = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        start.Environment["GIT_PROJECT_ROOT"] = root;
        start.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["PATH_INFO"] = "/" + path;
        start.Environment["REQUEST_METHOD"] = request.Method;
        start.Environment["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        start.Environment["CONTENT_TYPE"] = request.ContentType ?? string.Empty;
        start.Environment["REMOTE_ADDR"] = context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        // http-backend only accepts pushes from an authenticated user; the staging area is internal to the system.
        start.Environment["REMOTE_USER"] = "agent";
        if (request.ContentLength is { } length)
        {
            start.Environment["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            start.Environment["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            start.Environment["GIT_PROTOCOL"] = protocol;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("git http-backend did not start");
        var errors = process.StandardError.ReadToEndAsync(context.RequestAborted);
        var input = CopyRequestAsync(request.Body, process.StandardInput.BaseStream, context.RequestAborted);

        var output = process.StandardOutput.BaseStream;
        await WriteCgiHeadersAsync(output, context.Response, context.RequestAborted);
        await output.CopyToAsync(context.Response.Body, context.RequestAborted);
        await input;
        await process.WaitForExitAsync(context.RequestAborted);
        if (process.ExitCode != 0)
        {
            LogBackendFailed(loggers.CreateLogger(typeof(GitHttpBackend)), path, process.ExitCode, await errors);
        }
    }

    private static string RepositoryOf(string path)
    {
        var end = path.IndexOf(".git", StringComparison.Ordinal);
        return end < 0 ? path : path[..(end + 4)];
    }

    private static async Task CopyRequestAsync(Stream body, Stream input, CancellationToken cancellationToken)
    {
        await using (input)
        {
            await body.CopyToAsync(input, cancellationToken);
        }
    }

    // CGI: header lines up to an empty line; "Status: 404 Not Found" sets the status code.
    private static async Task WriteCgiHeadersAsync(Stream output, HttpResponse response, CancellationToken cancellationToken)
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
                return;
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
                response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                response.Headers.Append(name, value);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "git http-backend for {Path} exited with {ExitCode}: {Errors}")]
    private static partial void LogBackendFailed(ILogger logger, string path, int exitCode, string errors);
}
