namespace Orchestrator.Workspaces;

/// <summary>Removal of a throwaway workspace (a clone) once its work is done.</summary>
public static class WorkspaceDirectory
{
    /// <summary>Deletes <paramref name="directory"/> and everything in it; returns why it could not, or null.</summary>
    public static string? TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                // git keeps its object files read-only; some file systems refuse to delete those.
                foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(directory, recursive: true);
            }

            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }
}
