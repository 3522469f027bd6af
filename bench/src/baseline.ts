import { generateText, type LanguageModel, Output } from "ai";
import { z } from "zod";

/**
 * A counting semaphore: at most `limit` holders at once, waiters served first come first served. `Infinity`
 * never makes anyone wait. Each operation is O(1).
 */
export class Semaphore {
  private available: number;
  private readonly waiting: Array<() => void> = [];
  private head = 0;

  constructor(limit: number) {
    this.available = limit;
  }

  /** Runs `task` once a slot is free and frees the slot when it settles. */
  async run<TResult>(task: () => Promise<TResult>): Promise<TResult> {
    if (this.available > 0) this.available--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      this.release();
    }
  }

  private release(): void {
    const next = this.waiting[this.head];
    if (next === undefined) {
      this.available++;
      return;
    }
    // The slot passes straight to the next waiter.
    this.waiting[this.head++] = undefined as never;
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    }
    next();
  }
}

const planSchema = z.object({
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

type BaselineTask = z.infer<typeof planSchema>["tasks"][number];

/** Options for {@link baselineRun}. */
export interface BaselineOptions {
  prompt: string;
  planner: LanguageModel;
  worker: LanguageModel;
  aggregator: LanguageModel;
  /** Max worker calls in flight. */
  concurrency: number;
  /** The most subtasks the plan may have. */
  maxSubtasks: number;
}

/** What {@link baselineRun} answers. */
export interface BaselineResult {
  output: string;
  tasks: number;
}

/**
 * The orchestrator-workers pattern written by hand with the AI SDK, as the benchmark's reference: a
 * `generateText` + `Output.object` plan, every subtask through `generateText` under a counting semaphore
 * (`Promise.all`; a task with dependencies first awaits theirs), and a `generateText` aggregator. No store, no
 * events, no retries, no validation beyond the schema: the least a working program needs.
 */
export async function baselineRun(options: BaselineOptions): Promise<BaselineResult> {
  const { prompt } = options;
  const planned = await generateText({
    model: options.planner,
    system: "Break the request into independent subtasks that workers can do in parallel.",
    prompt: `Request: ${prompt}\nAt most ${options.maxSubtasks} subtasks.`,
    output: Output.object({ schema: planSchema }),
    maxRetries: 0,
  });
  const { tasks } = planned.output;
  if (tasks.length === 0 || tasks.length > options.maxSubtasks) {
    throw new Error(`The plan has ${tasks.length} subtasks.`);
  }
  const semaphore = new Semaphore(options.concurrency);
  const outputs = new Map<string, Promise<string>>();
  const work = (task: BaselineTask, dependencies: string[]) =>
    semaphore.run(async () => {
      const context = dependencies.map((output, index) => `Output of ${task.dependsOn[index]}: ${output}`);
      const result = await generateText({
        model: options.worker,
        system: "Do this one subtask of a larger request.",
        prompt: `Request: ${prompt}\nSubtask: ${task.title}\n${task.details}\n${context.join("\n")}`,
        maxRetries: 0,
      });
      return result.text;
    });
  for (const task of tasks) {
    const output =
      task.dependsOn.length === 0
        ? work(task, [])
        : Promise.all(task.dependsOn.map((id) => outputs.get(id) ?? Promise.resolve(""))).then((results) =>
            work(task, results),
          );
    outputs.set(task.id, output);
  }
  const results = await Promise.all(outputs.values());
  const aggregated = await generateText({
    model: options.aggregator,
    system: "Combine the subtask results into one answer to the request.",
    prompt: `Request: ${prompt}\n\n${tasks.map((task, index) => `## ${task.title}\n${results[index]}`).join("\n\n")}`,
    maxRetries: 0,
  });
  return { output: aggregated.text, tasks: tasks.length };
}
