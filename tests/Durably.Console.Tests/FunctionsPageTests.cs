using Durably.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Durably.Console.Tests;

public sealed class FunctionsPageTests(BrowserFixture browser) : ConsoleTest(browser)
{
    [Fact]
    public async Task Lists_each_version_with_its_kind_configuration_and_executions_per_status()
    {
        string pending = await Server.StartOrderAsync("order-1");
        await Server.WaitForEventAsync(pending, "CallbackStarted");

        await OpenAsync("#/functions");

        ILocator row = Page.GetByTestId("function-row").Filter(new() { HasText = "order-processor" });
        await Expect(row).ToContainTextAsync("In code");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "1", Exact = true }).First).ToBeVisibleAsync();
        await ScreenshotAsync("functions");

        // Counts follow the stream: a second order shows without a reload; its count links to the filtered list.
        await Server.StartOrderAsync("order-2");
        await Expect(row.Locator("td").Nth(5)).ToHaveTextAsync("2");
        await row.Locator("td").Nth(5).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"#/f/order-processor\?version=1&status=RUNNING$"));
        await Expect(Page.GetByTestId("execution-row")).ToHaveCountAsync(2);
    }
}
