import type { RunEvent } from "@orchestrator-workers/core";
import { ProgressState, seconds, type TaskLine } from "./progress-state.js";

/** Renders progress: a live table redrawn in place on a TTY, plain lines otherwise. */
export class TerminalRenderer {
  private readonly state = new ProgressState();
  private readonly output: NodeJS.WriteStream;
  private readonly live: boolean;
  private drawnLines = 0;
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopped = false;

  constructor(output: NodeJS.WriteStream) {
    this.output = output;
    this.live = Boolean(output.isTTY) && process.env.TERM !== "dumb";
    if (this.live) this.timer = setInterval(() => this.draw(), 100);
  }

  /** Feeds one run event. */
  handle(event: RunEvent): void {
    const line = this.state.apply(event);
    if (this.stopped) return;
    if (this.live) this.draw();
    else if (line) this.output.write(`${line}\n`);
  }

  /** Stops redrawing and leaves the final table on screen. */
  stop(): void {
    if (this.stopped) return;
    if (this.timer) clearInterval(this.timer);
    if (this.live) this.draw();
    this.stopped = true;
  }

  private draw(): void {
    const width = Math.max(40, this.output.columns ?? 100);
    const lines = [
      `phase: ${this.state.phase}   elapsed: ${seconds(Date.now() - this.state.startedAt)}`,
      ...[...this.state.tasks.values()].map((task) => this.formatTask(task, width)),
    ];
    if (this.state.phase === "aggregating" && this.state.answer) {
      lines.push("", `answer so far: ${this.state.answer.replaceAll("\n", " ").slice(-(width - 16))}`);
    }
    let frame = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : "";
    for (const line of lines) frame += `\x1b[2K${line.slice(0, width - 1)}\n`;
    for (let extra = lines.length; extra < this.drawnLines; extra++) frame += "\x1b[2K\n";
    this.drawnLines = Math.max(lines.length, this.drawnLines);
    this.output.write(frame);
  }

  private formatTask(task: TaskLine, width: number): string {
    const icon = {
      pending: "·",
      running: spinner(),
      completed: "✔",
      failed: "✖",
      cancelled: "■",
      skipped: "↷",
    }[task.status];
    const elapsed =
      task.startedAt === undefined ? "" : seconds((task.endedAt ?? Date.now()) - task.startedAt);
    const tokens = task.tokens > 0 ? `${task.tokens} tok` : "";
    const attempt = task.attempts > 1 ? ` #${task.attempts}` : "";
    const head = `${icon} ${task.id.padEnd(4)} ${task.status.padEnd(9)} ${elapsed.padStart(6)} ${tokens.padStart(9)}${attempt}  `;
    const note = task.note ? `  (${task.note})` : "";
    return `${head}${task.title}${note}`.slice(0, width - 1);
  }
}

function spinner(): string {
  const frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
  return frames[Math.floor(Date.now() / 100) % frames.length]!;
}
