// The shell: landmarks, disclaimer, 404, profiles, admin verification and roles, accessibility scan.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { accessibilityProblems, DEMO_PASSWORD, freshPage, hydrated, logIn, openAccountMenu, uniqueHandle } from "./helpers";

test("the home page has the landmarks, one h1 and the medical disclaimer", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("banner")).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("main")).toBeVisible();
  await expect(page.getByRole("contentinfo")).toContainText("information here does not replace professional advice");
  await expect(page.getByRole("heading", { level: 1 })).toHaveCount(1);
});

test("an unknown page answers 404 with a way home", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await expect(page.getByRole("link", { name: "Go to the home page" })).toBeVisible();
  const profile = await page.goto("/u/nobody_here");
  expect(profile?.status()).toBe(404);
});

test("settings and admin need a login; admin needs the admin role", async ({ page }) => {
  let response = await page.goto("/settings");
  expect(response?.status()).toBe(401);
  await expect(page.getByRole("link", { name: "Log in" }).first()).toBeVisible();
  await logIn(page, "maria_ms", DEMO_PASSWORD);
  response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not allowed");
});

test("a public profile shows pseudonym, role badge, bio and joined date", async ({ page }) => {
  await page.goto("/u/dr_okafor");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("@dr_okafor");
  await expect(page.getByText("Verified neurologist")).toBeVisible();
  await expect(page.getByText(/Joined \d+ \w+ \d{4}/)).toBeVisible();
  await expect(page.getByText("Consultant neurologist")).toBeVisible();
});

test("an admin verifies a clinician and grants the moderator role", async ({ page, browser }) => {
  // A new clinician signs up and waits for verification.
  const clinician = await freshPage(browser);
  const handle = uniqueHandle("drnew");
  await clinician.goto("/signup");
  await hydrated(clinician);
  await clinician.getByLabel("Handle (your public name)").fill(handle);
  await clinician.getByLabel("E-mail address").fill(`${handle}@example.org`);
  await clinician.getByLabel("Password").fill("clinician-password");
  await clinician.getByLabel("A clinician").check();
  await clinician.getByLabel("Licence or registration number").fill("GMC-555 0101");
  await clinician.getByLabel("Specialty").selectOption("haematology");
  await clinician.getByLabel(/I agree that HealthCommunity stores/).check();
  await clinician.getByRole("button", { name: "Create my account" }).click();
  await expect(clinician.getByRole("status")).toContainText("verification is waiting");
  await clinician.goto(`/u/${handle}`);
  await expect(clinician.getByText("Clinician (not verified)")).toBeVisible();

  await logIn(page, "demo_admin", DEMO_PASSWORD);
  await openAccountMenu(page);
  await page.getByRole("banner").getByRole("link", { name: "Admin", exact: true }).click();
  await hydrated(page);
  // A rejection needs a reason.
  await page.getByRole("listitem").filter({ hasText: `@${handle}` }).getByRole("button", { name: "Reject" }).click();
  await expect(page.getByText("Give the clinician a reason.")).toBeVisible();
  await page.getByRole("button", { name: `Verify @${handle}` }).click();
  await expect(page.getByRole("button", { name: `Verify @${handle}` })).toHaveCount(0);
  await expect(page.getByRole("table").filter({ hasText: "Verified a clinician" }).getByText(`@${handle}`)).toBeVisible();

  await page.getByLabel("Member's handle").fill(handle);
  await page.getByLabel("Role", { exact: true }).selectOption("moderator");
  await page.getByLabel("Change").selectOption("grant");
  await page.getByRole("button", { name: "Apply" }).click();
  // The grant's own line in the audit log (the verification's line names the member already).
  await expect(page.getByRole("row").filter({ hasText: "Gave the moderator role" }).filter({ hasText: `@${handle}` })).toBeVisible();

  await clinician.goto(`/u/${handle}`);
  await expect(clinician.getByText("Verified haematologist")).toBeVisible();
  await expect(clinician.getByText("Moderator", { exact: true })).toBeVisible();
  await clinician.context().close();
});

test("on a phone the audit log reads as entries in words, not a table scrolled sideways", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, "demo_admin", DEMO_PASSWORD);
  await page.goto("/admin");
  const log = page.locator(".log-table");
  const [wide, shown] = await log.locator("xpath=..").evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(wide, "the log's box does not scroll sideways").toBeLessThanOrEqual(shown);
  await expect(log.locator("td.what", { hasText: "Created a community" }).first()).toBeVisible();
  await expect(log.getByText("community.create")).toHaveCount(0);
  await page.screenshot({ path: "test-results/audit-log-phone.png" });
});

for (const path of ["/", "/signup", "/login", "/forgot", "/privacy", "/about", "/u/maria_ms"]) {
  test(`no accessibility problems (moderate or worse) on ${path}`, async ({ page }) => {
    await page.goto(path);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
}

test("the accessibility check reports moderate problems (its positive control)", async ({ page }) => {
  // No main landmark and a skipped heading level: both of moderate impact in axe.
  await page.setContent(`<!doctype html><html lang="en"><head><title>x</title></head>
    <body><h1>Title</h1><h4>Skipped two levels</h4><p>Text outside any landmark.</p></body></html>`);
  const problems = await accessibilityProblems(page);
  expect(problems.some((p) => p.startsWith("moderate landmark-one-main"))).toBe(true);
  expect(problems.some((p) => p.startsWith("moderate heading-order"))).toBe(true);
});

test("the colour contrast holds in dark mode too", async ({ browser }) => {
  const page = await freshPage(browser, { colorScheme: "dark" });
  await page.goto("/signup");
  const results = await new AxeBuilder({ page }).withRules(["color-contrast"]).analyze();
  expect(results.violations.map((v) => v.nodes.map((n) => n.target).join(", "))).toEqual([]);
  await page.context().close();
});

test("the content security policy lets the app hydrate and blocks nothing of ours", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (msg) => {
    if (msg.text().includes("Content Security Policy")) violations.push(msg.text());
  });
  for (const path of ["/", "/signup", "/c/multiple-sclerosis"]) {
    const response = await page.goto(path);
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'self' 'nonce-");
    await hydrated(page);
  }
  expect(violations).toEqual([]);
});

test("pages fit a phone's width, the header is three rows on a phone and one from 1024 px", async ({ browser }) => {
  const phone = await freshPage(browser, { viewport: { width: 390, height: 844 } });
  // Logged out, "Log in" and "Sign up" share the brand's row too.
  await phone.goto("/");
  const [brand, account] = await phone.evaluate(() =>
    [".brand", ".account"].map((sel) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return Math.round(r.top + r.height / 2);
    }),
  );
  expect(Math.abs(brand - account), "the brand and Log in / Sign up share a row").toBeLessThan(20);
  await logIn(phone, "demo_admin", DEMO_PASSWORD);
  for (const path of [
    "/admin", "/", "/c/multiple-sclerosis", "/directory", "/g/newly-diagnosed-with-ms", "/settings", "/u/demo_admin",
    "/messages", "/notifications", "/library", "/mod", "/admin/operator", "/admin/analytics",
    "/directory/pennine-neurology", "/search?q=relapse", "/about",
  ]) {
    await phone.goto(path);
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(width, `${path} is ${width} px wide at 390 px`).toBeLessThanOrEqual(390);
  }
  // On a phone the logged-in header is three rows: brand and the member's links, the menu, search.
  // The member's links are icons there, named by their words.
  await phone.goto("/c/multiple-sclerosis");
  const banner = phone.getByRole("banner");
  for (const name of [/^Messages/, /^Notifications/]) {
    const box = await banner.getByRole("link", { name }).boundingBox();
    expect(box?.width ?? 0, `${name} has its icon`).toBeGreaterThanOrEqual(20);
    expect(box?.width ?? 99, `${name} is an icon, not a word`).toBeLessThan(40);
  }
  await expect(banner.locator("summary")).toHaveAccessibleName(/Logged in as @demo_admin/);
  const rows = await phone.evaluate(() => {
    const centre = (sel: string) => {
      const r = document.querySelector(sel)!.getBoundingClientRect();
      return Math.round(r.top + r.height / 2);
    };
    // Rows: the children's vertical centres, a new row where one is 20 px or more below the last.
    const centres = Array.from(document.querySelector(".header-inner")!.children)
      .filter((e) => (e as HTMLElement).offsetParent !== null)
      .map((e) => e.getBoundingClientRect())
      .map((r) => r.top + r.height / 2)
      .sort((a, b) => a - b);
    const rows = centres.filter((c, i) => i === 0 || c - centres[i - 1] >= 20).length;
    return { brand: centre(".brand"), account: centre(".account"), rows };
  });
  expect(Math.abs(rows.brand - rows.account), "the brand and the member's links share a row").toBeLessThan(20);
  expect(rows.rows, "brand and account, the menu, search").toBe(3);
  // A row of tabs stays a row on a phone (it scrolls sideways), not a list of lines.
  const tabRows = await phone
    .getByRole("navigation", { name: "Sort posts" })
    .getByRole("link")
    .evaluateAll((links) => new Set(links.map((a) => Math.round(a.getBoundingClientRect().top))).size);
  expect(tabRows, "the sort tabs are one row").toBe(1);
  await phone.context().close();

  // From 1024 px the logged-in header is one row: below 1280 px the member's links are icons.
  for (const width of [1024, 1280]) {
    const wide = await freshPage(browser, { viewport: { width, height: 800 } });
    await logIn(wide, "demo_admin", DEMO_PASSWORD);
    const spread = await wide.evaluate(() => {
      const inner = document.querySelector(".header-inner")!;
      const tops = Array.from(inner.children)
        .filter((e) => (e as HTMLElement).offsetParent !== null)
        .map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2));
      return Math.max(...tops) - Math.min(...tops);
    });
    // Wrapped, a second row sits a whole line (40 px or more) lower.
    expect(spread, `at ${width} px the header's brand, menu, search and account share one row`).toBeLessThan(20);
    await wide.context().close();
  }
});
