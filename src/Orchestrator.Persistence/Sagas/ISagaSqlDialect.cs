using System.Data.Common;

namespace Orchestrator.Persistence.Sagas;

/// <summary>
/// Everything that differs between databases for the saga document table. The session speaks plain ADO.NET
/// (<see cref="DbConnection"/>) and named <c>@parameters</c>, so a PostgreSQL dialect only has to supply these members.
/// </summary>
/// <remarks>
/// Parameters every statement may use: <c>@saga_type</c>, <c>@correlation_id</c>, <c>@version</c>,
/// <c>@expected_version</c>, <c>@current_state</c>, <c>@updated_at</c>, <c>@data</c>.
/// Result columns of the selects, in order: <c>correlation_id</c>, <c>version</c>, <c>data</c>.
/// </remarks>
internal interface ISagaSqlDialect
{
    /// <summary>Creates the database and table if missing. Called once per store before its first session.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Opens a connection ready for the statements below (session settings applied).</summary>
    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>One instance by key.</summary>
    string SelectOne { get; }

    /// <summary>
    /// Instances of one saga type whose <c>current_state</c> is one of <c>@in_0</c>…<c>@in_{n-1}</c> (when
    /// <paramref name="inCount"/> &gt; 0) and none of <c>@not_in_0</c>…<c>@not_in_{m-1}</c>; both zero: all instances.
    /// </summary>
    string SelectByState(int inCount, int notInCount);

    /// <summary>Inserts a row; must affect zero rows (not fail) when the key already exists.</summary>
    string InsertIfMissing { get; }

    /// <summary>Replaces a row only while it still has <c>@expected_version</c>; zero rows affected means a conflict.</summary>
    string UpdateIfVersion { get; }

    /// <summary>Deletes a row only while it still has <c>@expected_version</c>; zero rows affected means a conflict.</summary>
    string DeleteIfVersion { get; }
}
