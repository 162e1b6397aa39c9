using System.Globalization;
using Microsoft.Extensions.Options;
using Octokit;
using Orchestrator.Contracts;

namespace Orchestrator.Merge.Forges.GitHub;

/// <summary>
/// Opens a feature's pull request on GitHub (or GitHub Enterprise Server) through Octokit, or updates the one already
/// open for the same head branch, so redelivered and concurrent consolidations never make a second one. GitHub's
/// answers that a user can fix come back as a <see cref="ForgeException"/> with the reason.
/// </summary>
public sealed partial class GitHubPublisher : IPullRequestPublisher, IForgeCredentials
{
    public const string Name = "github";

    private readonly GitHubOptions _options;
    private readonly ILogger<GitHubPublisher> _logger;
    private readonly GitHubRateLimits _rateLimits;
    private readonly IGitHubClient? _client;
    private readonly Uri _apiBaseUri;
    private readonly IReadOnlyList<CloneHost> _cloneHosts;

    public GitHubPublisher(IOptions<GitHubOptions> options, TimeProvider time, ILogger<GitHubPublisher> logger)
    {
        _options = options.Value;
        _logger = logger;
        _rateLimits = new GitHubRateLimits(_options, time, logger);
        _apiBaseUri = _options.GetApiBaseUri();
        _cloneHosts = _options.ParsedCloneHosts();
        _client = _options.HasToken ? GitHubConnection.Create(_options) : null;
    }

    public string Forge => Name;

    public bool CanPublishTo(string repository) => Address(repository) is not null;

    public IReadOnlyDictionary<string, string>? GitEnvironmentFor(string repository) =>
        Address(repository) is { HttpsRoot: { } root } ? GitHubCredentials.GitEnvironment(root, _options.Token!, _options.CaFile) : null;

    /// <summary>
    /// Before any work: the repository must exist, be visible to the token, and the token must be allowed to push
    /// (GitHub answers <c>permissions.push</c>). Null when it may; otherwise why not.
    /// </summary>
    public async Task<string?> CheckWriteAccessAsync(string repository, CancellationToken cancellationToken)
    {
        if (Address(repository) is not { } address)
        {
            return null;
        }

        try
        {
            var found = await SendAsync(new Call(address, _rateLimits.NewBudget(), cancellationToken), "look up the repository", "the repository",
                () => _client!.Repository.Get(address.Owner, address.Name));
            return found.Permissions?.Push == true
                ? null
                : $"the token can read {address.FullName} but may not push to it: it needs Contents: read and write and " +
                  "Pull requests: read and write (or a classic token with repo)";
        }
        catch (ForgeException ex)
        {
            return ex.Message;
        }
    }

    public async Task<PullRequestInfo> OpenOrUpdateAsync(PullRequestDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var repository = Address(draft.Repository)
                         ?? throw new ForgeException(
                             $"'{draft.Repository}' is not a repository the GitHub forge publishes to: it needs an https or SSH clone URL on one of " +
                             $"Forge:GitHub:CloneHosts ({string.Join(", ", _options.EffectiveCloneHosts)}) and Forge:GitHub:Token set");
        var call = new Call(repository, _rateLimits.NewBudget(), cancellationToken);

        var pull = await FindOpenAsync(call, draft.Head);
        if (pull is not null)
        {
            pull = await UpdateAsync(call, pull.Number, draft);
            LogUpdated(_logger, draft.FeatureId, pull.Number, repository.FullName);
        }
        else
        {
            try
            {
                pull = await CreateAsync(call, draft);
                LogCreated(_logger, draft.FeatureId, pull.Number, repository.FullName, _options.Draft);
            }
            catch (ForgeException ex) when (ex.InnerException is ApiValidationException validation && AlreadyExists(validation))
            {
                // Another delivery of the same command (or a person) opened it between our look-up and our create.
                var existing = await FindOpenAsync(call, draft.Head)
                               ?? throw new ForgeException(
                                   $"GitHub says a pull request already exists for '{draft.Head}' on {repository.FullName}, " +
                                   "but none is open with that head branch in the repository", ex);
                pull = await UpdateAsync(call, existing.Number, draft);
                LogAdopted(_logger, draft.FeatureId, pull.Number, repository.FullName);
            }
        }

        if (_options.Labels.Length > 0)
        {
            var number = pull.Number;
            await SendAsync(call, $"label pull request #{number}", "the labels",
                () => _client!.Issue.Labels.AddToIssue(repository.Owner, repository.Name, number, _options.Labels));
        }

        return new PullRequestInfo(pull.Number, pull.HtmlUrl, draft.Head, draft.Base, draft.Repository, Name);
    }

    private GitHubRepositoryAddress? Address(string repository) =>
        _client is not null
        && GitHubRepositoryAddress.TryParse(repository, out var address)
        && _cloneHosts.Any(host => host.Matches(address.Host, address.Port))
            ? address
            : null;

    private async Task<PullRequest?> FindOpenAsync(Call call, string head)
    {
        var repository = call.Repository;
        var request = new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{repository.Owner}:{head}" };
        var open = await SendAsync(call, "list pull requests", "the pull request look-up",
            () => _client!.PullRequest.GetAllForRepository(repository.Owner, repository.Name, request,
                new ApiOptions { StartPage = 1, PageCount = 1, PageSize = 30 }));

        // GitHub filters by head already; checking again keeps a filter it ignored from adopting someone else's branch.
        return open.FirstOrDefault(p => string.Equals(p.Head?.Ref, head, StringComparison.Ordinal));
    }

    private Task<PullRequest> CreateAsync(Call call, PullRequestDraft draft)
    {
        var repository = call.Repository;
        var pull = new NewPullRequest(draft.Title, draft.Head, draft.Base) { Body = draft.Body };
        if (_options.Draft)
        {
            pull.Draft = true;
        }

        return SendAsync(call, "open a pull request", "the pull request",
            () => _client!.PullRequest.Create(repository.Owner, repository.Name, pull));
    }

    private Task<PullRequest> UpdateAsync(Call call, int number, PullRequestDraft draft)
    {
        var repository = call.Repository;
        var update = new PullRequestUpdate { Title = draft.Title, Body = draft.Body, Base = draft.Base };
        return SendAsync(call, $"update pull request #{number}", "the pull request update",
            () => _client!.PullRequest.Update(repository.Owner, repository.Name, number, update));
    }

    /// <summary>One API call: rate limits are waited out within the publication's budget; GitHub's refusals become reasons.</summary>
    private async Task<T> SendAsync<T>(Call call, string action, string subject, Func<Task<T>> send)
    {
        try
        {
            return await _rateLimits.SendAsync(send, call.Budget, call.Repository.FullName, action, call.CancellationToken);
        }
        catch (ApiException ex) when (_rateLimits.GaveUpReason(ex, call.Repository.FullName, action) is { } reason)
        {
            throw new ForgeException(reason, ex);
        }
        catch (ApiException ex)
        {
            throw new ForgeException(Reason(ex, call.Repository, action, subject), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ForgeException($"could not reach GitHub at {_apiBaseUri} to {action} on {call.Repository.FullName}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!call.CancellationToken.IsCancellationRequested)
        {
            throw new ForgeException($"GitHub at {_apiBaseUri} did not answer in time to {action} on {call.Repository.FullName}", ex);
        }
    }

    private string Reason(ApiException ex, GitHubRepositoryAddress repository, string action, string subject)
    {
        var said = Said(ex);
        var status = ((int)ex.StatusCode).ToString(CultureInfo.InvariantCulture);
        return ex switch
        {
            AuthorizationException => $"GitHub rejected the token (401 {said ?? "Bad credentials"}): check Forge:GitHub:Token",
            ForbiddenException => $"the token may not {action} on {repository.FullName} (403): it needs contents and pull requests write access" +
                                  (said is null ? "" : $"; GitHub says: {said}"),
            NotFoundException => $"repository {repository.FullName} not found on {_apiBaseUri}, or the token cannot see it (404)",
            ApiValidationException validation => $"GitHub refused {subject} (422): {ValidationErrors(validation)}",
            _ => $"GitHub answered {status} when asked to {action} on {repository.FullName}" + (said is null ? "" : $": {said}"),
        };
    }

    private static string ValidationErrors(ApiValidationException ex)
    {
        var details = (ex.ApiError?.Errors ?? [])
            .Select(e => !string.IsNullOrWhiteSpace(e.Message)
                ? e.Message.Trim()
                : string.Join(' ', new[] { e.Resource, e.Field, e.Code }.Where(part => !string.IsNullOrWhiteSpace(part))))
            .Where(detail => detail.Length > 0)
            .ToList();
        var message = Said(ex) ?? "Validation Failed";
        return details.Count == 0 ? message : $"{message}: {string.Join("; ", details)}";
    }

    private static string? Said(ApiException ex) =>
        string.IsNullOrWhiteSpace(ex.ApiError?.Message) ? null : ex.ApiError.Message.Trim();

    private static bool AlreadyExists(ApiValidationException ex) =>
        ex.ApiError?.Errors?.Any(e => e.Message?.Contains("pull request already exists", StringComparison.OrdinalIgnoreCase) == true) == true;

    private sealed record Call(GitHubRepositoryAddress Repository, GitHubRateLimits.RateLimitBudget Budget, CancellationToken CancellationToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: opened pull request #{Number} on {Repository} (draft: {Draft})")]
    private static partial void LogCreated(ILogger logger, Guid featureId, int number, string repository, bool draft);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: updated the open pull request #{Number} on {Repository}")]
    private static partial void LogUpdated(ILogger logger, Guid featureId, int number, string repository);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Feature {FeatureId}: pull request #{Number} on {Repository} was opened concurrently for the same branch; adopted and updated it")]
    private static partial void LogAdopted(ILogger logger, Guid featureId, int number, string repository);
}
