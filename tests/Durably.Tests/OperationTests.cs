using Durably.Protocol;

namespace Durably.Tests;

public sealed class OperationTests
{
    private sealed record Counter(int Value);

    [Fact]
    public async Task WaitForConditionAsync_CarriesStateInRetryCheckpointsUntilDone()
    {
        var client = new FakeExecutionClient("0");
        var config = new WaitForConditionConfig<Counter>
        {
            InitialState = new Counter(0),
            WaitStrategy = WaitStrategy.Fixed<Counter>(c => c.Value >= 3, TimeSpan.FromSeconds(2)),
        };
        int checks = 0;
        Task<Counter> Workflow(int _, IDurableContext context) =>
            context.WaitForConditionAsync<Counter>((state, _, _) => { checks++; return Task.FromResult(state with { Value = state.Value + 1 }); }, config, "poll");

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, Counter>(Workflow);
        for (int i = 0; i < 5 && output.Status == InvocationStatus.Pending; i++)
        {
            client.FireTimers();
            output = await client.InvokeAsync<int, Counter>(Workflow);
        }

        Assert.Equal("{\"value\":3}", output.Result);
        Assert.Equal(3, checks);
        List<OperationUpdate> retries = client.Updates.Where(u => u.Action == OperationAction.Retry).ToList();
        Assert.Equal(["{\"value\":1}", "{\"value\":2}"], retries.Select(r => r.Payload));
        Assert.All(retries, r => { Assert.Null(r.Error); Assert.Equal(2, r.StepOptions!.NextAttemptDelaySeconds); });
        Assert.Equal("WaitForCondition", client.Single(OperationType.Step, "poll").SubType);
    }

    [Fact]
    public async Task WaitForConditionAsync_AttemptsExhausted_ThrowsWithLastState()
    {
        var client = new FakeExecutionClient("0");
        var config = new WaitForConditionConfig<Counter>
        {
            InitialState = new Counter(0),
            WaitStrategy = WaitStrategy.Fixed<Counter>(_ => false, TimeSpan.FromSeconds(1), maxAttempts: 1),
        };

        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(async (_, context) =>
        {
            try
            {
                await context.WaitForConditionAsync<Counter>((s, _, _) => Task.FromResult(s with { Value = 7 }), config);
                return "done";
            }
            catch (WaitForConditionException exception)
            {
                return $"{exception.AttemptsExhausted}:{exception.LastState}";
            }
        });

        Assert.Equal("\"1:{\\u0022value\\u0022:7}\"", output.Result);
    }

    [Fact]
    public async Task RunInChildContextAsync_ParentsChildrenAndRecordsResult()
    {
        var client = new FakeExecutionClient("0");
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>((_, context) =>
            context.RunInChildContextAsync(async (child, _) =>
            {
                int a = await child.StepAsync((_, _) => Task.FromResult(20), "a");
                int b = await child.StepAsync((_, _) => Task.FromResult(22), "b");
                return a + b;
            }, "sum"));

        Operation context = client.Single(OperationType.Context, "sum");
        Assert.Equal("42", output.Result);
        Assert.Equal("RunInChildContext", context.SubType);
        Assert.Equal("42", context.ContextDetails!.Result);
        Assert.All(client.Operations.Where(o => o.Type == OperationType.Step), s => Assert.Equal(context.Id, s.ParentId));
        Assert.NotEqual(client.Single(OperationType.Step, "a").Id, Replay.OperationIds.For(null, 1));
    }

    [Fact]
    public async Task RunInChildContextAsync_LargeResult_UsesReplayChildrenAndRebuildsOnReplay()
    {
        var client = new FakeExecutionClient("0");
        int runs = 0;
        Task<int> Workflow(int _, IDurableContext context) => Run(context);
        async Task<int> Run(IDurableContext context)
        {
            string big = await context.RunInChildContextAsync(async (child, _) =>
            {
                string[] parts = new string[3];
                for (int i = 0; i < 3; i++)
                {
                    parts[i] = await child.StepAsync((_, _) => { runs++; return Task.FromResult(new string((char)('a' + i), 100 * 1024)); });
                }

                return string.Concat(parts);
            }, "assemble");
            return big.Length;
        }

        DurableExecutionInvocationOutput first = await client.InvokeAsync<int, int>(Workflow);
        DurableExecutionInvocationOutput replay = await client.InvokeAsync<int, int>(Workflow);

        Operation context = client.Single(OperationType.Context, "assemble");
        Assert.True(context.ContextDetails!.ReplayChildren);
        Assert.Null(context.ContextDetails.Result);
        Assert.Equal("307200", first.Result);
        Assert.Equal("307200", replay.Result);
        Assert.Equal(3, runs);
    }

    [Fact]
    public async Task RunInChildContextAsync_ChildThrows_RecordsFailureAndThrowsChildContextException()
    {
        var client = new FakeExecutionClient("0");
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, string>(async (_, context) =>
        {
            try
            {
                await context.RunInChildContextAsync<int>((_, _) => throw new FormatException("bad data"), "parse");
                return "ok";
            }
            catch (ChildContextException exception)
            {
                return exception.ErrorType + ":" + exception.Error.ErrorMessage;
            }
        });

        Assert.Equal("\"FormatException:bad data\"", output.Result);
        Assert.Equal(OperationStatus.Failed, client.Single(OperationType.Context, "parse").Status);
    }

    [Fact]
    public async Task InvokeAsync_StartsChainedInvokeAndSuspendsUntilItEnds()
    {
        var client = new FakeExecutionClient("0");
        DurableExecutionInvocationOutput output = await client.InvokeAsync<int, int>((_, context) =>
            context.InvokeAsync<object, int>("pricing:2", new { sku = "A1" }, "price", new InvokeConfig { TenantId = "t-1" }));

        OperationUpdate start = Assert.Single(client.Updates);
        Assert.Equal(InvocationStatus.Pending, output.Status);
        Assert.Equal("pricing:2", start.ChainedInvokeOptions!.FunctionName);
        Assert.Equal("t-1", start.ChainedInvokeOptions.TenantId);
        Assert.Equal("{\"sku\":\"A1\"}", start.Payload);
        Assert.Equal("ChainedInvoke", start.SubType);
    }

    [Fact]
    public async Task Serializer_EveryValueIsRoundTripped_EvenOnTheFirstRun()
    {
        var client = new FakeExecutionClient("0");
        var original = new List<int> { 1, 2 };
        List<int>? returned = null;
        await client.InvokeAsync<int, int>(async (_, context) =>
        {
            returned = await context.StepAsync((_, _) => Task.FromResult(original));
            return 0;
        });

        Assert.Equal(original, returned);
        Assert.NotSame(original, returned);
    }

    [Fact]
    public async Task UnnamedContextsAndWaits_AreRecordedWithoutName()
    {
        // StepTests covers unnamed steps; this covers the other operation kinds.
        var client = new FakeExecutionClient("0");
        await client.InvokeAsync<int, int>(async (_, context) =>
        {
            int value = await context.RunInChildContextAsync((child, _) => Task.FromResult(1));
            await context.WaitAsync(TimeSpan.FromSeconds(1));
            return value;
        });

        Assert.Equal([OperationType.Context, OperationType.Wait], client.Updates.Select(u => u.Type).Distinct().Order());
        Assert.All(client.Updates, u => Assert.Null(u.Name));
    }

    [Fact]
    public void OperationIds_AreStableHashesOfThePath()
    {
        string root = Replay.OperationIds.For(null, 1);

        Assert.Equal(64, root.Length);
        Assert.Matches("^[a-f0-9]{64}$", root);
        Assert.Equal("6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b", root); // SHA-256("1")
        string expectedChild = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(root + "-12")));
        Assert.Equal(expectedChild, Replay.OperationIds.For(root, 12));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("5000"u8)), Replay.OperationIds.For(null, 5000));
        Assert.NotEqual(Replay.OperationIds.For(root, 1), Replay.OperationIds.For(null, 2));
    }
}
