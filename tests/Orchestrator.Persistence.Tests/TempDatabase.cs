using Microsoft.Data.Sqlite;

namespace Orchestrator.Persistence.Tests;

/// <summary>A database file in a fresh folder that does not exist yet (so folder creation is exercised too).</summary>
internal sealed class TempDatabase : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "orchestrator-persistence-tests", Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        FilePath = Path.Combine(_root, "nested", "state.db");
    }

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    /// <summary>A separate, non-pooled connection for looking at the raw rows.</summary>
    public SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False;Mode=ReadOnly");
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        // Pooled connections keep the file (and its -wal/-shm companions) open.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
