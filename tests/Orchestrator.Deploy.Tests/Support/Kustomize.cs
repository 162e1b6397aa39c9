using System.Diagnostics;

namespace Orchestrator.Deploy.Tests.Support;

/// <summary>
/// Renders each overlay once per test run with the machine's kubectl (its built-in kustomize), from a copy of
/// deploy/kubernetes in which the dev overlay's secret files are written fresh by its own secrets/create.sh (the
/// developer's real files are never read).
/// </summary>
public sealed class Kustomize : IDisposable
{
    private readonly TempDirectory _copy = new();
    private readonly Dictionary<string, Lazy<RenderedOverlay>> _overlays;

    // One copy for both overlays, made once: test classes render them in parallel, and two copies into one folder
    // collide ("file already exists").
    private readonly Lazy<string> _manifests;

    public Kustomize()
    {
        _manifests = new Lazy<string>(CopyManifests);
        _overlays = new[] { "dev", "production" }.ToDictionary(n => n, n => new Lazy<RenderedOverlay>(() => Render(n)));
    }

    public static bool KubectlAvailable { get; } = FindOnPath("kubectl") is not null;

    internal RenderedOverlay Overlay(string name)
    {
        Assert.SkipUnless(KubectlAvailable,
            "kubectl is not on PATH: the deployment tests render the overlays with `kubectl kustomize` (install kubectl).");
        return _overlays[name].Value;
    }

    private RenderedOverlay Render(string name)
    {
        var root = _manifests.Value;
        var (exitCode, output, error) = Run("kubectl", ["kustomize", Path.Combine(root, "overlays", name)], root);
        Assert.True(exitCode == 0, $"kubectl kustomize overlays/{name} failed ({exitCode}): {error}");
        return RenderedOverlay.Parse(name, output);
    }

    private string CopyManifests()
    {
        var target = _copy.Combine("kubernetes");
        var source = Path.Combine(SourceTree.Root, "deploy", "kubernetes");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".env", StringComparison.Ordinal)))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }

        var (exitCode, _, error) = Run("bash", [Path.Combine(target, "overlays", "dev", "secrets", "create.sh")], target);
        Assert.True(exitCode == 0, $"overlays/dev/secrets/create.sh failed ({exitCode}): {error}");
        return target;
    }

    internal static (int ExitCode, string Output, string Error) Run(string program, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    public void Dispose() => _copy.Dispose();
}
