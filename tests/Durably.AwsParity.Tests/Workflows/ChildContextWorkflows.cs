using Durably;

namespace AwsParity.Workflows;

// Child contexts as AWS's guide writes them: a checkpointed group with a sub-type, an ErrorMapping into a domain
// exception, and a virtual (NestingType.Flat) context that records no CONTEXT operation.
public class FulfilmentException : Exception
{
    public FulfilmentException(string message, Exception inner) : base(message, inner) { }
}

public static class ChildContextWorkflows
{
    /// <summary>A step, a wait and a step grouped into one checkpointed child context.</summary>
    public static Task<string> GroupedPhase(string orderId, IDurableContext ctx) =>
        ctx.RunInChildContextAsync(
            async (child, ct) =>
            {
                var picked = await child.StepAsync((_, _) => Task.FromResult($"{orderId}-picked"), name: "pick", cancellationToken: ct);
                await child.WaitAsync(TimeSpan.FromMinutes(5), name: "pack-time", cancellationToken: ct);
                return await child.StepAsync((_, _) => Task.FromResult($"{picked}-packed"), name: "pack", cancellationToken: ct);
            },
            name: "fulfilment",
            config: new ChildContextConfig { SubType = "Fulfilment" });

    /// <summary>A failing child whose ChildContextException is mapped to a domain exception.</summary>
    public static async Task<string> MappedFailure(string orderId, IDurableContext ctx)
    {
        try
        {
            await ctx.RunInChildContextAsync(
                async (child, _) =>
                {
                    await child.StepAsync((_, _) => Task.FromResult(1), name: "before-failure");
                    throw new InvalidOperationException($"{orderId} cannot be fulfilled");
                },
                name: "doomed",
                config: new ChildContextConfig { ErrorMapping = ex => new FulfilmentException("fulfilment failed", ex) });
            return "unreachable";
        }
        catch (FulfilmentException ex)
        {
            var inner = (ChildContextException)ex.InnerException!;
            return $"{ex.Message}: {inner.Message} ({inner.SubType})";
        }
    }

    /// <summary>Two virtual contexts fanned out by hand and awaited together, as AWS's NestingType.Flat docs suggest.</summary>
    public static async Task<string> VirtualFanOut(string input, IDurableContext ctx)
    {
        var flat = new ChildContextConfig { NestingType = NestingType.Flat };
        var left = ctx.RunInChildContextAsync(
            (child, ct) => child.StepAsync((_, _) => Task.FromResult($"{input}-left"), name: "left-step", cancellationToken: ct),
            name: "left", config: flat);
        var right = ctx.RunInChildContextAsync(
            (child, ct) => child.StepAsync((_, _) => Task.FromResult($"{input}-right"), name: "right-step", cancellationToken: ct),
            name: "right", config: flat);
        // AWS's code compiles unchanged; Durably's analyzer warns here (DURABLY004: ParallelAsync gives each branch a
        // completion policy), and warnings are errors in this repository.
#pragma warning disable DURABLY004
        var results = await Task.WhenAll(left, right);
#pragma warning restore DURABLY004
        await ctx.WaitAsync(TimeSpan.FromSeconds(1), name: "after-fan-out");
        return string.Join(",", results);
    }
}
