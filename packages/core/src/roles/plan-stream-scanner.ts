/**
 * Finds the complete elements of the top-level `"tasks"` array in a JSON text that arrives in chunks, in one
 * pass: each character is looked at once, and the text already scanned is dropped, so a plan of any length
 * costs O(its length) — unlike re-parsing the whole partial JSON on every chunk. It only tracks strings, nesting
 * and the `"tasks"` key; each element it returns is then parsed and validated on its own.
 */
export class PlanStreamScanner {
  private text = "";
  private position = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private stringStart = -1;
  /** The last string seen directly in the top-level object (a key, when a `:` follows). */
  private topLevelString: string | undefined;
  private awaitingTasksArray = false;
  private inTasksArray = false;
  private elementStart = -1;

  /** Feeds a chunk; answers the JSON texts of the task elements it completed. */
  push(chunk: string): string[] {
    this.text += chunk;
    const completed: string[] = [];
    for (; this.position < this.text.length; this.position++) {
      const character = this.text[this.position]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (character === "\\") this.escaped = true;
        else if (character === '"') {
          this.inString = false;
          if (this.depth === 1) this.topLevelString = this.text.slice(this.stringStart + 1, this.position);
        }
        continue;
      }
      switch (character) {
        case '"':
          this.inString = true;
          this.stringStart = this.position;
          break;
        case ":":
          this.awaitingTasksArray = this.depth === 1 && this.topLevelString === "tasks";
          break;
        case ",":
          if (this.depth === 1) this.topLevelString = undefined;
          break;
        case "{":
        case "[":
          this.depth++;
          if (character === "[" && this.awaitingTasksArray && this.depth === 2) this.inTasksArray = true;
          else if (character === "{" && this.inTasksArray && this.depth === 3)
            this.elementStart = this.position;
          this.awaitingTasksArray = false;
          break;
        case "}":
        case "]":
          if (character === "}" && this.inTasksArray && this.depth === 3 && this.elementStart >= 0) {
            completed.push(this.text.slice(this.elementStart, this.position + 1));
            this.elementStart = -1;
          } else if (character === "]" && this.inTasksArray && this.depth === 2) {
            this.inTasksArray = false;
          }
          this.depth--;
          break;
        default:
          // Anything but white space after `"tasks":` means the value is not an array.
          if (this.awaitingTasksArray && character.trim() !== "") this.awaitingTasksArray = false;
      }
    }
    this.dropScanned();
    return completed;
  }

  /** Keeps only what a future element or string still needs. */
  private dropScanned(): void {
    const keepFrom =
      this.elementStart >= 0 ? this.elementStart : this.inString ? this.stringStart : this.position;
    if (keepFrom <= 0) return;
    this.text = this.text.slice(keepFrom);
    this.position -= keepFrom;
    if (this.elementStart >= 0) this.elementStart -= keepFrom;
    if (this.stringStart >= 0) this.stringStart -= keepFrom;
  }
}
