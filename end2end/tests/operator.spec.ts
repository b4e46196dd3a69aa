// The operator's half in the browser: the admin adds and approves an advertiser and /about shows it to a visitor (with and without JavaScript); the admin page passes axe.
import { Browser, expect, Page, test } from "@playwright/test";
import { accessibilityProblems, DEMO_PASSWORD, freshPage, hydrated, logIn, uniqueHandle } from "./helpers";

async function addAndApprove(page: Page, name: string) {
  await page.goto("/admin");
  await page.getByRole("link", { name: "The operator and advertisers" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The operator and advertisers");
  const form = page.getByRole("form", { name: "Add an advertiser" });
  await form.getByLabel("Organisation").fill(name);
  // A plain http address is refused with the reason, and what was typed stays.
  await form.getByLabel("Website").fill("http://plain.example.org");
  await form.getByLabel("Kind").selectOption("nonprofit");
  await form.getByLabel("Contact e-mail (never shown)").fill("partners@example.org");
  await form.getByLabel("Disclosure").fill(`${name} runs a helpline for people with MS.`);
  await form.getByRole("button", { name: "Add advertiser" }).click();
  await expect(page.locator("#f-website-error")).toHaveText(/https:\/\//);
  await expect(page.getByRole("form", { name: "Add an advertiser" }).getByLabel("Organisation")).toHaveValue(name);
  await page.getByRole("form", { name: "Add an advertiser" }).getByLabel("Website").fill("helpline.example.org");
  await page.getByRole("form", { name: "Add an advertiser" }).getByRole("button", { name: "Add advertiser" }).click();
  const item = page.getByTestId("advertiser").filter({ hasText: name });
  await expect(item).toContainText("Waiting for approval");
  await item.getByRole("button", { name: `Approve ${name}` }).click();
  await expect(page.getByTestId("advertiser").filter({ hasText: name })).toContainText("Approved");
}

async function visitorSees(browser: Browser, name: string) {
  const visitor = await freshPage(browser);
  await visitor.goto("/");
  await visitor.getByRole("contentinfo").getByRole("link", { name: "Who runs this site, and advertising" }).click();
  await expect(visitor.getByTestId("operator-name")).toHaveText("Thames Neurology Trust");
  const list = visitor.getByRole("list", { name: "Who may advertise here" });
  await expect(list).toContainText(name);
  await expect(list).toContainText("Northbridge Pharma");
  // The suspended demo advertiser is not listed, and no contact address is.
  await expect(list).not.toContainText("QuickCure");
  await expect(visitor.locator("body")).not.toContainText("partners@");
  await visitor.context().close();
}

test("the admin approves an advertiser and /about lists it for visitors", async ({ page, browser }) => {
  await logIn(page, "demo_admin", DEMO_PASSWORD);
  const name = `Helpline ${uniqueHandle("adv")}`;
  await addAndApprove(page, name);
  await hydrated(page);
  expect(await accessibilityProblems(page)).toEqual([]);
  await visitorSees(browser, name);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the advertiser forms work as plain forms", async ({ page, browser }) => {
    await page.goto("/login");
    await page.getByLabel("Handle or e-mail address").fill("demo_admin");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("banner").getByText("@demo_admin")).toBeVisible();
    const name = `Plain ${uniqueHandle("adv")}`;
    await addAndApprove(page, name);
    await visitorSees(browser, name);
  });
});

async function dismissAsVisitor(page: Page) {
  await page.goto("/c/multiple-sclerosis");
  const banner = page.getByTestId("announcement").filter({ hasText: "Ask the MS nurses, live" });
  await expect(banner).toContainText("From Thames Neurology Trust");
  await banner.getByRole("button", { name: "Dismiss: Ask the MS nurses, live" }).click();
  await expect(page.getByTestId("announcement").filter({ hasText: "Ask the MS nurses, live" })).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Multiple Sclerosis");
  await expect(page.getByTestId("announcement").filter({ hasText: "Ask the MS nurses, live" })).toHaveCount(0);
  // Only on the community's pages: the home page never had it.
  await page.goto("/");
  await expect(page.getByTestId("announcement").filter({ hasText: "Ask the MS nurses, live" })).toHaveCount(0);
}

test("a visitor dismisses the community's announcement and it stays dismissed", async ({ page }) => {
  await page.goto("/c/multiple-sclerosis");
  await hydrated(page);
  await dismissAsVisitor(page);
});

test("the admin publishes an announcement for one community", async ({ page, browser }) => {
  await logIn(page, "demo_admin", DEMO_PASSWORD);
  await page.goto("/admin/operator");
  await hydrated(page);
  const title = `Diabetes clinic moves ${uniqueHandle("ann")}`;
  const form = page.getByRole("form", { name: "New announcement" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Message").fill("From January the clinic is on the second floor.");
  await form.getByLabel("Where").selectOption("type-2-diabetes");
  await form.getByRole("button", { name: "Publish announcement" }).click();
  await expect(page.getByTestId("managed-announcement").filter({ hasText: title })).toContainText("showing");
  const visitor = await freshPage(browser);
  await visitor.goto("/c/type-2-diabetes");
  await expect(visitor.getByTestId("announcement").filter({ hasText: title })).toBeVisible();
  await visitor.goto("/c/multiple-sclerosis");
  await expect(visitor.getByTestId("announcement").filter({ hasText: title })).toHaveCount(0);
  await visitor.context().close();
});

test.describe("announcements without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a visitor dismisses the community's announcement as a plain form", async ({ page }) => {
    await dismissAsVisitor(page);
  });
});

test("the operator runs a campaign for the MS community; a visitor sees it labelled and clicks it; the counts reach the admin", async ({ page, browser }) => {
  await logIn(page, "demo_admin", DEMO_PASSWORD);
  const name = `Sponsor ${uniqueHandle("adv")}`;
  await addAndApprove(page, name);
  const headline = `Free MS fatigue helpline ${uniqueHandle("c")}`.slice(0, 60);
  const form = page.getByRole("form", { name: "New campaign" });
  await form.getByLabel("For", { exact: true }).selectOption({ label: name });
  await form.getByLabel("Headline").fill(headline);
  await form.getByLabel("Text").fill("Nurses answer your questions about fatigue, weekdays 9 to 5.");
  await form.getByLabel("Button label").fill("Call the helpline");
  // Plain http is refused, with the reason, and the rest of the form stays as typed.
  await form.getByLabel("Button leads to").fill("http://helpline.example.org/ms");
  await form.getByLabel("In the feed (after the 3rd post)").uncheck();
  await form.getByLabel("Multiple Sclerosis", { exact: true }).check();
  await form.getByRole("button", { name: "Create campaign" }).click();
  await expect(page.locator("#f-camp_url-error")).toContainText("https://");
  await expect(page.getByRole("form", { name: "New campaign" }).getByLabel("Headline")).toHaveValue(headline);
  await page.getByRole("form", { name: "New campaign" }).getByLabel("Button leads to").fill("https://helpline.example.org/ms");
  await page.getByRole("form", { name: "New campaign" }).getByRole("button", { name: "Create campaign" }).click();
  const row = page.getByTestId("campaign").filter({ hasText: headline });
  await expect(row).toContainText("running");
  await expect(row).toContainText("Multiple Sclerosis");

  // A visitor sees it on the MS community, labelled with who paid, and clicks it.
  const visitor = await freshPage(browser);
  await visitor.route("https://helpline.example.org/**", (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<title>Helpline</title><p>Landing page</p>" }),
  );
  await visitor.goto("/c/multiple-sclerosis");
  const ad = visitor.locator("[data-sponsored]").filter({ hasText: headline });
  await expect(ad).toBeVisible();
  await expect(ad).toContainText(`Sponsored · ${name}`);
  await expect(ad.getByRole("link", { name: "Why am I seeing this?" })).toHaveAttribute("href", /\/about\/sponsored\?c=multiple-sclerosis/);
  const cta = ad.getByRole("link", { name: "Call the helpline" });
  await expect(cta).toHaveAttribute("rel", "sponsored noopener external");
  await cta.click();
  await expect(visitor).toHaveURL("https://helpline.example.org/ms");
  await visitor.context().close();

  // The admin sees the impression and the click, in the campaigns table and in the dashboard.
  await page.reload();
  const counted = page.getByTestId("campaign").filter({ hasText: headline });
  await expect(counted.getByTestId("clicks")).toHaveText("1");
  await expect(counted.getByTestId("impressions")).not.toHaveText("0");
  await page.goto("/admin");
  await page.getByRole("link", { name: "Traffic and advertising figures" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Traffic and advertising");
  const chart = page.locator('[data-chart="sponsored"]');
  await expect(chart.locator("svg title")).toContainText("Sponsored clicks");
  await chart.getByText("The numbers").click();
  const today = chart.locator("tbody tr").first();
  await expect(today.locator("td").nth(0)).not.toHaveText("0");
  await expect(today.locator("td").nth(1)).not.toHaveText("0");
  await expect(page.getByTestId("analytics-table").filter({ hasText: headline })).toContainText("1");
});

test("the traffic dashboard passes axe and its plain form switches range and community", async ({ page }) => {
  await logIn(page, "demo_admin", DEMO_PASSWORD);
  await page.goto("/admin/analytics");
  await expect(page.locator('[data-chart="traffic"] svg')).toBeVisible();
  await expect(page.getByRole("note")).toContainText("generated demo traffic");
  await hydrated(page);
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.getByLabel("Range", { exact: true }).selectOption("7");
  await page.getByLabel("Community", { exact: true }).selectOption({ label: "Multiple Sclerosis" });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/days=7/);
  await expect(page.getByLabel("Community", { exact: true })).toHaveValue("multiple-sclerosis");
  await page.locator('[data-chart="traffic"]').getByText("The numbers").click();
  await expect(page.locator('[data-chart="traffic"] tbody tr')).toHaveCount(7);
  const csv = await page.request.get("/admin/analytics.csv?days=7&community=multiple-sclerosis");
  expect(csv.status()).toBe(200);
  expect(await csv.text()).toMatch(/^series,day,value\npage_views,/);
});

test("support groups and private messages carry no sponsored content; community pages do", async ({ page }) => {
  await logIn(page, "maria_ms", DEMO_PASSWORD);
  await page.goto("/c/multiple-sclerosis");
  await expect(page.locator("[data-sponsored]").first()).toBeVisible();
  for (const path of ["/g/newly-diagnosed-with-ms", "/messages/dr_okafor", "/messages", "/notifications", "/settings"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.locator("[data-sponsored]")).toHaveCount(0);
    await expect(page.locator("body")).not.toContainText("Sponsored ·");
  }
});

test("Why am I seeing this? explains the page, not the reader, and passes axe", async ({ page }) => {
  await page.goto("/c/multiple-sclerosis");
  const ad = page.locator("[data-sponsored]").first();
  await ad.getByRole("link", { name: "Why am I seeing this?" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Why am I seeing this?");
  await expect(page.locator("main")).toContainText("/c/multiple-sclerosis");
  await expect(page.locator("main")).toContainText("never chosen from who you are");
  await hydrated(page);
  expect(await accessibilityProblems(page)).toEqual([]);
});

test("on a phone the operator's forms keep their fields apart and the campaigns' caption in view", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 900 });
  await logIn(page, "demo_admin", DEMO_PASSWORD);
  await page.goto("/admin/operator");
  await hydrated(page);
  const tight = await page.evaluate(() => {
    const out: string[] = [];
    const gap = (a: Element, b: Element) => b.getBoundingClientRect().top - a.getBoundingClientRect().bottom;
    const name = (e: Element) => (e.getAttribute("aria-label") ?? e.textContent ?? "").trim().slice(0, 40);
    // Fields side by side on a wide screen, stacked here: a stacked one starts below the last.
    for (const row of document.querySelectorAll(".field-row")) {
      const fields = [...row.children];
      for (let i = 1; i < fields.length; i++) {
        const g = gap(fields[i - 1], fields[i]);
        if (g >= 0 && g < 8) out.push(`field "${name(fields[i])}" ${g} px below the last`);
      }
    }
    // A panel's introduction and its form; one form and the next.
    for (const form of document.querySelectorAll(".panel > p.hint + form, .panel > form + form")) {
      const prev = form.previousElementSibling;
      if (prev && gap(prev, form) < 8) out.push(`form "${name(form)}" ${gap(prev, form)} px below what is above it`);
    }
    return out;
  });
  expect(tight).toEqual([]);
  // The caption's words start at the table's left edge, on the screen, not centred over the
  // scrolling table's full width.
  const caption = await page.getByTestId("campaigns").evaluate((table) => {
    const range = document.createRange();
    range.selectNodeContents(table.querySelector("caption")!);
    const r = range.getBoundingClientRect();
    return { left: r.left, right: r.right };
  });
  expect(caption.left).toBeGreaterThanOrEqual(0);
  expect(caption.right).toBeLessThanOrEqual(390);
});

test("on a phone an advertiser's figures show their numbers without scrolling sideways", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, "demo_sponsor", DEMO_PASSWORD);
  await page.goto("/sponsor");
  const campaign = page.getByTestId("sponsor-campaign").first();
  await expect(campaign).toBeVisible();
  for (const box of await campaign.locator(".table-scroll").all()) {
    const [wide, shown] = await box.evaluate((el) => [el.scrollWidth, el.clientWidth]);
    expect(wide, "a table of figures scrolls sideways").toBeLessThanOrEqual(shown);
  }
  await expect(campaign.getByRole("columnheader", { name: "CTR" }).first()).toBeInViewport();
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.screenshot({ path: "test-results/sponsor-phone.png" });
});
