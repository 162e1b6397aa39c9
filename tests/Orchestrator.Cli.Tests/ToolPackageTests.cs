using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using Orchestrator.Tests.Support;

namespace Orchestrator.Cli.Tests;

/// <summary>
/// The CLI ships as a .NET tool: `dotnet pack src/Orchestrator.Cli` must make a package that `dotnet tool install`
/// turns into an `orchestrator` command. Packs what the test run already built (--no-build), so it takes a second or two.
/// </summary>
public sealed class ToolPackageTests
{
    [Fact]
    public async Task Dotnet_pack_makes_a_tool_package_whose_command_is_orchestrator()
    {
        var output = Directory.CreateTempSubdirectory("orchestrator-pack-");
        try
        {
            var (exitCode, log) = await PackAsync(output.FullName);

            Assert.True(exitCode == 0, $"dotnet pack failed:\n{log}");
            var package = Assert.Single(output.GetFiles("Orchestrator.Cli.*.nupkg"));
            using var archive = ZipFile.OpenRead(package.FullName);
            var settings = archive.Entries.Single(e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
            await using var stream = settings.Open();
            var command = XDocument.Load(stream).Descendants("Command").Single();
            Assert.Equal("orchestrator", command.Attribute("Name")?.Value);
            Assert.Equal("orchestrator.dll", command.Attribute("EntryPoint")?.Value);
            Assert.Contains(archive.Entries, e => e.FullName.EndsWith("/Spectre.Console.dll", StringComparison.Ordinal));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Log)> PackAsync(string outputFolder)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = SourceTree.Root,
            Environment = { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        };

        // The nuspec goes to the temp folder too, so the test writes nothing into the source tree.
        foreach (var argument in new[]
        {
            "pack", Path.Combine("src", "Orchestrator.Cli"), "--no-build", "-c", SourceTree.BuildConfiguration, "-nologo", "-v", "quiet",
            "-o", outputFolder, $"-p:NuspecOutputPath={outputFolder}{Path.DirectorySeparatorChar}",
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
