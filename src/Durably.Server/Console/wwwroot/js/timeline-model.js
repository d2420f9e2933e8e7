// Derives the operation tree of an execution from its history events (PROTOCOL.md §2.5): one node per operation id,
// nested by ParentId; a step's attempts from StepStarted/StepSucceeded/StepFailed with RetryDetails; the invocations
// from InvocationCompleted. Pure: no DOM.

const kinds = [
  ['ChainedInvoke', 'CHAINED_INVOKE'], ['Callback', 'CALLBACK'], ['Context', 'CONTEXT'], ['Step', 'STEP'], ['Wait', 'WAIT'],
];

const terminal = {
  Succeeded: 'SUCCEEDED', Failed: 'FAILED', TimedOut: 'TIMED_OUT', Stopped: 'STOPPED', Cancelled: 'CANCELLED',
};

function kindOf(eventType) {
  for (const [prefix, type] of kinds) {
    if (eventType.startsWith(prefix)) return { type, phase: eventType.slice(prefix.length) };
  }
  return null;
}

/** An event's `<EventType>Details` object. */
export function detailsOf(event) {
  return event[`${event.EventType}Details`] ?? {};
}

/** The ErrorObject inside an event's `Error` ({Payload, Truncated}); `{}` when the error has no fields. */
export const errorOf = (details) => (details.Error ? details.Error.Payload ?? {} : undefined);

/** The payload string inside an event's `Result` or `Input` ({Payload, Truncated}). */
export const payloadOf = (value) => value?.Payload;

/**
 * @param {object[]} events history events, in EventId order
 * @returns {{ operations: Map<string, object>, roots: object[], invocations: object[], first: number|undefined }}
 */
export function buildModel(events) {
  const operations = new Map();
  const invocations = [];
  let first;

  const operation = (id, event) => {
    let node = operations.get(id);
    if (!node) {
      node = {
        id, parentId: undefined, name: undefined, type: undefined, subType: undefined, status: 'STARTED',
        start: event.EventTimestamp, end: undefined, attempts: [], events: [], children: [], order: operations.size,
      };
      operations.set(id, node);
    }
    return node;
  };

  for (const event of events) {
    first ??= event.EventTimestamp;
    const details = detailsOf(event);
    if (event.EventType === 'InvocationCompleted') {
      invocations.push({ index: invocations.length + 1, start: details.StartTimestamp, end: details.EndTimestamp, error: errorOf(details), requestId: details.RequestId });
      continue;
    }
    const kind = kindOf(event.EventType);
    if (!kind || !event.Id) continue;
    const node = operation(event.Id, event);
    node.type ??= kind.type;
    node.name ??= event.Name;
    node.subType ??= event.SubType;
    node.parentId ??= event.ParentId;
    node.events.push(event);
    node.start = Math.min(node.start, event.EventTimestamp);
    const at = event.EventTimestamp;
    if (kind.type === 'STEP') applyStepEvent(node, kind.phase, details, at);
    else applyEvent(node, kind.phase, details, at);
  }

  // Parents named in ParentId but never seen (a context whose start was not recorded) still group their children.
  const roots = [];
  for (const node of [...operations.values()]) {
    if (node.parentId && !operations.has(node.parentId)) {
      const parent = operation(node.parentId, { EventTimestamp: node.start });
      parent.type = 'CONTEXT';
      parent.name = '(context)';
    }
  }
  for (const node of operations.values()) {
    const parent = node.parentId ? operations.get(node.parentId) : undefined;
    if (parent) {
      parent.children.push(node);
      parent.start = Math.min(parent.start, node.start);
    } else {
      roots.push(node);
    }
  }
  return { operations, roots, invocations, first };
}

/** Once the execution has closed, operations still open never finish: they read as "not finished", not running. */
export function closeOpenOperations(model, executionEnd) {
  for (const node of model.operations.values()) {
    if (node.end !== undefined) continue;
    node.status = 'UNFINISHED';
    node.end = Math.max(executionEnd, node.start);
    for (const attempt of node.attempts) {
      if (attempt.end === undefined) Object.assign(attempt, { end: node.end, status: 'UNFINISHED' });
    }
  }
  return model;
}

function applyEvent(node, phase, details, at) {
  if (phase === 'Started') {
    node.start = at;
    if (details.ScheduledEndTimestamp !== undefined) node.scheduledEnd = details.ScheduledEndTimestamp;
    if (details.Duration !== undefined) node.waitSeconds = details.Duration;
    if (details.CallbackId !== undefined) node.callbackId = details.CallbackId;
    if (details.Timeout !== undefined) node.timeoutSeconds = details.Timeout;
    if (details.HeartbeatTimeout !== undefined) node.heartbeatTimeoutSeconds = details.HeartbeatTimeout;
    if (details.DurableExecutionArn !== undefined) node.childArn = details.DurableExecutionArn;
    if (details.FunctionName !== undefined) node.targetFunction = details.FunctionName;
    return;
  }
  if (terminal[phase]) {
    node.status = terminal[phase];
    node.end = at;
    if (details.Result) node.result = payloadOf(details.Result);
    if (details.Error) node.error = errorOf(details);
  }
}

/** A step is its attempts: each StepStarted opens one; StepSucceeded/StepFailed closes it, a retry delay then a gap. */
function applyStepEvent(node, phase, details, at) {
  const last = node.attempts.at(-1);
  const open = last && last.end === undefined ? last : undefined;
  if (phase === 'Started') {
    if (!open) node.attempts.push({ number: node.attempts.length + 1, start: at, end: undefined, status: 'STARTED' });
    node.status = 'STARTED';
    node.end = undefined;
    return;
  }
  // An attempt that ended without a recorded start (an at-least-once step checkpoints its start with its end) began
  // when the previous attempt's back-off ended, or at its end.
  const attempt = open ?? { number: node.attempts.length + 1, start: last?.retryAt !== undefined ? Math.min(last.retryAt, at) : at };
  if (!open) node.attempts.push(attempt);
  const retry = details.RetryDetails ?? {};
  if (retry.CurrentAttempt !== undefined) attempt.number = retry.CurrentAttempt;
  attempt.end = at;
  attempt.status = phase === 'Succeeded' ? 'SUCCEEDED' : 'FAILED';
  if (details.Error) attempt.error = errorOf(details);
  if (details.Result) attempt.result = payloadOf(details.Result);
  if (retry.NextAttemptDelaySeconds !== undefined) {
    attempt.retryDelay = retry.NextAttemptDelaySeconds;
    attempt.retryAt = at + retry.NextAttemptDelaySeconds;
    node.status = 'PENDING';
    node.end = undefined;
    node.nextAttemptAt = attempt.retryAt;
  } else {
    node.status = attempt.status;
    node.end = at;
    node.nextAttemptAt = undefined;
  }
  // The operation's outcome is its last attempt's: a step that failed, then succeeded, shows its result only.
  node.result = attempt.result;
  node.error = attempt.error;
}

/** Depth-first order of the tree, skipping the children of collapsed nodes; each entry carries its depth. */
export function visibleRows(roots, collapsed) {
  const rows = [];
  const walk = (nodes, depth) => {
    for (const node of [...nodes].sort((a, b) => a.start - b.start || a.order - b.order)) {
      rows.push({ node, depth });
      if (!collapsed.has(node.id)) walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  return rows;
}
