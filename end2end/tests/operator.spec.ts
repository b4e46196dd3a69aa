// The operator's half in the browser: the admin adds and approves an advertiser and /about shows it to a visitor (with and without JavaScript); the admin page passes axe.
import AxeBuilder from "@axe-core/playwright";
import { Browser, expect, Page, test } from "@playwright/test";
import { DEMO_PASSWORD, freshPage, hydrated, logIn, uniqueHandle } from "./helpers";

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
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(", ")})`)).toEqual([]);
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
