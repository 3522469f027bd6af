import { accessSync, constants, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";

/** The path of an executable found in `PATH` or in one of `extraDirectories`, or `undefined`. */
export function findExecutable(name: string, extraDirectories: readonly string[] = []): string | undefined {
  const directories = [...(process.env.PATH ?? "").split(delimiter), ...extraDirectories];
  for (const directory of directories) {
    if (directory === "") continue;
    const candidate = join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** `/usr/lib/postgresql/<version>/bin` folders (Debian and Ubuntu packages), newest version first. */
export function debianPostgresBinDirectories(): string[] {
  try {
    return readdirSync("/usr/lib/postgresql")
      .filter((version) => /^\d+$/.test(version))
      .sort((left, right) => Number(right) - Number(left))
      .map((version) => join("/usr/lib/postgresql", version, "bin"));
  } catch {
    return [];
  }
}
