using System.Text;

namespace Orchestrator.Persistence.Sagas;

/// <summary>The state queries in SQL both dialects speak (the filter of <see cref="ISagaSqlDialect.SelectByState"/>, the count per state).</summary>
internal static class SagaStateSql
{
    /// <summary>Instances per state of one saga type: an index-only scan of <c>(saga_type, current_state)</c> in both databases.</summary>
    public const string CountByState =
        "SELECT current_state, COUNT(*) FROM sagas WHERE saga_type = @saga_type GROUP BY current_state;";

    public static string SelectByState(string select, int inCount, int notInCount)
    {
        var sql = new StringBuilder(select);
        if (inCount > 0)
        {
            sql.Append(" AND current_state IN (").AppendJoin(", ", Enumerable.Range(0, inCount).Select(i => $"@in_{i}")).Append(')');
        }

        if (notInCount > 0)
        {
            sql.Append(" AND (current_state IS NULL OR current_state NOT IN (")
                .AppendJoin(", ", Enumerable.Range(0, notInCount).Select(i => $"@not_in_{i}")).Append("))");
        }

        return sql.Append(';').ToString();
    }
}
