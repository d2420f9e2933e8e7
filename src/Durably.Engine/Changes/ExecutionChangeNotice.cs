using Durably.Engine.Storage;
using Durably.Protocol;

namespace Durably.Engine;

/// <summary>One committed change of an execution, as <see cref="ExecutionChangeFeed"/> publishes it: the execution's state after the change.</summary>
/// <param name="Sequence">The feed's sequence number: increasing across the whole server, never reused by a later process.</param>
/// <param name="ExecutionId">The execution id.</param>
/// <param name="DurableExecutionArn">The execution ARN.</param>
/// <param name="DurableExecutionName">The execution name.</param>
/// <param name="FunctionName">The function (unqualified name).</param>
/// <param name="FunctionArn">The qualified ARN of the pinned version.</param>
/// <param name="Version">The pinned function version.</param>
/// <param name="Status">The status after the change.</param>
/// <param name="StartTimestamp">When the execution started.</param>
/// <param name="EndTimestamp">When it closed, if it has.</param>
/// <param name="HistoryEventCount">How many history events the execution has after the change.</param>
/// <param name="ExecutionVersion">The execution's stored version after the change (<see cref="ExecutionRecord.Version"/>).</param>
/// <param name="StatusEvents">The status-change events the change wrote to the outbox (docs/events.md); empty when its status did not change.</param>
/// <param name="Overtaken">
/// True when a later change of the same execution was published first: the state in this notice is older than what
/// was already published, and only its <paramref name="StatusEvents"/> are news (it is published for them alone).
/// </param>
public sealed record ExecutionChangeNotice(
    long Sequence,
    string ExecutionId,
    string DurableExecutionArn,
    string DurableExecutionName,
    string FunctionName,
    string FunctionArn,
    string Version,
    ExecutionStatus Status,
    DateTimeOffset StartTimestamp,
    DateTimeOffset? EndTimestamp,
    int HistoryEventCount,
    long ExecutionVersion,
    IReadOnlyList<StatusChangeEvent>? StatusEvents = null,
    bool Overtaken = false);
