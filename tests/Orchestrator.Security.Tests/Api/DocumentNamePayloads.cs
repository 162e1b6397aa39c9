using System.Net;
using Microsoft.Extensions.Options;
using Orchestrator.Llm.Devices;

namespace Orchestrator.Security.Tests.Api;

/// <summary>
/// Script and cassette names (the <c>script</c> and <c>replay</c> fields of a submission) that try to leave their
/// folders. The libraries refuse each as an invalid name before touching the file system, so the planted documents
/// next to the folders are never read; the API answers 400 on the field.
/// </summary>
[Collection(nameof(ApiUnderAttack))]
public sealed class DocumentNamePayloads(ApiUnderAttack api) : IDisposable
{
    private const string Secret = "CANARY-NEXT-TO-THE-SCRIPTS";

    private readonly TempDirectory _temp = new();

    /// <summary>Payload name → the document name as sent.</summary>
    private static readonly Dictionary<string, string> Payloads = new()
    {
        ["../ to a document next to the folder"] = "../secret",
        ["../../etc/passwd"] = "../../etc/passwd",
        ["absolute path"] = "/etc/passwd",
        ["the parent itself"] = "..",
        ["traversal after a valid name"] = "demo/../../secret",
        ["Windows traversal"] = "..\\secret",
        ["Windows drive"] = "C:\\secret",
        ["UNC path"] = "\\\\server\\share\\secret",
        ["NUL byte"] = "demo\0../secret",
        ["URL-encoded traversal"] = "%2e%2e%2fsecret",
        ["trailing line break"] = "demo\n",
        ["101 characters"] = new string('a', 101),
    };

    public static TheoryData<string> Names => new(Payloads.Keys);

    public void Dispose() => _temp.Dispose();

    [Theory]
    [MemberData(nameof(Names))]
    public void The_libraries_refuse_the_name_without_reading_anything(string payload)
    {
        var name = Payloads[payload];
        _temp.WriteFile("scripts/demo.json", "{}");
        _temp.WriteFile("secret.json", Secret);
        _temp.WriteFile("cassettes/demo.cassette.json", "{}");
        _temp.WriteFile("secret.cassette.json", Secret);
        var options = Options.Create(new ModelDeviceOptions { ScriptsPath = _temp.Combine("scripts"), CassettesPath = _temp.Combine("cassettes") });

        var script = Assert.Throws<ModelDeviceException>(() => new ScriptLibrary(options).ReadText(name));
        var cassette = Assert.Throws<ModelDeviceException>(() => new CassetteLibrary(options).Load(name));

        Assert.EndsWith("is not a valid script name.", script.Message, StringComparison.Ordinal);
        Assert.EndsWith("is not a valid cassette name.", cassette.Message, StringComparison.Ordinal);
        Assert.False(new ScriptLibrary(options).Exists(name));
        Assert.False(new CassetteLibrary(options).Exists(name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task The_api_refuses_the_name_as_script_and_as_replay(string payload)
    {
        var asScript = ApiUnderAttack.Submission(api.Origin);
        asScript["script"] = Payloads[payload];
        var asReplay = ApiUnderAttack.Submission(api.Origin);
        asReplay.Remove("script");
        asReplay["replay"] = Payloads[payload];

        var script = await api.SubmitAsync(asScript);
        var replay = await api.SubmitAsync(asReplay);

        Assert.True(script.Status == HttpStatusCode.BadRequest, script.Body);
        Assert.Equal(["script"], script.ErrorFields);
        Assert.True(replay.Status == HttpStatusCode.BadRequest, replay.Body);
        Assert.Equal(["replay"], replay.ErrorFields);
    }

    [Fact]
    public void Control_a_valid_name_reads_its_document()
    {
        _temp.WriteFile("scripts/demo.json", "{}");
        var options = Options.Create(new ModelDeviceOptions { ScriptsPath = _temp.Combine("scripts"), CassettesPath = _temp.Combine("cassettes") });

        Assert.Equal("{}", new ScriptLibrary(options).ReadText("demo"));
    }

    [Fact]
    public void A_recording_agent_named_with_traversal_is_written_inside_the_feature_folder()
    {
        var library = new CassetteLibrary(Options.Create(new ModelDeviceOptions { ScriptsPath = _temp.Path, CassettesPath = _temp.Combine("cassettes") }));
        var feature = Guid.NewGuid();
        var exchange = new CassetteExchange("../../../outside/evil", 0, 1, 1, DateTimeOffset.UnixEpoch, "model",
            new CassetteRequest([], []), new CassetteResponse(null, [], null, null, null));

        library.Append(feature, exchange);

        var written = Assert.Single(Directory.EnumerateFiles(_temp.Path, "*", SearchOption.AllDirectories));
        Assert.Equal(_temp.Combine("cassettes", feature.ToString("N")), Path.GetDirectoryName(written));
    }
}
