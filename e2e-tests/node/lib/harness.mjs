// The shared part of the client scripts: where the gateway is (environment), a runner that reports each
// case as one line and exits non-zero when any failed, and a few checks.
//
//   GATEWAY_BASE_URL  the OpenAI base URL, e.g. http://127.0.0.1:5005/v1 (required)
//   GATEWAY_MODEL     the model to ask (default claude-sonnet)
//   GATEWAY_API_KEY   sent as the bearer token (default "unused")
//   GATEWAY_BACKEND   "mock" adds checks of the mock's deterministic rules; any other value (or none)
//                     keeps to what every backend must do, so the same scripts run against cli and api
import assert from "node:assert/strict";

export const baseURL = process.env.GATEWAY_BASE_URL;
export const model = process.env.GATEWAY_MODEL ?? "claude-sonnet";
export const apiKey = process.env.GATEWAY_API_KEY ?? "unused";
export const mock = process.env.GATEWAY_BACKEND === "mock";

if (!baseURL) {
  console.error("GATEWAY_BASE_URL is not set (for example http://127.0.0.1:5005/v1)");
  process.exit(2);
}

/** A 1x1 PNG, as a data URL. */
export const PNG_DATA_URL =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/**
 * Runs the cases one after another; prints "ok NAME" or "FAILED NAME: why" for each, then a
 * "N passed, N failed" line, and exits 1 if any failed.
 */
export async function run(script, cases) {
  let passed = 0;
  let failed = 0;
  for (const [name, body] of Object.entries(cases)) {
    const started = Date.now();
    try {
      await body();
      passed++;
      console.log(`ok ${script}: ${name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed++;
      console.log(`FAILED ${script}: ${name}: ${describe(error)}`);
    }
  }
  console.log(`${script}: ${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

function describe(error) {
  const status = error?.status ? ` (HTTP ${error.status})` : "";
  const body = error?.error ? ` ${JSON.stringify(error.error)}` : "";
  const cause = error?.cause ? ` cause: ${error.cause.message ?? error.cause}` : "";
  return `${error?.message ?? error}${status}${body}${cause}`;
}

export function nonEmptyString(value, what) {
  assert.equal(typeof value, "string", `${what} should be a string, got ${JSON.stringify(value)}`);
  assert.ok(value.trim().length > 0, `${what} should not be empty`);
}

export { assert };
