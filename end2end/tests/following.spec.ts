// Following: a member follows a thread and gets one grouped notification for several replies; community and tag follows with plain forms; /following.
import { test, expect, Page } from "@playwright/test";
import { accessibilityProblems, freshPage, hydrated, openAccountMenu, signUp, uniqueHandle } from "./helpers";

async function joinMs(page: Page, js = true) {
  await page.goto("/c/multiple-sclerosis");
  if (js) await hydrated(page);
  await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
  await expect(page.getByText("You are a member")).toBeVisible();
}

test("a member follows a thread and hears of two replies in one notification", async ({ page, browser }) => {
  // Bea starts a discussion.
  const bea = uniqueHandle("bea");
  await signUp(page, bea, "bea-password-1");
  await joinMs(page);
  await page.getByRole("link", { name: "Start a discussion" }).click();
  await hydrated(page);
  const title = `Cooling towels for the summer ${Date.now().toString(36)}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Details").fill("Which towels stay cool the longest?");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const url = page.url().replace(/[?#].*$/, "");
  // Her own thread: she follows it already.
  await hydrated(page);
  await expect(page.getByRole("button", { name: "Stop following this thread" })).toHaveText("Following ✓");

  // Cal follows it without replying.
  const cal = await freshPage(browser);
  const calHandle = uniqueHandle("cal");
  await signUp(cal, calHandle, "cal-password-1");
  await joinMs(cal);
  await cal.goto(url);
  await hydrated(cal);
  await cal.getByRole("button", { name: "Follow this thread: be told of new replies" }).click();
  await expect(cal.getByRole("button", { name: "Stop following this thread" })).toHaveText("Following ✓");

  // Bea adds two comments to her own thread (she is not told of her own words).
  for (const words of ["The blue one lasted an hour.", "The grey one lasted two."]) {
    await page.getByRole("textbox", { name: "Your comment" }).fill(words);
    await page.getByRole("button", { name: "Post comment" }).click();
    await expect(page.locator("li.reply", { hasText: words })).toBeVisible();
  }

  // Cal: one unread notification that says two.
  await cal.goto("/notifications");
  await hydrated(cal);
  const note = cal.getByRole("link", { name: `2 new replies in “${title}”, a thread you follow` });
  await expect(note).toBeVisible();
  await expect(cal.getByRole("banner").getByRole("link", { name: /Notifications/ })).toContainText("1");
  await cal.screenshot({ path: "test-results/following-notification.png", fullPage: true });
  await note.click();
  await expect(cal.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // The menu's Following page lists the thread; muting it there is a click away on the thread.
  await openAccountMenu(cal);
  await cal.getByRole("banner").getByRole("link", { name: "Following" }).click();
  await expect(cal.getByRole("heading", { level: 1, name: "Following" })).toBeVisible();
  await expect(cal.locator(".saved-list")).toContainText(title);
  expect(await accessibilityProblems(cal)).toEqual([]);
  await cal.screenshot({ path: "test-results/following.png", fullPage: true });
  await cal.goto(url);
  await hydrated(cal);
  await cal.getByRole("button", { name: "Mute this thread: be told of nothing from it" }).click();
  await expect(cal.getByRole("button", { name: "Unmute this thread" })).toBeVisible();
  await cal.context().close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member follows a community and a tag, and stops, with plain forms", async ({ page }) => {
    await signUp(page, uniqueHandle("plainfollow"), "plain-follow-1", { js: false });
    await joinMs(page, false);
    await page.getByRole("button", { name: "Follow new posts" }).click();
    await expect(page.getByRole("button", { name: "Following ✓" })).toBeVisible();
    await page.goto("/following");
    const communities = page.getByRole("list", { name: "Communities" });
    await expect(communities).toContainText("Multiple Sclerosis");
    // A tag that is not one comes back with what was typed and why.
    await page.getByLabel("Follow a tag").fill("!!!");
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await expect(page.locator("#follow-tag-error")).toContainText("is not a tag");
    await expect(page.getByLabel("Follow a tag")).toHaveValue("!!!");
    await page.getByLabel("Follow a tag").fill("Heat sensitivity");
    await page.getByRole("button", { name: "Follow", exact: true }).click();
    await expect(page.getByRole("list", { name: "Tags" })).toContainText("heat-sensitivity");
    await communities.getByRole("button", { name: "Stop following" }).click();
    await expect(page.getByText("None yet: “Follow new posts” on a community's page.")).toBeVisible();
  });
});

test("a member saves a library article and a clinic, and finds both on Saved", async ({ page }) => {
  await signUp(page, uniqueHandle("savepages"), "save-pages-1");
  await page.goto("/library/living-with-ms-fatigue");
  await hydrated(page);
  await page.getByRole("button", { name: "Save this article for later" }).click();
  await expect(page.getByRole("button", { name: "Remove this article from your saved items" })).toHaveText("Saved ✓");
  await page.goto("/directory/pennine-neurology");
  await hydrated(page);
  await page.getByRole("button", { name: "Save this page for later" }).click();
  await expect(page.getByRole("button", { name: "Remove this page from your saved items" })).toHaveText("Saved ✓");
  await page.goto("/saved");
  await hydrated(page);
  const pages = page.getByRole("list", { name: "Articles and clinics" });
  await expect(pages.locator(".saved-item")).toHaveCount(2);
  await expect(pages.locator(".saved-item").first()).toContainText("A clinic or doctor, saved");
  await expect(pages).toContainText("fatigue");
  await page.screenshot({ path: "test-results/saved-pages.png", fullPage: true });
  await pages.locator(".saved-item").first().getByRole("button", { name: "Remove from saved" }).click();
  await expect(pages.locator(".saved-item")).toHaveCount(1);
});
