using System.Text.Json.Nodes;
using Durably.Conformance.Runner;

namespace Durably.Conformance.Handlers;

public static partial class HandlerCatalog
{
    public const string EchoTarget = "echo-target";
    public const string SecondEchoTarget = "echo-target-2";
    public const string FailingTarget = "failing-target";
    public const string LargePayloadTarget = "large-payload-target";

    private static void RegisterEcho(IFunctionRegistrar registrar, string name = EchoTarget)
        => registrar.AddFunction<JsonNode?, JsonNode?>(name, (input, _) => Task.FromResult(input));

    private static void RegisterInvoke()
    {
        // 5-1: invoke an echo target with the input; return its result.
        Add<string, string?>("5-1", async (input, ctx) =>
            await ctx.InvokeAsync<string, string?>(EchoTarget, input), r => RegisterEcho(r));

        // 5-2: the same with an operation name taken from the input.
        Add<JsonNode?, string?>("5-2", async (input, ctx) =>
            await ctx.InvokeAsync<string, string?>(EchoTarget, (string)input!["payload"]!, (string)input["name"]!), r => RegisterEcho(r));

        // 5-4: invoke with a null payload; the target returns null.
        Add<JsonNode?, string?>("5-4", async (_, ctx) =>
            await ctx.InvokeAsync<string?, string?>(EchoTarget, null), r => RegisterEcho(r));

        // 5-5: the target throws; the invoke error fails the execution.
        Add<JsonNode?, string?>("5-5", async (_, ctx) =>
            await ctx.InvokeAsync<string?, string?>(FailingTarget, null),
            r => r.AddFunction<JsonNode?, string>(FailingTarget, (_, _) => throw new ConformanceError("target function failed")));

        // 5-7: a large payload (close to the 256 KiB operation payload limit).
        Add<JsonNode?, int>("5-7", async (_, ctx) =>
            await ctx.InvokeAsync<string, int>(LargePayloadTarget, new string('p', 200 * 1024)),
            r => r.AddFunction<string, int>(LargePayloadTarget, (payload, _) => Task.FromResult(payload.Length)));

        // 5-8: invoke with a tenant id.
        Add<JsonNode?, string?>("5-8", async (input, ctx) =>
            await ctx.InvokeAsync<string, string?>(EchoTarget, (string)input!["payload"]!,
                config: new InvokeConfig { TenantId = (string?)input["tenantId"] }), r => RegisterEcho(r));

        // 5-10: the invoke fails, is caught, then a 1 s wait; on replay the cached error is caught again.
        Add<JsonNode?, string>("5-10", async (_, ctx) =>
        {
            string outcome;
            try
            {
                await ctx.InvokeAsync<string?, string?>(FailingTarget, null);
                outcome = "unexpected success";
            }
            catch (InvokeException e)
            {
                outcome = $"caught {e.ErrorType}";
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return outcome;
        }, r => r.AddFunction<JsonNode?, string>(FailingTarget, (_, _) => throw new ConformanceError("target function failed")));

        // 5-11: a step, then an invoke with the step's result.
        Add<JsonNode?, string?>("5-11", async (_, ctx) =>
        {
            string value = await ctx.StepAsync((_, _) => Task.FromResult("from-step"));
            return await ctx.InvokeAsync<string, string?>(EchoTarget, value);
        }, r => RegisterEcho(r));

        // 5-13: an invoke inside a child context.
        Add<JsonNode?, string?>("5-13", async (_, ctx) =>
            await ctx.RunInChildContextAsync(async (child, _) =>
                await child.InvokeAsync<string, string?>(EchoTarget, "from-child")), r => RegisterEcho(r));

        // 5-14: two targets invoked one after the other.
        Add<JsonNode?, string[]>("5-14", async (_, ctx) =>
        {
            string? first = await ctx.InvokeAsync<string, string?>(EchoTarget, "first");
            string? second = await ctx.InvokeAsync<string, string?>(SecondEchoTarget, "second");
            return [first ?? "", second ?? ""];
        }, r =>
        {
            RegisterEcho(r);
            RegisterEcho(r, SecondEchoTarget);
        });

        // 5-16: a custom result deserializer uppercases the result's raw payload.
        Add<string, string?>("5-16", async (input, ctx) =>
            await ctx.InvokeAsync<string, string?>(EchoTarget, input,
                config: new InvokeConfig { ResultSerializer = new TextSerializer(s => s, s => s?.ToUpperInvariant()) }),
            r => RegisterEcho(r));
    }
}
