using Microsoft.Playwright;

namespace Orchestrator.EndToEnd.Tests.Board;

/// <summary>
/// The board open in Debian's headless chromium (apt's <c>chromium</c>, installed by ./test.sh), driven by Playwright.
/// Playwright's own browser download cannot work here and is never asked for: the browser is given by its path.
/// </summary>
public sealed class BoardBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Long enough for a feature's planning and first task on a loaded two-core machine.</summary>
    public static readonly TimeSpan FeatureStepTimeout = TimeSpan.FromMinutes(3);

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private BoardBrowser(IPlaywright playwright, IBrowser browser, IPage page, Uri board)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        Board = board;
    }

    public IPage Page { get; }

    /// <summary>The board's address on the running orchestrator, e.g. <c>http://localhost:5080/board/</c>.</summary>
    public Uri Board { get; }

    /// <summary>Everything the page wrote to its console, errors included (a CSP violation is reported there).</summary>
    public List<string> Console { get; } = [];

    /// <summary>A fresh browser with one page; nothing is loaded yet, so routes can be set up before <see cref="OpenAsync"/>.</summary>
    public static async Task<BoardBrowser> StartAsync(OrchestratorApp app)
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: apt-get install -y chromium (./test.sh installs it).");
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // The tests run as root in CI, where chromium refuses its own sandbox.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var board = new Uri(app.Endpoint("orchestrator"), "/board/");
        var opened = new BoardBrowser(playwright, browser, page, board);
        page.Console += (_, message) => opened.Console.Add($"{message.Type}: {message.Text}");
        page.PageError += (_, error) => opened.Console.Add($"pageerror: {error}");
        return opened;
    }

    /// <summary>Loads the board; answers the response of its page, for its headers.</summary>
    public async Task<IResponse> OpenAsync(string hash = "")
    {
        var response = await Page.GotoAsync(new Uri(Board, hash).ToString());
        Assert.NotNull(response);
        return response;
    }

    /// <summary>Types the key into the board's key form, as a person does once per tab.</summary>
    public async Task EnterKeyAsync(string key)
    {
        await Page.Locator("#api-key").FillAsync(key);
        await Page.Locator("#key-form button[type=submit]").ClickAsync();
    }

    /// <summary>No script error on the page, and nothing the Content-Security-Policy had to block (the board needs no exception).</summary>
    public void AssertNoScriptErrors() =>
        Assert.DoesNotContain(Console, line =>
            line.StartsWith("pageerror", StringComparison.Ordinal) || line.Contains("Content Security Policy", StringComparison.Ordinal));

    /// <summary>Saves the page as it is now under <c>.orchestrator/test-results/</c>.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var folder = Path.Combine(OrchestratorApp.RepositoryRoot, ".orchestrator", "test-results");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
