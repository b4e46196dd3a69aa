// Playwright configuration: headless Debian Chromium against the release server on a throwaway SQLite file.
import { defineConfig } from "@playwright/test";
import * as os from "node:os";
import * as path from "node:path";

const port = Number(process.env.HC_E2E_PORT ?? 3100);
const bin = process.env.HC_BIN ?? path.resolve(__dirname, "../target/release/healthcommunity");
const siteRoot = process.env.HC_SITE_ROOT ?? path.resolve(__dirname, "../target/site");
const dbFile = path.join(os.tmpdir(), `hc-e2e-${process.pid}.db`);
// The server writes every e-mail here (HC_MAIL_DIR); the tests read the links from it. Each
// worker loads this file again with its own pid, so the runner's choice travels in the
// environment the workers inherit.
const mailDir = process.env.HC_E2E_MAIL_DIR ?? path.join(os.tmpdir(), `hc-e2e-${process.pid}-mail`);
process.env.HC_E2E_MAIL_DIR = mailDir;

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // One retry in CI, for failures this suite could not reproduce locally; a test that needs it is
  // listed as FLAKY with its first error at the end of the log (failures-reporter.ts).
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"], ["./failures-reporter.ts"]],
  // The slow-phone measurement runs after every journey, alone on the machine, so that the
  // other worker's test does not share its CPU.
  projects: [
    { name: "journeys", testIgnore: /performance\.spec\.ts/ },
    { name: "performance", testMatch: /performance\.spec\.ts/, dependencies: ["journeys"] },
  ],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // `exec` so that Playwright stops the server itself, not a shell around it.
    // The gazetteer as `make run` loads it (the world's cities when npm installed them).
    command: `rm -rf ${dbFile}* ${mailDir} && "${bin}" import-places --dir ../server/places && "${bin}" seed --demo && exec "${bin}" serve --bind 127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    // The server's warnings (e.g. a stalled page render) belong in the test log.
    stdout: "pipe",
    timeout: 60_000,
    env: {
      DATABASE_URL: `sqlite://${dbFile}`,
      HC_MAIL_DIR: mailDir,
      HC_SITE_ROOT: siteRoot,
      // Every test signs up and logs in from 127.0.0.1: lift the per-address limits (the limits
      // themselves are covered by the integration tests).
      HC_LOGIN_LIMIT_PER_IP: "100000",
      // Eleven journeys log in as demo_admin from fresh browsers: over the per-account limit of
      // ten (a known browser is exempt, a fresh context is not).
      HC_LOGIN_LIMIT_PER_ACCOUNT: "100000",
      HC_SIGNUP_LIMIT_PER_IP: "100000",
      // The paging journey creates 21 posts as one member (the hourly write limits are covered
      // by the integration tests, too).
      HC_POST_LIMIT_PER_HOUR: "1000",
      RUST_LOG: "warn",
    },
  },
});
