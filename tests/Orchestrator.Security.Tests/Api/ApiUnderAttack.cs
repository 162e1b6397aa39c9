using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Merge.Consumers;
using Orchestrator.Merge.Forges;
using Orchestrator.Workspaces;

namespace Orchestrator.Security.Tests.Api;

[CollectionDefinition(nameof(ApiUnderAttack))]
public sealed class ApiCollection : ICollectionFixture<ApiUnderAttack>;

/// <summary>
/// The orchestrator's API in-process on Kestrel — keys on, local repositories allowed as in the demo — whose
/// repository check is the merge service's real one (git against real repositories). Around it, the folders an
/// attacker would like to point it at: the staging root with another feature's repository, the work roots, the state
/// and cassette folders, and a link into the staging root.
/// </summary>
public sealed class ApiUnderAttack : IAsyncLifetime
{
    public const string Script = "demo-power";

    private readonly TempDirectory _temp = new();
    private ApiHost _api = null!;

    public ApiUnderAttack()
    {
        OtherFeature = Guid.NewGuid();
        StagingRoot = _temp.CreateDirectory("staging");
        MergeWorkRoot = _temp.CreateDirectory("merge-work");
        AgentsWorkRoot = _temp.CreateDirectory("agents-work");
        Root = _temp.Path;
    }

    public string Root { get; }

    /// <summary>A real bare repository with <c>main</c>: what a legitimate submission targets.</summary>
    public string Origin { get; private set; } = null!;

    public Guid OtherFeature { get; }

    public string StagingRoot { get; }

    /// <summary>Another feature's staging copy of the target repository (private code fetched with the forge token).</summary>
    public string OtherFeatureStaging => Path.Combine(StagingRoot, $"{OtherFeature:N}.git");

    public string MergeWorkRoot { get; }

    public string AgentsWorkRoot { get; }

    /// <summary>An innocent-looking path that is a link to <see cref="OtherFeatureStaging"/>.</summary>
    public string LinkToStaging => Path.Combine(Root, "innocent.git");

    /// <summary>A repository inside the feature state folder (<c>ConnectionStrings:state</c> of the API host).</summary>
    public string StateRepository => Path.Combine(Root, "state", "repo");

    /// <summary>A repository inside the cassettes folder (<c>Models:CassettesPath</c> of the API host).</summary>
    public string CassettesRepository => Path.Combine(Root, "cassettes", "repo");

    public HttpClient Client(string? key = ApiHost.FirstKey) => _api.Client(key);

    public int RepositoryChecks => _api.RepositoryChecks;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var runner = Runners.Create();
        Origin = (await TestRepository.CreateAsync(_temp, runner, new Dictionary<string, string> { ["README.md"] = "# Calc\n" }, ct)).Path;
        // Each service folder holds a readable repository: only the allow-list stands between it and a submission.
        foreach (var folder in new[] { Path.Combine(MergeWorkRoot, "feature"), Path.Combine(AgentsWorkRoot, "feature", "task"), StateRepository, CassettesRepository })
        {
            await GitRepository.CloneAsync(runner, Origin, "main", folder, ct);
        }

        await GitRepository.InitBareAsync(runner, OtherFeatureStaging, "main", ct);
        await new GitRepository(runner, OtherFeatureStaging).FetchBranchFromAsync(Origin, "main", ct);
        Directory.CreateSymbolicLink(LinkToStaging, OtherFeatureStaging);

        _api = await ApiHost.StartAsync(Root, RealRepositoryChecks,
            ("Repositories:AllowLocal", "true"),
            ("Merge:Staging:Root", StagingRoot),
            ("Merge:WorkRoot", MergeWorkRoot),
            ("Agents:WorkRoot", AgentsWorkRoot),
            ("Api:SubmissionLimit:Permits", "10000"));
    }

    /// <summary>The merge service's own consumer answers, running git as that service would (no forge credentials here).</summary>
    private static void RealRepositoryChecks(MassTransit.IBusRegistrationConfigurator checks)
    {
        checks.AddSingleton(Runners.Create());
        checks.AddSingleton(new ForgeAccess([]));
        checks.AddConsumer<CheckRepositoryConsumer>();
    }

    /// <summary>A submission body as the CLI sends it; the payload replaces one field.</summary>
    public static Dictionary<string, object?> Submission(string repository) => new()
    {
        ["repository"] = repository,
        ["request"] = "Add a Power function.",
        ["script"] = Script,
    };

    public Task<Answer> SubmitAsync(IReadOnlyDictionary<string, object?> body) =>
        SendAsync(HttpMethod.Post, "/features", JsonSerializer.Serialize(body));

    public async Task<Answer> SendAsync(HttpMethod method, string path, string? json, string? key = ApiHost.FirstKey)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Client(key).SendAsync(request, TestContext.Current.CancellationToken);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async Task<int> FeatureCountAsync() =>
        (await Client().GetFromJsonAsync<JsonElement[]>("/features", TestContext.Current.CancellationToken))!.Length;

    public async ValueTask DisposeAsync()
    {
        await _api.DisposeAsync();
        _temp.Dispose();
    }
}

/// <summary>An API answer: its status and body (problem details for a refusal).</summary>
public sealed record Answer(HttpStatusCode Status, string Body)
{
    /// <summary>The fields a 400's validation problem names.</summary>
    public IReadOnlyList<string> ErrorFields =>
        JsonDocument.Parse(Body).RootElement.TryGetProperty("errors", out var errors)
            ? errors.EnumerateObject().Select(e => e.Name).ToList()
            : [];
}
