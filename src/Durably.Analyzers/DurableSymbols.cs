using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Durably.Analyzers;

/// <summary>The Durably SDK types the analyzers recognise, resolved once per compilation.</summary>
internal sealed class DurableSymbols
{
    private static readonly string[] StepContextNames = { "Durably.IStepContext", "Durably.IWaitForCallbackContext", "Durably.IConditionCheckContext" };

    private DurableSymbols(INamedTypeSymbol durableContext, ImmutableArray<INamedTypeSymbol> stepContexts, INamedTypeSymbol? task)
    {
        DurableContext = durableContext;
        StepContexts = stepContexts;
        Task = task;
    }

    public INamedTypeSymbol DurableContext { get; }

    /// <summary>
    /// What step bodies receive: <c>IStepContext</c>, and AWS's narrower names for a wait-for-callback submitter's
    /// and a wait-for-condition check's context where the SDK has them.
    /// </summary>
    public ImmutableArray<INamedTypeSymbol> StepContexts { get; }

    public INamedTypeSymbol? Task { get; }

    /// <summary>Null when the compilation does not reference the Durably SDK: nothing to analyze then.</summary>
    public static DurableSymbols? TryCreate(Compilation compilation)
    {
        var durableContext = compilation.GetTypeByMetadataName("Durably.IDurableContext");
        var stepContexts = StepContextNames
            .Select(compilation.GetTypeByMetadataName)
            .OfType<INamedTypeSymbol>()
            .ToImmutableArray();
        return durableContext is null || stepContexts.IsEmpty
            ? null
            : new DurableSymbols(durableContext, stepContexts, compilation.GetTypeByMetadataName("System.Threading.Tasks.Task"));
    }

    /// <summary>A workflow body receives the durable context.</summary>
    public bool HasDurableContextParameter(IMethodSymbol method) => method.Parameters.Any(p => IsDurableContext(p.Type));

    /// <summary>A step body (step, wait-for-callback submitter, wait-for-condition check) receives a step context.</summary>
    public bool HasStepContextParameter(IMethodSymbol method) =>
        method.Parameters.Any(p => StepContexts.Any(stepContext => IsOrImplements(p.Type, stepContext)));

    public bool IsDurableContext(ITypeSymbol type) => IsOrImplements(type, DurableContext);

    /// <summary>
    /// A durable operation: a task-returning method of the durable context (or of a type implementing it),
    /// or an extension method on it.
    /// </summary>
    public bool IsDurableOperation(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (!IsTaskLike(method.ReturnType))
        {
            return false;
        }

        if (method.IsExtensionMethod)
        {
            var receiver = (method.ReducedFrom ?? method).Parameters.FirstOrDefault();
            return receiver is not null && IsDurableContext(receiver.Type);
        }

        return method.ContainingType is not null && IsDurableContext(method.ContainingType);
    }

    public bool IsTaskCombinator(IMethodSymbol method) =>
        method.IsStatic && (method.Name == "WhenAll" || method.Name == "WhenAny")
        && SymbolEqualityComparer.Default.Equals(method.ContainingType, Task);

    private static bool IsTaskLike(ITypeSymbol type) =>
        (type.Name == "Task" || type.Name == "ValueTask")
        && type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";

    private static bool IsOrImplements(ITypeSymbol type, INamedTypeSymbol @interface) =>
        SymbolEqualityComparer.Default.Equals(type, @interface)
        || type.AllInterfaces.Contains(@interface, SymbolEqualityComparer.Default);
}
