using Microsoft.CodeAnalysis;

namespace Durably.Analyzers;

/// <summary>The diagnostics of the Durably analyzers; docs/analyzers.md explains each with examples.</summary>
internal static class Descriptors
{
    private const string Category = "Durably.Determinism";

    public static readonly DiagnosticDescriptor NonDeterministicApi = Create(
        "DURABLY001",
        "Non-deterministic API in a workflow body",
        "'{0}' {1}");

    public static readonly DiagnosticDescriptor DurableOperationInStep = Create(
        "DURABLY002",
        "Durable operation inside a step",
        "'{0}' is called inside a step body; a step cannot contain durable operations: call it from the workflow body or use RunInChildContextAsync to group operations");

    public static readonly DiagnosticDescriptor MutableCapture = Create(
        "DURABLY003",
        "Workflow state changed inside a step",
        "'{0}' is assigned inside a step and also in the workflow body; on replay the step body does not run, so the assignment is lost: return the value from the step instead");

    public static readonly DiagnosticDescriptor TaskCombinator = Create(
        "DURABLY004",
        "Task combinator over durable operations",
        "'Task.{0}' over durable operations runs them unchecked in one context; use context.ParallelAsync or context.MapAsync, which give each branch its own child context and a completion policy");

    public static readonly DiagnosticDescriptor UnawaitedOperation = Create(
        "DURABLY005",
        "Durable operation not awaited",
        "The task of '{0}' is never awaited; an operation left running is cut off when the invocation suspends or ends: await it");

    public static readonly DiagnosticDescriptor DuplicateName = Create(
        "DURABLY006",
        "Duplicate operation name in one context",
        "Another operation in this context is already named \"{0}\"; give each operation its own name so histories and replay errors identify it");

    private static DiagnosticDescriptor Create(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);
}
