using Microsoft.Playwright;
using Orchestrator.EndToEnd.Tests.Faults;

namespace Orchestrator.EndToEnd.Tests.Board;

/// <summary>
/// The board in headless chromium against the running system: one cheap scripted feature (the fault suite's three tasks
/// with two-second builds), submitted for approval, approved on the page, and followed there live from its first
/// running task to its pull request.
/// </summary>
[Collection(OrchestratorCollection.Name)]
public sealed class FeatureBoardTests(OrchestratorApp app)
{
    private static readonly float StepTimeout = (float)BoardBrowser.FeatureStepTimeout.TotalMilliseconds;
    private static readonly string[] FaultSuiteTasks = ["fault-code", "fault-docs", "fault-tests"];

    // Records each task card's state whenever the page re-renders, so the test sees the sequence the page showed.
    private const string RecordTaskStates = """
        () => {
          window.__taskStates = {};
          const record = () => document.querySelectorAll("[data-task-id]").forEach((task) => {
            const seen = (window.__taskStates[task.dataset.taskId] ??= []);
            if (seen[seen.length - 1] !== task.dataset.state) seen.push(task.dataset.state);
          });
          new MutationObserver(record).observe(document.getElementById("view"), { childList: true, subtree: true, attributes: true });
          record();
          window.__notReloaded = true;
        }
        """;

    [Fact]
    public async Task A_plan_approved_on_the_page_runs_its_tasks_from_running_to_completed_without_reload_up_to_its_pull_request()
    {
        await using var browser = await BoardBrowser.StartAsync(app);
        await browser.OpenAsync();

        // A key the API does not know is refused, and the page asks again; the right one opens the list.
        await browser.EnterKeyAsync("not-a-configured-key-0123456789-0123456789");
        await Assertions.Expect(browser.Page.Locator("#key-refused")).ToBeVisibleAsync();
        await Assertions.Expect(browser.Page.Locator("#key-form")).ToBeVisibleAsync();
        Assert.True(await browser.Page.EvaluateAsync<bool>("() => sessionStorage.length === 0"), "the refused key was kept");
        await browser.EnterKeyAsync(app.ApiKey);
        await Assertions.Expect(browser.Page.Locator("[data-testid=features]")).ToBeVisibleAsync();
        await Assertions.Expect(browser.Page.Locator("#key-form")).ToBeHiddenAsync();

        var run = await new FaultFeature(app).SubmitAsync(approvePlan: true);
        var id = run.Location.Split('/')[^1];

        // The list polls: the new feature appears without a reload, and its title opens it.
        var row = browser.Page.Locator($"tr[data-feature-id='{id}']");
        await row.Locator(".feature-title").ClickAsync(new LocatorClickOptions { Timeout = StepTimeout });

        // The plan waits for a person: its tasks are shown, none runs, until Approve is clicked on the page.
        await Assertions.Expect(browser.Page.Locator("[data-testid=feature-state]"))
            .ToHaveAttributeAsync("data-state", "AwaitingApproval", new LocatorAssertionsToHaveAttributeOptions { Timeout = StepTimeout });
        await Assertions.Expect(browser.Page.Locator(".task")).ToHaveCountAsync(FaultSuiteTasks.Length);
        await Assertions.Expect(browser.Page.Locator(".task[data-state=Running]")).ToHaveCountAsync(0);
        await browser.Page.EvaluateAsync(RecordTaskStates);
        await browser.Page.Locator("[data-testid=approve]").ClickAsync();

        // Live: a task running, then every task done, the feature completed, the pull request shown.
        await browser.Page.Locator(".task[data-state=Running]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = StepTimeout });
        await Assertions.Expect(browser.Page.Locator("[data-testid=feature-state]"))
            .ToHaveAttributeAsync("data-state", "Completed", new LocatorAssertionsToHaveAttributeOptions { Timeout = StepTimeout });
        foreach (var task in FaultSuiteTasks)
        {
            await Assertions.Expect(browser.Page.Locator($".task[data-task-id='{task}']")).ToHaveAttributeAsync("data-state", "Completed");
        }

        var shown = await browser.Page.EvaluateAsync<Dictionary<string, string[]>>("() => window.__taskStates");
        Assert.Contains(shown, states => IsRunningThenCompleted(states.Value));
        Assert.True(await browser.Page.EvaluateAsync<bool>("() => window.__notReloaded === true"), "the page was reloaded");

        // The dependent task sits one layer right of the task it depends on.
        await Assertions.Expect(browser.Page.Locator(".layer").Nth(1).Locator(".task[data-task-id='fault-tests']")).ToHaveCountAsync(1);
        await Assertions.Expect(browser.Page.Locator("[data-testid=verification]")).ToHaveAttributeAsync("data-passed", "true");
        var pullRequest = browser.Page.Locator("[data-testid=pull-request]");
        await Assertions.Expect(pullRequest).ToHaveAttributeAsync("data-number", "1");
        // The local forge's pull request is a file:// address: shown, but not a link (only http(s) are).
        Assert.Equal(0, await pullRequest.Locator("a").CountAsync());
        await Assertions.Expect(pullRequest.Locator(".pull-request")).ToHaveAttributeAsync("title", new System.Text.RegularExpressions.Regex("^file://"));
        await Assertions.Expect(browser.Page.Locator(".task[data-task-id='fault-code'] [data-fact=branch]")).Not.ToHaveTextAsync("—");
        await Assertions.Expect(browser.Page.Locator(".task[data-task-id='fault-code'] [data-fact=agent]")).Not.ToHaveTextAsync("—");
        await browser.ScreenshotAsync("board.png");

        // A task's transcript view answers, whether or not the service keeps transcripts yet.
        await browser.Page.Locator(".task[data-task-id='fault-code'] .transcript-link").ClickAsync();
        await Assertions.Expect(browser.Page.Locator("[data-testid=transcript-status]"))
            .ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(No transcript yet\\.|Following live\\.|\\d+ entries; the task has ended\\.)$"));

        // Back on the list, the feature is shown completed: the list followed it too.
        await browser.Page.Locator("header.top h1 a").ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "Completed");
        browser.AssertNoScriptErrors();
        await new FaultFeature(app).EndAsync(run);
    }

    private static bool IsRunningThenCompleted(string[] states) =>
        Array.IndexOf(states, "Running") is var running and >= 0 && Array.IndexOf(states, "Completed", running) > running;
}
