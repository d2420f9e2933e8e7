using Durably.Protocol;

namespace Durably.Server.Tests.Infrastructure;

/// <summary>The functions the server tests invoke.</summary>
public static class TestFunctions
{
    /// <summary>Registers: echo (upper-cases in a step), fails, approval (a callback), sleeper (waits a day), versioned (v1, v2).</summary>
    public static IDurablyBuilder AddTestFunctions(this IDurablyBuilder durably) => durably
        .AddFunction<string, string>("echo", (input, context) => context.StepAsync((_, _) => Task.FromResult(input.ToUpperInvariant()), "upper"))
        .AddFunction<string>("fails", (_, _) => throw new InvalidOperationException("boom"))
        .AddFunction<string, string>("approval", async (_, context) =>
        {
            ICallback<string> callback = await context.CreateCallbackAsync<string>("approval");
            return await callback.GetResultAsync();
        })
        .AddFunction<string, string>("sleeper", async (input, context) =>
        {
            await context.WaitAsync(TimeSpan.FromDays(1), "nap");
            return input;
        }, function => function.ExecutionTimeout = TimeSpan.FromDays(7))
        .AddFunction<string, string>("versioned", (input, _) => Task.FromResult($"v1:{input}"))
        .AddFunction<string, string>("versioned", (input, _) => Task.FromResult($"v2:{input}"), function =>
        {
            function.Version = "2";
            function.RetentionPeriodInDays = 30;
        });

    /// <summary>The id of the execution's callback, once its invocation has suspended.</summary>
    public static async Task<string> CallbackIdAsync(this DurablyTestServer server, string durableExecutionArn)
    {
        await server.IdleAsync();
        IReadOnlyList<Operation> operations = await server.Engine.GetOperationsAsync(durableExecutionArn);
        Operation? callback = operations.SingleOrDefault(operation => operation.Type == OperationType.Callback);
        if (callback is null)
        {
            IEnumerable<string> errors = (await server.Engine.GetHistoryAsync(durableExecutionArn)).Events
                .Select(e => $"{e.EventType} {e.Details.Error?.Payload?.ErrorType} {e.Details.Error?.Payload?.ErrorMessage}");
            Assert.Fail($"The execution has no callback. History: {string.Join(" | ", errors)}");
        }

        return callback.CallbackDetails!.CallbackId!;
    }
}
