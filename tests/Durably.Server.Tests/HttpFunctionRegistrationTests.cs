using System.Net;
using System.Text.Json;
using Durably.Server.Tests.Infrastructure;

namespace Durably.Server.Tests;

/// <summary>POST /durably/functions and DELETE /durably/functions/{name}: HTTP functions registered on a running server.</summary>
public sealed class HttpFunctionRegistrationTests
{
    [Fact]
    public async Task Register_Answers201WithTheConfiguration_AndTheFunctionIsListed()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

        using HttpResponseMessage response = await server.Client.PostRawAsync("durably/functions",
            """{"FunctionName":"remote","Url":"http://127.0.0.1:5090/remote","Version":"7","ExecutionTimeout":3600,"RetentionPeriodInDays":3,"InvocationTimeout":60}""");

        JsonElement body = await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
        Assert.Equal("remote", body.GetProperty("FunctionName").GetString());
        Assert.Equal("arn:aws:lambda:local:000000000000:function:remote:7", body.GetProperty("FunctionArn").GetString());
        Assert.Equal("http://127.0.0.1:5090/remote", body.GetProperty("Url").GetString());
        Assert.Equal(60, body.GetProperty("InvocationTimeout").GetInt32());
        Assert.Equal(3600, body.GetProperty("DurableConfig").GetProperty("ExecutionTimeout").GetInt32());
        Engine.RegisteredFunction registered = server.Engine.Functions.Resolve("remote");
        Assert.Equal(("7", 3, TimeSpan.FromMinutes(1)), (registered.Version, registered.RetentionPeriodInDays, registered.InvocationTimeout));
    }

    [Fact]
    public async Task Defaults_AreThoseOfCodeRegistrations_AndReRegistering_ReplacesWith200()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(_ => { });

        using HttpResponseMessage created = await server.Client.PostRawAsync("durably/functions", """{"FunctionName":"remote","Url":"http://localhost:1/a"}""");
        using HttpResponseMessage replaced = await server.Client.PostRawAsync("durably/functions", """{"FunctionName":"remote","Url":"http://localhost:2/b"}""");

        JsonElement first = await ApiAssert.JsonAsync(created, HttpStatusCode.Created);
        JsonElement second = await ApiAssert.JsonAsync(replaced, HttpStatusCode.OK);
        Assert.Equal("1", first.GetProperty("Version").GetString());
        Assert.Equal(900, first.GetProperty("InvocationTimeout").GetInt32());
        Assert.Equal(86_400, first.GetProperty("DurableConfig").GetProperty("ExecutionTimeout").GetInt32());
        Assert.Equal(14, first.GetProperty("DurableConfig").GetProperty("RetentionPeriodInDays").GetInt32());
        Assert.Equal("http://localhost:2/b", second.GetProperty("Url").GetString());
        Assert.Single(server.Engine.Functions.GetAll());
    }

    [Theory]
    [InlineData("", "needs a JSON body")]
    [InlineData("""{"Url":"http://127.0.0.1:1/"}""", "FunctionName '' is invalid")]
    [InlineData("""{"FunctionName":"a b","Url":"http://127.0.0.1:1/"}""", "FunctionName 'a b' is invalid")]
    [InlineData("""{"FunctionName":"f"}""", "Url '' is invalid")]
    [InlineData("""{"FunctionName":"f","Url":"ftp://127.0.0.1/"}""", "Url 'ftp://127.0.0.1/' is invalid")]
    [InlineData("""{"FunctionName":"f","Url":"/relative"}""", "Url '/relative' is invalid")]
    [InlineData("""{"FunctionName":"f","Url":"http://user:pw@127.0.0.1/"}""", "without user info")]
    [InlineData("""{"FunctionName":"f","Url":"http://example.com/fn"}""", "Url host 'example.com' is not allowed")]
    [InlineData("""{"FunctionName":"f","Url":"http://10.0.0.1/fn"}""", "Url host '10.0.0.1' is not allowed")]
    [InlineData("""{"FunctionName":"f","Url":"http://127.0.0.1:1/","Version":"$LATEST"}""", "Version '$LATEST' is invalid")]
    [InlineData("""{"FunctionName":"f","Url":"http://127.0.0.1:1/","Version":"1:2"}""", "Version '1:2' is invalid")]
    [InlineData("""{"FunctionName":"f","Url":"http://127.0.0.1:1/","ExecutionTimeout":0}""", "ExecutionTimeout must be between 1 and 31622400 seconds")]
    [InlineData("""{"FunctionName":"f","Url":"http://127.0.0.1:1/","InvocationTimeout":901}""", "InvocationTimeout must be between 1 and 900 seconds")]
    [InlineData("""{"FunctionName":"f","Url":"http://127.0.0.1:1/","RetentionPeriodInDays":91}""", "RetentionPeriodInDays must be between 1 and 90")]
    [InlineData("""{"FunctionName":"f","Url":"http://127.0.0.1:1/","InvocationTimeout":"60"}""", "is not valid")]
    [InlineData("[]", "is not valid")]
    public async Task InvalidRegistration_Is400_AndRegistersNothing(string body, string message)
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(_ => { });

        using HttpResponseMessage response = await server.Client.PostRawAsync("durably/functions", body);

        Assert.Contains(message, await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "InvalidParameterValueException"), StringComparison.Ordinal);
        Assert.Empty(server.Engine.Functions.GetAll());
    }

    [Fact]
    public async Task CodeRegisteredVersion_CannotBeReplacedOrRemoved_409()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(durably => durably.AddTestFunctions());

        using HttpResponseMessage replace = await server.Client.PostRawAsync("durably/functions", """{"FunctionName":"echo","Url":"http://127.0.0.1:1/"}""");
        using HttpResponseMessage remove = await server.Client.DeleteAsync("durably/functions/echo");

        await ApiAssert.ErrorAsync(replace, HttpStatusCode.Conflict, "ResourceConflictException");
        await ApiAssert.ErrorAsync(remove, HttpStatusCode.Conflict, "ResourceConflictException");
        Assert.Equal("echo", server.Engine.Functions.Resolve("echo").Name);
    }

    [Fact]
    public async Task Remove_DeletesRunTimeVersions_204_ThenUnknownIs404()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(_ => { });
        foreach (string version in new[] { "1", "2" })
        {
            using HttpResponseMessage created = await server.Client.PostRawAsync("durably/functions", $$"""{"FunctionName":"remote","Url":"http://127.0.0.1:1/","Version":"{{version}}"}""");
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using HttpResponseMessage removeOne = await server.Client.DeleteAsync("durably/functions/remote?Version=2");
        Assert.Equal(HttpStatusCode.NoContent, removeOne.StatusCode);
        Assert.Equal("1", server.Engine.Functions.Resolve("remote").Version);
        using HttpResponseMessage removeAll = await server.Client.DeleteAsync("durably/functions/remote");
        Assert.Equal(HttpStatusCode.NoContent, removeAll.StatusCode);
        using HttpResponseMessage again = await server.Client.DeleteAsync("durably/functions/remote");

        await ApiAssert.ErrorAsync(again, HttpStatusCode.NotFound, "ResourceNotFoundException", "Message");
        Assert.Empty(server.Engine.Functions.GetAll());
    }

    [Fact]
    public async Task WrongMethod_Is405()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(_ => { });

        // GET lists the functions (the console's functions page); PUT is no operation there.
        using HttpResponseMessage response = await server.Client.PutAsync("durably/functions", new StringContent("{}"));

        await ApiAssert.ErrorAsync(response, HttpStatusCode.MethodNotAllowed, "UnknownOperationException");
    }

    [Fact]
    public async Task WithApiKeys_OnlyListedHosts_MayBeRegistered_LoopbackIncluded()
    {
        await using DurablyTestServer server = await DurablyTestServer.StartAsync(_ => { }, options =>
        {
            options.ApiKeys.Add("k");
            options.HttpFunctionHosts.Add("workers.internal");
        });
        server.Client.DefaultRequestHeaders.Add("X-Api-Key", "k");

        using HttpResponseMessage loopback = await server.Client.PostRawAsync("durably/functions", """{"FunctionName":"f","Url":"http://127.0.0.1:1/"}""");
        using HttpResponseMessage listed = await server.Client.PostRawAsync("durably/functions", """{"FunctionName":"f","Url":"https://WORKERS.internal:8443/f"}""");
        server.Client.DefaultRequestHeaders.Remove("X-Api-Key");
        using HttpResponseMessage anonymous = await server.Client.PostRawAsync("durably/functions", """{"FunctionName":"g","Url":"https://workers.internal/g"}""");

        Assert.Contains("Durably:Server:HttpFunctionHosts", await ApiAssert.ErrorAsync(loopback, HttpStatusCode.BadRequest, "InvalidParameterValueException"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, listed.StatusCode);
        await ApiAssert.ErrorAsync(anonymous, HttpStatusCode.Unauthorized, "UnrecognizedClientException");
    }
}
