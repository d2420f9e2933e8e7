using System.Text.RegularExpressions;
using Durably.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Durably.Console.Tests;

public sealed class SignInTests(BrowserFixture browser) : ConsoleTest(browser)
{
    private const string Key = "console-test-key-0123456789abcdef0123";

    protected override Task<ConsoleTestServer> StartServerAsync() => ConsoleTestServer.StartAsync(apiKey: Key);

    [Fact]
    public async Task A_server_with_api_keys_shows_nothing_before_the_key_and_everything_after()
    {
        await Server.StartOrderAsync("order-secret");
        await Page.GotoAsync("/#/f/order-processor");

        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(Page.GetByText("order-secret")).ToHaveCountAsync(0);
        await Expect(Page.GetByText("order-processor")).ToHaveCountAsync(0);

        await Page.GetByLabel("API key").FillAsync("wrong-key");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("UnrecognizedClientException");
        await ScreenshotAsync("sign-in-refused");

        await Page.GetByLabel("API key").FillAsync(Key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Row("order-secret")).ToBeVisibleAsync();
        await Expect(Page.GetByTestId("stream-status")).ToHaveAttributeAsync("data-state", "live");

        // The key is kept for the tab: a reload does not ask again.
        await Page.ReloadAsync();
        await Expect(Row("order-secret")).ToBeVisibleAsync();
        await ScreenshotAsync("signed-in");
    }
}
