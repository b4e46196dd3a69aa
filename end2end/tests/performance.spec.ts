// First visits on a slow phone (issue 16): first paint, hydration and a first click under Fast 3G and a 4× slower CPU, per page kind.
import { Browser, CDPSession, chromium, expect, Page, test } from "@playwright/test";
import * as fs from "node:fs";

// Chrome DevTools' "Fast 3G" preset (the one Lighthouse's devtools throttling uses).
const FAST_3G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: ((1.6 * 1024 * 1024) / 8) * 0.9,
  uploadThroughput: ((750 * 1024) / 8) * 0.9,
};
const CPU_SLOWDOWN = 4;

// The goal (issue 16) is 3 s to interactive on the landing page, a feed and a thread. Split by
// route and built with the wasm options of `make build`, a first visit downloads 360-450 KB of
// brotli (the main wasm and the page's chunks) where the one wasm was 1.3-1.6 MB, and hydrates
// in 3.6-4.5 s (alone or beside the other suites) where it took 9; this run holds the line
// there: a page that needs more than CEILING_MS to hydrate fails. Lower it as the first load
// shrinks; the measured numbers go to BENCHMARKS.md.
const GOAL_MS = 3_000;
const CEILING_MS = 6_000;

type Measure = {
  page: string;
  path: string;
  fcpMs: number;
  hydratedMs: number;
  clickMs: number;
  scriptBytes: number;
  wasmEncoding: string;
  /** Served as islands (`app::routes::islands_page`): the islands' wasm, not the app's. */
  islands: boolean;
};

/** Applies the phone's network and CPU to a page with an empty cache. */
async function throttle(page: Page): Promise<CDPSession> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  await cdp.send("Network.emulateNetworkConditions", FAST_3G);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_SLOWDOWN });
  return cdp;
}

async function measure(page: Page, name: string, path: string): Promise<Measure> {
  const cdp = await throttle(page);
  // Bytes over the wire of the app's script (the wasm and its JS glue), by request.
  const urls = new Map<string, string>();
  const encodings = new Map<string, string>();
  let scriptBytes = 0;
  let wasmEncoding = "";
  let islands = false;
  cdp.on("Network.responseReceived", (e) => {
    urls.set(e.requestId, e.response.url);
    const h = e.response.headers;
    encodings.set(e.requestId, h["content-encoding"] ?? h["Content-Encoding"] ?? "identity");
  });
  cdp.on("Network.loadingFinished", (e) => {
    const url = urls.get(e.requestId) ?? "";
    // The main wasm and JS, the chunks' loader, and the page's chunks in one response.
    if (/\/pkg\/([^/?]+\.(wasm|js)$|chunks\?)/.test(url)) {
      scriptBytes += e.encodedDataLength;
      if (url.endsWith(".wasm")) wasmEncoding = encodings.get(e.requestId) ?? "";
      if (url.endsWith("/islands.wasm")) islands = true;
    }
  });

  await page.goto(path, { waitUntil: "commit", timeout: 60_000 });
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true", { timeout: CEILING_MS + 30_000 });
  // What the first visit needed to hydrate (the click below loads the next page's chunks).
  const firstLoadBytes = scriptBytes;
  const times = await page.evaluate(() => ({
    fcp: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? -1,
    hydrated: (window as unknown as { __hcHydratedAt?: number }).__hcHydratedAt ?? -1,
  }));

  // A first click on the header's "Communities" link: routed in the page (no new document) once
  // the app's wasm runs, which the marker proves; on a page served as islands a link loads the
  // next page as a document, and the time is until its heading shows.
  const pageIsIslands = islands;
  await page.evaluate(() => ((window as unknown as { __hcSameDocument?: boolean }).__hcSameDocument = true));
  const clickStart = await page.evaluate(() => performance.now());
  const clickWall = Date.now();
  await page.getByRole("banner").getByRole("link", { name: "Communities", exact: true }).click();
  await expect(page).toHaveURL(/\/c$/, { timeout: 30_000 });
  await expect(page.getByRole("heading", { level: 1, name: "Communities" })).toBeVisible({ timeout: 30_000 });
  const after = await page.evaluate(() => ({
    same: (window as unknown as { __hcSameDocument?: boolean }).__hcSameDocument === true,
    now: performance.now(),
  }));
  expect(after.same, `${name}: the click was ${pageIsIslands ? "routed in an islands page" : "not handled by the hydrated app (a full page load)"}`).toBe(!pageIsIslands);
  await cdp.detach();
  return {
    page: name,
    path,
    fcpMs: Math.round(times.fcp),
    hydratedMs: Math.round(times.hydrated),
    // A new document's clock starts again: an islands page's click is timed from here.
    clickMs: pageIsIslands ? Date.now() - clickWall : Math.round(after.now - clickStart),
    scriptBytes: firstLoadBytes,
    wasmEncoding,
    islands: pageIsIslands,
  };
}

/** The page kinds a first visit lands on, with a real thread and article of the demo site. */
async function landingPages(browser: Browser, baseURL: string | undefined): Promise<[string, string][]> {
  const scout = await browser.newPage({ baseURL });
  await scout.goto("/c/multiple-sclerosis");
  // A public thread: a members-only one is `noindex` by design, which Lighthouse's SEO audit
  // counts against it.
  const thread = await scout
    .locator('main .post-card:not(:has(.badge-lock)) .post-title a[href^="/p/"]')
    .first()
    .getAttribute("href");
  await scout.goto("/library?c=multiple-sclerosis");
  const article = await scout
    .locator('main a[href^="/library/"]:not([href="/library/new"]):not([href="/library/desk"])')
    .first()
    .getAttribute("href");
  await scout.close();
  expect(thread).toBeTruthy();
  expect(article).toBeTruthy();
  return [
    ["landing", "/"],
    ["community feed", "/c/multiple-sclerosis"],
    ["thread", thread ?? ""],
    ["library article", article ?? ""],
    ["directory", "/directory"],
    ["provider", "/directory/pennine-neurology"],
  ];
}

test("first visits on a slow phone: paint, hydration and a first click", async ({ browser }, testInfo) => {
  test.setTimeout(8 * 60_000);
  const pages = await landingPages(browser, testInfo.project.use.baseURL);
  const results: Measure[] = [];
  for (const [name, path] of pages) {
    // A fresh context per page: a first visit, no cookies, no cache; a phone's viewport.
    const context = await browser.newContext({
      baseURL: testInfo.project.use.baseURL,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 3,
      isMobile: true,
      hasTouch: true,
    });
    await context.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body?.getAttribute("data-hydrated") === "true") {
          (window as unknown as { __hcHydratedAt?: number }).__hcHydratedAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-hydrated"] });
    });
    const page = await context.newPage();
    results.push(await measure(page, name, path));
    await context.close();
  }

  const table = [
    `Fast 3G (562.5 ms, 1.44 Mbit/s down), CPU ${CPU_SLOWDOWN}× slower, 390 px, empty cache`,
    "page | first contentful paint | hydrated | first click answered in | wasm + JS over the wire (encoding)",
    ...results.map(
      (r) =>
        `${r.page} (${r.path})${r.islands ? " (islands)" : ""} | ${r.fcpMs} ms | ${r.hydratedMs} ms | ${r.clickMs} ms${r.islands ? " (next document)" : ""} | ${r.scriptBytes} bytes (${r.wasmEncoding})`,
    ),
  ].join("\n");
  console.log(table);
  fs.writeFileSync(testInfo.outputPath("performance.json"), JSON.stringify(results, null, 2));
  if (process.env.HC_PERF_OUT) fs.writeFileSync(process.env.HC_PERF_OUT, JSON.stringify(results, null, 2));
  await testInfo.attach("performance", { body: table, contentType: "text/plain" });

  for (const r of results) {
    expect(r.fcpMs, `${r.page}: first contentful paint`).toBeGreaterThan(0);
    expect(r.hydratedMs, `${r.page}: hydration time`).toBeGreaterThan(0);
    // The wasm comes as the build's brotli copy, not compressed per request (or not at all).
    expect(r.wasmEncoding, `${r.page}: the wasm's Content-Encoding`).toBe("br");
    expect(r.hydratedMs, `${r.page}: hydrated after ${r.hydratedMs} ms (goal ${GOAL_MS} ms)`).toBeLessThanOrEqual(CEILING_MS);
    // Text comes from the server: it must paint long before the app has loaded.
    expect(r.fcpMs, `${r.page}: painted at ${r.fcpMs} ms`).toBeLessThan(r.hydratedMs);
    // A page served as islands holds issue 16's first-load budget (250 KB) in what it received.
    if (r.islands) expect(r.scriptBytes, `${r.page}: script over the wire`).toBeLessThanOrEqual(250_000);
  }
  expect(results.find((r) => r.page === "library article")?.islands, "the library article is served as islands").toBe(true);
});

// Lighthouse's mobile audit (its default: a mid-range phone on slow 4G, simulated). The goal
// (issue 16) is performance ≥ 90 and 100 in the other three; accessibility, best practices and
// SEO are held at 100 here, performance at a floor under what it measured (63–82 split by route
// on 2026-12-04, 53–87 unsplit; it varies between runs on this shared machine, held down by the
// wasm's parse and compile: total blocking time 0.4–1.2 s).
const LIGHTHOUSE_GOAL = { performance: 90, accessibility: 100, "best-practices": 100, seo: 100 };
const LIGHTHOUSE_FLOOR = { performance: 45, accessibility: 100, "best-practices": 100, seo: 100 };

test("Lighthouse, mobile: performance, accessibility, best practices and SEO", async ({}, testInfo) => {
  test.setTimeout(10 * 60_000);
  const baseURL = testInfo.project.use.baseURL ?? "";
  const port = 9300 + (process.pid % 500);
  const launch = testInfo.project.use.launchOptions ?? {};
  const browser = await chromium.launch({ ...launch, args: [...(launch.args ?? []), `--remote-debugging-port=${port}`] });
  try {
    const pages = (await landingPages(browser, baseURL)).filter(([name]) => name !== "provider");
    const { default: lighthouse } = await import("lighthouse");
    const rows: string[] = [];
    const scores: Record<string, Record<string, number>> = {};
    const problems: string[] = [];
    for (const [name, path] of pages) {
      const result = await lighthouse(`${baseURL}${path}`, {
        port,
        output: "json",
        logLevel: "error",
        onlyCategories: Object.keys(LIGHTHOUSE_GOAL),
      });
      expect(result, `${name}: Lighthouse gave no result`).toBeTruthy();
      const lhr = result!.lhr;
      expect(lhr.runtimeError, `${name}: ${lhr.runtimeError?.message}`).toBeUndefined();
      const page: Record<string, number> = {};
      for (const [id, category] of Object.entries(lhr.categories)) {
        page[id] = Math.round((category.score ?? 0) * 100);
        const floor = LIGHTHOUSE_FLOOR[id as keyof typeof LIGHTHOUSE_FLOOR];
        if (page[id] < floor) {
          // Name what cost the points, so that a failure says what to fix.
          const lost = category.auditRefs
            .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
            .map((ref) => `${ref.id} (${lhr.audits[ref.id]?.displayValue ?? lhr.audits[ref.id]?.score})`);
          problems.push(`${name} ${path}: ${id} ${page[id]} < ${floor}: ${lost.join(", ")}`);
        }
      }
      scores[name] = page;
      const metrics = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "interactive"]
        .map((id) => `${id} ${lhr.audits[id]?.displayValue ?? "?"}`)
        .join(", ");
      rows.push(
        `${name} (${path}) | ${page.performance} | ${page.accessibility} | ${page["best-practices"]} | ${page.seo} | ${metrics}`,
      );
    }
    const table = [
      "page | performance | accessibility | best practices | SEO | metrics",
      ...rows,
    ].join("\n");
    console.log(table);
    fs.writeFileSync(testInfo.outputPath("lighthouse.json"), JSON.stringify(scores, null, 2));
    if (process.env.HC_LIGHTHOUSE_OUT) fs.writeFileSync(process.env.HC_LIGHTHOUSE_OUT, table + "\n");
    await testInfo.attach("lighthouse", { body: table, contentType: "text/plain" });
    expect(problems, `below the floor (goal: ${JSON.stringify(LIGHTHOUSE_GOAL)})`).toEqual([]);
  } finally {
    await browser.close();
  }
});
