namespace Orchestrator.Workspaces.Tests;

/// <summary>The shipped sample builds and tests inside the real sandbox, offline, from the machine's package cache.</summary>
public sealed class SampleInSandboxTests : IDisposable
{
    private static readonly TimeSpan BuildWait = TimeSpan.FromMinutes(3);

    private readonly TempDirectory _temp = new();
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Dotnet_build_and_dotnet_test_of_the_sample_calculator_succeed_inside_the_sandbox()
    {
        var workspace = _temp.CreateDirectory("calculator");
        CopyDirectory(Path.Combine(SourceTree.Samples, "calculator"), workspace);
        var init = await Runners.Create().RunAsync(new ProcessSpec("git", ["init", "-q"], workspace), _ct);
        Assert.True(init.Succeeded, init.Output);
        var commands = RepositoryCommands.Detect(workspace);
        var runner = Runners.Sandboxed();
        var limits = new RepositoryCommandLimits { Timeout = BuildWait };

        var build = await runner.RunAfterRestoreAsync(workspace, commands, commands.Build!, limits, _ct).WaitAsync(BuildWait, _ct);
        var test = await runner.RunAfterRestoreAsync(workspace, commands, commands.Test!, limits, _ct).WaitAsync(BuildWait, _ct);

        Assert.Equal("dotnet restore", commands.Restore?.ToString());
        Assert.True(build.Succeeded, build.Output);
        Assert.True(build.Sandboxed);
        Assert.True(test.Succeeded, test.Output);
        Assert.Contains("Passed!", test.Output, StringComparison.Ordinal);
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            {
                continue;
            }

            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
