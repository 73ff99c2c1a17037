/**
 * Polls `check` every 25 ms until it holds, for specs and e2e specs alike; throws, naming `what`,
 * once `timeoutMs` have passed. A check that throws fails at once (catch inside it to retry).
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 3_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not met in time`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
