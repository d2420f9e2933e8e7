using Durably.Protocol;
using Durably.Testing;

namespace Durably.AwsParity.Tests;

/// <summary>Helpers the corpus tests share: a history's shape as "Type Name Status" lines, in start order.</summary>
internal static class Corpus
{
    public static string[] Shape<T>(TestResult<T> result) => [.. result.Operations.Select(operation => operation.ToString())];

    public static string[] Events<T>(TestResult<T> result, string name) =>
        [.. result.History.Where(e => e.Name == name).Select(e => e.EventType)];

    public static TestResult<T> Succeeded<T>(TestResult<T> result)
    {
        Assert.True(result.IsSucceeded, $"{result.Status}: {result.Error?.ErrorType} {result.Error?.ErrorMessage}");
        return result;
    }

    public static ErrorObject Failed<T>(TestResult<T> result)
    {
        Assert.True(result.IsFailed, $"expected FAILED, got {result.Status}");
        return result.Error!;
    }
}
