namespace Durably.Engine;

/// <summary>What starting an execution (by the API or by a chained invoke) derives from the function it runs.</summary>
internal static class NewExecutions
{
    public static string FunctionArn(DurablyOptions options, RegisteredFunction function) =>
        ExecutionArn.FunctionArn(options.Region, options.Account, function.Name, function.Version);

    public static int Seconds(TimeSpan duration) => (int)Math.Ceiling(duration.TotalSeconds);
}
