using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Orchestrator.Workspaces.Kubernetes.Tests;

/// <summary>Runner:Kind chooses the runner per service; the local sandbox stays the default and the Kubernetes section is checked only when chosen.</summary>
public sealed class RunnerRegistrationTests
{
    private static readonly (string, string)[] KubernetesJob =
    [
        ("Runner:Kind", "KubernetesJob"),
        ("Runner:Kubernetes:Image", "mcr.microsoft.com/dotnet/sdk:10.0"),
        ("Runner:Kubernetes:Namespace", "orchestrator"),
        ("Runner:Kubernetes:ApiUrl", "http://127.0.0.1:6443"),
    ];

    private static ServiceProvider Provider(params (string Key, string Value)[] settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder()
                .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
                .Build())
            .AddSingleton<IHostEnvironment>(new StubEnvironment { ApplicationName = "Orchestrator.Agents.Coder" })
            .AddRepositoryCommandRunners()
            .BuildServiceProvider();

    [Fact]
    public void Without_Runner_settings_commands_run_where_the_Sandbox_section_says()
    {
        using var sandboxed = Provider();
        using var unsandboxed = Provider(("Sandbox:Mode", "none"));
        using var explicitSandbox = Provider(("Runner:Kind", "Sandbox"), ("Runner:Kubernetes:CpuLimit", "lots"));

        Assert.IsType<BubblewrapCommandRunner>(sandboxed.GetRequiredService<IRepositoryCommandRunner>());
        Assert.IsType<UnsandboxedCommandRunner>(unsandboxed.GetRequiredService<IRepositoryCommandRunner>());
        // A service that keeps the sandbox starts whatever the Kubernetes section says.
        explicitSandbox.GetRequiredService<IStartupValidator>().Validate();
        Assert.IsType<BubblewrapCommandRunner>(explicitSandbox.GetRequiredService<IRepositoryCommandRunner>());
    }

    [Fact]
    public void Runner_Kind_KubernetesJob_chooses_the_Job_runner_labelled_with_the_services_role()
    {
        using var provider = Provider(KubernetesJob);

        provider.GetRequiredService<IStartupValidator>().Validate();
        var runner = provider.GetRequiredService<IRepositoryCommandRunner>();

        Assert.IsType<KubernetesJobCommandRunner>(runner);
        Assert.True(runner.RestoresInTheSameRun);
        Assert.Equal("coder", provider.GetRequiredService<IOptions<KubernetesJobRunnerOptions>>().Value.Role);
    }

    [Theory]
    [InlineData("Runner:Kubernetes:Image", "", "Runner:Kubernetes:Image")]
    [InlineData("Runner:Kubernetes:CpuLimit", "two cores", "Runner:Kubernetes:CpuLimit")]
    [InlineData("Runner:Kubernetes:MemoryRequest", "1 gig", "Runner:Kubernetes:MemoryRequest")]
    [InlineData("Runner:Kubernetes:ApiUrl", "ftp://cluster", "Runner:Kubernetes:ApiUrl")]
    [InlineData("Runner:Kubernetes:ActiveDeadlineSeconds", "1", "ActiveDeadlineSeconds")]
    [InlineData("Runner:Kind", "Docker", "Runner")]
    public void Invalid_Kubernetes_runner_settings_stop_the_service_at_start_naming_the_key(string key, string value, string named)
    {
        using var provider = Provider([.. KubernetesJob.Where(s => s.Item1 != key), (key, value)]);

        var error = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Orchestrator.Agents.Coder", "coder")]
    [InlineData("Orchestrator.Merge", "merge")]
    [InlineData("", "runner")]
    public void The_role_label_is_the_last_part_of_the_application_name(string application, string role) =>
        Assert.Equal(role, KubernetesRunnerServiceCollectionExtensions.RoleOf(application));

    private sealed class StubEnvironment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = string.Empty;

        public string ContentRootPath { get; set; } = "/";

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } =
            new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
