using System.Text.RegularExpressions;
using Durably.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Durably.Console.Tests;

public sealed class ExecutionDetailTests(BrowserFixture browser) : ConsoleTest(browser)
{
    [Fact]
    public async Task The_timeline_shows_every_operation_of_an_order_with_the_attempts_of_the_retried_payment()
    {
        string arn = await Server.StartOrderAsync("order-42");
        var callback = await Server.WaitForEventAsync(arn, "CallbackStarted");
        await Server.Client.SendCallbackSuccessAsync(callback.Details.CallbackId!, new { approved = true, approver = "ops" });
        await Server.Client.WaitForResultAsync<object>(arn);

        await OpenAsync("#/f/order-processor");
        await Row("order-42").GetByRole(AriaRole.Link).ClickAsync();

        await Expect(Page.GetByTestId("execution-status")).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        ILocator timeline = Page.GetByRole(AriaRole.Treegrid);
        foreach (string operation in (string[])["validate-order", "awaiting-approval", "send-for-approval", "process-order"])
        {
            await Expect(timeline.GetByTestId("timeline-row").Filter(new() { HasText = operation })).ToHaveCountAsync(1);
        }

        // The payment failed once (the gateway is flaky), then succeeded after the 1 s back-off: two segments.
        ILocator payment = timeline.GetByTestId("timeline-row").Filter(new() { HasText = "process-order" });
        await Expect(payment.GetByTestId("timeline-bar")).ToHaveCountAsync(2);
        await Expect(payment.Locator("[data-testid=timeline-bar][data-attempt='1']")).ToHaveAttributeAsync("data-status", "FAILED");
        await Expect(payment.Locator("[data-testid=timeline-bar][data-attempt='2']")).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        await Expect(payment).ToContainTextAsync("2 attempts");
        // Each invocation (the first one suspends at the callback) is a numbered band.
        await Expect(timeline.GetByTestId("invocation")).Not.ToHaveCountAsync(0);
        await Expect(timeline.GetByTestId("invocation").Nth(1)).ToBeVisibleAsync();

        await payment.GetByRole(AriaRole.Button, new() { Name = "process-order" }).ClickAsync();
        ILocator panel = Page.GetByTestId("operation-panel");
        await Expect(panel.GetByTestId("attempt-row")).ToHaveCountAsync(2);
        await Expect(panel.GetByTestId("attempt-row").First).ToContainTextAsync("Payment gateway unavailable (call 1 for order order-42).");
        await Expect(Page).ToHaveURLAsync(new Regex(@"\?op="));
        // It succeeded in the end: its outcome is the result, not the first attempt's error.
        await Expect(panel.Locator(".json-block").Filter(new() { HasText = "Result" })).ToContainTextAsync("pay-order-42-");
        await Expect(panel.Locator(".error-summary")).ToHaveCountAsync(0);
        await ScreenshotAsync("detail-timeline");
        await Page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await ScreenshotAsync("detail-timeline-dark");

        await Page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^History") }).ClickAsync();
        await Page.GetByLabel("Event type").SelectOptionAsync("StepFailed");
        await Expect(Page.Locator(".history-table tbody tr")).ToHaveCountAsync(1);
        await Expect(Page.Locator(".history-table tbody tr")).ToContainTextAsync("PaymentUnavailableException");
    }

    [Fact]
    public async Task Approving_the_pending_callback_from_the_console_completes_the_order_without_a_reload()
    {
        string arn = await Server.StartOrderAsync("order-7");
        await Server.WaitForEventAsync(arn, "CallbackStarted");
        await OpenAsync("#/x/" + Uri.EscapeDataString(arn));

        await Expect(Page.GetByTestId("execution-status")).ToHaveAttributeAsync("data-status", "RUNNING");
        await Page.GetByTestId("pending-callback").GetByRole(AriaRole.Button, new() { Name = "Heartbeat" }).ClickAsync();
        await Expect(Page.GetByTestId("pending-callback")).ToContainTextAsync("Heartbeat sent at");
        await Page.GetByTestId("pending-callback").GetByRole(AriaRole.Button, new() { Name = "Send success" }).ClickAsync();
        ILocator dialog = Page.GetByRole(AriaRole.Dialog);
        ILocator result = dialog.GetByLabel("Result JSON");
        ILocator send = dialog.GetByRole(AriaRole.Button, new() { Name = "Send success" });
        await Expect(dialog.GetByLabel("Error type")).ToBeHiddenAsync();

        // The editor validates as you type: invalid JSON cannot be sent.
        await result.FillAsync("{\"approved\": true,");
        await Expect(send).ToBeDisabledAsync();
        await Expect(dialog.GetByRole(AriaRole.Status).First).ToContainTextAsync("line 1");
        await result.FillAsync("{\n  \"approved\": true,\n  \"approver\": \"browser\"\n}");
        await Expect(send).ToBeEnabledAsync();
        await ScreenshotAsync("callback-dialog", fullPage: false);
        await send.ClickAsync();

        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(Page.GetByTestId("execution-status")).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        await Expect(Page.Locator(".json-block").Filter(new() { HasText = "Result" })).ToContainTextAsync("\"Processed\"");
        await Expect(Page.GetByTestId("timeline-row").Filter(new() { HasText = "awaiting-approval" })).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        await ScreenshotAsync("callback-approved");

        // A narrow window stacks everything: nothing is wider than the window, the timeline is still there.
        await Page.SetViewportSizeAsync(480, 900);
        await Expect(Page.GetByTestId("timeline-row").Filter(new() { HasText = "awaiting-approval" })).ToBeVisibleAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways at 480 px.");
        await ScreenshotAsync("detail-narrow");
    }

    [Fact]
    public async Task Sending_a_failure_shows_the_error_and_an_answer_the_server_refuses_shows_its_message_verbatim()
    {
        string arn = await Server.StartOrderAsync("order-8");
        var callback = await Server.WaitForEventAsync(arn, "CallbackStarted");
        await OpenAsync("#/x/" + Uri.EscapeDataString(arn));

        await Page.GetByTestId("pending-callback").GetByRole(AriaRole.Button, new() { Name = "Send failure" }).ClickAsync();
        ILocator dialog = Page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Error type").FillAsync("Rejected");
        await dialog.GetByLabel("Error message").FillAsync("Over budget <script>alert(1)</script>");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Send failure" }).ClickAsync();

        await Expect(dialog).ToHaveCountAsync(0);
        // The workflow treats a failed approval as a rejection: the order ends with the approver's reason.
        await Expect(Page.GetByTestId("execution-status")).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        ILocator approval = Page.GetByTestId("timeline-row").Filter(new() { HasText = "awaiting-approval" });
        await Expect(approval).ToHaveAttributeAsync("data-status", "FAILED");
        await approval.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^awaiting-approval") }).ClickAsync();
        await Expect(Page.GetByTestId("operation-panel")).ToContainTextAsync("Rejected: Over budget <script>alert(1)</script>");
        await ScreenshotAsync("callback-failed");

        // A callback answered elsewhere meanwhile: the server's refusal is shown as it is.
        string second = await Server.StartOrderAsync("order-9");
        var secondCallback = await Server.WaitForEventAsync(second, "CallbackStarted");
        await Page.GotoAsync("/#/x/" + Uri.EscapeDataString(second));
        await Page.GetByTestId("pending-callback").GetByRole(AriaRole.Button, new() { Name = "Send success" }).ClickAsync();
        await Server.Client.SendCallbackSuccessAsync(secondCallback.Details.CallbackId!, new { approved = false });
        await Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Send success" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Alert)).ToHaveTextAsync(new Regex("^CallbackTimeoutException: .+"));
        await ScreenshotAsync("callback-refused", fullPage: false);
        Assert.NotEqual(callback.Details.CallbackId, secondCallback.Details.CallbackId);
    }
}
