// The crisis safeguard in the browser: the helplines while typing (JavaScript) or as a confirmation step (without), again on the post, and the moderator's alert, queue and review; the queue passes axe.
import { expect, Page, test } from "@playwright/test";
import { accessibilityProblems, DEMO_PASSWORD, freshPage, hydrated, logIn, openAccountMenu, signUp, uniqueHandle } from "./helpers";

const WORDS = "Since the relapse I don't want to be here anymore. I think about ending it all.";

async function joinAndOpenForm(page: Page, js: boolean) {
  await page.goto("/c/multiple-sclerosis");
  if (js) await hydrated(page);
  await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
  await expect(page.getByText("You are a member")).toBeVisible();
  await page.getByRole("link", { name: "Start a discussion" }).click();
  if (js) await hydrated(page);
  await page.getByLabel("Start a discussion").check();
}

test("a member in crisis sees the helplines before and after posting; the moderator is alerted and reviews it", async ({ page, browser }) => {
  await signUp(page, uniqueHandle("crisis"), "crisis-password-1");
  await joinAndOpenForm(page, true);
  const title = `A very bad week ${Date.now().toString(36)}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  const panel = page.getByTestId("crisis-panel");
  await expect(panel).toHaveCount(0);
  // While typing: the panel appears above the button, calmly, with the helplines.
  await page.getByLabel("Details").fill(WORDS);
  await expect(panel).toBeVisible();
  await expect(panel).toContainText("Samaritans");
  await expect(panel).toContainText("116 123");
  await expect(panel).toContainText("988");
  await expect(panel).toContainText("TelefonSeelsorge");
  await expect(page.locator(".alert-error")).toHaveCount(0);
  await page.screenshot({ path: "test-results/crisis-while-typing.png", fullPage: true });
  // It never blocks: one press posts, and the post shows the author the helplines again.
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId("crisis-panel")).toContainText("Samaritans");
  const postUrl = page.url().replace(/[?#].*$/, "");

  // Anonymous visitors do not get it until a moderator has looked; the community feed does not list it.
  const visitor = await freshPage(browser);
  const res = await visitor.goto(postUrl);
  expect(res?.status()).toBe(404);
  await visitor.goto("/c/multiple-sclerosis");
  await expect(visitor.locator("main")).not.toContainText(title);

  // The site moderator is alerted and finds it at the top of the queue.
  const moderator = await freshPage(browser);
  await logIn(moderator, "sam_moderator", DEMO_PASSWORD);
  await moderator.goto("/notifications");
  await expect(moderator.locator("main")).toContainText("may come from someone at risk");
  await openAccountMenu(moderator);
  await moderator.getByRole("banner").getByRole("link", { name: "Moderation", exact: true }).click();
  await expect(moderator.getByRole("heading", { level: 1 })).toHaveText("Moderation queue");
  await hydrated(moderator);
  const item = moderator.locator(".flag-item", { hasText: title });
  await expect(item).toContainText("Self-harm risk");
  await expect(item).toContainText("ending it all");
  expect(await accessibilityProblems(moderator)).toEqual([]);
  await moderator.screenshot({ path: "test-results/moderation-queue.png", fullPage: true });
  await item.getByRole("button", { name: "Looked at: list it again" }).click();
  await expect(moderator.locator(".flag-item", { hasText: title })).toHaveCount(0);

  // Listed again: the visitor reads it now.
  const again = await visitor.goto(postUrl);
  expect(again?.status()).toBe(200);
  await expect(visitor.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(visitor.getByTestId("crisis-panel")).toHaveCount(0);
  await visitor.context().close();
  await moderator.context().close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the helplines come as a confirmation step that keeps every word", async ({ page }) => {
    await signUp(page, uniqueHandle("plaincrisis"), "plain-crisis-1", { js: false });
    await joinAndOpenForm(page, false);
    const title = `Struggling ${Date.now().toString(36)}`;
    await page.getByLabel("Title", { exact: true }).fill(title);
    await page.getByLabel("Details").fill(WORDS);
    await page.getByRole("button", { name: "Post" }).click();
    const panel = page.getByTestId("crisis-panel");
    await expect(panel).toContainText("Samaritans");
    await expect(page.locator(".alert-error")).toHaveCount(0);
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(title);
    await expect(page.getByLabel("Details")).toHaveValue(WORDS);
    await page.screenshot({ path: "test-results/crisis-confirmation-step.png", fullPage: true });
    await page.getByRole("button", { name: "Post" }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page.getByTestId("crisis-panel")).toContainText("Samaritans");
  });
});

test("a member reports a reply; the community moderator removes it with a reason; the author is told and the audit log shows it", async ({ page, browser }) => {
  // Four people (two sign-ups, two log-ins) and a dozen pages: on a busy two-core machine it
  // passed every step and ran out of the default 30 s at the last one.
  test.setTimeout(60_000);
  const stamp = Date.now().toString(36);
  // The asker starts a discussion; another member answers with an advert.
  await signUp(page, uniqueHandle("asker"), "asker-password-1");
  await joinAndOpenForm(page, true);
  const title = `Numb hands in the morning ${stamp}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Details").fill("Does anyone else wake up with numb hands?");
  await page.getByLabel("Everyone").check();
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const postUrl = page.url().replace(/[?#].*$/, "");

  const spammerHandle = uniqueHandle("seller");
  const spammer = await freshPage(browser);
  await signUp(spammer, spammerHandle, "seller-password-1");
  await joinAndOpenForm(spammer, true);
  await spammer.goto(postUrl);
  await hydrated(spammer);
  const advert = `Quagga pills fix numb hands, order today ${stamp}`;
  await spammer.getByRole("textbox", { name: "Your comment" }).fill(advert);
  await spammer.getByRole("button", { name: "Post comment" }).click();
  await expect(spammer.locator("li.reply")).toContainText(advert);

  // The asker reports it.
  await page.goto(postUrl);
  await hydrated(page);
  const reply = page.locator("li.reply", { hasText: advert });
  await reply.getByText("Report", { exact: true }).click();
  await reply.getByLabel("Spam or advertising").check();
  await reply.getByLabel("Anything the moderators should know (optional)").fill("An advert for pills.");
  await reply.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByRole("status").filter({ hasText: "the moderators will look at it" })).toBeVisible();

  // The community's moderator removes it from the queue with a reason.
  const moderator = await freshPage(browser);
  await logIn(moderator, "dr_okafor", DEMO_PASSWORD);
  await moderator.goto("/mod");
  await hydrated(moderator);
  const item = moderator.locator(".report-item", { hasText: advert });
  await expect(item).toContainText("Spam or advertising");
  await expect(item).toContainText("An advert for pills.");
  await item.getByText("Remove reply…").click();
  await item.getByLabel("Why (the author is told)").selectOption("spam");
  await item.getByLabel("A word to the author (optional)").fill("No adverts, please.");
  await item.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(moderator.locator(".report-item", { hasText: advert })).toHaveCount(0);

  // A visitor sees that something was removed, not what.
  const visitor = await freshPage(browser);
  await visitor.goto(postUrl);
  await expect(visitor.locator("li.reply").first()).toContainText("[removed by a moderator]");
  await expect(visitor.locator("body")).not.toContainText("Quagga");

  // The author is told why and still reads their words.
  await spammer.goto("/notifications");
  await expect(spammer.locator("main")).toContainText("A moderator removed your reply");
  await expect(spammer.locator("main")).toContainText("No adverts, please.");
  await spammer.goto(postUrl);
  await expect(spammer.locator("li.reply", { hasText: advert })).toContainText("Removed by a moderator.");

  // The audit log shows who removed what and why.
  const admin = await freshPage(browser);
  await logIn(admin, "demo_admin", DEMO_PASSWORD);
  await admin.goto("/admin");
  const row = admin.locator("tr", { hasText: "Removed a reply" }).first();
  await expect(row).toContainText("@dr_okafor");
  await expect(row).toContainText("No adverts, please.");
  for (const p of [spammer, moderator, visitor, admin]) await p.context().close();
});

test("a site moderator suspends a member from /mod, and the member sees why and until when", async ({ browser }) => {
  const member = await freshPage(browser);
  const handle = uniqueHandle("suspended");
  await signUp(member, handle, "first-password-1");
  const admin = await freshPage(browser);
  await logIn(admin, "demo_admin", DEMO_PASSWORD);
  await admin.goto("/mod");
  await hydrated(admin);
  const form = admin.getByRole("form", { name: "Warn or suspend a member" });
  await form.getByLabel("Member's handle").fill(handle);
  await form.getByLabel("What to do").selectOption("7");
  await form.getByLabel("Reason (the member reads it)").fill("Advertising in every thread.");
  await form.getByRole("button", { name: "Apply" }).click();
  await expect(form.getByText("Done. The member has been told.")).toBeVisible();
  expect(await accessibilityProblems(admin)).toEqual([]);
  await member.goto("/");
  const banner = member.getByTestId("suspension-banner");
  await expect(banner).toContainText("Advertising in every thread.");
  await expect(banner).toContainText("suspended until");
});

test("a new community holds a new member's first post until a moderator approves it; a watched word blocks with its name and keeps the text", async ({ browser }) => {
  const admin = await freshPage(browser);
  await logIn(admin, "demo_admin", DEMO_PASSWORD);
  const slug = `held-${Date.now().toString(36)}`;
  const name = `Held ${slug.slice(5)}`;
  await admin.goto("/communities/new");
  await hydrated(admin);
  await admin.getByLabel("Name").fill(name);
  await admin.getByLabel("Address").fill(slug);
  await admin.getByLabel("Plain-language description").fill("A community that holds new members' first posts.");
  // A new community holds new members' first posts unless the admin says otherwise.
  await expect(admin.getByLabel("Hold new members' first posts for a moderator's approval")).toBeChecked();
  await admin.getByRole("button", { name: "Save community" }).click();
  await expect(admin).toHaveURL(new RegExp(`/c/${slug}$`));

  // Its watched words: one that blocks.
  await admin.goto(`/mod/words?c=${slug}`);
  await expect(admin.getByRole("heading", { level: 1 })).toHaveText(`Watched words: ${name}`);
  await hydrated(admin);
  await admin.getByLabel("Words or phrases, one per line").fill("zorblax tonic");
  await admin.getByLabel("Block: the form says which word and nothing is posted").check();
  await admin.getByRole("button", { name: "Add to the list" }).click();
  await expect(admin.locator(".watched-list")).toContainText("zorblax tonic");
  expect(await accessibilityProblems(admin)).toEqual([]);
  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.screenshot({ path: "test-results/watched-words-390.png", fullPage: true });
  await admin.setViewportSize({ width: 1280, height: 900 });

  // A new member: the word is named and nothing typed is lost (without JavaScript too).
  const member = await freshPage(browser, { javaScriptEnabled: false });
  await signUp(member, uniqueHandle("newbie"), "newbie-password-1", { js: false });
  await member.goto(`/c/${slug}`);
  await member.getByRole("button", { name: `Join ${name}` }).click();
  await expect(member.getByText("You are a member")).toBeVisible();
  await member.getByRole("link", { name: "Start a discussion" }).click();
  await member.getByLabel("Start a discussion").check();
  const title = `First steps ${slug}`;
  await member.getByLabel("Title", { exact: true }).fill(title);
  await member.getByLabel("Details").fill("Has anyone tried zorblax tonic for fatigue?");
  await member.getByRole("button", { name: "Post" }).click();
  await expect(member.locator("main")).toContainText("“zorblax tonic” is not allowed here");
  await expect(member.getByLabel("Title", { exact: true })).toHaveValue(title);
  await expect(member.getByLabel("Details")).toHaveValue("Has anyone tried zorblax tonic for fatigue?");
  await member.getByLabel("Details").fill("Hello, I was diagnosed last month. What helped you most?");
  await member.getByRole("button", { name: "Post" }).click();
  await expect(member.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(member.getByTestId("awaiting-approval")).toContainText("Waiting for a moderator");
  await member.screenshot({ path: "test-results/awaiting-approval.png", fullPage: true });
  const postUrl = member.url().replace(/[?#].*$/, "");

  // Nobody else sees it yet.
  const visitor = await freshPage(browser);
  expect((await visitor.goto(postUrl))?.status()).toBe(404);
  await visitor.goto(`/c/${slug}`);
  await expect(visitor.locator("main")).not.toContainText(title);

  // The admin's header counts what waits and leads to the queue; they approve it there, then
  // everyone reads it and the author is told.
  await admin.goto("/");
  await expect(admin.getByTestId("mod-queue")).toBeVisible();
  await admin.getByTestId("mod-queue-link").click();
  await expect(admin).toHaveURL(/\/mod$/);
  await hydrated(admin);
  const item = admin.locator(".flag-item", { hasText: title });
  await expect(item).toContainText("New member");
  await item.getByRole("button", { name: "Approve", exact: true }).click();
  await expect(admin.locator(".flag-item", { hasText: title })).toHaveCount(0);
  expect((await visitor.goto(postUrl))?.status()).toBe(200);
  await expect(visitor.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await member.goto("/notifications");
  await expect(member.locator("main")).toContainText("approved your post");
  for (const p of [admin, member, visitor]) await p.context().close();
});
