import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** One table of a scenario's results. */
export interface Table {
  title: string;
  columns: string[];
  rows: string[][];
  /** Lines printed under the table. */
  notes?: string[];
}

/** One target from the issue, checked against a measurement. */
export interface TargetCheck {
  /** What is checked and the bound, e.g. "own CPU per subtask (ours − baseline) ≤ 10 µs". */
  target: string;
  /** The measured value, formatted. */
  measured: string;
  pass: boolean;
}

/** What a scenario reports: tables for people, targets, and data for `results/latest.json`. */
export interface ScenarioReport {
  name: string;
  tables: Table[];
  targets: TargetCheck[];
  data: Record<string, unknown>;
}

/** Milliseconds with a sensible number of decimals. */
export function formatMs(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ms`;
}

/** Microseconds. */
export function formatUs(value: number): string {
  return `${value.toFixed(Math.abs(value) >= 100 ? 0 : 1)} µs`;
}

/** Bytes as B or KB (1 KB = 1024 B). */
export function formatBytes(value: number): string {
  return Math.abs(value) >= 1024 ? `${(value / 1024).toFixed(1)} KB` : `${value.toFixed(0)} B`;
}

/** A signed difference: "+1.2 ms". */
export function signed(formatted: string): string {
  return formatted.startsWith("-") ? formatted : `+${formatted}`;
}

/** `C` for tables: "∞" for unlimited. */
export function formatConcurrency(concurrency: number): string {
  return concurrency === Number.POSITIVE_INFINITY ? "∞" : String(concurrency);
}

/** Renders a table with aligned columns. */
export function renderTable(table: Table): string {
  const widths = table.columns.map((column, index) =>
    Math.max(width(column), ...table.rows.map((row) => width(row[index] ?? ""))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, index) => pad(cell, widths[index]!, index > 0))
      .join("  ")
      .trimEnd();
  const rule = widths.map((value) => "─".repeat(value)).join("  ");
  const lines = [table.title, line(table.columns), rule, ...table.rows.map(line)];
  for (const note of table.notes ?? []) lines.push(`  ${note}`);
  return lines.join("\n");
}

/** Renders a scenario: its tables, then its targets with PASS/FAIL. */
export function renderScenario(report: ScenarioReport): string {
  const parts = report.tables.map(renderTable);
  if (report.targets.length > 0) {
    parts.push(
      report.targets
        .map((check) => `  ${check.pass ? "PASS" : "FAIL"}  ${check.target}: ${check.measured}`)
        .join("\n"),
    );
  }
  return parts.join("\n\n");
}

/** Renders every target of every scenario, for the summary at the end. */
export function renderSummary(reports: readonly ScenarioReport[]): string {
  const checks = reports.flatMap((report) =>
    report.targets.map((check) => ({ ...check, name: report.name })),
  );
  const passed = checks.filter((check) => check.pass).length;
  const lines = checks.map(
    (check) => `  ${check.pass ? "PASS" : "FAIL"}  [${check.name}] ${check.target}: ${check.measured}`,
  );
  lines.push(`  ${passed} of ${checks.length} targets met`);
  return `Targets\n${lines.join("\n")}`;
}

/** Writes the machine-readable results. */
export function writeResults(
  path: string,
  meta: Record<string, unknown>,
  reports: readonly ScenarioReport[],
) {
  mkdirSync(dirname(path), { recursive: true });
  const scenarios = Object.fromEntries(
    reports.map((report) => [report.name, { targets: report.targets, ...report.data }]),
  );
  const json = JSON.stringify({ ...meta, scenarios }, rounded, 2);
  // Arrays of plain values on one line, as the repository's formatter (Biome) writes them.
  const compact = json.replace(/\[\n\s+([^[\]{}]*?)\n\s*\]/g, (_match, items: string) => {
    return `[${items.split(/,\n\s+/).join(", ")}]`;
  });
  writeFileSync(path, `${compact}\n`);
}

/** Keeps the JSON small: numbers to 4 significant digits, Infinity as the string "Infinity". */
function rounded(_key: string, value: unknown): unknown {
  if (typeof value !== "number") return value;
  if (!Number.isFinite(value)) return String(value);
  return Number.isInteger(value) ? value : Number(value.toPrecision(4));
}

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, right: boolean): string {
  const fill = " ".repeat(Math.max(0, size - width(text)));
  return right ? fill + text : text + fill;
}
