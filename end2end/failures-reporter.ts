// Playwright reporter that repeats each failed attempt's first error lines at the very end of the run, where a truncated CI log still shows them, and says which tests passed only on retry.
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";

export default class FailuresAtTheEnd implements Reporter {
  private failures: { test: TestCase; text: string }[] = [];

  onTestEnd(test: TestCase, result: TestResult) {
    if (result.status === "passed" || result.status === "skipped") return;
    const error = result.errors[0]?.message ?? result.status;
    const lines = error.replace(/\u001b\[[0-9;]*m/g, "").split("\n").slice(0, 10);
    const title = test.titlePath().filter(Boolean).join(" › ");
    this.failures.push({
      test,
      text: `${title} (attempt ${result.retry + 1}: ${result.status}, ${result.duration} ms)\n  ${lines.join("\n  ")}`,
    });
  }

  onEnd() {
    if (this.failures.length === 0) return;
    const lines = this.failures.map(({ test, text }) =>
      test.outcome() === "flaky" ? `! FLAKY, passed on retry: ${text}` : `✗ FAILED: ${text}`,
    );
    console.log(`\nFailed attempts, first lines of each error:\n${lines.join("\n")}`);
  }
}
