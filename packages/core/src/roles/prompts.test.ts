import { describe, expect, it } from "vitest";
import type { AggregateInput } from "./aggregator.js";
import { buildAggregatorPrompt, buildPlannerPrompt, buildWorkerPrompt, stringifyOutput } from "./prompts.js";

const signal = new AbortController().signal;
const research = {
  id: "t1",
  type: "research",
  title: "Find facts",
  details: "Find three facts.",
  dependsOn: [],
};
const write = {
  id: "t2",
  type: "writing",
  title: 'Write "intro"',
  details: "Write an intro.",
  dependsOn: ["t1"],
};

describe("buildPlannerPrompt", () => {
  it("tells the model the request, the cap and the allowed types", () => {
    const prompt = buildPlannerPrompt({
      prompt: "Plan a trip",
      maxSubtasks: 4,
      taskTypes: ["research", "default"],
      attempt: 1,
    });
    expect(prompt).toContain("<request>\nPlan a trip\n</request>");
    expect(prompt).toContain("At most 4 subtasks");
    expect(prompt).toContain('Allowed task types: "research", "default".');
    expect(prompt).not.toContain("rejected");
  });

  it("says every task is of type default when no types are given, and adds feedback on a retry", () => {
    const prompt = buildPlannerPrompt({
      prompt: "Plan a trip",
      maxSubtasks: 1,
      taskTypes: [],
      attempt: 2,
      feedback: "Task t3 depends on unknown task t9.",
    });
    expect(prompt).toContain("At most 1 subtask;");
    expect(prompt).toContain('"default"');
    expect(prompt).toContain("Your previous plan was rejected: Task t3 depends on unknown task t9.");
  });
});

describe("buildWorkerPrompt", () => {
  it("includes the request, the subtask and each dependency output", () => {
    const prompt = buildWorkerPrompt({
      prompt: "Write a blog post",
      task: write,
      dependencies: [{ task: research, output: { facts: ["a", "b"] } }],
      signal,
      attempt: 1,
    });
    expect(prompt).toContain("<request>\nWrite a blog post\n</request>");
    expect(prompt).toContain(
      '<subtask id="t2" type="writing">\nTitle: Write "intro"\nDetails: Write an intro.',
    );
    expect(prompt).toContain('<output task="t1" title="Find facts">');
    expect(prompt).toContain(JSON.stringify({ facts: ["a", "b"] }, null, 2));
    expect(prompt).toContain("building on the dependency outputs");
  });

  it("has no dependency section for an independent task", () => {
    const prompt = buildWorkerPrompt({ prompt: "x", task: research, dependencies: [], signal, attempt: 1 });
    expect(prompt).not.toContain("<dependency-outputs>");
  });
});

describe("buildAggregatorPrompt", () => {
  const input: AggregateInput = {
    prompt: "Write a blog post",
    plan: { analysis: "Research, then write.", tasks: [research, write] },
    results: [{ task: research, output: "Fact one." }],
    failures: [{ task: write, status: "failed", error: { code: "MODEL_ERROR", message: "Rate limited" } }],
    signal,
  };

  it("includes the analysis, the results and the failures", () => {
    const prompt = buildAggregatorPrompt(input);
    expect(prompt).toContain("<plan-analysis>\nResearch, then write.\n</plan-analysis>");
    expect(prompt).toContain('<result task="t1" title="Find facts">\nFact one.\n</result>');
    expect(prompt).toContain('- t2 "Write "intro"": failed: Rate limited');
    expect(prompt).toContain("say briefly which parts of the answer are missing");
  });

  it("says when nothing completed", () => {
    const prompt = buildAggregatorPrompt({ ...input, results: [], plan: { tasks: [] } });
    expect(prompt).toContain("(none completed)");
    expect(prompt).not.toContain("<plan-analysis>");
  });
});

describe("stringifyOutput", () => {
  it("keeps strings and stringifies everything else", () => {
    expect(stringifyOutput("text")).toBe("text");
    expect(stringifyOutput(42)).toBe("42");
    expect(stringifyOutput(undefined)).toBe("(no output)");
  });
});
