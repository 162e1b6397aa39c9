using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Orchestrator.Testing.GitHub;

/// <summary>The stand-in forge's issue comments (<c>GET</c>/<c>POST /api/v3/repos/{owner}/{repo}/issues/{number}/comments</c>), any issue number.</summary>
public sealed class GitHubIssueComments
{
    private readonly List<IssueComment> _comments = [];
    private readonly Lock _gate = new();

    /// <summary>Every comment written so far, in order.</summary>
    public IReadOnlyList<IssueComment> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _comments];
            }
        }
    }

    internal void Map(IEndpointRouteBuilder app, Func<string, string, bool> exists)
    {
        const string Comments = "/api/v3/repos/{owner}/{repo}/issues/{number:int}/comments";
        app.MapGet(Comments, (string owner, string repo, int number) => exists(owner, repo)
            ? Results.Json(All.Where(c => (c.Owner, c.Repo, c.Issue) == (owner, repo, number)).Select(Json).ToList())
            : Results.Json(new { message = "Not Found" }, statusCode: StatusCodes.Status404NotFound));
        app.MapPost(Comments, async (HttpRequest request, string owner, string repo, int number) =>
        {
            if (!exists(owner, repo))
            {
                return Results.Json(new { message = "Not Found" }, statusCode: StatusCodes.Status404NotFound);
            }

            // Octokit labels its JSON bodies application/x-www-form-urlencoded; GitHub reads them as JSON whatever the label.
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            IssueComment comment;
            lock (_gate)
            {
                comment = new IssueComment(_comments.Count + 1, owner, repo, number, body.RootElement.GetProperty("body").GetString()!);
                _comments.Add(comment);
            }

            return Results.Json(Json(comment), statusCode: StatusCodes.Status201Created);
        });
    }

    private static object Json(IssueComment comment) => new
    {
        id = comment.Id,
        body = comment.Body,
        user = new { login = "orchestrator-bot" },
        created_at = DateTimeOffset.UtcNow,
        updated_at = DateTimeOffset.UtcNow,
    };
}

/// <summary>A comment on an issue of the stand-in forge.</summary>
public sealed record IssueComment(int Id, string Owner, string Repo, int Issue, string Body);
