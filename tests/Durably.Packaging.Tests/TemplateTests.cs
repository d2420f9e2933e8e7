namespace Durably.Packaging.Tests;

/// <summary><c>dotnet new</c> from the packed Durably.Templates: each template instantiates, builds and passes its tests.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class TemplateTests(PackedPackages packages)
{
    [Theory]
    [InlineData("durably-server", "Shop")]
    [InlineData("durably-worker", "Shipping")]
    public async Task The_template_builds_and_its_tests_pass_against_the_packed_packages(string template, string name)
    {
        // A private template hive: the machine's own templates are neither used nor changed.
        string hive = packages.NewFolder($"hive-{template}");
        string folder = packages.NewFolder(name);
        (await packages.DotnetAsync(folder, "new", "install", packages.Package("Durably.Templates"), "--debug:custom-hive", hive)).AssertSucceeded();
        (await packages.DotnetAsync(folder, "new", template, "-n", name, "-o", folder, "--debug:custom-hive", hive)).AssertSucceeded();

        string project = File.ReadAllText(Path.Combine(folder, name, $"{name}.csproj"));
        Assert.Contains($"<DurablyVersion>{packages.Version}</DurablyVersion>", project, StringComparison.Ordinal);
        CommandRun test = (await packages.DotnetAsync(folder, "test", $"{name}.slnx")).AssertSucceeded();
        Assert.Matches(@"Passed!\s+- Failed:\s+0, Passed:\s+[1-9]", test.Output);
    }
}
