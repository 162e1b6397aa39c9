using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Bench.Orchestration;

/// <summary>One feature as the benchmark saw it: when it was submitted and when its end was published.</summary>
internal sealed record FeatureRun(Guid Id, BenchPlan Plan, long SubmittedTicks, long EndedTicks, bool Completed, string? Reason)
{
    public double EndToEndMs => Stopwatch.GetElapsedTime(SubmittedTicks, EndedTicks).TotalMilliseconds;
}

/// <summary>
/// Submits features the way another system does (a <see cref="SubmitFeature"/> request on the bus, answered by the
/// saga with <see cref="FeatureAccepted"/>) and hears their ends on a queue of its own (<see cref="FeatureCompleted"/>,
/// <see cref="FeatureFailed"/>), as docs/integration.md describes. The HTTP API's own checks are not in the figures.
/// </summary>
internal sealed class FeatureDriver : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly IRequestClient<SubmitFeature> _submit;
    private readonly ConcurrentDictionary<Guid, Pending> _pending = new();
    private readonly string _repository;

    private sealed record Pending(BenchPlan Plan, long SubmittedTicks, TaskCompletionSource<FeatureRun> Ended);

    private FeatureDriver(IBusControl bus, string repository)
    {
        _bus = bus;
        _repository = repository;
        _submit = bus.CreateRequestClient<SubmitFeature>(RequestTimeout.After(m: 2));
    }

    public static async Task<FeatureDriver> StartAsync(Uri broker, string repository)
    {
        FeatureDriver? driver = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(broker, host => host.ConnectionName("bench-driver"));
            // A queue of this driver's own, gone with it: a system left running on the vhost must not fill it with its
            // feature ends, and no earlier driver's queue (declared with other settings) is in the way.
            cfg.ReceiveEndpoint($"bench-feature-ends-{NewId.NextGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.PrefetchCount = 256;
                e.Handler<FeatureCompleted>(context => driver!.EndedAsync(context.Message.FeatureId, completed: true, reason: null));
                e.Handler<FeatureFailed>(context => driver!.EndedAsync(context.Message.FeatureId, completed: false, context.Message.Reason));
            });
        });
        driver = new FeatureDriver(bus, repository);
        using var starting = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await bus.StartAsync(starting.Token);
        return driver;
    }

    public int InFlight => _pending.Count;

    /// <summary>Submits one feature and returns once the saga has accepted it; <c>Ended</c> completes when it ends.</summary>
    public async Task<Task<FeatureRun>> SubmitAsync(BenchPlan plan, CancellationToken cancellationToken)
    {
        var id = NewId.NextGuid();
        var pending = new Pending(plan, Stopwatch.GetTimestamp(), new TaskCompletionSource<FeatureRun>(TaskCreationOptions.RunContinuationsAsynchronously));
        _pending[id] = pending;
        var model = new ModelSelection(plan.Script, $"scripted:{plan.Script} (scripted demo model, not an AI)");
        try
        {
            await _submit.GetResponse<FeatureAccepted>(
                new SubmitFeature(id, _repository, "main", $"Benchmark feature ({plan.Description})", model, DateTimeOffset.UtcNow),
                cancellationToken);
        }
        catch
        {
            // Not accepted: not in flight either.
            _pending.TryRemove(id, out _);
            throw;
        }

        return pending.Ended.Task;
    }

    /// <summary>Submits a feature and waits for its end (at most <paramref name="timeout"/>).</summary>
    public async Task<FeatureRun> RunOneAsync(BenchPlan plan, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var ended = await SubmitAsync(plan, cancellationToken);
        return await ended.WaitAsync(timeout, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _bus.StopAsync(stopping.Token);
    }

    private Task EndedAsync(Guid featureId, bool completed, string? reason)
    {
        var now = Stopwatch.GetTimestamp();
        if (_pending.TryRemove(featureId, out var pending))
        {
            pending.Ended.TrySetResult(new FeatureRun(featureId, pending.Plan, pending.SubmittedTicks, now, completed, reason));
        }

        return Task.CompletedTask;
    }
}
