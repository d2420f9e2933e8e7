using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Durably.Analyzers;

/// <summary>
/// DURABLY002: a durable operation inside a step body. DURABLY005: a durable operation whose task is
/// discarded or stored in a local that is never read.
/// </summary>
internal static class OperationPlacementCheck
{
    public static void Run(WorkflowRegions regions, Action<Diagnostic> report)
    {
        foreach (var invocation in regions.Operations.OfType<IInvocationOperation>().Where(regions.Symbols.IsDurableOperation))
        {
            var name = invocation.TargetMethod.Name;
            if (regions.Classify(invocation).Kind == RegionKind.Step)
            {
                report(Diagnostic.Create(Descriptors.DurableOperationInStep, invocation.Syntax.GetLocation(), name));
            }
            else if (IsNeverAwaited(invocation))
            {
                report(Diagnostic.Create(Descriptors.UnawaitedOperation, invocation.Syntax.GetLocation(), name));
            }
        }
    }

    private static bool IsNeverAwaited(IInvocationOperation invocation)
    {
        var parent = invocation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IExpressionStatementOperation => true,
            ISimpleAssignmentOperation { Target: IDiscardOperation } => true,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => !IsRead(target.Local, invocation),
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => !IsRead(declarator.Symbol, invocation),
            _ => false,
        };
    }

    /// <summary>True when the local is read anywhere in the member (awaited, passed on, returned...).</summary>
    private static bool IsRead(ILocalSymbol local, IOperation anywhereInMember)
    {
        var root = anywhereInMember;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return root.Descendants().OfType<ILocalReferenceOperation>().Any(reference =>
            SymbolEqualityComparer.Default.Equals(reference.Local, local)
            && !(reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference));
    }
}
