// Hosts durable handlers written with AWS's @aws/durable-execution-sdk-js behind a small HTTP
// endpoint, one path per handler, so a Durably server can invoke them as HTTP functions.
//
//   node server.mjs [port]       (port 0 or absent: any free port)
//
// Binds 127.0.0.1 only and prints `listening <port>` on stdout once ready. Each POST /<handler>
// carries the invocation envelope (PROTOCOL.md §2.10, epoch-millisecond timestamps) and answers
// the handler's output JSON ({Status, Result?, Error?}). The handlers checkpoint through AWS's own
// DurableExecutionApiClient over @aws-sdk/client-lambda, pointed at the Durably server whose URL
// is given with POST /_configure {"endpoint": "http://127.0.0.1:<port>"} (the Durably server
// starts after this one, since it must know this one's URL to register the functions).
// POST /_shutdown closes the server and exits.

import http from "node:http";
import { randomUUID } from "node:crypto";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { DurableExecutionApiClient, withDurableExecution } from "@aws/durable-execution-sdk-js";
import { handlers } from "./handlers.mjs";

const port = Number(process.argv[2] ?? 0);
const invocationBudgetMs = 15 * 60 * 1000;

/** The wrapped handlers by path, created once the Durably endpoint is known. */
let wrapped = null;

function configure(endpoint) {
  const lambda = new LambdaClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "durably-test", secretAccessKey: "durably-test" },
  });
  const durableExecutionClient = new DurableExecutionApiClient(lambda);
  wrapped = new Map(
    Object.entries(handlers).map(([path, handler]) => [path, withDurableExecution(handler, { durableExecutionClient })]),
  );
}

/**
 * A Lambda-like context: what the SDK reads (C.1 of WIRE-DETAILS) and what a handler may read. Durably's HTTP
 * functions send Lambda's runtime headers Lambda-Runtime-Deadline-Ms and Lambda-Runtime-Invoked-Function-Arn;
 * without them the deadline is 15 minutes away and the ARN comes from the execution ARN.
 */
function lambdaContext(event, headers, requestId) {
  // arn:aws:lambda:{region}:{account}:function:{fn}:{version}/durable-execution/{name}/{id}
  const functionArn = headers["lambda-runtime-invoked-function-arn"] ?? String(event.DurableExecutionArn ?? "").split("/durable-execution/")[0];
  const parts = functionArn.split(":");
  const functionName = parts[6] ?? "unknown";
  const functionVersion = parts[7] ?? "$LATEST";
  const deadline = Number(headers["lambda-runtime-deadline-ms"] ?? Date.now() + invocationBudgetMs);
  return {
    awsRequestId: requestId,
    invokedFunctionArn: functionArn,
    functionName,
    functionVersion,
    memoryLimitInMB: "128",
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "durably-js-sdk-harness",
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

function readBody(request) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function answer(response, status, body) {
  const text = JSON.stringify(body);
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  response.end(text);
}

const server = http.createServer(async (request, response) => {
  try {
    const path = new URL(request.url, "http://127.0.0.1").pathname.replace(/^\/+/, "");
    if (request.method !== "POST") {
      answer(response, 405, { message: "POST only" });
      return;
    }

    const body = await readBody(request);
    if (path === "_configure") {
      configure(JSON.parse(body).endpoint);
      answer(response, 200, { handlers: Object.keys(handlers) });
      return;
    }

    if (path === "_shutdown") {
      answer(response, 200, {});
      server.close(() => process.exit(0));
      return;
    }

    if (wrapped === null) {
      answer(response, 503, { message: "not configured: POST /_configure first" });
      return;
    }

    const handler = wrapped.get(path);
    if (!handler) {
      answer(response, 404, { message: `no handler at /${path}` });
      return;
    }

    const event = JSON.parse(body);
    const requestId = request.headers["lambda-runtime-aws-request-id"] ?? request.headers["x-amz-request-id"] ?? randomUUID();
    const output = await handler(event, lambdaContext(event, request.headers, String(requestId)));
    answer(response, 200, output);
  } catch (error) {
    // An invocation-level error (what Lambda reports as a function error): the engine retries.
    process.stderr.write(`invocation error: ${error?.stack ?? error}\n`);
    answer(response, 500, { errorType: error?.name ?? "Error", errorMessage: String(error?.message ?? error) });
  }
});

server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});

// The test owns this process: when its stdin closes (the test process ended), exit too.
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
