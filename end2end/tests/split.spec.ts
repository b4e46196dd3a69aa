// The split wasm (issue 16): every page hydrates from its own chunks, fetched in one request, and routing in the page loads the next page's chunks, both ways.
import { expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, logIn, signUp, uniqueHandle } from "./helpers";

/** Collects the app's script requests and the errors of a page (console errors, uncaught exceptions). */
function watch(page: Page) {
  const scripts: string[] = [];
  const errors: string[] = [];
  page.on("request", (r) => {
    const url = r.url();
    if (/\/pkg\/([^/?]+\.(wasm|js)$|chunks\?)/.test(url)) scripts.push(url.replace(/^.*\/pkg\//, ""));
  });
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  return { scripts, errors };
}

// The pages a visitor reaches, by kind; each is a lazily loaded route of its own.
const VISITOR_PAGES: [string, string][] = [
  ["/", "You are not alone"],
  ["/c", "Communities"],
  ["/c/multiple-sclerosis", "Multiple Sclerosis"],
  ["/library", "Health library"],
  ["/directory", "Find doctors"],
  ["/directory/pennine-neurology", "Pennine Neurology"],
  ["/search?q=fatigue", "Search"],
  ["/about", "About this site"],
  ["/login", "Log in"],
  ["/signup", "Join HealthCommunity"],
  ["/privacy", "Privacy and your health data"],
];

for (const [path, heading] of VISITOR_PAGES) {
  test(`${path} hydrates from the split wasm without an error`, async ({ page }) => {
    const seen = watch(page);
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 }).first()).toContainText(heading);
    // The main module, and the page's chunks in one request (not one request per chunk).
    expect(seen.scripts.filter((s) => s === "healthcommunity.wasm"), seen.scripts.join(", ")).toHaveLength(1);
    expect(seen.scripts.filter((s) => s.startsWith("chunks?")), `${path}: ${seen.scripts.join(", ")}`).toHaveLength(1);
    expect(seen.scripts.filter((s) => /^(chunk|split)_/.test(s)), seen.scripts.join(", ")).toEqual([]);
    expect(seen.errors, `${path}: errors in the browser`).toEqual([]);
  });
}

test("a first visit asks for the page's chunks while the main wasm is still arriving", async ({ page }) => {
  // The page names its chunks in a Server-Timing entry and the loader fetches them as soon as it
  // runs. Hold the main wasm back until the chunks are asked for: without that early fetch the
  // loader asks only once the main wasm has arrived and runs, so the hold times out.
  const seen = watch(page);
  let asked = () => {};
  const chunksAsked = new Promise<void>((resolve) => (asked = resolve));
  page.on("request", (r) => {
    if (/\/pkg\/chunks\?/.test(r.url())) asked();
  });
  let early = false;
  await page.route(/\/pkg\/healthcommunity\.wasm$/, async (route) => {
    early = await Promise.race([chunksAsked.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
    await route.continue();
  });
  const response = await page.goto("/c/multiple-sclerosis");
  expect(response?.headers()["server-timing"] ?? "").toMatch(/^hc-chunks;desc="c=[0-9,-]+&s=[a-z0-9_,]+"$/);
  await hydrated(page);
  expect(early, `the chunks were not asked for before the main wasm arrived: ${seen.scripts.join(", ")}`).toBe(true);
  expect(seen.scripts.filter((s) => s.startsWith("chunks?")), seen.scripts.join(", ")).toHaveLength(1);
  expect(seen.errors).toEqual([]);
});

test("a library article is served as islands: its islands' wasm alone, a Save that answers in place, links that load documents", async ({ page }) => {
  await signUp(page, uniqueHandle("islands"), "islands-pass-1");
  const seen = watch(page);
  await page.goto("/library/what-is-a-relapse-in-ms");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "What is a relapse in MS?" })).toBeVisible();
  // The islands' wasm and glue; not the app's wasm, its chunks or their loader.
  expect(seen.scripts.filter((s) => s === "islands.wasm"), seen.scripts.join(", ")).toHaveLength(1);
  expect(seen.scripts.filter((s) => /^(healthcommunity\.wasm|chunks\?|__wasm_split)/.test(s)), seen.scripts.join(", ")).toEqual([]);
  // The Save button is an island: it answers without a new document.
  await page.evaluate(() => ((window as unknown as { __hcSame?: boolean }).__hcSame = true));
  await page.getByRole("button", { name: "Save this article for later" }).click();
  await expect(page.getByRole("button", { name: "Remove this article from your saved items" })).toHaveText("Saved ✓");
  await page.getByRole("button", { name: "Remove this article from your saved items" }).click();
  await expect(page.getByRole("button", { name: "Save this article for later" })).toHaveText("Save");
  expect(await page.evaluate(() => (window as unknown as { __hcSame?: boolean }).__hcSame === true), "saving loaded a new document").toBe(true);
  // A link loads the next page as a document, and there the app hydrates whole.
  await page.getByRole("banner").getByRole("link", { name: "Communities", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Communities" })).toBeVisible();
  await hydrated(page);
  expect(await page.evaluate(() => (window as unknown as { __hcSame?: boolean }).__hcSame === true), "the link was routed in the islands page").toBe(false);
  expect(seen.scripts.filter((s) => s === "healthcommunity.wasm"), seen.scripts.join(", ")).toHaveLength(1);
  // Reached by routing in a whole page, the same article is part of the app, and its Save
  // button (the island inside the app's hydrated tree) still answers in place.
  await page.goto("/library?c=multiple-sclerosis");
  await hydrated(page);
  await page.evaluate(() => ((window as unknown as { __hcSame?: boolean }).__hcSame = true));
  await page.getByRole("link", { name: "What is a relapse in MS?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "What is a relapse in MS?" })).toBeVisible();
  await page.getByRole("button", { name: "Save this article for later" }).click();
  await expect(page.getByRole("button", { name: "Remove this article from your saved items" })).toHaveText("Saved ✓");
  expect(await page.evaluate(() => (window as unknown as { __hcSame?: boolean }).__hcSame === true), "the article was not routed in the page").toBe(true);
  expect(seen.errors, "errors in the browser").toEqual([]);
});

test("routing in the page loads each page's chunks, forwards and back", async ({ page }) => {
  const seen = watch(page);
  await page.goto("/");
  await hydrated(page);
  // A mark on the document: it survives only if no link below loads a new document.
  await page.evaluate(() => ((window as unknown as { __hcSame?: boolean }).__hcSame = true));
  const before = seen.scripts.length;

  await page.getByRole("banner").getByRole("link", { name: "Communities", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Communities" })).toBeVisible();
  await page.getByRole("main").getByRole("link", { name: /Multiple Sclerosis/ }).first().click();
  await expect(page).toHaveURL(/\/c\/multiple-sclerosis$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Multiple Sclerosis");
  const thread = page.locator('main .post-card .post-title a[href^="/p/"]').first();
  const title = (await thread.textContent())?.trim() ?? "";
  await thread.click();
  await expect(page).toHaveURL(/\/p\/\d+/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(title);
  // Each of those pages brought chunks the landing page did not need, in one request each.
  const bundles = seen.scripts.slice(before).filter((s) => s.startsWith("chunks?"));
  expect(bundles.length, seen.scripts.join(", ")).toBeGreaterThanOrEqual(2);
  expect(bundles.length, seen.scripts.join(", ")).toBeLessThanOrEqual(3);

  // Back through the same pages, then forwards again: each renders from the loaded chunks.
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Multiple Sclerosis");
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: "Communities" })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("You are not alone");
  await page.goForward();
  await expect(page.getByRole("heading", { level: 1, name: "Communities" })).toBeVisible();
  await page.getByRole("banner").getByRole("link", { name: "Library", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Health library");

  const same = await page.evaluate(() => (window as unknown as { __hcSame?: boolean }).__hcSame === true);
  expect(same, "a link loaded a new document instead of routing in the page").toBe(true);
  expect(seen.errors, "errors in the browser").toEqual([]);
});

test("a member's pages from other chunks hydrate: notifications, messages, settings", async ({ page }) => {
  const seen = watch(page);
  await logIn(page, "maria_ms", DEMO_PASSWORD);
  for (const [path, heading] of [
    ["/notifications", "Notifications"],
    ["/messages", "Messages"],
    ["/settings", "Settings"],
  ]) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 }).first()).toContainText(heading);
  }
  expect(seen.errors, "errors in the browser").toEqual([]);
});
