using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Durably.Analyzers;

/// <summary>What DURABLY001 suggests instead of a non-deterministic API, and the code fix it enables.</summary>
internal enum Remedy
{
    /// <summary>Read the value inside a step; the fix wraps it in <c>context.StepAsync</c>.</summary>
    Step,

    /// <summary>Wait durably; the fix turns <c>Task.Delay</c> into <c>context.WaitAsync</c>.</summary>
    Wait,

    /// <summary>Move the I/O into a step; no mechanical fix.</summary>
    Io,
}

/// <summary>A non-deterministic API found by DURABLY001.</summary>
internal sealed class NonDeterministicUse
{
    public NonDeterministicUse(string display, Remedy remedy, string? stepName = null)
    {
        Display = display;
        Remedy = remedy;
        StepName = stepName;
    }

    public string Display { get; }

    public Remedy Remedy { get; }

    /// <summary>The name of the step the code fix wraps a plain value in; null when the value is not worth recording as is.</summary>
    public string? StepName { get; }

    public string Advice => Remedy switch
    {
        Remedy.Wait => "does not wait durably and keeps the invocation running: use context.WaitAsync, which suspends the execution",
        Remedy.Io => "does I/O in the workflow body, again on every replay and without recording its result: move it into context.StepAsync",
        _ => "gives a different value when the workflow replays: read it inside context.StepAsync so the recorded value is replayed",
    };
}

/// <summary>The APIs DURABLY001 reports in a workflow body.</summary>
internal static class NonDeterministicApis
{
    public static NonDeterministicUse? Find(IOperation operation) => operation switch
    {
        IPropertyReferenceOperation { Property: { IsStatic: true } property } => FindProperty(property),
        IInvocationOperation invocation => FindMethod(invocation.TargetMethod),
        IObjectCreationOperation { Constructor: { } constructor } => FindConstruction(constructor.ContainingType),
        _ => null,
    };

    private static NonDeterministicUse? FindProperty(IPropertySymbol property)
    {
        var type = TypeName(property.ContainingType);
        var display = property.ContainingType.Name + "." + property.Name;
        return (type, property.Name) switch
        {
            ("System.DateTime", "Now") or ("System.DateTimeOffset", "Now") => new(display, Remedy.Step, "now"),
            ("System.DateTime", "UtcNow") or ("System.DateTimeOffset", "UtcNow") => new(display, Remedy.Step, "utc-now"),
            ("System.DateTime", "Today") => new(display, Remedy.Step, "today"),
            ("System.Environment", "TickCount" or "TickCount64") => new(display, Remedy.Step, "tick-count"),
            ("System.Random", "Shared") => new(display, Remedy.Step),
            _ => null,
        };
    }

    private static NonDeterministicUse? FindMethod(IMethodSymbol method)
    {
        var type = TypeName(method.ContainingType);
        var display = method.ContainingType.Name + "." + method.Name;
        return (type, method.Name) switch
        {
            ("System.Guid", "NewGuid" or "CreateVersion7") => new(display, Remedy.Step, "new-guid"),
            ("System.Diagnostics.Stopwatch", "StartNew" or "GetTimestamp" or "GetElapsedTime") => new(display, Remedy.Step),
            ("System.Threading.Tasks.Task", "Delay") => new(display, Remedy.Wait),
            ("System.Threading.Thread", "Sleep") => new(display, Remedy.Wait),
            ("System.Console", "ReadLine" or "Read" or "ReadKey") => new(display, Remedy.Io),
            ("System.IO.File" or "System.IO.Directory", _) => new(display, Remedy.Io),
            ("System.Net.Http.HttpClient" or "System.Net.Http.HttpMessageInvoker", _) when !method.IsStatic && IsRequest(method.Name) => new(display, Remedy.Io),
            _ => null,
        };
    }

    private static NonDeterministicUse? FindConstruction(INamedTypeSymbol type) => TypeName(type) switch
    {
        "System.Random" => new("new Random", Remedy.Step),
        "System.Diagnostics.Stopwatch" => new("new Stopwatch", Remedy.Step),
        "System.IO.FileStream" => new("new FileStream", Remedy.Io),
        _ => null,
    };

    private static bool IsRequest(string name) => name.EndsWith("Async", System.StringComparison.Ordinal) || name == "Send";

    private static string TypeName(INamedTypeSymbol? type) => type?.OriginalDefinition.ToDisplayString() ?? string.Empty;
}
