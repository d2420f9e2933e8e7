using Durably.Conformance.Handlers;
using Durably.Conformance.Runner;
using Xunit;
using Xunit.Abstractions;

namespace Durably.Conformance;

/// <summary>One test case per requirement id, run through the REST API of a real server on SQLite, with fake time.</summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    private static readonly TimeSpan PerRequirementTimeout = TimeSpan.FromSeconds(30);

    [RequirementTheory]
    public async Task Run(string id)
    {
        Requirement requirement = Requirement.Load(RequirementLocator.FileFor(id));
        using var timeout = new CancellationTokenSource(PerRequirementTimeout);
        await using IConformanceHost host = await ServerHost.StartAsync(registrar => HandlerCatalog.Register(id, registrar));
        RequirementReport report = await ConformanceRunner.RunAsync(requirement, host, HandlerCatalog.MainFunction, timeout.Token);
        output.WriteLine(report.ToString());
        if (!report.Passed && requirement.Optional)
        {
            output.WriteLine($"Requirement {id} is optional: its failure is reported, not fatal.");
            return;
        }

        Assert.True(report.Passed, report.ToString());
    }
}
