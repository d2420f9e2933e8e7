using Microsoft.Playwright;

namespace Durably.Console.Tests.Infrastructure;

/// <summary>
/// A browser test: a fresh server and a fresh page at 1280×800 per test; the page's screenshot is saved under
/// <c>TestResults/screenshots/&lt;test&gt;.png</c> beside the test assembly. Waiting is Playwright's auto-waiting, bounded.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class ConsoleTest(BrowserFixture browser) : IAsyncLifetime
{
    /// <summary>How long an expectation waits: the live stream delivers within a second; the rest is slack for a loaded machine.</summary>
    protected const float ExpectTimeout = 15_000;

    private readonly List<string> _pageErrors = [];
    private IBrowserContext? _context;

    protected ConsoleTestServer Server { get; private set; } = null!;

    protected IPage Page { get; private set; } = null!;

    /// <summary>The server the test runs against; override to register more functions or require a key.</summary>
    protected virtual Task<ConsoleTestServer> StartServerAsync() => ConsoleTestServer.StartAsync();

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(ExpectTimeout);
        Server = await StartServerAsync();
        _context = await browser.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1280, Height = 800 }, BaseURL = Server.Address.ToString(),
            // Not UTC, so that a time shown in UTC where the browser's zone was meant is seen.
            TimezoneId = "Europe/Paris", Locale = "en-GB",
        });
        _context.SetDefaultTimeout(ExpectTimeout);
        Page = await _context.NewPageAsync();
        // Script errors and Content-Security-Policy violations fail the test. Refused requests (a 401 before the key,
        // a 400 the test provokes) are logged by the browser as "Failed to load resource": they are expected.
        Page.PageError += (_, error) => _pageErrors.Add(error);
        Page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                _pageErrors.Add(message.Text);
            }
        };
    }

    public async Task DisposeAsync()
    {
        if (_context is not null)
        {
            await _context.DisposeAsync();
        }

        await Server.DisposeAsync();
        Assert.True(_pageErrors.Count == 0, "The page reported errors:\n" + string.Join('\n', _pageErrors));
    }

    /// <summary>Opens the console at a route (<c>#/f/order-processor</c>) and waits until the live stream is connected.</summary>
    protected async Task OpenAsync(string route = "")
    {
        await Page.GotoAsync("/" + route);
        await Assertions.Expect(Page.GetByTestId("stream-status")).ToHaveAttributeAsync("data-state", "live");
    }

    /// <summary>Saves what the page shows now as <c>TestResults/screenshots/&lt;name&gt;.png</c>.</summary>
    protected Task ScreenshotAsync(string name, bool fullPage = true)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots", name + ".png");
        return Page.ScreenshotAsync(new() { Path = path, FullPage = fullPage });
    }

    /// <summary>The list row of an execution.</summary>
    protected ILocator Row(string executionName) =>
        Page.GetByTestId("execution-row").Filter(new() { Has = Page.GetByRole(AriaRole.Link, new() { Name = executionName, Exact = true }) });
}
