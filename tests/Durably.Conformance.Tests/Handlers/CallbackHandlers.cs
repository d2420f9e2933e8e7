using System.Globalization;
using System.Text.Json.Nodes;

namespace Durably.Conformance.Handlers;

public static partial class HandlerCatalog
{
    private static void RegisterCallback()
    {
        // 4-1: a callback named by the input; returns its result.
        Add<string, string?>("4-1", async (input, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>(input);
            return await callback.GetResultAsync();
        });

        // 4-2: a callback named "approval".
        Add<JsonNode?, string?>("4-2", async (_, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>("approval");
            return await callback.GetResultAsync();
        });

        // 4-4: a 5 s heartbeat timeout nobody honours: the callback times out, the execution fails.
        Add<string, string?>("4-4", async (input, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>(input, new CallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(5) });
            return await callback.GetResultAsync();
        });

        // 4-5: a 10 s heartbeat timeout; a heartbeat then a success arrive.
        Add<string, string?>("4-5", async (input, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>(input, new CallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(10) });
            return await callback.GetResultAsync();
        });

        // 4-7: callback, then a step, then the callback's result: a failure, not caught.
        Add<string, string?>("4-7", async (input, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>(input);
            await ctx.StepAsync((_, _) => Task.FromResult("notified"));
            return await callback.GetResultAsync();
        });

        // 4-8: a 5 s timeout, then a step, then the result: the callback times out, not caught.
        Add<string, string?>("4-8", async (input, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>(input, new CallbackConfig { Timeout = TimeSpan.FromSeconds(5) });
            await ctx.StepAsync((_, _) => Task.FromResult("notified"));
            return await callback.GetResultAsync();
        });

        // 4-10: callback, then a 5 s wait, then the result (a failure arrives during the wait).
        Add<string, string?>("4-10", async (input, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>(input);
            await ctx.WaitAsync(TimeSpan.FromSeconds(5));
            return await callback.GetResultAsync();
        });

        // 4-11: a 3 s timeout, then a 6 s wait, then the result (times out during the wait).
        Add<string, string?>("4-11", async (input, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>(input, new CallbackConfig { Timeout = TimeSpan.FromSeconds(3) });
            await ctx.WaitAsync(TimeSpan.FromSeconds(6));
            return await callback.GetResultAsync();
        });

        // 4-13: the callback's failure is caught; a 2 s wait; returns the error message.
        Add<string, string?>("4-13", async (input, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>(input);
            string? message;
            try
            {
                message = await callback.GetResultAsync();
            }
            catch (CallbackFailedException e)
            {
                message = $"callback failed: {e.Error.ErrorMessage}";
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(2));
            return message;
        });

        // 4-14: a 3 s timeout caught; a 2 s wait; returns.
        Add<string, string?>("4-14", async (input, ctx) =>
        {
            ICallback<string> callback = await ctx.CreateCallbackAsync<string>(input, new CallbackConfig { Timeout = TimeSpan.FromSeconds(3) });
            string? message;
            try
            {
                message = await callback.GetResultAsync();
            }
            catch (CallbackTimeoutException e)
            {
                message = $"callback timed out: {e.ErrorType}";
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(2));
            return message;
        });

        // 4-16: a custom deserializer parses the payload into a number.
        Add<string, JsonObject>("4-16", async (input, ctx) =>
        {
            ICallback<int> callback = await ctx.CreateCallbackAsync<int>(input, new CallbackConfig { Serializer = new NumberSerializer() });
            int count = await callback.GetResultAsync();
            return new JsonObject { ["count"] = count, ["doubled"] = count * 2 };
        });

        // 4-17: callback A, await it, then callback B, await it.
        Add<string[], string[]>("4-17", async (input, ctx) =>
        {
            ICallback<string> a = await ctx.CreateCallbackAsync<string>(input[0]);
            string? resultA = await a.GetResultAsync();
            ICallback<string> b = await ctx.CreateCallbackAsync<string>(input[1]);
            string? resultB = await b.GetResultAsync();
            return [resultA ?? "", resultB ?? ""];
        });

        // 4-19: callbacks A and B created, B awaited first, then A.
        Add<string[], string[]>("4-19", async (input, ctx) =>
        {
            ICallback<string> a = await ctx.CreateCallbackAsync<string>(input[0]);
            ICallback<string> b = await ctx.CreateCallbackAsync<string>(input[1]);
            string? resultB = await b.GetResultAsync();
            string? resultA = await a.GetResultAsync();
            return [resultA ?? "", resultB ?? ""];
        });
    }

    /// <summary>4-16's custom deserializer: the payload text parsed as a number.</summary>
    private sealed class NumberSerializer : IDurableSerializer
    {
        public string? Serialize<T>(T value) => Convert.ToString(value, CultureInfo.InvariantCulture);

        public T? Deserialize<T>(string? payload)
            => payload is null ? default : (T)(object)int.Parse(payload.Trim().Trim('"'), CultureInfo.InvariantCulture);
    }
}
