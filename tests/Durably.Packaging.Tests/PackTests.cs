using System.IO.Compression;
using System.Xml.Linq;

namespace Durably.Packaging.Tests;

/// <summary>What <c>dotnet pack Durably.slnx</c> produces: a package for every shipped project, with its metadata.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class PackTests(PackedPackages packages)
{
    /// <summary>Every project under src/ that does not opt out of packing (IsPackable false), by file name (= package id).</summary>
    private static readonly string[] Shipped = [.. Directory.GetFiles(Path.Combine(BuildInfo.RepositoryRoot, "src"), "*.csproj", SearchOption.AllDirectories)
        .Where(path => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(path))) == "src")
        .Where(path => !File.ReadAllText(path).Contains("<IsPackable>false</IsPackable>", StringComparison.Ordinal))
        .Select(Path.GetFileNameWithoutExtension)
        .Order(StringComparer.Ordinal)!];

    public static TheoryData<string> ShippedProjects() => [.. Shipped];

    [Fact]
    public void The_libraries_the_cli_and_the_templates_are_all_shipped()
    {
        string[] expected = ["Durably", "Durably.Engine", "Durably.Sqlite", "Durably.Postgres", "Durably.Server", "Durably.Testing", "Durably.Worker", "Durably.Cli", "Durably.Templates"];

        Assert.Subset(Shipped.ToHashSet(), expected.ToHashSet());
        Assert.All(expected, id => packages.Package(id));
    }

    [Theory]
    [MemberData(nameof(ShippedProjects))]
    public void Each_package_carries_its_licence_readme_repository_and_description(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(packages.Package(id));
        XElement metadata = Nuspec(package).Elements().Single(element => element.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().SingleOrDefault(element => element.Name.LocalName == name)?.Value ?? "";

        Assert.Equal(id, Value("id"));
        Assert.Equal(packages.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("Durably contributors", Value("authors"));
        Assert.False(string.IsNullOrWhiteSpace(Value("description")), $"{id} has no description");
        Assert.Contains("durable", Value("tags"), StringComparison.Ordinal);
        Assert.Equal("README.md", Value("readme"));
        Assert.NotNull(package.GetEntry("README.md"));
        XElement repository = metadata.Elements().Single(element => element.Name.LocalName == "repository");
        Assert.Equal("https://github.com/durably/durably", repository.Attribute("url")?.Value);
    }

    [Theory]
    [MemberData(nameof(ShippedProjects))]
    public void Each_package_with_code_has_a_symbols_package(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(packages.Package(id));
        if (!package.Entries.Any(entry => entry.FullName.EndsWith(".dll", StringComparison.Ordinal)))
        {
            return; // the templates: content only
        }

        string symbols = Path.ChangeExtension(packages.Package(id), ".snupkg");
        Assert.True(File.Exists(symbols), $"{Path.GetFileName(symbols)} was not packed");
        using ZipArchive symbolPackage = ZipFile.OpenRead(symbols);
        Assert.Contains(symbolPackage.Entries, entry => entry.Name == $"{id}.pdb");
    }

    [Fact]
    public void The_cli_is_a_dotnet_tool_named_durably()
    {
        using ZipArchive package = ZipFile.OpenRead(packages.Package("Durably.Cli"));
        ZipArchiveEntry settings = Assert.Single(package.Entries, entry => entry.Name == "DotnetToolSettings.xml");
        using var reader = new StreamReader(settings.Open());
        Assert.Contains("<Command Name=\"durably\"", reader.ReadToEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_templates_package_is_a_template_package_whose_version_symbol_defaults_to_the_packed_version()
    {
        using ZipArchive package = ZipFile.OpenRead(packages.Package("Durably.Templates"));
        Assert.Contains(Nuspec(package).Descendants().Where(element => element.Name.LocalName == "packageType"), type => type.Attribute("name")?.Value == "Template");
        string[] configs = [.. package.Entries.Where(entry => entry.FullName.EndsWith(".template.config/template.json", StringComparison.Ordinal)).Select(Read)];
        Assert.Equal(2, configs.Length);
        Assert.All(configs, config => Assert.Contains($"\"defaultValue\": \"{packages.Version}\"", config, StringComparison.Ordinal));
    }

    private static XElement Nuspec(ZipArchive package)
    {
        using Stream stream = package.Entries.Single(entry => entry.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XElement.Load(stream);
    }

    private static string Read(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open());
        return reader.ReadToEnd();
    }
}
