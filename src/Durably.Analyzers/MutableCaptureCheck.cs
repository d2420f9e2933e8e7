using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Durably.Analyzers;

/// <summary>
/// DURABLY003: a local of a workflow body that a step lambda assigns and the workflow body assigns too
/// (its initializer counts). On replay the step's assignment does not happen, so the workflow sees the
/// other value. Locals of non-workflow code (a test's counter of body runs, say) are not workflow state.
/// </summary>
internal static class MutableCaptureCheck
{
    public static void Run(WorkflowRegions regions, Action<Diagnostic> report)
    {
        var writes = regions.Operations
            .Select(operation => (Local: WrittenLocal(operation), Operation: operation))
            .Where(write => write.Local is not null)
            .GroupBy(write => write.Local!, SymbolEqualityComparer.Default);
        var declarators = regions.Operations.OfType<IVariableDeclaratorOperation>()
            .GroupBy(d => (ISymbol)d.Symbol, SymbolEqualityComparer.Default)
            .ToDictionary(g => g.Key, g => g.First(), SymbolEqualityComparer.Default);
        foreach (var group in writes)
        {
            if (!declarators.TryGetValue(group.Key, out var declarator) || regions.Classify(declarator).Kind != RegionKind.Workflow)
            {
                continue;
            }

            var classified = group.Select(write => (write.Operation, Region: regions.Classify(write.Operation))).ToList();
            if (!classified.Any(write => write.Region.Kind == RegionKind.Workflow))
            {
                continue;
            }

            foreach (var write in classified.Where(write => IsInStepAround(write.Region, declarator)))
            {
                report(Diagnostic.Create(Descriptors.MutableCapture, write.Operation.Syntax.GetLocation(), group.Key.Name));
            }
        }
    }

    /// <summary>A write inside a step lambda that captured the local from outside it.</summary>
    private static bool IsInStepAround(Region region, IOperation declarator) =>
        region.Kind == RegionKind.Step
        && region.Function is { } step
        && !step.Syntax.Span.Contains(declarator.Syntax.Span);

    private static ISymbol? WrittenLocal(IOperation operation) => operation switch
    {
        IVariableDeclaratorOperation declarator when declarator.GetVariableInitializer() is not null => declarator.Symbol,
        IAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
        IIncrementOrDecrementOperation { Target: ILocalReferenceOperation target } => target.Local,
        IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation target } => target.Local,
        _ => null,
    };
}
