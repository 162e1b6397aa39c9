using Orchestrator.Llm.Devices;

// dotnet run --project tools/Orchestrator.Tools.CassetteToScript -- <cassette.json> <script.json> [description]
if (args.Length is < 2 or > 3)
{
    Console.Error.WriteLine("usage: Orchestrator.Tools.CassetteToScript <cassette.json> <script.json> [description]");
    return 2;
}

try
{
    var input = Path.GetFullPath(args[0]);
    var name = Path.GetFileName(input);
    name = name.EndsWith(CassetteLibrary.Extension, StringComparison.OrdinalIgnoreCase) ? name[..^CassetteLibrary.Extension.Length] : Path.GetFileNameWithoutExtension(name);
    var cassette = CassetteLibrary.Parse(name, File.ReadAllText(input));
    var script = CassetteToScript.Convert(cassette, args.Length == 3 ? args[2] : null);

    // Check it loads as the scripted model would, before writing it.
    var parsed = ModelScriptParser.Parse(Path.GetFileNameWithoutExtension(args[1]), script);
    File.WriteAllText(args[1], script + Environment.NewLine);
    Console.WriteLine($"{args[1]}: {parsed.Agents.Count} agent(s), {parsed.Agents.Sum(a => a.Value.Count)} turn(s).");
    return 0;
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ModelDeviceException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}
