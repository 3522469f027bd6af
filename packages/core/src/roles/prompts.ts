import type { AggregateInput } from "./aggregator.js";
import type { PlanInput } from "./planner.js";
import type { WorkerInput } from "./worker.js";

/** The planner's default system prompt: how to split a request into subtasks. */
export const defaultPlannerSystemPrompt = `You are the orchestrator in an orchestrator-workers system. You break a request into subtasks. Workers execute the subtasks in parallel; each worker sees only the original request, its own subtask, and the outputs of the subtasks it depends on. An aggregator then combines the results into the final answer.

How to plan:
- Split the work into subtasks that can run independently, in parallel, whenever possible.
- Add a task id to "dependsOn" only when the task truly cannot start without that task's output. Depend only on tasks listed earlier; never create cycles.
- Use as few subtasks as the request needs; a simple request may need just one. Never exceed the maximum you are given.
- Make every subtask self-contained: its "details" say exactly what to produce, with the context, scope and format the worker needs.
- Do not add a final task that combines or summarizes the others: the aggregator does that.
- Ids are short and unique, in order: "t1", "t2", "t3", ...
- Titles are a few words.
- Use only the task types you are allowed.
- "analysis" is one to three sentences on how you split the work and why.`;

/** The worker's default system prompt: do one subtask, well. */
export const defaultWorkerSystemPrompt = `You are a worker in an orchestrator-workers system. You receive one subtask of a larger request; other workers handle the other parts.
- Do only your subtask, completely and accurately.
- When outputs of earlier subtasks are given, build on them instead of redoing their work.
- Answer with the result itself: no preamble, no restating the task, no questions back.
- When something is ambiguous, make a reasonable assumption and state it in one short sentence.`;

/** The aggregator's default system prompt: one coherent answer from the subtask results. */
export const defaultAggregatorSystemPrompt = `You are the aggregator in an orchestrator-workers system. Workers have completed subtasks of a request; you write the final answer.
- Synthesize the subtask results into a single coherent answer to the original request, as if one expert wrote it.
- Answer the request directly. Do not describe the process or mention subtasks, workers or the plan.
- Merge overlapping content, resolve contradictions, and keep everything substantive.
- When some subtasks are missing, answer as fully as the available results allow and say briefly which parts could not be completed.`;

/** Builds the planner's user prompt: the request, the subtask cap, the allowed types and any feedback. */
export function buildPlannerPrompt(input: PlanInput): string {
  const sections = [
    section("request", input.prompt),
    `Constraints:\n${plannerConstraints(input).join("\n")}`,
  ];
  if (input.feedback !== undefined) {
    sections.push(
      section(
        "previous-plan-feedback",
        `Your previous plan was rejected: ${input.feedback}\nReturn a corrected plan that fixes this.`,
      ),
    );
  }
  sections.push(
    'Answer with a JSON object: {"analysis": string, "tasks": [{"id": string, "type": string, "title": string, "details": string, "dependsOn": string[]}]}.',
  );
  return sections.join("\n\n");
}

function plannerConstraints(input: PlanInput): string[] {
  const plural = input.maxSubtasks === 1 ? "subtask" : "subtasks";
  const constraints = [
    `- At most ${input.maxSubtasks} ${plural}; fewer is better when the request is simple.`,
  ];
  if (input.taskTypes.length === 0) {
    constraints.push('- Allowed task types: "default". Set every task\'s "type" to "default".');
  } else {
    const types = input.taskTypes.map((type) => JSON.stringify(type)).join(", ");
    constraints.push(`- Allowed task types: ${types}. Set each task's "type" to the one that fits it best.`);
  }
  return constraints;
}

/** Builds the worker's user prompt: the request, the subtask, and the outputs of its dependencies. */
export function buildWorkerPrompt(input: WorkerInput): string {
  const { task, dependencies } = input;
  // One `join` of the parts: the prompt stays in memory while the model call is pending, and a string built
  // with `+` or a template is a tree of a dozen rope nodes, which holds more memory than the flat text.
  const request = `<request>\n${input.prompt}\n</request>\n\n`;
  const subtask = `<subtask id="${attribute(task.id)}" type="${attribute(task.type)}">\nTitle: ${task.title}\nDetails: `;
  if (dependencies.length === 0) {
    return [
      request,
      subtask,
      task.details,
      '\n</subtask>\n\nComplete only the subtask "',
      task.title,
      '".',
    ].join("");
  }
  const outputs = dependencies.map((dependency) => taskOutput("output", dependency.task, dependency.output));
  return [
    request,
    subtask,
    task.details,
    "\n</subtask>\n\n<dependency-outputs>\n",
    outputs.join("\n"),
    '\n</dependency-outputs>\n\nComplete only the subtask "',
    task.title,
    '", building on the dependency outputs above.',
  ].join("");
}

/** Builds the aggregator's user prompt: the request, the plan analysis, the results and what is missing. */
export function buildAggregatorPrompt(input: AggregateInput): string {
  let prompt = section("request", input.prompt);
  if (input.plan.analysis) prompt += `\n\n${section("plan-analysis", input.plan.analysis)}`;
  // One string built in a loop: this runs once per run over every result, so no array of parts per result.
  let results = "";
  for (const result of input.results) {
    results += `${results === "" ? "" : "\n"}${taskOutput("result", result.task, result.output)}`;
  }
  prompt += `\n\n${section("subtask-results", results === "" ? "(none completed)" : results)}`;
  if (input.failures.length === 0) return `${prompt}\n\nWrite the final answer to the request.`;
  const failures = input.failures.map(
    (failure) => `- ${failure.task.id} "${failure.task.title}": ${failure.status}: ${failure.error.message}`,
  );
  return `${prompt}\n\n${section("missing-subtasks", failures.join("\n"))}\n\nWrite the final answer to the request. Some subtasks did not complete: say briefly which parts of the answer are missing or uncertain because of that.`;
}

/** A task's output as prompt text: strings as they are, anything else as indented JSON. */
export function stringifyOutput(output: unknown): string {
  if (typeof output === "string") return output;
  if (output === undefined) return "(no output)";
  return JSON.stringify(output, null, 2) ?? String(output);
}

function taskOutput(tag: string, task: { id: string; title: string }, output: unknown): string {
  return `<${tag} task="${attribute(task.id)}" title="${attribute(task.title)}">\n${stringifyOutput(output)}\n</${tag}>`;
}

function section(tag: string, body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`;
}

const attributeSpecial = /[&"]/;

function attribute(value: string): string {
  if (!attributeSpecial.test(value)) return value;
  return value.replaceAll("&", "&amp;").replaceAll('"', "&quot;");
}
