using System.Diagnostics.CodeAnalysis;

namespace Durably.Engine;

/// <summary>
/// Execution ARNs: <c>arn:aws:lambda:{region}:{account}:function:{fn}:{version}/durable-execution/{name}/{id}</c>.
/// </summary>
internal static class ExecutionArn
{
    public static string FunctionArn(string region, string account, string functionName, string version) =>
        $"arn:aws:lambda:{region}:{account}:function:{functionName}:{version}";

    public static string Create(string functionArn, string executionName, string executionId) =>
        $"{functionArn}/durable-execution/{executionName}/{executionId}";

    /// <summary>The execution id: the last segment of a well-formed ARN.</summary>
    public static bool TryGetExecutionId(string? arn, [NotNullWhen(true)] out string? executionId)
    {
        executionId = null;
        if (string.IsNullOrEmpty(arn) || arn.Length > 1024)
        {
            return false;
        }

        int marker = arn.IndexOf("/durable-execution/", StringComparison.Ordinal);
        int last = arn.LastIndexOf('/');
        if (marker < 0 || last <= marker + "/durable-execution/".Length || last == arn.Length - 1)
        {
            return false;
        }

        string id = arn[(last + 1)..];
        if (!EngineLimits.IsValidId(id))
        {
            return false;
        }

        executionId = id;
        return true;
    }
}
