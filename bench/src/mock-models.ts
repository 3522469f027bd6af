import { sleep as delay } from "@orchestrator-workers/core";
import { convertArrayToReadableStream, MockLanguageModelV4 } from "ai/test";
import { preciseDelay } from "./precise-delay.js";

type CallOptions = Parameters<MockLanguageModelV4["doGenerate"]>[0];
type GenerateResult = Awaited<ReturnType<MockLanguageModelV4["doGenerate"]>>;
type StreamResult = Awaited<ReturnType<MockLanguageModelV4["doStream"]>>;
type StreamPart = StreamResult["stream"] extends ReadableStream<infer TPart> ? TPart : never;

/** One subtask of a benchmark plan, in the JSON shape both the baseline and the model planner parse. */
export interface PlanTask {
  id: string;
  type: string;
  title: string;
  details: string;
  dependsOn: string[];
}

/** Counts the calls a mock model receives; shared by every model it is passed to. */
export interface CallCounter {
  /** Calls started. */
  calls: number;
  /** Calls started and not answered yet. */
  active: number;
  /** The most calls active at once. */
  peak: number;
  /** `performance.now()` of the first call, if any. */
  firstCallAt: number | undefined;
  /** Called whenever `active` grows. */
  onActive?: (active: number) => void;
}

/** A fresh {@link CallCounter}. */
export function callCounter(): CallCounter {
  return { calls: 0, active: 0, peak: 0, firstCallAt: undefined };
}

/** Options for {@link mockModel}. */
export interface MockModelOptions {
  modelId: string;
  /** What every call answers: text, or a plan's JSON text for structured output. */
  text: string;
  /** Simulated latency of every call, in milliseconds; 0 answers without a timer. Aborting ends it at once. */
  latencyMs: number;
  /**
   * `doStream` only: sends the text as these chunks, waiting `chunkDelayMs` before each one, instead of all
   * at once after `latencyMs` (so a streamed plan arrives over time).
   */
  chunks?: readonly string[];
  /** Delay before each of `chunks`, in milliseconds. @default 0 */
  chunkDelayMs?: number;
  /** Each call also waits for the promise this returns (if any) before answering. */
  hold?: () => Promise<void> | undefined;
  /** Counts this model's calls. */
  counter?: CallCounter;
  /** Waits `latencyMs` to within tens of microseconds instead of on whole milliseconds (see `precise-delay.ts`). */
  precise?: boolean;
}

const usage = {
  inputTokens: { total: 20, noCache: 20, cacheRead: 0, cacheWrite: 0 },
  outputTokens: { total: 5, text: 5, reasoning: 0 },
};
const finishReason = { unified: "stop" as const, raw: undefined };

/**
 * An AI SDK mock model (`MockLanguageModelV4`) that answers every call with the same text after a fixed
 * latency, through `doGenerate` and `doStream` alike. It does not keep its calls (the mock's call log would
 * otherwise grow with every run and distort heap and GC figures).
 */
export function mockModel(options: MockModelOptions): MockLanguageModelV4 {
  const counter = options.counter;
  const begin = () => {
    if (!counter) return;
    counter.calls++;
    counter.active++;
    if (counter.active > counter.peak) counter.peak = counter.active;
    counter.firstCallAt ??= performance.now();
    counter.onActive?.(counter.active);
  };
  const end = () => {
    if (counter) counter.active--;
  };
  const latency = options.precise ? preciseDelay : delay;
  const wait = async (callOptions: CallOptions) => {
    const held = options.hold?.();
    if (held) await Promise.all([latency(options.latencyMs, callOptions.abortSignal), held]);
    else if (options.latencyMs > 0) await latency(options.latencyMs, callOptions.abortSignal);
  };
  const model: MockLanguageModelV4 = new MockLanguageModelV4({
    provider: "bench",
    modelId: options.modelId,
    doGenerate: async (callOptions): Promise<GenerateResult> => {
      model.doGenerateCalls.length = 0;
      begin();
      try {
        await wait(callOptions);
        return { content: [{ type: "text", text: options.text }], finishReason, usage, warnings: [] };
      } finally {
        end();
      }
    },
    doStream: async (callOptions): Promise<StreamResult> => {
      model.doStreamCalls.length = 0;
      begin();
      if (options.chunks) {
        return {
          stream: chunkedStream(options.chunks, options.chunkDelayMs ?? 0, callOptions.abortSignal, end),
        };
      }
      try {
        await wait(callOptions);
      } finally {
        end();
      }
      return {
        stream: convertArrayToReadableStream<StreamPart>([
          { type: "stream-start", warnings: [] },
          { type: "text-start", id: "text" },
          { type: "text-delta", id: "text", delta: options.text },
          { type: "text-end", id: "text" },
          { type: "finish", usage, finishReason },
        ]),
      };
    },
  });
  return model;
}

/** A stream of text deltas, one per chunk, each after `delayMs`. Calls `onEnd` when the last part is sent. */
function chunkedStream(
  chunks: readonly string[],
  delayMs: number,
  signal: AbortSignal | undefined,
  onEnd: () => void,
): ReadableStream<StreamPart> {
  const parts: StreamPart[] = [
    { type: "stream-start", warnings: [] },
    { type: "text-start", id: "text" },
    ...chunks.map((delta): StreamPart => ({ type: "text-delta", id: "text", delta })),
    { type: "text-end", id: "text" },
    { type: "finish", usage, finishReason },
  ];
  let index = 0;
  return new ReadableStream<StreamPart>({
    async pull(controller) {
      const part = parts[index++];
      if (part === undefined) {
        onEnd();
        controller.close();
        return;
      }
      if (part.type === "text-delta" && delayMs > 0) await delay(delayMs, signal);
      controller.enqueue(part);
    },
  });
}

/**
 * The subtasks of a benchmark plan: `count` tasks in `layers` layers. With one layer every task is
 * independent; with more, each task depends on the task at the same position in the layer before, so the
 * longest dependency chain is `layers` tasks.
 */
export function planTasks(count: number, layers = 1): PlanTask[] {
  const width = Math.ceil(count / layers);
  const tasks: PlanTask[] = [];
  for (let index = 0; index < count; index++) {
    const dependency = index >= width ? `t${index - width + 1}` : undefined;
    tasks.push({
      id: `t${index + 1}`,
      type: "default",
      title: `Part ${index + 1}`,
      details: `Write part ${index + 1} of the answer: two sentences on aspect ${index + 1}.`,
      dependsOn: dependency ? [dependency] : [],
    });
  }
  return tasks;
}

const analysis = "The request splits into independent parts that workers write in parallel.";

/** A plan's JSON text, as a model with structured output answers it. */
export function planText(tasks: readonly PlanTask[]): string {
  return JSON.stringify({ analysis, tasks });
}

/**
 * The same JSON text as {@link planText}, cut into one chunk per task (the first also carries the analysis,
 * and a last chunk closes the object), so a streaming planner receives the tasks one by one.
 */
export function planChunks(tasks: readonly PlanTask[]): string[] {
  const chunks = tasks.map((task, index) =>
    index === 0
      ? `{"analysis":${JSON.stringify(analysis)},"tasks":[${JSON.stringify(task)}`
      : `,${JSON.stringify(task)}`,
  );
  chunks.push("]}");
  return chunks;
}

/** Options for {@link benchModels}. */
export interface BenchModelsOptions {
  /** Subtasks in the plan. */
  tasks: number;
  /** Layers of the plan; see {@link planTasks}. @default 1 */
  layers?: number;
  /** Latency of every call, in milliseconds. */
  latencyMs: number;
  /** Planner latency, when it differs. @default latencyMs */
  plannerLatencyMs?: number;
  /** Aggregator latency, when it differs. @default latencyMs */
  aggregatorLatencyMs?: number;
  /** When set, a streamed plan arrives one task per chunk, each chunk after this many milliseconds. */
  planChunkDelayMs?: number;
  /** Worker calls also wait for the promise this returns (if any). */
  holdWorkers?: () => Promise<void> | undefined;
  /** Every call's latency to within tens of microseconds, not whole milliseconds (see `precise-delay.ts`). */
  precise?: boolean;
}

/** The three mock models of a benchmark run, and counters of their calls. */
export interface BenchModels {
  planner: MockLanguageModelV4;
  worker: MockLanguageModelV4;
  aggregator: MockLanguageModelV4;
  /** Counts worker calls. */
  workers: CallCounter;
  /** The plan the planner answers. */
  plan: PlanTask[];
}

/**
 * The mock models one scenario uses for both the baseline and ours: a planner that answers a JSON plan of
 * `tasks` subtasks, workers and an aggregator that answer short text, all after `latencyMs`.
 */
export function benchModels(options: BenchModelsOptions): BenchModels {
  const plan = planTasks(options.tasks, options.layers);
  const workers = callCounter();
  const precise = options.precise ? { precise: true } : {};
  const planner = mockModel({
    ...precise,
    modelId: "planner",
    text: planText(plan),
    latencyMs: options.plannerLatencyMs ?? options.latencyMs,
    ...(options.planChunkDelayMs === undefined
      ? {}
      : { chunks: planChunks(plan), chunkDelayMs: options.planChunkDelayMs }),
  });
  const worker = mockModel({
    ...precise,
    modelId: "worker",
    text: "This part of the answer is done: two short sentences on the aspect asked for.",
    latencyMs: options.latencyMs,
    counter: workers,
    ...(options.holdWorkers ? { hold: options.holdWorkers } : {}),
  });
  const aggregator = mockModel({
    ...precise,
    modelId: "aggregator",
    text: "The final answer, synthesized from every part.",
    latencyMs: options.aggregatorLatencyMs ?? options.latencyMs,
  });
  return { planner, worker, aggregator, workers, plan };
}
