using System.IO.Pipelines;
using System.Text;
using Orchestrator.Merge.Staging;

namespace Orchestrator.Merge.Tests.Staging;

public sealed class ReceivePackCommandsTests
{
    private const string Old = "1111111111111111111111111111111111111111";
    private const string New = "2222222222222222222222222222222222222222";
    private const string Zero = "0000000000000000000000000000000000000000";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private static string PktLine(string payload) => $"{Encoding.UTF8.GetByteCount(payload) + 4:x4}{payload}";

    [Fact]
    public async Task Reads_every_command_after_the_shallow_lines_and_leaves_the_whole_body_for_the_backend()
    {
        var body = PktLine($"shallow {Old}\n")
                   + PktLine($"{Old} {New} refs/heads/a\0report-status side-band-64k agent=git/2.39\n")
                   + PktLine($"{New} {Zero} refs/heads/b\n")
                   + "0000PACK-and-then-binary";
        // One byte per read: the command list arrives in pieces, as it may over the network.
        var reader = PipeReader.Create(new TrickleStream(Encoding.UTF8.GetBytes(body)));

        var commands = await ReceivePackCommands.PeekAsync(reader, 64 * 1024, _ct);

        Assert.Equal(
            [new ReceivePackCommands.RefUpdate(Old, New, "refs/heads/a"), new ReceivePackCommands.RefUpdate(New, Zero, "refs/heads/b")],
            commands);
        Assert.True(commands![1].IsDeletion);
        Assert.Equal(body, await new StreamReader(reader.AsStream()).ReadToEndAsync(_ct));
    }

    [Fact]
    public async Task A_flush_alone_is_a_push_with_no_commands()
    {
        // What git sends first to probe a large push.
        Assert.Empty((await ReceivePackCommands.PeekAsync(Reader("0000"), 1024, _ct))!);
    }

    [Theory]
    [InlineData("0001")]
    [InlineData("zzzz")]
    [InlineData("0044")]
    [InlineData("push-cert")]
    [InlineData("not hex ids refs/heads/a")]
    public async Task A_body_that_does_not_start_with_a_complete_command_list_is_not_read_as_one(string start)
    {
        var body = start switch
        {
            "push-cert" => PktLine("push-cert\0report-status\n") + "0000",
            "not hex ids refs/heads/a" => PktLine(start + "\n") + "0000",
            _ => start,
        };

        Assert.Null(await ReceivePackCommands.PeekAsync(Reader(body), 1024, _ct));
    }

    [Fact]
    public async Task A_command_list_longer_than_the_limit_is_not_read()
    {
        var body = string.Concat(Enumerable.Repeat(PktLine($"{Old} {New} refs/heads/a\n"), 100)) + "0000";

        Assert.Null(await ReceivePackCommands.PeekAsync(PipeReader.Create(new TrickleStream(Encoding.UTF8.GetBytes(body))), 1024, _ct));
    }

    private static PipeReader Reader(string body) => PipeReader.Create(new MemoryStream(Encoding.UTF8.GetBytes(body)));

    private sealed class TrickleStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
