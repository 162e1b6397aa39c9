using Microsoft.Extensions.AI;
using Orchestrator.Models;

namespace Orchestrator.Agents.Tests.Models;

public sealed class UsageMeterTests
{
    [Fact]
    public void Adds_up_tokens_and_counts_calls_that_report_no_usage()
    {
        var meter = new UsageMeter();

        meter.Record(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 3 });
        meter.Record(null);
        meter.Record(new UsageDetails { InputTokenCount = 5 });

        Assert.Equal(new(15, 3, 3), meter.Total);
        Assert.Equal(18, meter.Total.TotalTokens);
    }

    [Fact]
    public async Task Concurrent_records_are_not_lost()
    {
        var meter = new UsageMeter();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                meter.Record(new UsageDetails { InputTokenCount = 1, OutputTokenCount = 2 });
            }
        }))).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(new(8000, 16000, 8000), meter.Total);
    }
}
