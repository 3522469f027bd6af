/**
 * Decides what tests do when something they need is missing (`reason` says what, or is undefined when nothing
 * is): with `CI` set they are required, so this throws and the test file fails loudly; elsewhere it warns
 * which tests are skipped and why. Answers whether to skip them.
 */
export function requiredOrSkipped(reason: string | undefined, tests: string): boolean {
  if (reason === undefined) return false;
  const message = `${reason}: ${tests} cannot run.`;
  if (process.env.CI) throw new Error(`${message} With CI set they are required, so this fails.`);
  console.warn(`${message} Skipped (they are required only when CI is set).`);
  return true;
}
