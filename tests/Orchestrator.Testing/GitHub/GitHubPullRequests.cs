using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Orchestrator.Testing.GitHub;

/// <summary>
/// The stand-in forge's REST API under <c>/api/v3</c>, as GitHub documents it for the calls Octokit makes here: the
/// repository with the token's permissions, open pull requests by head, opening one (422 for a head branch that does
/// not exist or already has an open pull request, as GitHub does), updating one, and labels.
/// </summary>
public sealed class GitHubPullRequests
{
    private const string Repos = "/api/v3/repos/{owner}/{repo}";

    private readonly GitHubEnterpriseStandIn _forge;
    private readonly List<PullRequestRecord> _pulls = [];
    private readonly Lock _gate = new();

    internal GitHubPullRequests(GitHubEnterpriseStandIn forge)
    {
        _forge = forge;
    }

    /// <summary>Every pull request opened so far, as it is now.</summary>
    public IReadOnlyList<PullRequestRecord> All
    {
        get
        {
            lock (_gate)
            {
                return [.. _pulls];
            }
        }
    }

    internal void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Repos, (string owner, string repo) => _forge.CanPush(owner, repo) is { } push
            ? Results.Json(Repository(owner, repo, push))
            : NotFound());
        app.MapGet(Repos + "/pulls", (string owner, string repo, string? head, string? state) => Results.Json(
            All.Where(p => p.Owner == owner && p.Repo == repo && p.State == (state ?? "open") && (head is null || $"{owner}:{p.Head}" == head))
                .Select(p => Json(p)).ToList()));
        // Octokit labels its JSON bodies application/x-www-form-urlencoded; GitHub reads them as JSON whatever the label.
        app.MapPost(Repos + "/pulls", async (HttpRequest request, string owner, string repo) => Open(owner, repo, await BodyAsync(request)));
        app.MapMethods(Repos + "/pulls/{number:int}", ["PATCH"], async (HttpRequest request, string owner, string repo, int number) =>
            Update(owner, repo, number, await BodyAsync(request)));
        app.MapPost(Repos + "/issues/{number:int}/labels", async (HttpRequest request, string owner, string repo, int number) =>
            Label(owner, repo, number, LabelNames(await BodyAsync(request))));
        app.Map("/api/v3/{**rest}", () => NotFound());
    }

    private IResult Open(string owner, string repo, JsonElement body)
    {
        var head = body.GetProperty("head").GetString()!;
        if (_forge.CanPush(owner, repo) is null)
        {
            return NotFound();
        }

        if (_forge.BranchHead(owner, repo, head) is null)
        {
            return Invalid(new { resource = "PullRequest", field = "head", code = "invalid" });
        }

        lock (_gate)
        {
            if (_pulls.Any(p => p.Owner == owner && p.Repo == repo && p.Head == head && p.State == "open"))
            {
                return Invalid(new { resource = "PullRequest", code = "custom", message = $"A pull request already exists for {owner}:{head}." });
            }

            var pull = new PullRequestRecord(owner, repo, _pulls.Count + 1, Text(body, "title"), Text(body, "body"), head,
                Text(body, "base"), body.TryGetProperty("draft", out var draft) && draft.GetBoolean());
            _pulls.Add(pull);
            return Results.Json(Json(pull), statusCode: StatusCodes.Status201Created);
        }
    }

    private IResult Update(string owner, string repo, int number, JsonElement body)
    {
        lock (_gate)
        {
            var index = _pulls.FindIndex(p => p.Owner == owner && p.Repo == repo && p.Number == number);
            if (index < 0)
            {
                return NotFound();
            }

            var pull = _pulls[index];
            _pulls[index] = pull = pull with
            {
                Title = body.TryGetProperty("title", out var title) ? title.GetString()! : pull.Title,
                Body = body.TryGetProperty("body", out var text) ? text.GetString()! : pull.Body,
                Base = body.TryGetProperty("base", out var @base) ? @base.GetString()! : pull.Base,
                Updates = pull.Updates + 1,
            };
            return Results.Json(Json(pull));
        }
    }

    private IResult Label(string owner, string repo, int number, string[] labels)
    {
        lock (_gate)
        {
            var index = _pulls.FindIndex(p => p.Owner == owner && p.Repo == repo && p.Number == number);
            if (index < 0)
            {
                return NotFound();
            }

            _pulls[index] = _pulls[index] with { Labels = [.. _pulls[index].Labels.Union(labels)] };
            return Results.Json(_pulls[index].Labels.Select(name => new { name }));
        }
    }

    private object Repository(string owner, string repo, bool push) => new
    {
        id = Math.Abs(StringComparer.Ordinal.GetHashCode($"{owner}/{repo}")),
        name = repo,
        full_name = $"{owner}/{repo}",
        owner = new { login = owner },
        @private = true,
        default_branch = "main",
        html_url = new Uri(_forge.BaseAddress, $"{owner}/{repo}").AbsoluteUri,
        clone_url = new Uri(_forge.BaseAddress, $"{owner}/{repo}.git").AbsoluteUri,
        permissions = new { admin = false, push, pull = true },
    };

    private object Json(PullRequestRecord pull) => new
    {
        id = pull.Number,
        number = pull.Number,
        state = pull.State,
        title = pull.Title,
        body = pull.Body,
        draft = pull.Draft,
        html_url = new Uri(_forge.BaseAddress, $"{pull.Owner}/{pull.Repo}/pull/{pull.Number}").AbsoluteUri,
        head = new { @ref = pull.Head, label = $"{pull.Owner}:{pull.Head}", sha = _forge.BranchHead(pull.Owner, pull.Repo, pull.Head) },
        @base = new { @ref = pull.Base, label = $"{pull.Owner}:{pull.Base}", sha = _forge.BranchHead(pull.Owner, pull.Repo, pull.Base) },
        user = new { login = "orchestrator-bot" },
        created_at = pull.CreatedAt,
        updated_at = DateTimeOffset.UtcNow,
    };

    private static async Task<JsonElement> BodyAsync(HttpRequest request)
    {
        using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        return document.RootElement.Clone();
    }

    // GitHub takes the names as an array, or as {"labels": [...]}.
    private static string[] LabelNames(JsonElement body) =>
        [.. (body.ValueKind == JsonValueKind.Object ? body.GetProperty("labels") : body).EnumerateArray().Select(label => label.GetString()!)];

    private static string Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    private static IResult NotFound() =>
        Results.Json(new { message = "Not Found", documentation_url = "https://docs.github.com/rest" }, statusCode: StatusCodes.Status404NotFound);

    private static IResult Invalid(object error) =>
        Results.Json(new { message = "Validation Failed", errors = new[] { error } }, statusCode: StatusCodes.Status422UnprocessableEntity);
}

/// <summary>A pull request on the stand-in forge; <see cref="Updates"/> counts the PATCHes it received.</summary>
public sealed record PullRequestRecord(string Owner, string Repo, int Number, string Title, string Body, string Head, string Base, bool Draft)
{
    public string State { get; init; } = "open";

    public int Updates { get; init; }

    public IReadOnlyList<string> Labels { get; init; } = [];

    public DateTimeOffset CreatedAt { get; } = DateTimeOffset.UtcNow;
}
