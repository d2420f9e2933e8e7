using Durably.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Durably.Console.Tests;

public sealed class ExecutionListTests(BrowserFixture browser) : ConsoleTest(browser)
{
    [Fact]
    public async Task Filters_by_status_and_name_prefix_and_keeps_the_filters_in_the_url()
    {
        string approved = await Server.StartOrderAsync("order-approved");
        var callback = await Server.WaitForEventAsync(approved, "CallbackStarted");
        await Server.Client.SendCallbackSuccessAsync(callback.Details.CallbackId!, new { approved = true });
        await Server.Client.WaitForResultAsync<object>(approved);
        string pending = await Server.StartOrderAsync("order-pending");
        await Server.WaitForEventAsync(pending, "CallbackStarted");
        string other = await Server.StartOrderAsync("refund-7");
        await Server.WaitForEventAsync(other, "CallbackStarted");

        await OpenAsync("#/f/order-processor");
        await Expect(Page.GetByTestId("execution-row")).ToHaveCountAsync(3);
        await Expect(Row("order-pending")).ToContainTextAsync("callback awaiting-approval");
        await Expect(Page.GetByRole(AriaRole.Checkbox, new() { Name = "Running 2" })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Checkbox, new() { Name = "Succeeded 1" })).ToBeVisibleAsync();
        await ScreenshotAsync("list");

        await Page.GetByRole(AriaRole.Checkbox, new() { Name = "Running", Exact = false }).CheckAsync();
        await Expect(Page.GetByTestId("execution-row")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("execution-row").Filter(new() { HasNot = Page.Locator("[data-status=RUNNING]") })).ToHaveCountAsync(0);

        await Page.GetByLabel("Name starts with").FillAsync("order-");
        await Expect(Page.GetByTestId("execution-row")).ToHaveCountAsync(1);
        await Expect(Row("order-pending")).ToBeVisibleAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"#/f/order-processor\?status=RUNNING&prefix=order-$"));
        await ScreenshotAsync("list-filtered");

        // The URL is the state: reloading shows the same filtered list.
        await Page.ReloadAsync();
        await Expect(Page.GetByRole(AriaRole.Checkbox, new() { Name = "Running" })).ToBeCheckedAsync();
        await Expect(Page.GetByTestId("execution-row")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_new_execution_appears_in_the_list_without_a_reload()
    {
        string first = await Server.StartOrderAsync("order-1");
        await Server.WaitForEventAsync(first, "CallbackStarted");
        await OpenAsync("#/f/order-processor");
        await Expect(Row("order-1")).ToBeVisibleAsync();

        await Server.StartOrderAsync("order-2");

        await Expect(Row("order-2")).ToBeVisibleAsync();
        await Expect(Row("order-2")).ToHaveAttributeAsync("data-status", "RUNNING");
        await ScreenshotAsync("list-live");

        // Keyboard: j moves to the first row (the newest); a live change keeps the focus there; Enter opens it.
        await Page.Keyboard.PressAsync("j");
        await Expect(Row("order-2")).ToBeFocusedAsync();
        await Server.StartOrderAsync("order-3");
        await Expect(Row("order-3")).ToBeVisibleAsync();
        await Expect(Row("order-2")).ToBeFocusedAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "order-2", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Shows_every_status_with_its_count_and_a_failed_execution_with_its_error_verbatim()
    {
        string approved = await Server.StartOrderAsync("order-100");
        var callback = await Server.WaitForEventAsync(approved, "CallbackStarted");
        await Server.Client.SendCallbackSuccessAsync(callback.Details.CallbackId!, new { approved = true });
        await Server.Client.WaitForResultAsync<object>(approved);
        string stopped = await Server.StartOrderAsync("order-101");
        await Server.WaitForEventAsync(stopped, "CallbackStarted");
        await Server.Client.StopExecutionAsync(stopped);
        string invalid = await Server.StartOrderAsync("order-102", amount: -5);
        await Server.WaitForEventAsync(invalid, "ExecutionFailed");
        string pending = await Server.StartOrderAsync("order-103");
        await Server.WaitForEventAsync(pending, "CallbackStarted");

        await OpenAsync("#/f/order-processor");
        await Expect(Row("order-100")).ToHaveAttributeAsync("data-status", "SUCCEEDED");
        await Expect(Row("order-101")).ToHaveAttributeAsync("data-status", "STOPPED");
        await Expect(Row("order-102")).ToHaveAttributeAsync("data-status", "FAILED");
        await Expect(Row("order-103")).ToHaveAttributeAsync("data-status", "RUNNING");
        await Expect(Row("order-103")).ToContainTextAsync("callback awaiting-approval");
        foreach (string chip in (string[])["Running 1", "Succeeded 1", "Failed 1", "Stopped 1", "Timed out 0"])
        {
            await Expect(Page.GetByRole(AriaRole.Checkbox, new() { Name = chip })).ToBeVisibleAsync();
        }

        await ScreenshotAsync("list-statuses");

        // Times are in the browser's zone (Paris here), named; the switch shows them in UTC and is remembered.
        ILocator started = Row("order-100").Locator("time");
        await Expect(started).ToContainTextAsync(new System.Text.RegularExpressions.Regex("CET|CEST|GMT\\+[12]"));
        await Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("switch to UTC") }).ClickAsync();
        await Expect(started).ToContainTextAsync("UTC");
        await Page.ReloadAsync();
        await Expect(Row("order-100").Locator("time")).ToContainTextAsync("UTC");
        await Page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("switch to local time") }).ClickAsync();

        await Row("order-102").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page.GetByTestId("execution-error")).ToHaveTextAsync("InvalidOrderException Order order-102 is invalid: The amount must be positive; got -5.");
    }
}
