using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace Durably.Analyzers;

/// <summary>
/// DURABLY001 fix: a value such as <c>DateTime.UtcNow</c> or <c>Guid.NewGuid()</c> in an async workflow body
/// becomes <c>await context.StepAsync((_, _) =&gt; Task.FromResult(DateTime.UtcNow), "utc-now")</c>, so replay
/// returns the recorded value.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StepCodeFix)), Shared]
public sealed class StepCodeFix : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.NonDeterministicApi.Id);

    /// <inheritdoc />
    /// <remarks>No fix-all: each step name is chosen against the names already in the function, one fix at a time.</remarks>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(NonDeterminismCheck.StepNameProperty, out var stepName) || stepName is null
            || !properties.TryGetValue(NonDeterminismCheck.ContextProperty, out var durableContext) || durableContext is null
            || !properties.TryGetValue(NonDeterminismCheck.AsyncProperty, out var isAsync) || isAsync != "true")
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax value)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                $"Read {value} in a step",
                async cancellationToken =>
                {
                    var model = await context.Document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
                    var task = TypeNames.At(model, value.SpanStart, "System.Threading.Tasks", "Task");
                    var name = UnusedName(value, stepName);

                    // Parenthesized so a member access on the value still applies to it; the simplifier drops needless parentheses.
                    var step = SyntaxFactory.ParseExpression(
                        $"(await {durableContext}.StepAsync((_, _) => {task}.FromResult({value.WithoutTrivia()}), \"{name}\"))");
                    var replacement = step.WithTriviaFrom(value).WithAdditionalAnnotations(Simplifier.Annotation);
                    return context.Document.WithSyntaxRoot(root.ReplaceNode(value, replacement));
                },
                equivalenceKey: nameof(StepCodeFix)),
            diagnostic);
    }

    /// <summary>The step name, numbered when the enclosing function already uses it (DURABLY006 would report it).</summary>
    private static string UnusedName(SyntaxNode value, string stepName)
    {
        var function = value.Ancestors().FirstOrDefault(node => node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax);
        var used = (function ?? value.SyntaxTree.GetRoot()).DescendantTokens()
            .Where(token => token.IsKind(SyntaxKind.StringLiteralToken))
            .Select(token => token.ValueText)
            .ToImmutableHashSet();
        var name = stepName;
        for (var n = 2; used.Contains(name); n++)
        {
            name = $"{stepName}-{n}";
        }

        return name;
    }
}
