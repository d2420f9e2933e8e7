using Durably.Conformance.Handlers;
using Durably.Conformance.Runner;
using Xunit;
using Xunit.Abstractions;

namespace Durably.Conformance;

/// <summary>One test case per requirement id, run through the REST API of a real server on SQLite, with fake time.</summary>
public sealed class ConformanceTests(ITestOutputHelper output) : ConformanceSuite(output, ConformanceStore.Sqlite);

/// <summary>The same requirements on a real server on PostgreSQL (a schema of its own per requirement).</summary>
public sealed class PostgresConformanceTests(ITestOutputHelper output) : ConformanceSuite(output, ConformanceStore.Postgres);

/// <summary>One test case per requirement id, run through the REST API of a real server on <paramref name="store"/>, with fake time.</summary>
public abstract class ConformanceSuite(ITestOutputHelper output, ConformanceStore store)
{
    private static readonly TimeSpan PerRequirementTimeout = TimeSpan.FromSeconds(30);

    [RequirementTheory]
    public async Task Run(string id)
    {
        Requirement requirement = Requirement.Load(RequirementLocator.FileFor(id));
        using var timeout = new CancellationTokenSource(PerRequirementTimeout);
        await using IConformanceHost host = await ServerHost.StartAsync(registrar => HandlerCatalog.Register(id, registrar), store);
        RequirementReport report = await ConformanceRunner.RunAsync(requirement, host, HandlerCatalog.MainFunction, timeout.Token);
        output.WriteLine(report.ToString());
        if (KnownFailures.Reasons.TryGetValue(id, out string? reason))
        {
            // A known failure that starts passing must leave the list (and docs/conformance.md).
            Assert.False(report.Passed, $"Requirement {id} is listed as a known failure ({reason}) but passes: remove it from KnownFailures.");
            output.WriteLine($"Known failure: {reason}");
            return;
        }

        // Optional requirements too: a failure fails the test unless it is a listed known failure.
        Assert.True(report.Passed, report.ToString());
    }
}
