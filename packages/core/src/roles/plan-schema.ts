import { z } from "zod";
import { OrchestrateError } from "../errors/orchestrate-error.js";

/** The zod schema of one subtask in a model-generated plan. */
export const modelPlannedTaskSchema = z.object({
  id: z.string().describe('A short unique id: "t1", "t2", ...'),
  type: z.string().describe("One of the allowed task types."),
  title: z.string().describe("A few words naming the subtask."),
  details: z.string().describe("Everything the worker needs to know to do the subtask."),
  dependsOn: z
    .array(z.string())
    .describe("Ids of earlier tasks whose output this task needs. Empty when it needs none."),
});

/** The zod schema of a model-generated plan: the analysis first, so that it streams before the tasks. */
export const modelPlanSchema = z.object({
  analysis: z.string().describe("One to three sentences on how the work is split and why."),
  tasks: z.array(modelPlannedTaskSchema).describe("The subtasks, in order."),
});

/** A subtask as the model planner produces it. */
export type ModelPlannedTask = z.infer<typeof modelPlannedTaskSchema>;

/** A plan as the model planner produces it. */
export type ModelPlan = z.infer<typeof modelPlanSchema>;

/** Validates the task at `index` of a plan; throws a `PLAN_INVALID` error naming the field otherwise. */
export function validateModelPlannedTask(value: unknown, index: number): ModelPlannedTask {
  const result = modelPlannedTaskSchema.safeParse(value);
  if (result.success) return result.data;
  throw planInvalid(
    `The plan does not match the schema: ${describeIssues(result.error.issues, ["tasks", index])}.`,
  );
}

/**
 * Parses the text of a plan that the AI SDK could not parse, tolerating a Markdown code fence or prose around
 * the JSON object (common with models that have no JSON mode). Returns the plan when it is valid; otherwise
 * throws a `PLAN_INVALID` error that says exactly what was wrong, with `cause` as its cause.
 */
export function parseModelPlanText(text: string | undefined, cause: unknown): ModelPlan {
  if (text === undefined || text.trim() === "") throw planInvalid("The planner returned no text.", cause);
  let value: unknown;
  try {
    value = JSON.parse(extractJson(text));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw planInvalid(
      `The plan is not valid JSON (${reason}). Answer with the JSON object only. Received: ${excerpt(text)}`,
      cause,
    );
  }
  const result = modelPlanSchema.safeParse(value);
  if (result.success) return result.data;
  throw planInvalid(`The plan does not match the schema: ${describeIssues(result.error.issues, [])}.`, cause);
}

function extractJson(text: string): string {
  const trimmed = text.trim();
  const fenced = /^```[a-zA-Z]*\s*([\s\S]*?)\s*```$/.exec(trimmed);
  if (fenced?.[1] !== undefined) return fenced[1];
  const start = trimmed.indexOf("{");
  const end = trimmed.lastIndexOf("}");
  return start > 0 && end > start ? trimmed.slice(start, end + 1) : trimmed;
}

function describeIssues(issues: readonly z.core.$ZodIssue[], basePath: PropertyKey[]): string {
  const shown = issues.slice(0, 5).map((issue) => {
    const path = formatPath([...basePath, ...issue.path]);
    return path === "" ? issue.message : `${path}: ${issue.message}`;
  });
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
  return shown.join("; ");
}

function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === "number") return `[${segment}]`;
      return index === 0 ? String(segment) : `.${String(segment)}`;
    })
    .join("");
}

function excerpt(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 200 ? `${trimmed.slice(0, 197)}...` : trimmed);
}

function planInvalid(message: string, cause?: unknown): OrchestrateError {
  return new OrchestrateError({ code: "PLAN_INVALID", message, cause });
}
