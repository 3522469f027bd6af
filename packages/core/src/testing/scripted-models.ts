import type { MockLanguageModelV4 } from "ai/test";
import { type ScriptedRequest, scriptedModel } from "./scripted-model.js";

/** Options for {@link scriptedModels}. */
export interface ScriptedModelsOptions {
  /**
   * Simulated duration of each call, in milliseconds. Worker calls vary between 60% and 140% of it,
   * deterministically per subtask, so that tasks end at different times. @default 0
   */
  latencyMs?: number;
  /** Characters per streamed chunk. @default 16 */
  chunkSize?: number;
}

/** The two offline models {@link scriptedModels} returns. */
export interface ScriptedModels {
  /** Plans (structured output) and aggregates: pass it as the orchestrator (and so the aggregator). */
  orchestrator: MockLanguageModelV4;
  /** Executes subtasks: pass it as the worker. */
  worker: MockLanguageModelV4;
}

/**
 * Two offline models that make a whole run work for any prompt, with no network and no API key: the
 * orchestrator plans 3 to 5 subtasks derived deterministically from the prompt (respecting the cap and the task
 * types it is told, with one dependency), workers answer each subtask, and the aggregator assembles an answer
 * that names what is missing. Every text starts with `[scripted]` so nobody mistakes it for a real answer.
 * They understand the default prompts of the built-in model roles.
 */
export function scriptedModels(options: ScriptedModelsOptions = {}): ScriptedModels {
  const latencyMs = options.latencyMs ?? 0;
  const chunkSize = options.chunkSize ?? 16;
  return {
    orchestrator: scriptedModel({
      modelId: "scripted-orchestrator",
      latencyMs,
      chunkSize,
      respond: (request) => (request.role === "planner" ? scriptedPlan(request) : scriptedAnswer(request)),
    }),
    worker: scriptedModel({
      modelId: "scripted-worker",
      latencyMs: (request) => latencyMs * (0.6 + (hash(request.prompt) % 81) / 100),
      chunkSize,
      respond: scriptedWorkerOutput,
    }),
  };
}

const independentSteps = [
  {
    title: "Collect the key facts",
    details: (topic: string) =>
      `List the essential facts, definitions and figures needed to answer "${topic}".`,
  },
  {
    title: "Compare the options",
    details: (topic: string) =>
      `Compare the main approaches or viewpoints relevant to "${topic}", with their pros and cons.`,
  },
  {
    title: "Spot risks and pitfalls",
    details: (topic: string) => `Identify common mistakes, risks and open questions around "${topic}".`,
  },
];

/** What a scripted worker says for each scripted step; other titles get three of the generic points. */
const pointsByTitle = new Map<string, string[]>(
  Object.entries({
    "Frame the question": [
      "Goal: a clear, practical answer that someone can act on.",
      "Audience: a capable reader who is not a specialist.",
      "A complete answer covers the main options, the key facts and the pitfalls.",
    ],
    "Collect the key facts": [
      "Definitions first: the terms in the question have precise meanings.",
      "The numbers that matter most are cost, time and scale.",
      "Sources disagree on details, not on the essentials.",
    ],
    "Compare the options": [
      "Two approaches stand out; the simpler one covers most cases.",
      "The trade-off is speed against thoroughness.",
      "The right choice depends mostly on scale and budget.",
    ],
    "Spot risks and pitfalls": [
      "The most common mistake is solving a broader problem than the one asked.",
      "Hidden costs show up late; name them early.",
      "Open question: how much depth the reader expects.",
    ],
    "Draft the core answer": [
      "Lead with the recommendation, then the reasons.",
      "Three points cover the essentials; the rest is detail.",
      "Close with one concrete next step.",
    ],
  }),
);

const genericPoints = [
  "The core requirement is a clear, direct answer that a newcomer can follow.",
  "Constraints worth stating up front: time, cost and the level of detail needed.",
  "A concrete example makes the main point much easier to check.",
  "Evidence first, opinions second: the facts settle most of the disagreement.",
  "Trade-off: speed against thoroughness; this favours clarity.",
];

function scriptedPlan(request: ScriptedRequest) {
  const topic = topicOf(request.prompt);
  // The constraints follow the request, so a request that quotes them cannot confuse the parsing.
  const constraints = request.prompt.slice(request.prompt.lastIndexOf("</request>") + 1);
  const cap = Number(/At most (\d+) subtask/.exec(constraints)?.[1] ?? 5);
  const types = allowedTypes(constraints);
  const count = Math.max(1, Math.min(cap, 3 + (hash(topic) % 3)));
  const steps =
    count === 1
      ? [{ title: "Answer the request", details: `Answer "${topic}" completely.`, dependsOn: [] as string[] }]
      : [
          {
            title: "Frame the question",
            details: `Restate what "${topic}" asks for, who it is for, and what a complete answer must cover.`,
            dependsOn: [] as string[],
          },
          ...rotate(independentSteps, hash(topic))
            .slice(0, count - 2)
            .map((step) => ({ title: step.title, details: step.details(topic), dependsOn: [] as string[] })),
          {
            title: "Draft the core answer",
            details: `Using the framing from t1, draft the core of the answer to "${topic}".`,
            dependsOn: ["t1"],
          },
        ];
  const tasks = steps.map((step, index) => ({
    id: `t${index + 1}`,
    type: types[index % types.length] ?? "default",
    ...step,
  }));
  const analysis =
    count === 1
      ? `[scripted] "${topic}" is answered in a single subtask.`
      : `[scripted] Split "${topic}" into ${count} subtasks: ${count - 1} independent ones run in parallel, and "Draft the core answer" builds on "Frame the question".`;
  return { analysis, tasks };
}

function scriptedWorkerOutput(request: ScriptedRequest): string {
  const topic = topicOf(request.prompt);
  const title = /^Title: (.*)$/m.exec(sectionOf(request.prompt, "subtask") ?? "")?.[1] ?? "Subtask";
  const dependencies = [...request.prompt.matchAll(/<output task="([^"]*)"/g)].map((match) => match[1]);
  const points =
    pointsByTitle.get(title === "Answer the request" ? "Draft the core answer" : title) ??
    rotate(genericPoints, hash(`${title}|${topic}`)).slice(0, 3);
  const lines = [`[scripted] ${title} for "${topic}":`, ...points.map((point) => `- ${point}`)];
  if (dependencies.length > 0) lines.push(`(Builds on ${dependencies.join(", ")}.)`);
  return lines.join("\n");
}

function scriptedAnswer(request: ScriptedRequest): string {
  const topic = topicOf(request.prompt);
  const results = [
    ...request.prompt.matchAll(/<result task="[^"]*" title="([^"]*)">\n([\s\S]*?)\n<\/result>/g),
  ];
  const missing = [
    ...(sectionOf(request.prompt, "missing-subtasks") ?? "").matchAll(/^- \S+ "(.*)": (\w+): (.*)$/gm),
  ];
  const lines = [
    `[scripted] Answer to "${topic}"`,
    "",
    `Assembled offline from ${results.length} subtask result${results.length === 1 ? "" : "s"} by a scripted model; no API was called.`,
    "",
    ...results.map((match, index) => {
      const firstPoint = /^- (.*)$/m.exec(match[2] ?? "")?.[1] ?? (match[2] ?? "").split("\n")[0];
      return `${index + 1}. ${unescapeAttribute(match[1] ?? "")}: ${firstPoint}`;
    }),
  ];
  if (missing.length > 0) {
    lines.push("", "Missing from this answer:");
    for (const match of missing) lines.push(`- ${match[1]} (${match[2]}: ${match[3]})`);
  }
  lines.push("", "Connect a real model for a real answer.");
  return lines.join("\n");
}

/** The user's request from a default role prompt, as a short one-line topic. */
function topicOf(prompt: string): string {
  const line = (sectionOf(prompt, "request") ?? prompt)
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.?!:;,]+$/, "");
  return line.length > 60 ? `${line.slice(0, 57).trimEnd()}...` : line || "the request";
}

/** The body of the first `<tag ...>` section of a default role prompt. */
function sectionOf(prompt: string, tag: string): string | undefined {
  const open = new RegExp(`<${tag}(?: [^>]*)?>\n`).exec(prompt);
  if (open === null) return undefined;
  const start = open.index + open[0].length;
  const end = prompt.indexOf(`\n</${tag}>`, start);
  return end >= 0 ? prompt.slice(start, end) : undefined;
}

function allowedTypes(prompt: string): string[] {
  const list = /Allowed task types: ((?:"(?:[^"\\]|\\.)*"(?:, )?)+)/.exec(prompt)?.[1];
  if (list === undefined) return ["default"];
  return [...list.matchAll(/"(?:[^"\\]|\\.)*"/g)].map((match) => JSON.parse(match[0]) as string);
}

function rotate<TItem>(items: readonly TItem[], by: number): TItem[] {
  const offset = by % items.length;
  return [...items.slice(offset), ...items.slice(0, offset)];
}

/** FNV-1a: a small stable hash, so the same prompt always gets the same plan. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

function unescapeAttribute(value: string): string {
  return value.replaceAll("&quot;", '"').replaceAll("&amp;", "&");
}
