using System.Collections.Immutable;
using Durably.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace Durably.Analyzers.Tests;

/// <summary>Runs <see cref="WorkflowAnalyzer"/> and its code fixes over test sources compiled against the real SDK.</summary>
internal static class Verify
{
    /// <summary>The usings every test source starts with (markup positions count from the start of the source).</summary>
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Durably;

        """;

    // The running runtime's assemblies, Durably and its logging dependency: no reference packages to download.
    private static readonly ImmutableArray<MetadataReference> References = LoadReferences();

    public static DiagnosticResult Diagnostic(string id) => new(id, DiagnosticSeverity.Warning);

    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected) =>
        AnalyzerAsync(source, OutputKind.DynamicallyLinkedLibrary, expected);

    public static Task AnalyzerAsync(string source, OutputKind outputKind, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<WorkflowAnalyzer, DefaultVerifier> { TestCode = Usings + source };
        Configure(test, outputKind);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    public static Task CodeFixAsync<TCodeFix>(string source, string fixedSource, params DiagnosticResult[] expected)
        where TCodeFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<WorkflowAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = Usings + source,
            FixedCode = Usings + fixedSource,
        };
        Configure(test, OutputKind.DynamicallyLinkedLibrary);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    private static void Configure(AnalyzerTest<DefaultVerifier> test, OutputKind outputKind)
    {
        test.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        test.TestState.AdditionalReferences.AddRange(References);
        test.TestState.OutputKind = outputKind;
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var sdk = new[] { typeof(IDurableContext).Assembly.Location, typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location };
        return Directory.GetFiles(runtime, "*.dll")
            .Where(IsManagedAssembly)
            .Concat(sdk)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
    }

    private static bool IsManagedAssembly(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        return reader.HasMetadata;
    }
}
