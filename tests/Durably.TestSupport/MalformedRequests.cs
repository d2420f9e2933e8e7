using System.Text;
using System.Text.Json;

namespace Durably.TestSupport;

/// <summary>One generated request: sent exactly as written.</summary>
public sealed record MalformedRequest(string Kind, string Method, string Target, byte[] Body, IReadOnlyDictionary<string, string> Headers)
{
    public override string ToString() => $"{Kind}: {Method} {(Target.Length > 200 ? Target[..200] + "…" : Target)} ({Body.Length} bytes)";
}

/// <summary>The state the sweep aims at: real ARNs, a real open callback, and tokens of invocations that have ended.</summary>
public sealed record SweepTargets(string RunningArn, string ClosedArn, string CallbackId, IReadOnlyList<string> StaleTokens);

/// <summary>
/// Mutations of valid requests, every one of them invalid (so none may change stored data): truncated and
/// garbled JSON, wrong-typed fields, out-of-range numbers, bad enum strings, huge strings, bad
/// percent-encoding, wrong methods, random paths, unknown ARNs and callback ids, stale tokens.
/// </summary>
public sealed class MalformedRequests(SweepTargets targets, int seed)
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
    private static readonly string[] PathCharacters = [.. "abcXYZ019-._~!$&'()*+,;=:@".Select(c => c.ToString()), "%2F", "%3A", "%24", "%20", "/", "%E2%82%AC", "%C3%28", "%ZZ", "%", "%4"];
    private readonly Random _random = new(seed);

    private string Arn => Escape(targets.RunningArn);

    public IEnumerable<MalformedRequest> Generate()
    {
        foreach (MalformedRequest request in JsonBodyMutations()) { yield return request; }
        foreach (MalformedRequest request in WrongTypedFields()) { yield return request; }
        foreach (MalformedRequest request in OutOfRangeNumbers()) { yield return request; }
        foreach (MalformedRequest request in BadEnumStrings()) { yield return request; }
        foreach (MalformedRequest request in HugeStrings()) { yield return request; }
        foreach (MalformedRequest request in BadPercentEncoding()) { yield return request; }
        foreach (MalformedRequest request in WrongMethods()) { yield return request; }
        foreach (MalformedRequest request in RandomPaths()) { yield return request; }
        foreach (MalformedRequest request in UnknownIdentifiersAndStaleTokens()) { yield return request; }
    }

    /// <summary>Every valid JSON body, truncated at a random point or garbled with a byte JSON never allows there.</summary>
    private IEnumerable<MalformedRequest> JsonBodyMutations()
    {
        (string Kind, string Method, string Target, string Body, Dictionary<string, string> Headers)[] templates =
        [
            ("invoke", "POST", "/2015-03-31/functions/echo/invocations", "{\"order\":{\"id\":\"o-1\",\"lines\":[1,2,3]},\"note\":\"x\"}", Event()),
            ("invoke-sync", "POST", "/2015-03-31/functions/echo/invocations", "{\"a\":[true,false,null],\"b\":\"\\u00e9\"}", []),
            ("stop", "POST", $"/2025-12-01/durable-executions/{Arn}/stop", "{\"ErrorType\":\"Stop\",\"ErrorMessage\":\"m\",\"ErrorData\":\"d\",\"StackTrace\":[\"a\",\"b\"]}", []),
            ("callback-fail", "POST", $"/2025-12-01/durable-execution-callbacks/{targets.CallbackId}/fail", "{\"ErrorType\":\"No\",\"ErrorMessage\":\"rejected\"}", []),
            ("checkpoint", "POST", $"/2025-12-01/durable-executions/{Arn}/checkpoint", CheckpointBody(targets.StaleTokens[0]), []),
        ];
        foreach ((string kind, string method, string target, string body, Dictionary<string, string> headers) in templates)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            for (int cut = 1; cut < bytes.Length; cut++)
            {
                yield return new MalformedRequest($"{kind}/truncated", method, target, bytes[..cut], headers);
            }

            for (int index = 0; index < 30; index++)
            {
                int at = _random.Next(bytes.Length + 1);
                byte[] garbled = [.. bytes[..at], _random.Next(3) switch { 0 => (byte)0x01, 1 => (byte)0xFF, _ => (byte)0x00 }, .. bytes[at..]];
                yield return new MalformedRequest($"{kind}/garbled", method, target, garbled, headers);
            }
        }
    }

    private IEnumerable<MalformedRequest> WrongTypedFields()
    {
        string[] values = ["5", "-1.5", "true", "[]", "{}", "[\"a\"]", "{\"x\":1}"];
        foreach (string value in values)
        {
            foreach (string field in new[] { "ErrorType", "ErrorMessage", "ErrorData" })
            {
                if (value != "null")
                {
                    yield return Stop($"{{\"{field}\":{value}}}", "stop/wrong-type");
                    yield return CallbackFail($"{{\"{field}\":{value}}}", "callback-fail/wrong-type");
                }
            }

            // An empty or string list is a valid stack trace; a list of numbers is not.
            yield return Stop($"{{\"StackTrace\":{(value.StartsWith('[') ? "[1]" : value)}}}", "stop/wrong-type");
            if (value is not "[]" and not "[\"a\"]")
            {
                yield return Checkpoint($"{{\"CheckpointToken\":\"t\",\"Updates\":{value}}}", "checkpoint/wrong-type");
            }

            yield return Checkpoint($"{{\"CheckpointToken\":{value},\"Updates\":[]}}", "checkpoint/wrong-type");
            foreach (string field in new[] { "Id", "Name", "ParentId", "SubType", "Payload", "Error", "WaitOptions", "StepOptions", "CallbackOptions", "ContextOptions", "ChainedInvokeOptions" })
            {
                yield return Checkpoint(CheckpointBody(targets.StaleTokens[0], $"{{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"START\",\"{field}\":{value}}}"), "checkpoint/wrong-type");
            }
        }

        foreach (string body in new[] { "null", "[]", "\"text\"", "5", "true" })
        {
            yield return Stop(body, "stop/not-an-object");
            yield return CallbackFail(body, "callback-fail/not-an-object");
            yield return Checkpoint(body, "checkpoint/not-an-object");
        }

        yield return Checkpoint("{\"CheckpointToken\":\"t\",\"Updates\":[null]}", "checkpoint/null-update");
        yield return Checkpoint("{\"CheckpointToken\":\"t\",\"Updates\":[1,2]}", "checkpoint/wrong-type");
    }

    private IEnumerable<MalformedRequest> OutOfRangeNumbers()
    {
        string[] numbers = ["0", "-1", "31622401", "2147483648", "-2147483649", "1e400", "1.5", "99999999999999999999", "NaN", "0x10"];
        foreach (string number in numbers)
        {
            yield return Checkpoint(CheckpointBody(targets.StaleTokens[0], $"{{\"Id\":\"w1\",\"Type\":\"WAIT\",\"Action\":\"START\",\"WaitOptions\":{{\"WaitSeconds\":{number}}}}}"), "checkpoint/out-of-range");
            yield return Checkpoint(CheckpointBody(targets.StaleTokens[0], $"{{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"RETRY\",\"StepOptions\":{{\"NextAttemptDelaySeconds\":{number}}}}}"), "checkpoint/out-of-range");
            yield return Checkpoint(CheckpointBody(targets.StaleTokens[0], $"{{\"Id\":\"c1\",\"Type\":\"CALLBACK\",\"Action\":\"START\",\"CallbackOptions\":{{\"TimeoutSeconds\":{number}}}}}"), "checkpoint/out-of-range");
            string query = Uri.EscapeDataString(number);
            yield return Get($"/2025-12-01/durable-executions/{Arn}/history?MaxItems={query}", "history/out-of-range");
            yield return Get($"/2025-12-01/durable-executions/{Arn}/history?Marker={query}", "history/out-of-range");
            yield return Get($"/2025-12-01/functions/approval/durable-executions?MaxItems={query}", "list/out-of-range");
            yield return Get($"/2025-12-01/functions/approval/durable-executions?StartedAfter={query}%3A", "list/out-of-range");
            yield return Get($"/2025-12-01/durable-executions/{Arn}/state?CheckpointToken={targets.StaleTokens[0]}&MaxItems={query}", "state/out-of-range");
            yield return Get($"/2015-03-31/functions?MaxItems={query}", "functions/out-of-range");
        }
    }

    private IEnumerable<MalformedRequest> BadEnumStrings()
    {
        string[] values = ["", "start", "Start", "STARTED", "FOO", "EXECUTIONS", " STEP", "STEP ", "\\u0000"];
        foreach (string value in values)
        {
            yield return Checkpoint(CheckpointBody(targets.StaleTokens[0], $"{{\"Id\":\"s1\",\"Type\":\"{value}\",\"Action\":\"START\"}}"), "checkpoint/bad-enum");
            yield return Checkpoint(CheckpointBody(targets.StaleTokens[0], $"{{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"{value}\"}}"), "checkpoint/bad-enum");
            string query = Uri.EscapeDataString(value);
            yield return Get($"/2025-12-01/functions/approval/durable-executions?Statuses={query}", "list/bad-enum");
            yield return Get($"/2025-12-01/functions/approval/durable-executions?ReverseOrder={query}", "list/bad-enum");
            yield return Get($"/2025-12-01/durable-executions/{Arn}?IncludeExecutionData={query}x", "get/bad-enum");
            yield return Get($"/2015-03-31/functions?FunctionVersion={query}x", "functions/bad-enum");
            yield return Invoke("{\"a\":1}", new Dictionary<string, string> { ["X-Amz-Invocation-Type"] = value.Length == 0 ? "none" : value.Replace("\\u0000", "x", StringComparison.Ordinal) }, "invoke/bad-enum");
        }
    }

    private IEnumerable<MalformedRequest> HugeStrings()
    {
        foreach (int length in new[] { 65, 257, 1025, 5000 })
        {
            string text = new('a', length);
            yield return Invoke("{\"a\":1}", new Dictionary<string, string> { ["X-Amz-Invocation-Type"] = "Event", ["X-Amz-Durable-Execution-Name"] = text }, "invoke/huge-name");
            yield return Invoke("{\"a\":1}", Event(), "invoke/huge-qualifier", $"?Qualifier={text}");
            yield return Checkpoint(CheckpointBody(targets.StaleTokens[0], $"{{\"Id\":\"{text}\",\"Type\":\"STEP\",\"Action\":\"START\"}}"), "checkpoint/huge-id");
            yield return Checkpoint(CheckpointBody(targets.StaleTokens[0], $"{{\"Id\":\"s1\",\"Type\":\"STEP\",\"SubType\":\"{text}\",\"Action\":\"START\"}}"), "checkpoint/huge-subtype");
            yield return Get($"/2025-12-01/functions/{text}/durable-executions", "list/huge-function");
            yield return Post($"/2025-12-01/durable-execution-callbacks/{new string('A', length + 1020)}/heartbeat", [], "callback/huge-id");
        }

        yield return Invoke(JsonSerializer.Serialize(new string('x', 270_000)), Event(), "invoke/huge-payload");
        yield return Invoke(JsonSerializer.Serialize(new string('x', 6_400_000)), [], "invoke/huge-sync-payload");
        yield return Post($"/2025-12-01/durable-execution-callbacks/{targets.CallbackId}/succeed", new byte[262_145], "callback/huge-result");
        yield return CallbackFail(JsonSerializer.Serialize(new { ErrorMessage = new string('x', 270_000) }), "callback-fail/huge-error");
        yield return Stop(JsonSerializer.Serialize(new { ErrorMessage = new string('x', 270_000) }), "stop/huge-error");
        yield return Checkpoint(CheckpointBody(targets.StaleTokens[0], $"{{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"SUCCEED\",\"Payload\":\"{new string('x', 7_000_000)}\"}}"), "checkpoint/huge-body");
        yield return Post($"/2025-12-01/durable-execution-callbacks/{targets.CallbackId}/succeed", [0xC3, 0x28], "callback/not-utf8");
    }

    private IEnumerable<MalformedRequest> BadPercentEncoding()
    {
        string[] broken = ["%", "%Z", "%ZZ", "%4", "%G1", "%C3%28", "%FF", "%E2%82", "%ED%A0%80", "arn%3", "%%"];
        foreach (string bad in broken)
        {
            yield return Get($"/2025-12-01/durable-executions/{Arn}{bad}", "get/bad-encoding");
            yield return Get($"/2025-12-01/durable-executions/{bad}{Arn}/history", "history/bad-encoding");
            yield return Post($"/2025-12-01/durable-executions/{Arn}{bad}/stop", [], "stop/bad-encoding");
            yield return Post($"/2025-12-01/durable-execution-callbacks/{targets.CallbackId}{bad}/heartbeat", [], "callback/bad-encoding");
            yield return Invoke("{\"a\":1}", Event(), "invoke/bad-encoding", "", $"/2015-03-31/functions/echo{bad}/invocations");
            yield return Get($"/2025-12-01/functions/approval{bad}/durable-executions", "list/bad-encoding");
            yield return Get($"/2015-03-31/functions/echo{bad}/versions", "versions/bad-encoding");
        }
    }

    private IEnumerable<MalformedRequest> WrongMethods()
    {
        (string Target, string Method)[] routes =
        [
            ("/2015-03-31/functions/echo/invocations", "POST"),
            ("/2015-03-31/functions/", "GET"),
            ("/2015-03-31/functions/echo/versions", "GET"),
            ($"/2025-12-01/functions/approval/durable-executions", "GET"),
            ($"/2025-12-01/durable-executions/{Arn}", "GET"),
            ($"/2025-12-01/durable-executions/{Arn}/history", "GET"),
            ($"/2025-12-01/durable-executions/{Arn}/state", "GET"),
            ($"/2025-12-01/durable-executions/{Arn}/checkpoint", "POST"),
            ($"/2025-12-01/durable-executions/{Arn}/stop", "POST"),
            ($"/2025-12-01/durable-execution-callbacks/{targets.CallbackId}/succeed", "POST"),
            ($"/2025-12-01/durable-execution-callbacks/{targets.CallbackId}/fail", "POST"),
            ($"/2025-12-01/durable-execution-callbacks/{targets.CallbackId}/heartbeat", "POST"),
        ];
        foreach ((string target, string allowed) in routes)
        {
            foreach (string method in Methods.Where(method => method != allowed))
            {
                yield return new MalformedRequest("wrong-method", method, target, "{\"a\":1}"u8.ToArray(), new Dictionary<string, string>());
            }
        }
    }

    private IEnumerable<MalformedRequest> RandomPaths()
    {
        string[] prefixes = ["/2025-12-01/", "/2015-03-31/", "/2025-12-01/durable-executions/", "/2025-12-01/durable-execution-callbacks/", "/2015-03-31/functions/", "/2025-12-01/functions/"];
        for (int index = 0; index < 150; index++)
        {
            var path = new StringBuilder(prefixes[_random.Next(prefixes.Length)]);
            int length = _random.Next(0, 40);
            for (int character = 0; character < length; character++)
            {
                path.Append(PathCharacters[_random.Next(PathCharacters.Length)]);
            }

            string method = Methods[_random.Next(Methods.Length)];
            // A random path under the callback route may end in a real action; keep it from naming the real callback.
            yield return new MalformedRequest("random-path", method, path.ToString().Replace(targets.CallbackId, "x", StringComparison.Ordinal), [], new Dictionary<string, string>());
        }
    }

    private IEnumerable<MalformedRequest> UnknownIdentifiersAndStaleTokens()
    {
        string unknownArn = Escape(targets.RunningArn[..^36] + Guid.NewGuid());
        foreach (string suffix in new[] { "", "/history", "/state?CheckpointToken=abc" })
        {
            yield return Get($"/2025-12-01/durable-executions/{unknownArn}{suffix}", "unknown-arn");
        }

        yield return Post($"/2025-12-01/durable-executions/{unknownArn}/stop", [], "unknown-arn");
        yield return Checkpoint(CheckpointBody("t"), "unknown-arn", unknownArn);
        foreach (string action in new[] { "succeed", "fail", "heartbeat" })
        {
            yield return Post($"/2025-12-01/durable-execution-callbacks/{new string('Q', 32)}/{action}", "{}"u8.ToArray(), "unknown-callback");
            yield return Post($"/2025-12-01/durable-execution-callbacks/{targets.CallbackId[..^1]}/{action}", "{}"u8.ToArray(), "unknown-callback");
        }

        foreach (string token in targets.StaleTokens.Concat(["", "x", new string('A', 2049), "tok%2F%2B%3D1"]))
        {
            yield return Checkpoint(CheckpointBody(token, "{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"START\"}"), "stale-token");
            yield return Checkpoint(CheckpointBody(token), "stale-token", Escape(targets.ClosedArn));
            yield return Get($"/2025-12-01/durable-executions/{Arn}/state?CheckpointToken={Uri.EscapeDataString(token)}", "stale-token");
        }

        foreach (string name in new[] { "nope", "echo:99", "echo:$LATEST:1", "arn:aws:lambda:x:1:function:nope", "echo:a.b", "-" })
        {
            yield return Invoke("{\"a\":1}", Event(), "unknown-function", "", $"/2015-03-31/functions/{Escape(name)}/invocations");
            yield return Get($"/2025-12-01/functions/{Escape(name)}/durable-executions", "unknown-function");
            yield return Get($"/2015-03-31/functions/{Escape(name)}/versions", "unknown-function");
        }
    }

    private static Dictionary<string, string> Event() => new() { ["X-Amz-Invocation-Type"] = "Event" };

    private static string CheckpointBody(string token, string updates = "") =>
        $"{{\"CheckpointToken\":{JsonSerializer.Serialize(token)},\"ClientToken\":\"c-1\",\"Updates\":[{updates}]}}";

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static MalformedRequest Get(string target, string kind) => new(kind, "GET", target, [], new Dictionary<string, string>());

    private static MalformedRequest Post(string target, byte[] body, string kind) => new(kind, "POST", target, body, new Dictionary<string, string>());

    private MalformedRequest Stop(string body, string kind) => Post($"/2025-12-01/durable-executions/{Arn}/stop", Encoding.UTF8.GetBytes(body), kind);

    private MalformedRequest CallbackFail(string body, string kind) => Post($"/2025-12-01/durable-execution-callbacks/{targets.CallbackId}/fail", Encoding.UTF8.GetBytes(body), kind);

    private MalformedRequest Checkpoint(string body, string kind, string? arn = null) =>
        Post($"/2025-12-01/durable-executions/{arn ?? Arn}/checkpoint", Encoding.UTF8.GetBytes(body), kind);

    private static MalformedRequest Invoke(string payload, Dictionary<string, string> headers, string kind, string query = "", string? target = null) =>
        new(kind, "POST", (target ?? "/2015-03-31/functions/echo/invocations") + query, Encoding.UTF8.GetBytes(payload), headers);
}
