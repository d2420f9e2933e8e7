using System.Linq;
using Microsoft.CodeAnalysis;

namespace Durably.Analyzers;

/// <summary>How a code fix writes a framework type name: short when it binds at that position, qualified otherwise.</summary>
internal static class TypeNames
{
    public static string At(SemanticModel? model, int position, string @namespace, string name)
    {
        var bound = model?.LookupNamespacesAndTypes(position, name: name).OfType<INamedTypeSymbol>().FirstOrDefault();
        return bound?.ContainingNamespace.ToDisplayString() == @namespace ? name : $"global::{@namespace}.{name}";
    }
}
