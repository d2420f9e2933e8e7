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

    [Fact]
    public async Task Flags_running_executions_of_a_version_nobody_hosts_as_stuck()
    {
        // An HTTP function registered at run time (its endpoint refuses connections, so its execution stays RUNNING,
        // retrying with back-off); then its version 1 is replaced by a version 2, and version 1 removed.
        using var api = new HttpClient { BaseAddress = Server.Address };
        await RegisterAsync(api, "1");
        using var invoke = new HttpRequestMessage(HttpMethod.Post, "2015-03-31/functions/remote/invocations") { Content = Json("\"x\"") };
        invoke.Headers.Add("X-Amz-Invocation-Type", "Event");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await api.SendAsync(invoke)).StatusCode);
        await RegisterAsync(api, "2");
        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await api.DeleteAsync("durably/functions/remote?Version=1")).StatusCode);

        await OpenAsync("#/functions");

        ILocator stuck = Page.GetByTestId("function-row").Filter(new() { HasText = "remote" }).Filter(new() { HasText = "No handler" });
        await Expect(stuck.GetByRole(AriaRole.Link, new() { Name = "1 stuck" })).ToBeVisibleAsync();
        await ScreenshotAsync("functions-stuck");
    }

    private static async Task RegisterAsync(HttpClient api, string version)
    {
        using HttpResponseMessage registered = await api.PostAsync("durably/functions",
            Json($$"""{"FunctionName":"remote","Version":"{{version}}","Url":"http://127.0.0.1:9/never"}"""));
        Assert.True(registered.IsSuccessStatusCode, await registered.Content.ReadAsStringAsync());
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
