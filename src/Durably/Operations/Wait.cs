using Durably.Protocol;
using Durably.Replay;
using Durably.Telemetry;

namespace Durably;

internal sealed partial class DurableContext
{
    public Task WaitAsync(TimeSpan duration, string? name = null, CancellationToken cancellationToken = default)
    {
        int seconds = Durations.ToWaitSeconds(duration, nameof(duration));
        ValidateName(name);
        cancellationToken.ThrowIfCancellationRequested();
        return Observe(WaitAsync(seconds, name), cancellationToken);
    }

    private async Task WaitAsync(int seconds, string? name)
    {
        (string id, Operation? operation) = Begin(OperationType.Wait, name, "Wait");
        OperationSpan? span = StartSpan(id, operation, OperationType.Wait, "Wait", name);
        if (Performed(ReplayDecisions.Wait(operation)) == ReplayAction.Start)
        {
            operation = await CheckpointAsync(Update(id, OperationType.Wait, OperationAction.Start, name, "Wait") with
            {
                WaitOptions = new WaitOptions { WaitSeconds = seconds },
            }).ConfigureAwait(false);
        }

        // A START acknowledged without a record waits for the record like a STARTED one.
        while (operation is null || Performed(ReplayDecisions.Wait(operation)) == ReplayAction.WaitForChange)
        {
            operation = await WaitForChangeAsync(id, operation).ConfigureAwait(false);
        }

        span?.End(operation.Status);
    }
}
