using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Durably.Analyzers;

/// <summary>
/// DURABLY004: <c>Task.WhenAll</c>/<c>Task.WhenAny</c> in a workflow body over durable operations, passed
/// directly, through a LINQ projection, or through locals (a task, an array, a list filled with Add).
/// </summary>
internal static class TaskCombinatorCheck
{
    public static void Run(WorkflowRegions regions, Action<Diagnostic> report)
    {
        foreach (var invocation in regions.Operations.OfType<IInvocationOperation>())
        {
            if (regions.Symbols.IsTaskCombinator(invocation.TargetMethod)
                && regions.Classify(invocation).Kind == RegionKind.Workflow
                && invocation.Arguments.Any(argument => HoldsDurableOperation(regions, argument.Value, new HashSet<ISymbol>(SymbolEqualityComparer.Default))))
            {
                report(Diagnostic.Create(Descriptors.TaskCombinator, invocation.Syntax.GetLocation(), invocation.TargetMethod.Name));
            }
        }
    }

    private static bool HoldsDurableOperation(WorkflowRegions regions, IOperation value, HashSet<ISymbol> visitedLocals) =>
        value.DescendantsAndSelf().Any(operation => operation switch
        {
            IInvocationOperation invocation => regions.Symbols.IsDurableOperation(invocation),
            ILocalReferenceOperation reference => visitedLocals.Add(reference.Local) && WritesOf(regions, reference.Local).Any(write => HoldsDurableOperation(regions, write, visitedLocals)),
            _ => false,
        });

    /// <summary>What flows into a local: its initializer, assigned values, and arguments of calls on it (list.Add).</summary>
    private static IEnumerable<IOperation> WritesOf(WorkflowRegions regions, ILocalSymbol local)
    {
        foreach (var operation in regions.Operations)
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) && declarator.GetVariableInitializer() is { } initializer:
                    yield return initializer.Value;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    yield return assignment.Value;
                    break;
                case IInvocationOperation { Instance: ILocalReferenceOperation target } call when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    foreach (var argument in call.Arguments)
                    {
                        yield return argument.Value;
                    }

                    break;
            }
        }
    }
}
