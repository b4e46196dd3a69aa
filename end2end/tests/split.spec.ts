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

// Of those, the pages served as islands (`app::routes::islands_page`).
// The directory's search for everybody; the landing page, a feed and a provider's page for a
// visitor, as here (a member gets the app: the last test).
const ISLANDS_PAGES = new Set(["/directory", "/", "/c/multiple-sclerosis", "/directory/pennine-neurology"]);

for (const [path, heading] of VISITOR_PAGES) {
  const islands = ISLANDS_PAGES.has(path);
  test(`${path} hydrates from ${islands ? "the islands' wasm" : "the split wasm"} without an error`, async ({ page }) => {
    const seen = watch(page);
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 }).first()).toContainText(heading);
    if (islands) {
      // The islands' wasm alone: not the app's wasm, its chunks or their loader.
      expect(seen.scripts.filter((s) => s === "islands.wasm"), seen.scripts.join(", ")).toHaveLength(1);
      expect(seen.scripts.filter((s) => /^(healthcommunity\.wasm|chunks\?|__wasm_split)/.test(s)), seen.scripts.join(", ")).toEqual([]);
    } else {
      // The main module, and the page's chunks in one request (not one request per chunk).
      expect(seen.scripts.filter((s) => s === "healthcommunity.wasm"), seen.scripts.join(", ")).toHaveLength(1);
      expect(seen.scripts.filter((s) => s.startsWith("chunks?")), `${path}: ${seen.scripts.join(", ")}`).toHaveLength(1);
    }
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
  // A page a visitor gets whole (a feed is served to a visitor as islands).
  const response = await page.goto("/c");
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

test("the directory is served as islands: Near me searches around the browser's position, as it does routed in the app", async ({ page, context }) => {
  await context.grantPermissions(["geolocation"]);
  await context.setGeolocation({ latitude: 53.8008, longitude: -1.5491 });
  const seen = watch(page);
  await page.goto("/directory?specialty=neurology");
  await hydrated(page);
  expect(seen.scripts.filter((s) => s === "islands.wasm"), seen.scripts.join(", ")).toHaveLength(1);
  expect(seen.scripts.filter((s) => /^(healthcommunity\.wasm|chunks\?)/.test(s)), seen.scripts.join(", ")).toEqual([]);
  // "Near me" exists only once a wasm runs (without JavaScript the place field is the way).
  await page.getByRole("button", { name: "Near me" }).click();
  await expect(page).toHaveURL(/\/directory\?specialty=neurology&lat=53\.8008&lon=-1\.5491/);
  await expect(page.getByRole("heading", { level: 2, name: /results? within 25 km of your location/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Map of the \d+ results/ })).toBeVisible();
  // The same control in the app: the directory reached by routing from a whole page.
  await page.goto("/c");
  await hydrated(page);
  await page.evaluate(() => ((window as unknown as { __hcSame?: boolean }).__hcSame = true));
  await page.getByRole("banner").getByRole("link", { name: "Find care" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Find doctors, specialists and clinics" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __hcSame?: boolean }).__hcSame === true), "the directory was not routed in the page").toBe(true);
  await page.getByRole("button", { name: "Near me" }).click();
  await expect(page).toHaveURL(/\/directory\?lat=53\.8008&lon=-1\.5491/);
  await expect(page.getByRole("heading", { level: 2, name: /results? within 25 km of your location/ })).toBeVisible();
  expect(seen.errors, "errors in the browser").toEqual([]);
});

test("routing in the page loads each page's chunks, forwards and back", async ({ page }) => {
  const seen = watch(page);
  // A whole page for a visitor (the landing page is served to one as islands).
  await page.goto("/about");
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
  // Each of those pages brought chunks the first page did not need, in one request each.
  const bundles = seen.scripts.slice(before).filter((s) => s.startsWith("chunks?"));
  expect(bundles.length, seen.scripts.join(", ")).toBeGreaterThanOrEqual(2);
  expect(bundles.length, seen.scripts.join(", ")).toBeLessThanOrEqual(3);

  // Back through the same pages, then forwards again: each renders from the loaded chunks.
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Multiple Sclerosis");
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: "Communities" })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("About this site");
  await page.goForward();
  await expect(page.getByRole("heading", { level: 1, name: "Communities" })).toBeVisible();
  await page.getByRole("banner").getByRole("link", { name: "Library", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Health library");

  const same = await page.evaluate(() => (window as unknown as { __hcSame?: boolean }).__hcSame === true);
  expect(same, "a link loaded a new document instead of routing in the page").toBe(true);
  expect(seen.errors, "errors in the browser").toEqual([]);
});

test("a member's pages from other chunks hydrate: notifications, messages, settings, and the app where a visitor gets islands", async ({ page }) => {
  const seen = watch(page);
  await logIn(page, "maria_ms", DEMO_PASSWORD);
  for (const [path, heading] of [
    ["/notifications", "Notifications"],
    ["/messages", "Messages"],
    ["/settings", "Settings"],
    ["/", ""],
    ["/c/multiple-sclerosis", "Multiple Sclerosis"],
    ["/directory/pennine-neurology", "Pennine Neurology"],
  ]) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByRole("heading", { level: 1 }).first()).toContainText(heading);
    // The app's script, never the islands'.
    const html = await page.content();
    expect(html, path).toContain("/pkg/healthcommunity.js");
    expect(html, path).not.toContain("/pkg/islands.js");
  }
  expect(seen.scripts.filter((s) => s === "islands.wasm"), seen.scripts.join(", ")).toEqual([]);
  expect(seen.errors, "errors in the browser").toEqual([]);
});
