import { generateText, Output, streamText } from "ai";
import { z } from "zod";
import { callCounter, mockModel, planTasks, planText } from "./mock-models.js";
import { collectGarbage, type Summary, summarize } from "./stats.js";

/** The AI SDK calls whose cost {@link measureSdkCallCost} measures. */
export type SdkCall = "generateText" | "streamText" | "streamText + Output.object";

/** CPU per call of one kind of AI SDK call on a mock model with no latency. */
export interface SdkCallCost {
  call: SdkCall;
  cpuUsPerCall: Summary;
}

const schema = z.object({
  analysis: z.string(),
  tasks: z.array(
    z.object({
      id: z.string(),
      type: z.string(),
      title: z.string(),
      details: z.string(),
      dependsOn: z.array(z.string()),
    }),
  ),
});

/** Heap per pending call of one kind of AI SDK call. */
export interface SdkCallHeap {
  call: SdkCall;
  bytesPerPendingCall: number;
}

/**
 * What one AI SDK call costs in CPU on the benchmark's mock models, with nothing around it: `generateText` (what
 * the baseline uses), `streamText` read to its end (what the default model worker and aggregator use), and a
 * streamed one-task structured output read through `partialOutputStream` (what the default model planner uses).
 * This is the floor of each role call, which the library cannot go below without changing how it calls the SDK.
 */
export async function measureSdkCallCost(options: {
  samples: number;
  callsPerSample: number;
}): Promise<SdkCallCost[]> {
  const calls = sdkCalls({ latencyMs: 0 });
  const names = Object.keys(calls) as SdkCall[];
  const samples = new Map<SdkCall, number[]>(names.map((name) => [name, []]));
  for (const name of names) for (let index = 0; index < 20; index++) await calls[name]();
  for (let sample = 0; sample < options.samples; sample++) {
    for (const name of names) {
      collectGarbage();
      const start = process.cpuUsage();
      for (let index = 0; index < options.callsPerSample; index++) await calls[name]();
      const cpu = process.cpuUsage(start);
      samples.get(name)!.push((cpu.user + cpu.system) / options.callsPerSample);
    }
  }
  return names.map((call): SdkCallCost => ({ call, cpuUsPerCall: summarize(samples.get(call)!) }));
}

/**
 * Heap per pending AI SDK call, with nothing around it: `calls` calls started at once on a mock model that
 * holds them; heapUsed after a full GC while all are pending, minus before, divided by `calls`.
 */
export async function measureSdkCallHeap(options: { calls: number }): Promise<SdkCallHeap[]> {
  const results: SdkCallHeap[] = [];
  for (const call of ["generateText", "streamText"] as const) {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let holding = false;
    const counter = callCounter();
    let allPending!: () => void;
    const pending = new Promise<void>((resolve) => {
      allPending = resolve;
    });
    counter.onActive = (active) => {
      if (holding && active === options.calls) allPending();
    };
    const run = sdkCalls({ latencyMs: 1, hold: () => (holding ? gate : undefined), counter })[call];
    await run();
    holding = true;
    collectGarbage();
    const before = process.memoryUsage().heapUsed;
    const started = Array.from({ length: options.calls }, run);
    await pending;
    collectGarbage();
    const during = process.memoryUsage().heapUsed;
    holding = false;
    release();
    await Promise.all(started);
    results.push({ call, bytesPerPendingCall: (during - before) / options.calls });
  }
  return results;
}

/** The measured calls, on fresh mock models. */
function sdkCalls(options: {
  latencyMs: number;
  hold?: () => Promise<void> | undefined;
  counter?: ReturnType<typeof callCounter>;
}): Record<SdkCall, () => Promise<unknown>> {
  const text = mockModel({ modelId: "text", text: "A short answer of a few words.", ...options });
  const plan = mockModel({ modelId: "plan", text: planText(planTasks(1)), ...options });
  return {
    generateText: () => generateText({ model: text, prompt: "Say something.", maxRetries: 0 }),
    streamText: async () => {
      const result = streamText({ model: text, prompt: "Say something.", maxRetries: 0 });
      for await (const _part of result.stream) {
        // Read to the end, as the model worker does.
      }
    },
    "streamText + Output.object": async () => {
      const result = streamText({
        model: plan,
        prompt: "Plan something.",
        output: Output.object({ schema }),
        maxRetries: 0,
      });
      for await (const _partial of result.partialOutputStream) {
        // Read to the end, as the model planner does.
      }
      await result.output;
    },
  };
}
