using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Durably.Conformance.Runner;

/// <summary>
/// A theory with one test case per requirement file, named by the requirement id (e.g. <c>1-17</c>);
/// the requirements listed in <see cref="NotImplemented"/> are reported as skipped with their reason.
/// </summary>
[XunitTestCaseDiscoverer("Durably.Conformance.Runner.RequirementDiscoverer", "Durably.Conformance.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class RequirementTheoryAttribute : FactAttribute
{
}

public sealed class RequirementDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        TestMethodDisplay display = discoveryOptions.MethodDisplayOrDefault();
        TestMethodDisplayOptions displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        IReadOnlyList<string> files;
        try
        {
            files = RequirementLocator.AllFiles();
        }
        catch (Exception e)
        {
            return [new ExecutionErrorTestCase(diagnosticMessageSink, display, displayOptions, testMethod, e.Message)];
        }

        return files
            .Select(f => (IXunitTestCase)new RequirementTestCase(diagnosticMessageSink, display, displayOptions, testMethod, Path.GetFileNameWithoutExtension(f)))
            .ToList();
    }
}

public sealed class RequirementTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer; should only be called by deriving classes for de-serialization purposes")]
    public RequirementTestCase()
    {
    }

    public RequirementTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod, string id)
        : base(diagnosticMessageSink, display, displayOptions, testMethod, [id])
    {
    }

    protected override void Initialize()
    {
        base.Initialize();
        string id = (string)TestMethodArguments[0];
        DisplayName = id;
        if (NotImplemented.Reasons.TryGetValue(id, out string? reason))
        {
            SkipReason = $"Not implemented: {reason}";
        }
    }
}
