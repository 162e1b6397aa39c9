using MassTransit;
using Microsoft.Data.Sqlite;
using Orchestrator.Persistence.Sagas;

namespace Orchestrator.Persistence.Tests;

/// <summary>The storage rules on their own, without a bus: what each conflict looks like and what a row holds.</summary>
public sealed class SagaDocumentSessionTests : IDisposable
{
    readonly TempDatabase _database = new();
    readonly SagaDocumentStore<OrderState> _store;

    public SagaDocumentSessionTests()
    {
        var options = new SqliteSagaRepositoryOptions { ConnectionString = _database.ConnectionString, SagaTypeName = "order" };
        _store = SagaDocumentStore<OrderState>.CreateSqlite(options.Validated(), TimeProvider.System);
    }

    public void Dispose() => _database.Dispose();

    static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creates_the_folder_the_table_and_a_wal_database_on_first_use()
    {
        Assert.False(File.Exists(_database.FilePath));

        await using (await _store.OpenSessionAsync(Token))
        {
        }

        Assert.True(File.Exists(_database.FilePath));
        using var raw = _database.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)command.ExecuteScalar()!);
        command.CommandText = "SELECT COUNT(*) FROM sagas;";
        Assert.Equal(0L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task A_row_holds_the_key_version_state_time_and_json_with_enums_as_strings()
    {
        var order = NewOrder();
        order.CurrentState = "Submitted";
        order.Priority = OrderPriority.High;
        order.Items.Add("apple");

        await using (var session = await _store.OpenSessionAsync(Token))
        {
            await session.InsertAsync(order, Token);
        }

        using var raw = _database.OpenRaw();
        using var command = raw.CreateCommand();
        command.CommandText = "SELECT saga_type, correlation_id, version, current_state, updated_at, data FROM sagas;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("order", reader.GetString(0));
        Assert.Equal(order.CorrelationId.ToString("D"), reader.GetString(1));
        Assert.Equal(1, reader.GetInt32(2));
        Assert.Equal("Submitted", reader.GetString(3));
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(reader.GetString(4), System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(1));
        var json = reader.GetString(5);
        Assert.Contains("\"priority\":\"High\"", json);
        Assert.Contains("\"items\":[\"apple\"]", json);
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task Update_from_a_stale_read_throws_ConcurrencyException_and_keeps_the_winner()
    {
        var order = NewOrder();
        await using (var setup = await _store.OpenSessionAsync(Token))
        {
            await setup.InsertAsync(order, Token);
        }

        await using var first = await _store.OpenSessionAsync(Token);
        await using var second = await _store.OpenSessionAsync(Token);
        var firstCopy = (await first.LoadAsync(order.CorrelationId, Token))!;
        var secondCopy = (await second.LoadAsync(order.CorrelationId, Token))!;

        firstCopy.Items.Add("from-first");
        await first.UpdateAsync(firstCopy, Token);
        Assert.Equal(2, firstCopy.Version);

        secondCopy.Items.Add("from-second");
        var conflict = await Assert.ThrowsAsync<ConcurrencyException>(() => second.UpdateAsync(secondCopy, Token));
        Assert.Equal(order.CorrelationId, conflict.CorrelationId);
        Assert.Equal(1, secondCopy.Version);

        var stored = (await second.LoadAsync(order.CorrelationId, Token))!;
        Assert.Equal(2, stored.Version);
        Assert.Equal(["from-first"], stored.Items);
    }

    [Fact]
    public async Task Creating_an_instance_that_already_exists_is_a_conflict_not_an_overwrite()
    {
        var order = NewOrder();
        order.OrderNumber = "original";
        await using var session = await _store.OpenSessionAsync(Token);
        await session.InsertAsync(order, Token);

        var duplicate = new OrderState { CorrelationId = order.CorrelationId, OrderNumber = "duplicate" };
        await Assert.ThrowsAsync<ConcurrencyException>(() => session.InsertAsync(duplicate, Token));
        Assert.False(await session.TryInsertAsync(duplicate, Token));

        var stored = (await session.LoadAsync(order.CorrelationId, Token))!;
        Assert.Equal("original", stored.OrderNumber);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task Delete_from_a_stale_read_throws_and_keeps_the_row()
    {
        var order = NewOrder();
        await using var session = await _store.OpenSessionAsync(Token);
        await session.InsertAsync(order, Token);

        var stale = (await session.LoadAsync(order.CorrelationId, Token))!;
        var fresh = (await session.LoadAsync(order.CorrelationId, Token))!;
        await session.UpdateAsync(fresh, Token);

        await Assert.ThrowsAsync<ConcurrencyException>(() => session.DeleteAsync(stale, Token));
        Assert.NotNull(await session.LoadAsync(order.CorrelationId, Token));

        await session.DeleteAsync(fresh, Token);
        Assert.Null(await session.LoadAsync(order.CorrelationId, Token));
    }

    [Fact]
    public async Task Saga_types_sharing_a_file_do_not_see_each_other()
    {
        var otherStore = SagaDocumentStore<OrderState>.CreateSqlite(
            new SqliteSagaRepositoryOptions { ConnectionString = _database.ConnectionString, SagaTypeName = "other" }.Validated(),
            TimeProvider.System);
        var order = NewOrder();

        await using var session = await _store.OpenSessionAsync(Token);
        await session.InsertAsync(order, Token);

        await using var otherSession = await otherStore.OpenSessionAsync(Token);
        Assert.Null(await otherSession.LoadAsync(order.CorrelationId, Token));
        Assert.Empty(await otherSession.LoadAllAsync(Token));
        Assert.Single(await session.LoadAllAsync(Token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Data Source=:memory:")]
    [InlineData("Data Source=state;Mode=Memory;Cache=Shared")]
    public void Registration_rejects_connection_strings_that_would_lose_state(string connectionString)
    {
        var options = new SqliteSagaRepositoryOptions { ConnectionString = connectionString };
        Assert.Throws<ConfigurationException>(() => options.Validated());
    }

    [Fact]
    public void Options_are_copied_with_default_serializer_settings()
    {
        var options = new SqliteSagaRepositoryOptions { ConnectionString = _database.ConnectionString };
        var validated = options.Validated();
        options.ConnectionString = "Data Source=changed.db";

        Assert.Equal(_database.ConnectionString, validated.ConnectionString);
        Assert.NotNull(validated.SerializerOptions);
        Assert.Contains(validated.SerializerOptions.Converters, c => c is System.Text.Json.Serialization.JsonStringEnumConverter);
        Assert.NotNull(new SqliteConnectionStringBuilder(validated.ConnectionString).DataSource);
    }

    static OrderState NewOrder() => new() { CorrelationId = Guid.NewGuid(), OrderNumber = "N-1" };
}
