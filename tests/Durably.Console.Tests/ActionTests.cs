using System.Text.RegularExpressions;
using Durably.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Durably.Console.Tests;

public sealed class ActionTests(BrowserFixture browser) : ConsoleTest(browser)
{
    /// <summary>Opens the gate of the long step of <c>slow-report</c>.</summary>
    private readonly TaskCompletionSource _releaseSlowStep = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override Task<ConsoleTestServer> StartServerAsync() => ConsoleTestServer.StartAsync(durably => durably
        .AddFunction<string, string>("nightly-wait", async (input, context) =>
        {
            await context.WaitAsync(TimeSpan.FromHours(1), "until-tomorrow");
            return input;
        })
        .AddFunction<string, string>("slow-report", async (input, context) =>
        {
            await context.StepAsync(async (_, cancellationToken) =>
            {
                await _releaseSlowStep.Task.WaitAsync(cancellationToken);
                return "done";
            }, "render-report");
            return input;
        }));

    [Fact]
    public async Task Stopping_a_running_execution_asks_first_and_records_the_error()
    {
        StartExecutionResult started = await Server.Client.StartAsync("nightly-wait", "x", "nightly-1");
        await Server.WaitForEventAsync(started.DurableExecutionArn, "WaitStarted");
        await OpenAsync("#/x/" + Uri.EscapeDataString(started.DurableExecutionArn));
        await Expect(Page.GetByTestId("timeline-row").Filter(new() { HasText = "until-tomorrow" })).ToContainTextAsync("until");

        await Page.GetByRole(AriaRole.Button, new() { Name = "Stop execution" }).ClickAsync();
        ILocator dialog = Page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Stop execution nightly-1?");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await dialog.GetByLabel("Error message (optional)").FillAsync("Superseded by nightly-2");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Stop execution" }).ClickAsync();

        await Expect(Page.GetByTestId("execution-status")).ToHaveAttributeAsync("data-status", "STOPPED");
        await Expect(Page.GetByTestId("execution-error")).ToContainTextAsync("Superseded by nightly-2");
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Stop execution" })).ToHaveCountAsync(0);
        await ScreenshotAsync("stopped");
    }

    [Fact]
    public async Task Starting_an_execution_from_the_console_opens_it()
    {
        await OpenAsync("#/f/order-processor");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Start execution" }).ClickAsync();
        ILocator dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Input JSON").FillAsync("""{"orderId":"web-1","amount":12.5,"currency":"EUR"}""");
        await dialog.GetByLabel("Execution name (optional)").FillAsync("bad name!");
        await Expect(dialog.GetByRole(AriaRole.Button, new() { Name = "Start execution" })).ToBeDisabledAsync();
        await dialog.GetByLabel("Execution name (optional)").FillAsync("web-1");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Start execution" }).ClickAsync();

        await Expect(Page).ToHaveURLAsync(new Regex("#/x/"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "web-1", Level = 1 })).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("pending-callback")).ToContainTextAsync("Waiting for callback awaiting-approval");
        await Expect(Page.Locator(".json-block").Filter(new() { HasText = "Input" })).ToContainTextAsync("web-1");
        await ScreenshotAsync("started");
    }

    [Fact]
    public async Task A_long_step_is_shown_running_before_it_ends()
    {
        StartExecutionResult started = await Server.Client.StartAsync("slow-report", "q4", "report-q4");
        await OpenAsync("#/x/" + Uri.EscapeDataString(started.DurableExecutionArn));

        ILocator step = Page.GetByTestId("timeline-row").Filter(new() { HasText = "render-report" });
        await Expect(step).ToHaveAttributeAsync("data-status", "STARTED");
        await Expect(step.GetByTestId("timeline-bar")).ToHaveAttributeAsync("data-status", "STARTED");
        await ScreenshotAsync("long-step-running");

        _releaseSlowStep.SetResult();
        await Expect(step).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        await Expect(Page.GetByTestId("execution-status")).ToHaveAttributeAsync("data-status", "SUCCEEDED");
    }
}
