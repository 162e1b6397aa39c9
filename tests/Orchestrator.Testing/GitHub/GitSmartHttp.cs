using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Orchestrator.Testing.GitHub;

/// <summary>
/// git's smart HTTP protocol for the stand-in forge: runs <c>git http-backend</c> as a CGI program on one request, so
/// clone, fetch and push are real git on both ends. A test device: no limits, no access control beyond the stand-in's.
/// </summary>
internal static class GitSmartHttp
{
    public static async Task ServeAsync(HttpContext context, string projectRoot, string pathInfo)
    {
        if (pathInfo.Contains("..", StringComparison.Ordinal))
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
        foreach (var (name, value) in CgiVariables(context.Request, projectRoot, pathInfo))
        {
            start.Environment[name] = value;
        }

        using var backend = Process.Start(start)!;
        var errors = backend.StandardError.ReadToEndAsync(context.RequestAborted);
        await context.Request.Body.CopyToAsync(backend.StandardInput.BaseStream, context.RequestAborted);
        backend.StandardInput.Close();

        var output = backend.StandardOutput.BaseStream;
        await CopyCgiHeadersAsync(output, context.Response, context.RequestAborted);
        await output.CopyToAsync(context.Response.Body, context.RequestAborted);
        await backend.WaitForExitAsync(context.RequestAborted);
        if (backend.ExitCode != 0 && !context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await context.Response.WriteAsync(await errors, context.RequestAborted);
        }
    }

    private static Dictionary<string, string> CgiVariables(HttpRequest request, string projectRoot, string pathInfo)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GIT_PROJECT_ROOT"] = projectRoot,
            ["GIT_HTTP_EXPORT_ALL"] = "1",
            ["GIT_CONFIG_NOSYSTEM"] = "1",
            ["GIT_CONFIG_GLOBAL"] = "/dev/null",
            ["PATH_INFO"] = "/" + pathInfo,
            ["REQUEST_METHOD"] = request.Method,
            ["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty,
            ["CONTENT_TYPE"] = request.ContentType ?? string.Empty,
            ["REMOTE_USER"] = "x-access-token",
            ["REMOTE_ADDR"] = "127.0.0.1",
        };
        if (request.ContentLength is { } length)
        {
            variables["CONTENT_LENGTH"] = length.ToString(CultureInfo.InvariantCulture);
        }

        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            variables["HTTP_CONTENT_ENCODING"] = encoding;
        }

        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            variables["GIT_PROTOCOL"] = protocol;
        }

        return variables;
    }

    // CGI output: header lines up to an empty line ("Status: 404 Not Found" sets the status), then the body.
    private static async Task CopyCgiHeadersAsync(Stream output, HttpResponse response, CancellationToken cancellationToken)
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

            var (name, value) = (header[..header.IndexOf(':')], header[(header.IndexOf(':') + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                response.StatusCode = int.Parse(value[..3], CultureInfo.InvariantCulture);
            }
            else
            {
                response.Headers[name] = value;
            }
        }
    }

    /// <summary>Runs git in <paramref name="directory"/>; throws with its output when it fails.</summary>
    public static string Git(string directory, params string[] arguments) =>
        TryGit(directory, arguments) ?? throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed in {directory}");

    /// <summary>Runs git in <paramref name="directory"/>; its output, or null when it fails.</summary>
    public static string? TryGit(string directory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git", arguments) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        using var git = Process.Start(start)!;
        var errors = git.StandardError.ReadToEndAsync();
        var output = git.StandardOutput.ReadToEnd();
        errors.Wait();
        git.WaitForExit();
        return git.ExitCode == 0 ? output.Trim() : null;
    }
}
