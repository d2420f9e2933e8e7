using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Durably.Analyzers;

/// <summary>DURABLY001: a non-deterministic API in a workflow body, outside any step.</summary>
internal static class NonDeterminismCheck
{
    /// <summary>Diagnostic property: the <see cref="Remedy"/>.</summary>
    public const string RemedyProperty = "Remedy";

    /// <summary>Diagnostic property: the name of the durable context parameter in scope, when there is one.</summary>
    public const string ContextProperty = "Context";

    /// <summary>Diagnostic property: "true" when the enclosing function is async, so a fix may add an await.</summary>
    public const string AsyncProperty = "Async";

    /// <summary>Diagnostic property: the step name the step fix uses, when the value can be wrapped in a step as is.</summary>
    public const string StepNameProperty = "StepName";

    public static void Run(WorkflowRegions regions, Action<Diagnostic> report)
    {
        foreach (var operation in regions.Operations)
        {
            var use = NonDeterministicApis.Find(operation);
            if (use is null || regions.Classify(operation).Kind != RegionKind.Workflow)
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(RemedyProperty, use.Remedy.ToString())
                .Add(AsyncProperty, regions.FunctionSymbol(regions.EnclosingFunction(operation))?.IsAsync == true ? "true" : "false");
            if (use.StepName is not null)
            {
                properties = properties.Add(StepNameProperty, use.StepName);
            }

            if (regions.ContextParameter(operation) is { } context)
            {
                properties = properties.Add(ContextProperty, context.Name);
            }

            report(Diagnostic.Create(Descriptors.NonDeterministicApi, operation.Syntax.GetLocation(), properties, use.Display, use.Advice));
        }
    }
}
