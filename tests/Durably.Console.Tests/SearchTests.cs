using System.Text.RegularExpressions;
using Durably.Console.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Durably.Console.Tests;

public sealed class SearchTests(BrowserFixture browser) : ConsoleTest(browser)
{
    protected override Task<ConsoleTestServer> StartServerAsync() => ConsoleTestServer.StartAsync(durably => durably
        .AddFunction<string, string>("refunds", (input, _) => Task.FromResult(input)));

    [Fact]
    public async Task Finds_executions_by_name_prefix_over_every_function_and_opens_a_pasted_arn()
    {
        await Server.StartOrderAsync("acme-order");
        StartExecutionResult refund = await Server.Client.StartAsync("refunds", "r", "acme-refund");
        await Server.Client.WaitForResultAsync<string>(refund.DurableExecutionArn);
        await Server.StartOrderAsync("other-order");
        await OpenAsync();

        await Page.Keyboard.PressAsync("/");
        await Expect(Page.GetByLabel("Search executions by name or ARN")).ToBeFocusedAsync();
        await Page.Keyboard.TypeAsync("acme-");
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page.GetByTestId("execution-row")).ToHaveCountAsync(2);
        await Expect(Page.GetByTestId("execution-row").Filter(new() { HasText = "refunds:1" })).ToContainTextAsync("acme-refund");
        await Expect(Page.GetByTestId("execution-row").Filter(new() { HasText = "order-processor:1" })).ToContainTextAsync("acme-order");

        await Page.GetByLabel("Search executions by name or ARN").FillAsync(refund.DurableExecutionArn);
        await Page.Keyboard.PressAsync("Enter");
        await Expect(Page).ToHaveURLAsync(new Regex("#/x/"));
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "acme-refund", Level = 1 })).ToBeVisibleAsync();
    }
}
