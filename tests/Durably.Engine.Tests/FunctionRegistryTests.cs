using Durably.Protocol;

namespace Durably.Engine.Tests;

public sealed class FunctionRegistryTests
{
    private static RegisteredFunction Function(string name, string version) => new()
    {
        Name = name,
        Version = version,
        ExecutionTimeout = TimeSpan.FromDays(1),
        RetentionPeriodInDays = 14,
        InvocationTimeout = TimeSpan.FromMinutes(15),
        Handler = (_, _, _) => Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded }),
    };

    [Fact]
    public void GetAll_ListsFunctionsByName_VersionsInRegistrationOrder_LatestLast()
    {
        var registry = new FunctionRegistry([Function("zeta", "1"), Function("alpha", "2"), Function("alpha", "10"), Function("alpha", "2")]);

        IReadOnlyList<RegisteredFunction> all = registry.GetAll();

        Assert.Equal(["alpha:10", "alpha:2", "zeta:1"], all.Select(function => $"{function.Name}:{function.Version}"));
        Assert.Equal("2", registry.Resolve("alpha").Version);
    }

    [Fact]
    public void GetAll_EmptyRegistry_IsEmpty() => Assert.Empty(new FunctionRegistry().GetAll());
}
