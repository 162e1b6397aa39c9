using MassTransit;
using Orchestrator.Contracts;

namespace Orchestrator.Llm.Devices.Consumers;

/// <summary>The keeper's side of <see cref="BusModelDeviceStore"/>: answers for scripts and recorded calls from its folders.</summary>
public sealed class ModelDeviceConsumer(ScriptLibrary scripts, CassetteLibrary cassettes) :
    IConsumer<GetModelScript>, IConsumer<GetRecordedCalls>
{
    public Task Consume(ConsumeContext<GetModelScript> context) =>
        Answer(context, context.Message.Name, () => scripts.ReadText(context.Message.Name));

    public Task Consume(ConsumeContext<GetRecordedCalls> context) =>
        Answer(context, context.Message.Cassette, () =>
            CassetteLibrary.Serialize(cassettes.Load(context.Message.Cassette).OnlyAgent(context.Message.Agent)));

    private static Task Answer(ConsumeContext context, string name, Func<string> read)
    {
        try
        {
            return context.RespondAsync(new ModelDeviceDocument(name, read(), null));
        }
        catch (ModelDeviceException ex)
        {
            return context.RespondAsync(new ModelDeviceDocument(name, null, ex.Message));
        }
    }
}
