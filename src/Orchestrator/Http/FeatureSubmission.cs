using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Http.Repositories;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Workspaces;

namespace Orchestrator.Http;

/// <summary>
/// Turns the body of <c>POST /features</c> into a <see cref="SubmitFeature"/>, or into the problems that refuse it:
/// every field is checked, the repository must pass the allow-list, the model is chosen (live, scripted or replayed),
/// and the merge service confirms that the repository and its base branch can be read. A refused request creates
/// nothing, and an allow-listed repository is the only kind the merge service is ever asked to look at.
/// </summary>
public sealed partial class FeatureSubmission(
    IRequestClient<CheckRepository> checkRepository,
    ChatModelFactory models,
    ModelDeviceSelection devices,
    RepositoryAllowList repositories,
    IOptions<FeatureWorkflowOptions> features,
    TimeProvider time)
{
    public const long MaxBodyBytes = 64 * 1024;
    public const int MaxRequestLength = 20_000;

    /// <summary>
    /// Either the command to send, or the result that refuses the request (with <see cref="Errors"/> by field when the
    /// request itself is at fault, rather than a service that did not answer).
    /// </summary>
    public sealed record Outcome(SubmitFeature? Command, IResult? Refusal)
    {
        public IReadOnlyDictionary<string, string[]>? Errors { get; init; }
    }

    public async Task<Outcome> PrepareAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        var (body, unreadable) = await ReadAsync(http, cancellationToken);
        return unreadable is not null ? new Outcome(null, unreadable) : await PrepareAsync(body, NewId.NextGuid(), cancellationToken);
    }

    /// <summary>Checks a request that came some other way than the API's body (a webhook), for the feature <paramref name="featureId"/>.</summary>
    public async Task<Outcome> PrepareAsync(SubmitFeatureRequest? body, Guid featureId, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var repository = body?.Repository?.Trim();
        var baseBranch = string.IsNullOrWhiteSpace(body?.BaseBranch) ? "main" : body.BaseBranch.Trim();
        // Hidden characters would reach the planner's prompt and the pull request without anyone seeing them.
        var request = body?.Request is { } text ? UntrustedText.StripHidden(text).Trim() : null;
        CheckFields(body, request, errors);
        if (!GitBranchName.IsValid(baseBranch))
        {
            errors["baseBranch"] = [$"'{baseBranch}' is not a valid branch name."];
        }

        CheckAllowedRepository(repository, errors);
        var model = SelectModel(body, errors);

        if (errors.Count == 0 && await CheckRepositoryAsync(repository!, baseBranch, errors, cancellationToken) is { } unavailable)
        {
            return new Outcome(null, unavailable);
        }

        if (errors.Count > 0)
        {
            return new Outcome(null, TypedResults.ValidationProblem(errors, title: "The feature request is invalid")) { Errors = errors };
        }

        return new Outcome(new SubmitFeature(featureId, repository!, baseBranch, request!, model!, time.GetUtcNow())
        {
            Issue = body!.Issue ?? IssueMentionedIn(request!),
            TokenBudget = body.TokenBudget,
            ApprovePlan = body.ApprovePlan,
            Review = body.Review,
        }, null);
    }

    private static Task<(SubmitFeatureRequest? Body, IResult? Unreadable)> ReadAsync(HttpRequest http, CancellationToken cancellationToken) =>
        JsonBody.ReadAsync<SubmitFeatureRequest>(http, MaxBodyBytes, cancellationToken);

    private void CheckFields(SubmitFeatureRequest? body, string? request, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(request))
        {
            errors["request"] = ["The feature request text is required."];
        }
        else if (request.Length > MaxRequestLength)
        {
            errors["request"] = [$"The feature request must be at most {MaxRequestLength} characters."];
        }

        if (body?.Issue is <= 0)
        {
            errors["issue"] = ["The issue number must be positive."];
        }

        var maxBudget = features.Value.MaxTokenBudget;
        if (body?.TokenBudget is <= 0)
        {
            errors["tokenBudget"] = ["The token budget must be positive."];
        }
        else if (body?.TokenBudget > maxBudget)
        {
            errors["tokenBudget"] = [$"The token budget must be at most {maxBudget} (Features:MaxTokenBudget)."];
        }
    }

    private void CheckAllowedRepository(string? repository, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(repository))
        {
            errors["repository"] = ["The repository (clone URL or local path) is required."];
        }
        else if (repositories.Refusal(repository) is { } refusal)
        {
            errors["repository"] = [refusal];
        }
    }

    private ModelSelection? SelectModel(SubmitFeatureRequest? body, Dictionary<string, string[]> errors)
    {
        var script = string.IsNullOrWhiteSpace(body?.Script) ? null : body.Script.Trim();
        var replay = string.IsNullOrWhiteSpace(body?.Replay) ? null : body.Replay.Trim();
        if (replay is not null && (script is not null || body?.Record == true))
        {
            errors["replay"] = ["A replayed feature takes its model calls from the cassette: do not also name a script or ask to record."];
            return null;
        }

        try
        {
            var chosen = replay is not null ? devices.Replay(replay)
                : script is not null ? devices.Script(script)
                : models.SelectLive(string.IsNullOrWhiteSpace(body?.Model) ? null : body.Model.Trim());
            return replay is null ? chosen with { Record = body?.Record == true } : chosen;
        }
        catch (Exception ex) when (ex is ModelDeviceException or LlmConnectionException)
        {
            errors[replay is not null ? "replay" : "script"] = [ex.Message];
            return null;
        }
    }

    // The merge service checks: it holds the forge credentials a private repository needs.
    private async Task<IResult?> CheckRepositoryAsync(
        string repository, string baseBranch, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        Response<RepositoryChecked> probe;
        try
        {
            probe = await BusRequests.GetResponseAsync<CheckRepository, RepositoryChecked>(
                checkRepository, new CheckRepository(repository, baseBranch), TimeSpan.FromSeconds(45), cancellationToken);
        }
        catch (RequestTimeoutException)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "Merge service unavailable",
                "The repository could not be checked within 45 s; the merge service is not responding.");
        }

        if (!probe.Message.Reachable)
        {
            errors["repository"] = [$"The repository '{repository}' cannot be read: {probe.Message.Error}"];
        }
        else if (!probe.Message.BranchExists)
        {
            errors["baseBranch"] = [$"The repository has no branch '{baseBranch}'."];
        }
        else if (probe.Message.PublishError is { } publishError)
        {
            errors["repository"] = [$"No pull request could be opened on '{repository}': {publishError}"];
        }

        return null;
    }

    /// <summary>"Fix the export (#42)" resolves issue 42: the first <c>#number</c> in the request.</summary>
    private static int? IssueMentionedIn(string request) =>
        IssueReference().Match(request) is { Success: true } match && int.TryParse(match.Groups[1].ValueSpan, out var issue) ? issue : null;

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<![\w&/])#(\d{1,9})\b")]
    private static partial System.Text.RegularExpressions.Regex IssueReference();
}
