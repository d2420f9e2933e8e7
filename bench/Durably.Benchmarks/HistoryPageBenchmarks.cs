using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Durably.Engine;
using Durably.Engine.Storage;
using Durably.Protocol;
using Microsoft.Extensions.Time.Testing;

namespace Durably.Benchmarks;

/// <summary>
/// The first page of GetDurableExecutionHistory for an execution of 20 steps, each with a 256 KiB result of quotes,
/// serialized as the server answers it (streamed) and as it did before (into one byte array first): what one history
/// request costs in memory, with the relaxed encoder (<see cref="DurablyJson.Api"/>) and with System.Text.Json's
/// default encoder, which wrote each quote as <c>\u0022</c>.
/// </summary>
[MemoryDiagnoser]
[SuppressMessage("Design", "CA1001", Justification = "BenchmarkDotNet disposes the engine in [GlobalCleanup].")]
public class HistoryPageBenchmarks
{
    private const int Steps = 20;
    private static readonly JsonSerializerOptions DefaultEncoder = new(DurablyJson.Api) { Encoder = JavaScriptEncoder.Default };

    private DurableEngine _engine = null!;
    private string _arn = null!;

    /// <summary>True: <see cref="DurablyJson.Api"/>; false: the same options with the default encoder.</summary>
    [Params(true, false)]
    public bool RelaxedEncoder { get; set; }

    [GlobalSetup]
    public void CreateExecution()
    {
        _engine = new DurableEngine(new InMemoryExecutionStore(), new FunctionRegistry(), new FakeTimeProvider());
        _engine.Functions.Register(new RegisteredFunction
        {
            Name = "quotes",
            Version = "1",
            ExecutionTimeout = TimeSpan.FromDays(1),
            RetentionPeriodInDays = 14,
            InvocationTimeout = TimeSpan.FromMinutes(15),
            Handler = CheckpointQuotesAsync,
        });
        _engine.StartAsync().GetAwaiter().GetResult();
        _arn = _engine.StartExecutionAsync("quotes", "1").GetAwaiter().GetResult().DurableExecutionArn;
        _engine.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public ValueTask DisposeEngine() => _engine.DisposeAsync();

    private JsonSerializerOptions Options => RelaxedEncoder ? DurablyJson.Api : DefaultEncoder;

    /// <summary>Reads the first page and serializes it into a stream, as the server does; returns the bytes written.</summary>
    [Benchmark]
    public async Task<long> FirstPageStreamed()
    {
        HistoryPage page = await _engine.GetHistoryAsync(_arn, maxItems: 1000);
        var counter = new CountingStream();
        await JsonSerializer.SerializeAsync(counter, page, Options);
        return counter.Length;
    }

    /// <summary>Reads the first page and serializes it into one byte array first, as the server did before.</summary>
    [Benchmark]
    public async Task<long> FirstPageBuffered()
    {
        HistoryPage page = await _engine.GetHistoryAsync(_arn, maxItems: 1000);
        return JsonSerializer.SerializeToUtf8Bytes(page, Options).LongLength;
    }

    private static async Task<DurableExecutionInvocationOutput> CheckpointQuotesAsync(
        DurableExecutionInvocationInput input, IDurableExecutionClient client, CancellationToken cancellationToken)
    {
        string quotes = new('"', 262_144);
        string token = input.CheckpointToken;
        for (int step = 0; step < Steps; step++)
        {
            string id = $"step-{step}";
            CheckpointDurableExecutionResponse response = await client.CheckpointAsync(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = input.DurableExecutionArn,
                CheckpointToken = token,
                Updates =
                [
                    new OperationUpdate { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Start },
                    new OperationUpdate { Id = id, Type = OperationType.Step, SubType = "Step", Action = OperationAction.Succeed, Payload = quotes },
                ],
            }, cancellationToken);
            token = response.CheckpointToken;
        }

        return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "1" };
    }

    /// <summary>A write-only stream that keeps only the count of bytes written.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
