import { describe, expect, it } from "vitest";
import { PlanStreamScanner } from "./plan-stream-scanner.js";

function scanInChunks(text: string, size: number): string[] {
  const scanner = new PlanStreamScanner();
  const found: string[] = [];
  for (let index = 0; index < text.length; index += size)
    found.push(...scanner.push(text.slice(index, index + size)));
  return found;
}

describe("PlanStreamScanner", () => {
  const plan = {
    analysis: 'Split it: "tasks" in quotes, braces } { and ] [ in strings, escapes \\" too.',
    tasks: [
      { id: "t1", type: "default", title: "One {", details: 'He said "}" and left', dependsOn: [] },
      { id: "t2", type: "code", title: "Two", details: "Nested: [1, {2}]", dependsOn: ["t1"] },
      { id: "t3", type: "default", title: "Three \\ back", details: "ünïcödé ✓", dependsOn: ["t1", "t2"] },
    ],
  };
  const text = JSON.stringify(plan, null, 2);

  it.each([1, 2, 7, 64, text.length])(
    "finds every element, whole and in order, with chunks of %i characters",
    (size) => {
      const found = scanInChunks(text, size).map((element) => JSON.parse(element));
      expect(found).toEqual(plan.tasks);
    },
  );

  it("ignores a fenced block around the JSON and other top-level keys, including one named tasks in a string", () => {
    const fenced = `\`\`\`json\n${JSON.stringify({ note: "tasks", nested: { tasks: [{ id: "x" }] }, tasks: [{ id: "a" }] })}\n\`\`\``;
    expect(scanInChunks(fenced, 3)).toEqual(['{"id":"a"}']);
  });

  it("returns nothing for a tasks value that is not an array, and no half element", () => {
    expect(scanInChunks('{"tasks": null, "other": [{"id": "b"}]}', 4)).toEqual([]);
    expect(new PlanStreamScanner().push('{"tasks": [{"id": "a", "det')).toEqual([]);
  });

  it("finds all 10,000 tasks of a big plan streamed in small chunks (bench/planner-growth measures its cost)", () => {
    const tasks = Array.from({ length: 10_000 }, (_, index) => ({
      id: `t${index}`,
      details: "d".repeat(50),
    }));
    const found = scanInChunks(JSON.stringify({ analysis: "x", tasks }), 16);
    expect(found).toHaveLength(10_000);
    expect(JSON.parse(found[9_999]!)).toEqual(tasks[9_999]);
  });
});
