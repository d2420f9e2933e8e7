using System.Globalization;
using Durably.Cli.Commands;
using Durably.Cli.Output;
using Durably.Protocol;

namespace Durably.Cli.Tests;

public sealed class FormattingTests
{
    [Fact]
    public void Timestamps_are_utc_iso_8601_whatever_the_offset_and_culture()
    {
        CultureInfo previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("ar-SA");
            Assert.Equal("2026-01-02T01:04:05.678Z", Formats.Timestamp(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2))));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(850, "850ms")]
    [InlineData(12_340, "12.3s")]
    [InlineData(245_000, "4m05s")]
    [InlineData(7_380_000, "2h03m")]
    [InlineData(273_600_000, "3d04h")]
    [InlineData(-1_500, "-1.5s")]
    public void Durations_show_their_two_largest_units(long milliseconds, string expected)
        => Assert.Equal(expected, Formats.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("{\n  \"a\": 1\n}", 60, "{ \"a\": 1 }")]
    [InlineData("abcdefghij", 5, "abcd…")]
    [InlineData("tab\there", 60, "tab here")]
    [InlineData(null, 60, "")]
    public void Payloads_are_shown_on_one_short_line(string? value, int width, string expected)
        => Assert.Equal(expected, Formats.OneLine(value, width));

    [Fact]
    public void Tables_align_columns_by_their_visible_width_and_paint_cells()
    {
        var style = new Style(Enabled: true);
        using var writer = new StringWriter();
        new Table(writer, style, new Column("NAME"), new Column("N", AlignRight: true), new Column("NOTE"))
            .Write([["a", "1", new Cell("ok", style.Green)], ["long-name", "100", ""]]);

        Assert.Equal(
            "\u001b[1mNAME\u001b[0m         \u001b[1mN\u001b[0m  \u001b[1mNOTE\u001b[0m\n"
            + "a            1  \u001b[32mok\u001b[0m\n"
            + "long-name  100\n",
            writer.ToString());
    }

    [Fact]
    public void Styles_paint_nothing_when_disabled()
    {
        var style = new Style(Enabled: false);

        Assert.Equal("FAILED", style.Status("FAILED"));
        Assert.Equal("\u001b[31mFAILED\u001b[0m", new Style(Enabled: true).Status("FAILED"));
        Assert.Equal("\u001b[33mExecutionTimedOut\u001b[0m", new Style(Enabled: true).EventType("ExecutionTimedOut"));
    }

    [Fact]
    public void Event_details_summarize_each_kind_of_event()
    {
        static string Summary(HistoryEventDetails details) => EventDetails.Summarize(
            new HistoryEvent { EventType = "X", EventId = 1, EventTimestamp = DateTimeOffset.UnixEpoch, Details = details });

        Assert.Equal("", Summary(new HistoryEventDetails()));
        Assert.Equal(
            "error=Timeout: too slow, attempt=2, retry-in=4.0s",
            Summary(new() { Error = new() { Payload = new() { ErrorType = "Timeout", ErrorMessage = "too slow" } }, RetryDetails = new() { CurrentAttempt = 2, NextAttemptDelaySeconds = 4 } }));
        Assert.Equal("wait=1m00s, until=1970-01-01T00:01:00.000Z", Summary(new() { Duration = 60, ScheduledEndTimestamp = DateTimeOffset.UnixEpoch.AddMinutes(1) }));
        Assert.Equal("result=(truncated), input=(not included)".Split(", ").Reverse(), Summary(new() { Input = new(), Result = new() { Truncated = true } }).Split(", "));
        Assert.Equal(
            "function=payments, version=3, child=arn:child",
            Summary(new() { FunctionName = "payments", ExecutedVersion = "3", DurableExecutionArn = "arn:child" }));
    }

    [Fact]
    public void Several_json_pages_become_one_document_without_a_marker()
    {
        string merged = JsonPages.Merge(["""{"Events":[{"EventId":1}],"NextMarker":"2"}""", """{"Events":[{"EventId":2,"X":{"y":null}}]}"""], "Events");

        Assert.Equal("""{"Events":[{"EventId":1},{"EventId":2,"X":{"y":null}}]}""", merged);
        Assert.Equal("""{"Events":[] , "NextMarker":"m"}""", JsonPages.Merge(["""{"Events":[] , "NextMarker":"m"}"""], "Events"));
    }
}
