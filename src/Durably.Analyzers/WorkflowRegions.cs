using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Durably.Analyzers;

/// <summary>Where code runs from a workflow's point of view.</summary>
internal enum RegionKind
{
    /// <summary>Not workflow code: the analyzers stay quiet.</summary>
    None,

    /// <summary>A workflow body: replayed, so it must be deterministic.</summary>
    Workflow,

    /// <summary>A step body (or submitter, or condition check): runs once and its result is recorded.</summary>
    Step,
}

/// <summary>The region of an operation and the function (lambda or local function) that decided it, if any.</summary>
internal readonly struct Region
{
    public Region(RegionKind kind, IOperation? function)
    {
        Kind = kind;
        Function = function;
    }

    public RegionKind Kind { get; }

    /// <summary>The lambda or local function whose parameters decided the region; null for a method.</summary>
    public IOperation? Function { get; }
}

/// <summary>
/// Classifies the operations of one type's members. A workflow body is a method, lambda or local function
/// with an <c>IDurableContext</c> parameter; a step body one with an <c>IStepContext</c> parameter. A local
/// function or a private method of the type without either is workflow code when it is called (or passed)
/// from workflow code, step code when it is called only from steps. Other lambdas (a LINQ projection,
/// <c>Task.Run</c>) belong to the code around them.
/// </summary>
internal sealed class WorkflowRegions
{
    private readonly DurableSymbols symbols;
    private readonly INamedTypeSymbol type;
    private readonly Dictionary<IOperation, ISymbol> ownerOfRoot = new();
    private readonly Dictionary<IMethodSymbol, List<IOperation>> callSites = new(SymbolEqualityComparer.Default);
    private readonly Dictionary<IMethodSymbol, RegionKind> functionKinds = new(SymbolEqualityComparer.Default);

    public WorkflowRegions(DurableSymbols symbols, INamedTypeSymbol type, IEnumerable<KeyValuePair<ISymbol, IOperation>> blocks)
    {
        this.symbols = symbols;
        this.type = type;
        foreach (var block in blocks)
        {
            ownerOfRoot[block.Value] = block.Key;
        }

        Operations = ownerOfRoot.Keys.SelectMany(root => root.DescendantsAndSelf()).Distinct().ToList();
        foreach (var operation in Operations)
        {
            var callee = operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IMethodReferenceOperation reference => reference.Method,
                _ => null,
            };
            if (callee is not null && IsFollowed(callee))
            {
                var key = callee.OriginalDefinition;
                if (!callSites.TryGetValue(key, out var sites))
                {
                    callSites[key] = sites = new List<IOperation>();
                }

                sites.Add(operation);
            }
        }
    }

    public DurableSymbols Symbols => symbols;

    /// <summary>Every operation of the type's members, in source order per member.</summary>
    public IReadOnlyList<IOperation> Operations { get; }

    public Region Classify(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                var kind = ClassifyByParameters(lambda.Symbol);
                if (kind != RegionKind.None)
                {
                    return new Region(kind, lambda);
                }
            }
            else if (current is ILocalFunctionOperation local)
            {
                return new Region(ClassifyFunction(local.Symbol), local);
            }
            else if (ownerOfRoot.TryGetValue(current, out var owner))
            {
                return new Region(owner is IMethodSymbol method ? ClassifyFunction(method) : RegionKind.None, null);
            }
        }

        return new Region(RegionKind.None, null);
    }

    /// <summary>The innermost lambda, local function or member body around an operation.</summary>
    public IOperation EnclosingFunction(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent && !ownerOfRoot.ContainsKey(current))
        {
            current = parent;
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }
        }

        return current;
    }

    /// <summary>The signature of a lambda, local function or member body; null for any other operation.</summary>
    public IMethodSymbol? FunctionSymbol(IOperation function) => function switch
    {
        IAnonymousFunctionOperation lambda => lambda.Symbol,
        ILocalFunctionOperation local => local.Symbol,
        _ => ownerOfRoot.TryGetValue(function, out var owner) ? owner as IMethodSymbol : null,
    };

    /// <summary>The nearest durable context parameter in scope of an operation, for code fixes.</summary>
    public IParameterSymbol? ContextParameter(IOperation operation)
    {
        for (IOperation? current = operation; current is not null; current = current.Parent)
        {
            var context = FunctionSymbol(current)?.Parameters.FirstOrDefault(p => symbols.IsDurableContext(p.Type));
            if (context is not null)
            {
                return context;
            }
        }

        return null;
    }

    private RegionKind ClassifyByParameters(IMethodSymbol method) =>
        symbols.HasStepContextParameter(method) ? RegionKind.Step
        : symbols.HasDurableContextParameter(method) ? RegionKind.Workflow
        : RegionKind.None;

    private RegionKind ClassifyFunction(IMethodSymbol method)
    {
        var byParameters = ClassifyByParameters(method);
        if (byParameters != RegionKind.None || !IsFollowed(method))
        {
            return byParameters;
        }

        var key = method.OriginalDefinition;
        if (functionKinds.TryGetValue(key, out var known))
        {
            return known;
        }

        functionKinds[key] = RegionKind.None; // a recursive call decides nothing
        var kinds = callSites.TryGetValue(key, out var sites) ? sites.Select(site => Classify(site).Kind).ToList() : new List<RegionKind>();
        var kind = kinds.Contains(RegionKind.Workflow) ? RegionKind.Workflow
            : kinds.Contains(RegionKind.Step) ? RegionKind.Step
            : RegionKind.None;
        functionKinds[key] = kind;
        return kind;
    }

    private bool IsFollowed(IMethodSymbol method) =>
        method.MethodKind == MethodKind.LocalFunction
        || (method.DeclaredAccessibility == Accessibility.Private && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type.OriginalDefinition));
}
