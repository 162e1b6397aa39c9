using System.Net;
using System.Net.Http.Headers;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Contracts;
using Orchestrator.Features;
using Orchestrator.Llm;
using Orchestrator.Llm.Devices;
using Orchestrator.Persistence;
using Orchestrator.StateMachines;

namespace Orchestrator.Tests.Support;

/// <summary>
/// The orchestrator's HTTP API as Program.cs builds it — keys, limits, allow-list, the real endpoints — on Kestrel at
/// 127.0.0.1, over an in-memory bus with the feature saga and a merge service that finds every repository readable
/// (or, given <c>repositoryChecks</c>, whatever answers <see cref="CheckRepository"/> there, e.g. the real consumer).
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    public const string FirstKey = "first-0123456789abcdef0123456789abcdef";
    public const string SecondKey = "second-0123456789abcdef0123456789abcdef";

    private readonly WebApplication _app;

    private ApiHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The host's services: the bus harness, the in-memory saga store.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>How often the merge service was asked to look at a repository.</summary>

    public int RepositoryChecks => _app.Services.GetRequiredService<ITestHarness>().Consumed.Select<CheckRepository>().Count();

    /// <summary>The comments on issues the orchestrator asked the merge service for.</summary>
    public IReadOnlyList<CommentOnIssue> IssueComments =>
        [.. _app.Services.GetRequiredService<ITestHarness>().Published.Select<CommentOnIssue>().Select(m => m.Context.Message)];

    /// <summary>Publishes on the in-memory bus, as another service would (a plan, a task's result).</summary>
    public Task PublishAsync<T>(T message) where T : class =>
        _app.Services.GetRequiredService<IBus>().Publish(message, TestContext.Current.CancellationToken);

    public static Task<ApiHost> StartAsync(string root, params (string Key, string Value)[] settings) =>
        StartAsync(root, repositoryChecks: null, settings);

    public static async Task<ApiHost> StartAsync(
        string root, Action<IBusRegistrationConfigurator>? repositoryChecks, params (string Key, string Value)[] settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Api:Keys:first"] = FirstKey,
            ["Api:Keys:second"] = SecondKey,
            ["Models:ScriptsPath"] = Path.Combine(SourceTree.Samples, "scripts"),
            ["Models:CassettesPath"] = Path.Combine(root, "cassettes"),
            ["ConnectionStrings:state"] = $"Data Source={Path.Combine(root, "state", "orchestrator.db")}",
        });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));

        builder.AddDefaultHealthChecks();
        builder.Services.AddOrchestratorApi();
        builder.Services.AddFeatureServices();
        builder.Services.AddOrchestratorModels();
        builder.Services.AddModelDeviceKeeper();
        builder.Services.AddSingleton<ISagaStateReader<FeatureState>, InMemoryFeatureStates>();
        builder.Services.AddMassTransitTestHarness(x =>
        {
            x.DisableUsageTelemetry();
            x.AddFeatureWorkflow(saga => saga.InMemoryRepository());
            (repositoryChecks ?? (checks => checks.AddConsumer<ReadableRepositories>()))(x);
        });

        var app = builder.Build();
        app.UseOrchestratorApi();
        await app.StartAsync(TestContext.Current.CancellationToken);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ApiHost(app, new Uri(address));
    }

    /// <summary>A client that sends <paramref name="key"/> as its bearer token, or no Authorization header at all.</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private sealed class ReadableRepositories : IConsumer<CheckRepository>
    {
        public Task Consume(ConsumeContext<CheckRepository> context) => context.RespondAsync(new RepositoryChecked(true, true, null));
    }
}
