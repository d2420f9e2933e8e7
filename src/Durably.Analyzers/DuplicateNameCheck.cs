using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Durably.Analyzers;

/// <summary>
/// DURABLY006: two durable operations of one context, in one lambda, local function or method body,
/// with the same constant name.
/// </summary>
internal static class DuplicateNameCheck
{
    public static void Run(WorkflowRegions regions, Action<Diagnostic> report)
    {
        var seen = new HashSet<(IOperation Function, string Context, string Name)>();
        foreach (var invocation in regions.Operations.OfType<IInvocationOperation>().Where(regions.Symbols.IsDurableOperation))
        {
            var nameArgument = invocation.Arguments.FirstOrDefault(argument => argument.Parameter?.Name == "name" && argument.ArgumentKind == ArgumentKind.Explicit);
            if (nameArgument?.Value.ConstantValue is not { HasValue: true, Value: string name })
            {
                continue;
            }

            var context = (invocation.Instance ?? invocation.Arguments.FirstOrDefault()?.Value)?.Syntax.ToString() ?? string.Empty;
            if (!seen.Add((regions.EnclosingFunction(invocation), context, name)))
            {
                report(Diagnostic.Create(Descriptors.DuplicateName, nameArgument.Value.Syntax.GetLocation(), name));
            }
        }
    }
}
