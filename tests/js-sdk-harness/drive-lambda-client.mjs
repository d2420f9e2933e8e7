// Drives a Durably server with AWS's own Lambda client (@aws-sdk/client-lambda), pointed at the
// server's URL with dummy credentials, and prints every response as one JSON document on stdout.
// Usage: node drive-lambda-client.mjs <server-url> <function-with-callback> <echo-function> <name-prefix>
import {
  LambdaClient, InvokeCommand, GetDurableExecutionCommand, ListDurableExecutionsByFunctionCommand,
  GetDurableExecutionHistoryCommand, SendDurableExecutionCallbackSuccessCommand,
  SendDurableExecutionCallbackFailureCommand, SendDurableExecutionCallbackHeartbeatCommand,
  StopDurableExecutionCommand,
} from "@aws-sdk/client-lambda";

const [endpoint, approvalFunction, echoFunction, prefix] = process.argv.slice(2);
const client = new LambdaClient({
  endpoint,
  region: "local",
  credentials: { accessKeyId: "durably", secretAccessKey: "durably" },
  maxAttempts: 1,
});
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const deadline = Date.now() + 30_000;

async function until(what, probe) {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function startAsync(name, input) {
  const response = await client.send(new InvokeCommand({
    FunctionName: approvalFunction, InvocationType: "Event", DurableExecutionName: name,
    Payload: encoder.encode(JSON.stringify(input)),
  }));
  return { statusCode: response.StatusCode, arn: response.DurableExecutionArn, executedVersion: response.ExecutedVersion };
}

async function callbackIdOf(arn) {
  return until(`a callback of ${arn}`, async () => {
    const history = await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
    return history.Events.find((e) => e.EventType === "CallbackStarted")?.CallbackStartedDetails?.CallbackId;
  });
}

async function closed(arn) {
  return until(`${arn} to close`, async () => {
    const execution = await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    return execution.Status === "RUNNING" ? undefined : execution;
  });
}

const strip = ({ $metadata, ...rest }) => rest;
const report = {};

// 1. Start, heartbeat and answer a callback with success.
const approved = await startAsync(`${prefix}-approved`, { orderId: "js-1" });
report.invoke = approved;
report.running = strip(await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: approved.arn })));
const approvedCallback = await callbackIdOf(approved.arn);
report.heartbeat = strip(await client.send(new SendDurableExecutionCallbackHeartbeatCommand({ CallbackId: approvedCallback })));
report.success = strip(await client.send(new SendDurableExecutionCallbackSuccessCommand({
  CallbackId: approvedCallback, Result: encoder.encode(JSON.stringify({ approved: true })),
})));
report.approved = strip(await closed(approved.arn));
report.history = strip(await client.send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: approved.arn, IncludeExecutionData: true })));

// 2. Idempotent start: the same name and input return the same execution.
report.reinvoke = await startAsync(`${prefix}-approved`, { orderId: "js-1" });

// 3. Answer a callback with failure.
const rejected = await startAsync(`${prefix}-rejected`, { orderId: "js-2" });
report.failure = strip(await client.send(new SendDurableExecutionCallbackFailureCommand({
  CallbackId: await callbackIdOf(rejected.arn),
  Error: { ErrorType: "Rejected", ErrorMessage: "no budget", ErrorData: "{\"by\":\"js\"}" },
})));
report.rejected = strip(await closed(rejected.arn));

// 4. Stop a running execution.
const stopped = await startAsync(`${prefix}-stopped`, { orderId: "js-3" });
await callbackIdOf(stopped.arn);
report.stop = strip(await client.send(new StopDurableExecutionCommand({
  DurableExecutionArn: stopped.arn, Error: { ErrorType: "Cancelled", ErrorMessage: "stopped from JS" },
})));
report.stopped = strip(await closed(stopped.arn));

// 5. List the function's executions, newest first, and filtered by status.
report.list = strip(await client.send(new ListDurableExecutionsByFunctionCommand({ FunctionName: approvalFunction })));
report.listSucceeded = strip(await client.send(new ListDurableExecutionsByFunctionCommand({
  FunctionName: approvalFunction, Statuses: ["SUCCEEDED"], StartedAfter: new Date(Date.now() - 600_000),
})));

// 6. A synchronous invoke returns the execution's result as the payload.
const sync = await client.send(new InvokeCommand({
  FunctionName: echoFunction, DurableExecutionName: `${prefix}-sync`, Payload: encoder.encode(JSON.stringify("hello")),
}));
report.sync = { statusCode: sync.StatusCode, arn: sync.DurableExecutionArn, payload: decoder.decode(sync.Payload), functionError: sync.FunctionError };

// 7. An unknown execution is a ResourceNotFoundException the client parses.
try {
  await client.send(new GetDurableExecutionCommand({ DurableExecutionArn: approved.arn.replace(/[0-9a-f-]{36}$/, "00000000-0000-0000-0000-000000000000") }));
  report.notFound = { name: "none" };
} catch (error) {
  report.notFound = { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

// Dates as epoch milliseconds (the replacer sees the raw value through `this`, before Date.toJSON).
process.stdout.write(JSON.stringify(report, function (key, value) {
  return this[key] instanceof Date ? this[key].getTime() : value;
}));
