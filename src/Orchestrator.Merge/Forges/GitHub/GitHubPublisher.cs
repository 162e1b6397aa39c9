using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using Octokit;
using Octokit.Internal;
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

    private readonly GitHubOptions options;
    private readonly TimeProvider time;
    private readonly ILogger<GitHubPublisher> logger;
    private readonly IGitHubClient? client;
    private readonly Uri apiBaseUri;

    public GitHubPublisher(IOptions<GitHubOptions> options, TimeProvider time, ILogger<GitHubPublisher> logger)
    {
        this.options = options.Value;
        this.time = time;
        this.logger = logger;
        apiBaseUri = this.options.GetApiBaseUri();
        if (this.options.HasToken)
        {
            // This constructor keeps the base address as given; (product, Uri) would append api/v3/ to it.
            var credentials = new InMemoryCredentialStore(new Credentials(this.options.Token!.Trim()));
            client = new GitHubClient(new Connection(new ProductHeaderValue("Orchestrator"), apiBaseUri, credentials));
        }
    }

    public string Forge => Name;

    public bool CanPublishTo(string repository) => Address(repository) is not null;

    public IReadOnlyDictionary<string, string>? GitEnvironmentFor(string repository) =>
        Address(repository) is { HttpsRoot: { } root } ? GitHubCredentials.GitEnvironment(root, options.Token!) : null;

    public async Task<PullRequestInfo> OpenOrUpdateAsync(PullRequestDraft draft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var repository = Address(draft.Repository)
                         ?? throw new ForgeException(
                             $"'{draft.Repository}' is not a repository the GitHub forge publishes to: it needs an https or SSH clone URL on one of " +
                             $"Forge:GitHub:CloneHosts ({string.Join(", ", options.EffectiveCloneHosts)}) and Forge:GitHub:Token set");
        var call = new Call(repository, new RateLimitBudget(options.SecondaryRateLimitMaxWait), cancellationToken);

        var pull = await FindOpenAsync(call, draft.Head);
        if (pull is not null)
        {
            pull = await UpdateAsync(call, pull.Number, draft);
            LogUpdated(logger, draft.FeatureId, pull.Number, repository.FullName);
        }
        else
        {
            try
            {
                pull = await CreateAsync(call, draft);
                LogCreated(logger, draft.FeatureId, pull.Number, repository.FullName, options.Draft);
            }
            catch (ForgeException ex) when (ex.InnerException is ApiValidationException validation && AlreadyExists(validation))
            {
                // Another delivery of the same command (or a person) opened it between our look-up and our create.
                var existing = await FindOpenAsync(call, draft.Head)
                               ?? throw new ForgeException(
                                   $"GitHub says a pull request already exists for '{draft.Head}' on {repository.FullName}, " +
                                   "but none is open with that head branch in the repository", ex);
                pull = await UpdateAsync(call, existing.Number, draft);
                LogAdopted(logger, draft.FeatureId, pull.Number, repository.FullName);
            }
        }

        if (options.Labels.Length > 0)
        {
            var number = pull.Number;
            await SendAsync(call, $"label pull request #{number}", "the labels",
                () => client!.Issue.Labels.AddToIssue(repository.Owner, repository.Name, number, options.Labels));
        }

        return new PullRequestInfo(pull.Number, pull.HtmlUrl, draft.Head, draft.Base, draft.Repository, Name);
    }

    private GitHubRepositoryAddress? Address(string repository) =>
        client is not null
        && GitHubRepositoryAddress.TryParse(repository, out var address)
        && options.EffectiveCloneHosts.Any(host => string.Equals(host.Trim(), address.Host, StringComparison.OrdinalIgnoreCase))
            ? address
            : null;

    private async Task<PullRequest?> FindOpenAsync(Call call, string head)
    {
        var repository = call.Repository;
        var request = new PullRequestRequest { State = ItemStateFilter.Open, Head = $"{repository.Owner}:{head}" };
        var open = await SendAsync(call, "list pull requests", "the pull request look-up",
            () => client!.PullRequest.GetAllForRepository(repository.Owner, repository.Name, request,
                new ApiOptions { StartPage = 1, PageCount = 1, PageSize = 30 }));

        // GitHub filters by head already; checking again keeps a filter it ignored from adopting someone else's branch.
        return open.FirstOrDefault(p => string.Equals(p.Head?.Ref, head, StringComparison.Ordinal));
    }

    private Task<PullRequest> CreateAsync(Call call, PullRequestDraft draft)
    {
        var repository = call.Repository;
        var pull = new NewPullRequest(draft.Title, draft.Head, draft.Base) { Body = draft.Body };
        if (options.Draft)
        {
            pull.Draft = true;
        }

        return SendAsync(call, "open a pull request", "the pull request",
            () => client!.PullRequest.Create(repository.Owner, repository.Name, pull));
    }

    private Task<PullRequest> UpdateAsync(Call call, int number, PullRequestDraft draft)
    {
        var repository = call.Repository;
        var update = new PullRequestUpdate { Title = draft.Title, Body = draft.Body, Base = draft.Base };
        return SendAsync(call, $"update pull request #{number}", "the pull request update",
            () => client!.PullRequest.Update(repository.Owner, repository.Name, number, update));
    }

    /// <summary>One API call: waits out rate limits within the budget, and turns GitHub's refusals into reasons.</summary>
    private async Task<T> SendAsync<T>(Call call, string action, string subject, Func<Task<T>> send)
    {
        while (true)
        {
            call.CancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await send().WaitAsync(call.CancellationToken);
            }
            catch (ApiException ex) when (RateLimitWait(ex) is { } wait)
            {
                if (!call.Budget.TrySpend(wait))
                {
                    throw new ForgeException(RateLimitReason(ex, call, action, wait), ex);
                }

                LogRateLimited(logger, call.Repository.FullName, wait.TotalSeconds, action);
                await Task.Delay(wait, time, call.CancellationToken);
            }
            catch (ApiException ex)
            {
                throw new ForgeException(Reason(ex, call.Repository, action, subject), ex);
            }
            catch (HttpRequestException ex)
            {
                throw new ForgeException($"could not reach GitHub at {apiBaseUri} to {action} on {call.Repository.FullName}: {ex.Message}", ex);
            }
            catch (TaskCanceledException ex) when (!call.CancellationToken.IsCancellationRequested)
            {
                throw new ForgeException($"GitHub at {apiBaseUri} did not answer in time to {action} on {call.Repository.FullName}", ex);
            }
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
            NotFoundException => $"repository {repository.FullName} not found on {apiBaseUri}, or the token cannot see it (404)",
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

    /// <summary>How long GitHub asks us to wait, or null when the failure is not a rate limit.</summary>
    private TimeSpan? RateLimitWait(ApiException ex)
    {
        var retryAfter = Header(ex, "Retry-After");
        var remaining = Header(ex, "X-RateLimit-Remaining");
        var limited = ex is SecondaryRateLimitExceededException or AbuseException or RateLimitExceededException
                      || ex.StatusCode == HttpStatusCode.TooManyRequests
                      || (ex.StatusCode == HttpStatusCode.Forbidden && (retryAfter is not null || remaining == "0"));
        if (!limited)
        {
            return null;
        }

        var now = time.GetUtcNow();
        TimeSpan? advised = null;
        if (retryAfter is not null)
        {
            advised = int.TryParse(retryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? TimeSpan.FromSeconds(seconds)
                : DateTimeOffset.TryParse(retryAfter, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - now : null;
        }
        else if (ex is AbuseException { RetryAfterSeconds: { } abuseSeconds })
        {
            advised = TimeSpan.FromSeconds(abuseSeconds);
        }
        else if (remaining == "0"
                 && long.TryParse(Header(ex, "X-RateLimit-Reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
        {
            advised = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
        }

        // GitHub: without a hint, wait at least a minute. At least a second each time, so the budget always runs out.
        var wait = advised ?? TimeSpan.FromMinutes(1);
        return wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
    }

    private string RateLimitReason(ApiException ex, Call call, string action, TimeSpan wait)
    {
        var kind = ex is RateLimitExceededException || Header(ex, "X-RateLimit-Remaining") == "0"
            ? "API rate limit for this token is used up"
            : "secondary rate limit keeps refusing requests";
        return string.Create(CultureInfo.InvariantCulture,
            $"GitHub's {kind} (could not {action} on {call.Repository.FullName}): it asks to wait {wait.TotalSeconds:0} s more, " +
            $"beyond Forge:GitHub:SecondaryRateLimitMaxWait ({options.SecondaryRateLimitMaxWait.TotalSeconds:0} s in total); try again later");
    }

    private static string? Header(ApiException ex, string name)
    {
        var headers = ex.HttpResponse?.Headers;
        if (headers is null)
        {
            return null;
        }

        foreach (var (key, value) in headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value?.Trim();
            }
        }

        return null;
    }

    private sealed record Call(GitHubRepositoryAddress Repository, RateLimitBudget Budget, CancellationToken CancellationToken);

    /// <summary>Total time one publication may spend waiting for rate limits.</summary>
    private sealed class RateLimitBudget(TimeSpan limit)
    {
        private TimeSpan spent;

        public bool TrySpend(TimeSpan wait)
        {
            if (spent + wait > limit)
            {
                return false;
            }

            spent += wait;
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: opened pull request #{Number} on {Repository} (draft: {Draft})")]
    private static partial void LogCreated(ILogger logger, Guid featureId, int number, string repository, bool draft);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feature {FeatureId}: updated the open pull request #{Number} on {Repository}")]
    private static partial void LogUpdated(ILogger logger, Guid featureId, int number, string repository);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Feature {FeatureId}: pull request #{Number} on {Repository} was opened concurrently for the same branch; adopted and updated it")]
    private static partial void LogAdopted(ILogger logger, Guid featureId, int number, string repository);

    [LoggerMessage(Level = LogLevel.Warning, Message = "GitHub rate limit on {Repository}: waiting {Seconds:0.#} s, then retrying to {Action}")]
    private static partial void LogRateLimited(ILogger logger, string repository, double seconds, string action);
}
