namespace Durably.Packaging.Tests;

/// <summary>What a user does: a new console project outside the repository adds the packed packages and runs a workflow.</summary>
[Collection(PackedPackagesCollection.Name)]
public sealed class FreshProjectTests(PackedPackages packages)
{
    [Fact]
    public async Task A_console_app_restores_the_packages_and_runs_a_durable_workflow_on_sqlite()
    {
        string folder = packages.NewFolder("fresh-console");
        File.WriteAllText(Path.Combine(folder, "FreshConsole.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Durably.Sqlite" Version="{packages.Version}" />
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="10.0.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using Durably;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Microsoft.Extensions.Logging;

            HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddDurably()
                .UseSqlite($"Data Source={args[0]}")
                .AddFunction<string, string>("greet", async (name, context) =>
                {
                    string greeting = await context.StepAsync((_, _) => Task.FromResult($"Hello, {name}"), "greet");
                    await context.WaitAsync(TimeSpan.FromSeconds(1), "pause");
                    return await context.StepAsync((_, _) => Task.FromResult(greeting + "!"), "exclaim");
                });
            using IHost host = builder.Build();
            await host.StartAsync();
            IDurableClient client = host.Services.GetRequiredService<IDurableClient>();
            StartExecutionResult started = await client.StartAsync("greet", "packages", "run-1");
            Console.WriteLine($"result: {await client.WaitForResultAsync<string>(started.DurableExecutionArn)}");
            await host.StopAsync();
            """);

        string database = Path.Combine(folder, "fresh.db");
        CommandRun run = (await packages.DotnetAsync(folder, "run", "--", database)).AssertSucceeded();

        Assert.Contains("result: Hello, packages!", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(database), "the workflow's SQLite file was not created");
        // Restored from the packed folder into this run's own packages folder, not from any cache of an earlier build.
        Assert.True(Directory.Exists(Path.Combine(packages.Environment["NUGET_PACKAGES"], "durably.sqlite", packages.Version)));
    }

    [Fact]
    public async Task The_durably_package_brings_its_determinism_analyzers_into_a_users_build()
    {
        string folder = packages.NewFolder("fresh-analyzers");
        File.WriteAllText(Path.Combine(folder, "FreshAnalyzers.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Durably" Version="{packages.Version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Workflow.cs"), """
            using Durably;

            public static class Workflow
            {
                public static async Task<string> RunAsync(string input, IDurableContext context)
                {
                    DateTime now = DateTime.UtcNow;
                    return await context.StepAsync((_, _) => Task.FromResult($"{input} at {now:O}"), "stamp");
                }
            }
            """);

        CommandRun run = (await packages.DotnetAsync(folder, "build")).AssertSucceeded();

        // A warning (the user's build is not warnings-as-errors), reported from the analyzer the package carries.
        Assert.Contains("warning DURABLY001", run.Output, StringComparison.Ordinal);
        Assert.Contains("DateTime.UtcNow", run.Output, StringComparison.Ordinal);
    }
}
