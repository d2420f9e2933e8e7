using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Durably.Analyzers;

/// <summary>
/// Reports determinism mistakes in Durably workflow bodies (DURABLY001 to DURABLY006). Analysis runs per type,
/// so calls from a workflow body into the type's private methods and local functions can be followed.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class WorkflowAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.NonDeterministicApi,
        Descriptors.DurableOperationInStep,
        Descriptors.MutableCapture,
        Descriptors.TaskCombinator,
        Descriptors.UnawaitedOperation,
        Descriptors.DuplicateName);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        if (context is null)
        {
            throw new ArgumentNullException(nameof(context));
        }

        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(compilationStart =>
        {
            var symbols = DurableSymbols.TryCreate(compilationStart.Compilation);
            if (symbols is null)
            {
                return;
            }

            compilationStart.RegisterSymbolStartAction(typeStart => AnalyzeType(typeStart, symbols), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolStartAnalysisContext typeStart, DurableSymbols symbols)
    {
        var blocks = new ConcurrentQueue<System.Collections.Generic.KeyValuePair<ISymbol, IOperation>>();
        typeStart.RegisterOperationBlockAction(block =>
        {
            foreach (var operation in block.OperationBlocks)
            {
                blocks.Enqueue(new(block.OwningSymbol, operation));
            }
        });
        typeStart.RegisterSymbolEndAction(typeEnd =>
        {
            if (blocks.IsEmpty)
            {
                return;
            }

            var regions = new WorkflowRegions(symbols, (INamedTypeSymbol)typeEnd.Symbol, blocks);
            NonDeterminismCheck.Run(regions, typeEnd.ReportDiagnostic);
            OperationPlacementCheck.Run(regions, typeEnd.ReportDiagnostic);
            MutableCaptureCheck.Run(regions, typeEnd.ReportDiagnostic);
            TaskCombinatorCheck.Run(regions, typeEnd.ReportDiagnostic);
            DuplicateNameCheck.Run(regions, typeEnd.ReportDiagnostic);
        });
    }
}
