using System.Text.Json;
using Durably.Engine.Storage;

namespace Durably.Engine.Tests;

/// <summary>
/// EventBridge's documented pattern semantics ("Content filtering in Amazon EventBridge event patterns", "Comparison
/// operators for use in event patterns"), as table tests. Single quotes stand for double quotes.
/// </summary>
public sealed class EventPatternTests
{
    private const string Failed = """
        {'version':'0','id':'7f1c','detail-type':'Durable Execution Status Change','source':'durably','account':'000000000000',
         'time':'2026-01-01T00:00:03Z','region':'local','resources':[],
         'detail':{'durableExecutionArn':'arn:aws:lambda:local:000000000000:function:orders:2/durable-execution/order-1/e1',
                   'durableExecutionName':'order-1','functionArn':'arn:aws:lambda:local:000000000000:function:orders:2',
                   'status':'FAILED','startTimestamp':'2026-01-01T00:00:00.000Z','endTimestamp':'2026-01-01T00:00:03.000Z'}}
        """;

    private const string Running = """
        {'source':'durably','detail-type':'Durable Execution Status Change',
         'detail':{'functionArn':'arn:aws:lambda:local:000000000000:function:payments:1','status':'RUNNING','startTimestamp':'2026-01-01T00:00:00.000Z'}}
        """;

    private const string Values = """
        {'count':5,'price':300,'flag':true,'nothing':null,'empty':'','tags':['blue','red'],'items':[{'sku':'a'},{'sku':'b'}],'name':'EventBridge'}
        """;

    [Theory]
    // Exact values, and every key must match (AND).
    [InlineData("{'source':['durably']}", Failed, true)]
    [InlineData("{'source':['aws.lambda']}", Failed, false)]
    [InlineData("{'source':['durably'],'detail-type':['Durable Execution Status Change']}", Failed, true)]
    [InlineData("{'source':['durably'],'detail-type':['Something Else']}", Failed, false)]
    [InlineData("{'detail':{'status':['FAILED']}}", Failed, true)]
    [InlineData("{'detail':{'status':['failed']}}", Failed, false)]
    [InlineData("{'detail':{'functionArn':['arn:aws:lambda:local:000000000000:function:orders:2']}}", Failed, true)]
    [InlineData("{'detail':{'status':['FAILED']}}", Running, false)]
    // An array is "any of".
    [InlineData("{'detail':{'status':['FAILED','TIMED_OUT']}}", Failed, true)]
    [InlineData("{'detail':{'status':['SUCCEEDED','TIMED_OUT']}}", Failed, false)]
    // prefix, suffix, equals-ignore-case (strings only).
    [InlineData("{'time':[{'prefix':'2026-01-01'}]}", Failed, true)]
    [InlineData("{'time':[{'prefix':'2025'}]}", Failed, false)]
    [InlineData("{'detail':{'functionArn':[{'prefix':'arn:aws:lambda:local:000000000000:function:orders:'}]}}", Running, false)]
    [InlineData("{'detail':{'functionArn':[{'suffix':':orders:2'}]}}", Failed, true)]
    [InlineData("{'count':[{'prefix':'5'}]}", Values, false)]
    [InlineData("{'detail':{'status':[{'equals-ignore-case':'failed'}]}}", Failed, true)]
    // anything-but: a value, a list, a prefix; a missing field never matches it.
    [InlineData("{'detail':{'status':[{'anything-but':'SUCCEEDED'}]}}", Failed, true)]
    [InlineData("{'detail':{'status':[{'anything-but':'FAILED'}]}}", Failed, false)]
    [InlineData("{'detail':{'status':[{'anything-but':['SUCCEEDED','RUNNING']}]}}", Failed, true)]
    [InlineData("{'detail':{'status':[{'anything-but':['FAILED','RUNNING']}]}}", Running, false)]
    [InlineData("{'detail':{'functionArn':[{'anything-but':{'prefix':'arn:aws:lambda:local:000000000000:function:orders'}}]}}", Running, true)]
    [InlineData("{'detail':{'functionArn':[{'anything-but':{'prefix':'arn:aws:lambda:local:000000000000:function:orders'}}]}}", Failed, false)]
    [InlineData("{'detail':{'functionArn':[{'anything-but':{'suffix':':1'}}]}}", Running, false)]
    [InlineData("{'count':[{'anything-but':4}]}", Values, true)]
    [InlineData("{'count':[{'anything-but':[4,5]}]}", Values, false)]
    [InlineData("{'missing':[{'anything-but':'x'}]}", Values, false)]
    // exists: true and false, also below a missing object.
    [InlineData("{'detail':{'endTimestamp':[{'exists':true}]}}", Failed, true)]
    [InlineData("{'detail':{'endTimestamp':[{'exists':true}]}}", Running, false)]
    [InlineData("{'detail':{'endTimestamp':[{'exists':false}]}}", Running, true)]
    [InlineData("{'detail':{'endTimestamp':[{'exists':false}]}}", Failed, false)]
    [InlineData("{'other':{'field':[{'exists':false}]}}", Failed, true)]
    [InlineData("{'detail':{'status':['FAILED',{'exists':false}]}}", Running, false)]
    // numeric ranges and numeric equality (300 equals 300.0); numbers never match strings.
    [InlineData("{'count':[{'numeric':['>',0,'<=',5]}]}", Values, true)]
    [InlineData("{'count':[{'numeric':['>',5]}]}", Values, false)]
    [InlineData("{'count':[{'numeric':['>=',5,'<',6]}]}", Values, true)]
    [InlineData("{'count':[{'numeric':['<',5]}]}", Values, false)]
    [InlineData("{'price':[{'numeric':['=',300.0]}]}", Values, true)]
    [InlineData("{'price':[300.0]}", Values, true)]
    [InlineData("{'price':['300']}", Values, false)]
    [InlineData("{'name':[{'numeric':['>',0]}]}", Values, false)]
    // true, false, null and the empty string are values like any other.
    [InlineData("{'flag':[true]}", Values, true)]
    [InlineData("{'flag':[false]}", Values, false)]
    [InlineData("{'nothing':[null]}", Values, true)]
    [InlineData("{'missing':[null]}", Values, false)]
    [InlineData("{'empty':['']}", Values, true)]
    // A field holding an array matches when any element does; a nested pattern over an array of objects, any object.
    [InlineData("{'tags':['red']}", Values, true)]
    [InlineData("{'tags':['green']}", Values, false)]
    [InlineData("{'items':{'sku':['b']}}", Values, true)]
    [InlineData("{'items':{'sku':['c']}}", Values, false)]
    // A pattern over an object field that holds a value matches nothing.
    [InlineData("{'name':{'first':['Event']}}", Values, false)]
    public void Matches_FollowsEventBridgeSemantics(string pattern, string eventJson, bool expected)
    {
        using JsonDocument document = JsonDocument.Parse(Quote(eventJson));

        Assert.Equal(expected, EventPattern.Parse(Quote(pattern)).Matches(document.RootElement));
    }

    [Theory]
    [InlineData("{'source':", "not valid JSON")]
    [InlineData("['durably']", "must be a JSON object")]
    [InlineData("{}", "at least one field")]
    [InlineData("{'source':'durably'}", "'source': values must be given in an array, like [\"durably\"]")]
    [InlineData("{'source':[]}", "'source': the list of values is empty")]
    [InlineData("{'source':[['durably']]}", "'source': an array inside the list")]
    [InlineData("{'detail':{'status':[{'wildcards':'F*'}]}}", "'detail.status': unknown operator \"wildcards\"")]
    [InlineData("{'source':[{'prefix':'a','suffix':'b'}]}", "exactly one key")]
    [InlineData("{'source':[{'prefix':5}]}", "\"prefix\" takes a string")]
    [InlineData("{'source':[{'exists':'yes'}]}", "\"exists\" takes true or false")]
    [InlineData("{'count':[{'numeric':['<']}]}", "\"numeric\" takes [operator, number]")]
    [InlineData("{'count':[{'numeric':'>5'}]}", "\"numeric\" takes [operator, number]")]
    [InlineData("{'count':[{'numeric':['!',1]}]}", "operator \"!\" is not one of")]
    [InlineData("{'count':[{'numeric':['>','1']}]}", "needs a number")]
    [InlineData("{'count':[{'numeric':['>',1,'>',2]}]}", "one lower bound")]
    [InlineData("{'source':[{'anything-but':['a',1]}]}", "only strings or only numbers")]
    [InlineData("{'source':[{'anything-but':[]}]}", "non-empty list")]
    [InlineData("{'source':[{'anything-but':{'exists':true}}]}", "only with prefix, suffix or equals-ignore-case")]
    [InlineData("{'source':[{'anything-but':true}]}", "\"anything-but\" takes a string, a number")]
    public void Parse_InvalidPattern_IsRejectedWithWhatIsWrong(string pattern, string expectedMessage)
    {
        EventPatternException error = Assert.Throws<EventPatternException>(() => EventPattern.Parse(Quote(pattern)));

        Assert.Contains(expectedMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Matches_AStatusChangeEvent_ThroughItsEnvelope()
    {
        var execution = new ExecutionRecord
        {
            ExecutionId = "e1",
            DurableExecutionArn = "arn:aws:lambda:local:000000000000:function:orders:2/durable-execution/order-1/e1",
            ExecutionName = "order-1",
            FunctionName = "orders",
            FunctionVersion = "2",
            FunctionArn = "arn:aws:lambda:local:000000000000:function:orders:2",
            Status = Durably.Protocol.ExecutionStatus.TimedOut,
            StartTimestamp = DateTimeOffset.UnixEpoch,
            EndTimestamp = DateTimeOffset.UnixEpoch.AddHours(1),
            ExecutionTimeoutSeconds = 3600,
            RetentionPeriodInDays = 1,
        };
        StatusChangeEvent statusEvent = StatusChangeEvent.For(execution, DateTimeOffset.UnixEpoch.AddHours(1));

        Assert.True(EventPattern.Parse("""{"detail-type":["Durable Execution Status Change"],"detail":{"status":["TIMED_OUT"],"functionArn":[{"suffix":":orders:2"}]}}""").Matches(statusEvent));
        Assert.False(EventPattern.Parse("""{"detail":{"status":["FAILED"]}}""").Matches(statusEvent));
    }

    private static string Quote(string text) => text.Replace('\'', '"');
}
