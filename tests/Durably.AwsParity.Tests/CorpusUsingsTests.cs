namespace Durably.AwsParity.Tests;

/// <summary>The corpus is portable: each workflow file imports Durably and System namespaces only, where AWS's would import Amazon.Lambda.DurableExecution.</summary>
public sealed class CorpusUsingsTests
{
    [Fact]
    public void Every_workflow_file_uses_only_Durably_and_System()
    {
        string[] files = Directory.GetFiles(WorkflowsDirectory(), "*.cs");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            string[] usings = [.. File.ReadLines(file).Where(line => line.StartsWith("using ", StringComparison.Ordinal))];
            Assert.Contains("using Durably;", usings);
            Assert.All(usings, line => Assert.True(line == "using Durably;" || line.StartsWith("using System", StringComparison.Ordinal),
                $"{Path.GetFileName(file)}: '{line}' is not portable"));
        }
    }

    private static string WorkflowsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Durably.slnx")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new DirectoryNotFoundException("Durably.slnx not found above the test binaries."),
            "tests", "Durably.AwsParity.Tests", "Workflows");
    }
}
