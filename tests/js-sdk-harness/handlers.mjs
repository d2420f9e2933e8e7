// Durable handlers written with AWS's @aws/durable-execution-sdk-js exactly as for Lambda. Each has a
// C# twin in tests/Durably.JsSdk.Tests/CSharpTwins.cs; the test runs both on one Durably server and
// compares their histories. Keep the two in step: same operation names, order, options and results.

import { createRetryStrategy, JitterStrategy } from "@aws/durable-execution-sdk-js";

/** A failure that is worth retrying (its name is the ErrorType recorded, as the C# twin's exception type name). */
class TransientFailure extends Error {
  name = "TransientFailure";
}

/** A failure no retry can fix. */
class PermanentFailure extends Error {
  name = "PermanentFailure";
}

const noRetry = () => ({ shouldRetry: false });

/** The part of a BatchResult both SDKs expose the same way. */
const project = (batch) => ({
  status: batch.status,
  completionReason: batch.completionReason,
  successCount: batch.successCount,
  failureCount: batch.failureCount,
  totalCount: batch.totalCount,
  items: batch.all.map((item) => ({
    index: item.index,
    status: item.status,
    result: item.result ?? null,
    error: item.error ? item.error.message : null,
  })),
});

export const handlers = {
  // A plain step, a step that succeeds on its third attempt (retries after 1 s, then 2 s), and a
  // step whose two attempts both fail, caught by the handler.
  async steps(event, ctx) {
    const sum = await ctx.step("add", async () => event.a + event.b);
    const flaky = await ctx.step(
      "flaky",
      async (step) => {
        if (step.attempt < 3) {
          throw new TransientFailure(`attempt ${step.attempt} failed`);
        }
        return `ok on attempt ${step.attempt}`;
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 2, jitter: JitterStrategy.NONE }) },
    );
    let caught = null;
    try {
      await ctx.step(
        "always-fails",
        async () => {
          throw new PermanentFailure("no luck");
        },
        { retryStrategy: createRetryStrategy({ maxAttempts: 2, initialDelay: { seconds: 1 }, jitter: JitterStrategy.NONE }) },
      );
    } catch (error) {
      caught = error.message;
    }
    return { sum, flaky, caught };
  },

  // A named and an unnamed wait between two steps.
  async waits(event, ctx) {
    const before = await ctx.step("before", async () => "before");
    await ctx.wait("pause", { seconds: 5 });
    await ctx.wait({ seconds: 2 });
    const after = await ctx.step("after", async () => "after");
    return { before, after };
  },

  // Two callbacks created up front: one answered with success, one with failure.
  async callbacks(event, ctx) {
    const [approval] = await ctx.createCallback("approval", { timeout: { minutes: 1 }, heartbeatTimeout: { seconds: 30 } });
    const [rejection] = await ctx.createCallback("rejection", { timeout: { minutes: 1 } });
    const approved = await approval;
    let failure = null;
    try {
      await rejection;
    } catch (error) {
      failure = error.message;
    }
    return { approval: JSON.parse(approved), failure };
  },

  // waitForCallback: a submitter step (here it only records that it ran), answered with success.
  async waitForCallback(event, ctx) {
    const answer = await ctx.waitForCallback(
      "external-check",
      async (callbackId) => {
        if (!callbackId) {
          throw new PermanentFailure("no callback id");
        }
      },
      { timeout: { minutes: 2 } },
    );
    return { answer: JSON.parse(answer) };
  },

  // waitForCondition: polls until the third check, 1 s apart.
  async waitForCondition(event, ctx) {
    const final = await ctx.waitForCondition(
      "poll-job",
      async (state) => ({ polls: state.polls + 1, done: state.polls + 1 >= 3 }),
      {
        initialState: { polls: 0, done: false },
        waitStrategy: (state) => (state.done ? { shouldContinue: false } : { shouldContinue: true, delay: { seconds: 1 } }),
      },
    );
    return final;
  },

  // Child contexts: a step, a wait and a nested child context inside a named one.
  async childContext(event, ctx) {
    return ctx.runInChildContext("outer", async (child) => {
      const a = await child.step("inner-a", async () => 1);
      await child.wait("inner-wait", { seconds: 1 });
      const nested = await child.runInChildContext("nested", async (deep) => deep.step("deep", async () => a + 1));
      return { a, nested };
    });
  },

  // Parallel with one tolerated failure: a fast branch, a branch that waits, a failing branch.
  async parallel(event, ctx) {
    const batch = await ctx.parallel(
      "fan-out",
      [
        { name: "fast", func: async (branch) => branch.step("fast-step", async () => "fast") },
        {
          name: "slow",
          func: async (branch) => {
            await branch.wait("slow-wait", { seconds: 2 });
            return branch.step("slow-step", async () => "slow");
          },
        },
        {
          name: "broken",
          func: async (branch) =>
            branch.step("broken-step", async () => {
              throw new PermanentFailure("broken branch");
            }, { retryStrategy: noRetry }),
        },
      ],
      { completionConfig: { toleratedFailureCount: 1 } },
    );
    return project(batch);
  },

  // Map: squares with one tolerated failure (a negative item), then a map that completes after its
  // first two successes, one item at a time (the last two items never start). With maxConcurrency 2
  // the outcome depends on scheduling: this SDK starts item 2 when item 0 finishes, before item 1
  // does, so it reports 3 items (one STARTED) where Durably's C# SDK reported 2.
  async map(event, ctx) {
    const squares = await ctx.map(
      "squares",
      event.items,
      async (itemContext, value) =>
        itemContext.step("square", async () => {
          if (value < 0) {
            throw new PermanentFailure(`negative ${value}`);
          }
          return value * value;
        }, { retryStrategy: noRetry }),
      { itemNamer: (_, index) => `square-${index}`, completionConfig: { toleratedFailureCount: 1 } },
    );
    const firstTwo = await ctx.map(
      "first-two",
      [10, 20, 30, 40],
      async (itemContext, value) => itemContext.step("double", async () => value * 2),
      { itemNamer: (_, index) => `double-${index}`, maxConcurrency: 1, completionConfig: { minSuccessful: 2 } },
    );
    return { squares: project(squares), firstTwo: project(firstTwo) };
  },

  // Polling: one branch waits for a callback while the other runs a step for `busyMs` of real time, so
  // the SDK cannot suspend and polls with empty checkpoints; the test answers the callback meanwhile, and
  // the poll's answer (NewExecutionState) must carry it so the waiter finishes before the busy step.
  async polling(event, ctx) {
    const batch = await ctx.parallel("poll-while-busy", [
      {
        name: "waiter",
        func: async (branch) => {
          const [signal] = await branch.createCallback("signal", { timeout: { minutes: 1 } });
          return JSON.parse(await signal);
        },
      },
      {
        name: "busy",
        func: async (branch) =>
          branch.step("slow-work", async () => {
            await new Promise((resolve) => setTimeout(resolve, event.busyMs));
            return "done";
          }),
      },
    ]);
    return project(batch);
  },

  // Invoke of another durable function (the JS greeter below, registered as "greeter").
  async invoke(event, ctx) {
    const greeting = await ctx.invoke("call-greeter", "greeter", { name: event.name });
    return { greeting };
  },

  // The invoke target: itself a durable function with one step.
  async greeter(event, ctx) {
    return ctx.step("greet", async () => `Hello, ${event.name}!`);
  },

  // The order workflow (samples/OrderProcessing): validate, wait up to 3 minutes for approval, send
  // the approval request, then charge with 3 attempts (1 s, ×2) against a gateway failing once.
  async order(event, ctx) {
    const validation = await ctx.step("validate-order", async () =>
      !event.orderId ? { isValid: false, reason: "The order has no id." }
        : event.amount <= 0 ? { isValid: false, reason: `The amount must be positive; got ${event.amount}.` }
          : { isValid: true },
    );
    if (!validation.isValid) {
      throw new PermanentFailure(validation.reason);
    }

    const [approval] = await ctx.createCallback("awaiting-approval", { timeout: { minutes: 3 } });
    await ctx.step("send-for-approval", async () => {
      // A real workflow would send the callback id to an approver here.
    });
    const decision = JSON.parse(await approval);
    if (!decision.approved) {
      return { orderId: event.orderId, status: "REJECTED", paymentId: null };
    }

    const paymentId = await ctx.step(
      "process-order",
      async (step) => {
        if (step.attempt < 2) {
          throw new TransientFailure("payment gateway timed out");
        }
        return `pay-${event.orderId}-${step.attempt}`;
      },
      { retryStrategy: createRetryStrategy({ maxAttempts: 3, initialDelay: { seconds: 1 }, backoffRate: 2, jitter: JitterStrategy.NONE }) },
    );
    return { orderId: event.orderId, status: "PROCESSED", paymentId };
  },
};
