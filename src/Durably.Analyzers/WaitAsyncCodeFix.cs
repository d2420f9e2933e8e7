using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Durably.Analyzers;

/// <summary>DURABLY001 fix: <c>Task.Delay(x)</c> in a workflow body becomes <c>context.WaitAsync(x)</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WaitAsyncCodeFix)), Shared]
public sealed class WaitAsyncCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.NonDeterministicApi.Id);

    /// <inheritdoc />
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (!diagnostic.Properties.TryGetValue(NonDeterminismCheck.RemedyProperty, out var remedy) || remedy != nameof(Remedy.Wait)
            || !diagnostic.Properties.TryGetValue(NonDeterminismCheck.ContextProperty, out var durableContext) || durableContext is null)
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Delay" },
                ArgumentList.Arguments: { Count: > 0 } arguments,
            } delay)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Use {durableContext}.WaitAsync",
                async cancellationToken =>
                {
                    var model = await context.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                    var duration = arguments[0].Expression;
                    if (model?.GetTypeInfo(duration, cancellationToken).Type?.SpecialType == SpecialType.System_Int32)
                    {
                        // Task.Delay(int) counts milliseconds; WaitAsync takes a TimeSpan.
                        var timeSpan = TypeNames.At(model, delay.SpanStart, "System", "TimeSpan");
                        duration = SyntaxFactory.ParseExpression($"{timeSpan}.FromMilliseconds({duration.WithoutTrivia()})");
                    }

                    var wait = SyntaxFactory.ParseExpression($"{durableContext}.WaitAsync()") as InvocationExpressionSyntax;
                    var replacement = wait!.AddArgumentListArguments(SyntaxFactory.Argument(duration.WithoutTrivia())).WithTriviaFrom(delay);
                    return context.Document.WithSyntaxRoot(root.ReplaceNode(delay, replacement));
                },
                equivalenceKey: nameof(WaitAsyncCodeFix)),
            diagnostic);
    }
}
