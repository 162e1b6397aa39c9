namespace Orchestrator.Tests.Support;

/// <summary>Finds the Orchestrator checkout the tests run from, for the shipped samples.</summary>
internal static class SourceTree
{
    public static string Root { get; } = Find();

    public static string Samples => Path.Combine(Root, "samples");

    /// <summary>
    /// The configuration these tests were built in (<c>AppContext.BaseDirectory</c> is <c>bin/&lt;configuration&gt;/net10.0/</c>):
    /// the projects built beside them, whose output a test runs, were built in it too.
    /// </summary>
    public static string BuildConfiguration { get; } =
        new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "samples", "create-sample-repo.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No samples/create-sample-repo.sh above {AppContext.BaseDirectory}.");
    }
}
