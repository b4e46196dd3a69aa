// Shared steps for the end-to-end tests: unique handles, hydration wait, sign-up and log-in.
import AxeBuilder from "@axe-core/playwright";
import { Browser, BrowserContextOptions, expect, Page, test } from "@playwright/test";

let counter = 0;
export function uniqueHandle(prefix = "member"): string {
  counter += 1;
  return `${prefix}_${Date.now().toString(36)}${process.pid % 1000}${counter}`.slice(0, 30);
}

export const DEMO_PASSWORD = "demo-password-2026";

/** Waits until the wasm has taken over the page (set by an effect that only runs in the browser). */
export async function hydrated(page: Page) {
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
}

export async function signUp(page: Page, handle: string, password: string, opts: { js?: boolean; from?: string } = {}) {
  await page.goto(opts.from ?? "/signup");
  if (opts.js !== false) await hydrated(page);
  await page.getByLabel("Handle (your public name)").fill(handle);
  await page.getByLabel("E-mail address").fill(`${handle}@example.org`);
  await page.getByLabel("Password").fill(password);
  await page.getByLabel("A patient").check();
  await page.getByLabel(/I agree that HealthCommunity stores/).check();
  await page.getByRole("button", { name: "Create my account" }).click();
  await expect(page.getByRole("banner").getByText(`@${handle}`)).toBeVisible();
}

export async function logIn(page: Page, identifier: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Handle or e-mail address").fill(identifier);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("banner").getByText(`@${identifier}`)).toBeVisible();
}

/** Opens the logged-in member's menu in the header (profile, settings, moderation, admin, log out). */
export async function openAccountMenu(page: Page) {
  const menu = page.getByRole("banner").locator("details.account-menu");
  if ((await menu.getAttribute("open")) === null) await menu.locator("summary").click();
}

export async function logOut(page: Page) {
  await openAccountMenu(page);
  await page.getByRole("banner").getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Log in" })).toBeVisible();
}

/** A page in a fresh browser context (its own cookies) with the configured base URL. */
export async function freshPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, ...options });
  return context.newPage();
}

/**
 * Accessibility problems on the page as axe sees them (WCAG 2.1 A and AA and axe's best
 * practices), every violation of moderate impact or worse, one line each. No exceptions are
 * listed: a finding is fixed, not filtered.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "moderate" || v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`);
}
