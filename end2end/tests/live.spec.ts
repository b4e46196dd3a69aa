// Messages and notifications: the header badges follow live (Server-Sent Events) without a reload; works without JavaScript too.
import { test, expect } from "@playwright/test";
import { accessibilityProblems, freshPage, hydrated, signUp, uniqueHandle } from "./helpers";

test("A messages B; B's badge updates without a reload; B replies and A sees it live", async ({ page, browser }) => {
  const a = uniqueHandle("writer");
  const b = uniqueHandle("reader");
  const pageB = await freshPage(browser);
  await signUp(pageB, b, "reader-password-1");
  await pageB.goto("/c");
  await hydrated(pageB);
  await expect(pageB.getByTestId("unread-messages")).toHaveCount(0);

  await signUp(page, a, "writer-password-1");
  await page.goto(`/u/${b}`);
  await hydrated(page);
  await page.getByRole("link", { name: "Send a message" }).click();
  await hydrated(page);
  await page.getByLabel("Your message").fill("Hello! How are you **today**?");
  await page.getByRole("button", { name: "Send" }).click();
  await expect(page.locator(".messages li.mine")).toContainText("How are you today?");
  await expect(page.getByLabel("Your message")).toHaveValue("");

  // B never reloaded: the badges came over the event stream.
  await expect(pageB.getByTestId("unread-messages")).toHaveText("1", { timeout: 10_000 });
  await expect(pageB.getByTestId("unread")).toHaveText("1");
  await pageB.getByRole("banner").getByRole("link", { name: /Messages/ }).click();
  await pageB.getByRole("link", { name: `@${a}` }).click();
  await expect(pageB.locator(".messages li").first()).toContainText("How are you today?");
  await expect(pageB.getByTestId("unread-messages")).toHaveCount(0);
  await expect(pageB.getByTestId("unread")).toHaveCount(0);
  await hydrated(pageB);
  await pageB.getByLabel("Your message").fill("Much better, thanks for asking.");
  await pageB.getByRole("button", { name: "Send" }).click();

  // A's open conversation follows: the reply appears, and A's own message is marked read.
  await expect(page.locator(".messages li:not(.mine)")).toContainText("Much better", { timeout: 10_000 });
  await expect(page.locator(".messages li.mine").first()).toContainText("Read");
  // A message that arrived while the page was open is dated as people say it, like the rest.
  await expect(page.locator(".messages li:not(.mine) time")).toHaveText("just now");
  await expect(page.locator(".messages li.mine time").first()).toHaveText(/^(just now|1 minute ago)$/);
  await page.screenshot({ path: "test-results/messages.png", fullPage: true });
  // The last message and the box to answer in stand apart (they touched).
  const list = await page.locator(".messages").boundingBox();
  const box = await page.locator("section.panel", { has: page.getByLabel("Your message") }).boundingBox();
  expect(box!.y - (list!.y + list!.height)).toBeGreaterThanOrEqual(8);
});

test("an answer to a member's question lights up their notifications live", async ({ page, browser }) => {
  const asker = uniqueHandle("asker");
  await signUp(page, asker, "asker-password-1");
  await page.goto("/c/multiple-sclerosis");
  await hydrated(page);
  await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
  await expect(page.getByText("You are a member")).toBeVisible();
  await page.getByRole("link", { name: "Ask a question" }).click();
  await hydrated(page);
  const title = `Cold hands in the morning ${Date.now().toString(36)}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Details").fill("Is this common with MS?");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await hydrated(page);

  const helper = await freshPage(browser);
  await signUp(helper, uniqueHandle("helper"), "helper-password-1");
  await helper.goto("/c/multiple-sclerosis");
  await hydrated(helper);
  await helper.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
  await expect(helper.getByText("You are a member")).toBeVisible();
  await helper.goto(page.url());
  await hydrated(helper);
  await helper.getByRole("textbox", { name: "Your answer" }).fill("Yes, many of us have it. Gloves help.");
  await helper.getByRole("button", { name: "Post answer" }).click();
  await expect(helper.locator("li.reply", { hasText: "Gloves help" })).toBeVisible();

  await expect(page.getByTestId("unread")).toHaveText("1", { timeout: 10_000 });
  await page.getByRole("banner").getByRole("link", { name: /Notifications/ }).click();
  const item = page.locator(".notification-list li", { hasText: `answered your question “${title}”` });
  await expect(item).toBeVisible();
  await page.getByRole("button", { name: "Mark all as read" }).click();
  await expect(page.getByTestId("unread")).toHaveCount(0);
  await item.getByRole("link").click();
  await expect(page.locator("li.reply", { hasText: "Gloves help" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member sends a message; an empty one is refused with a clear error", async ({ page, browser }) => {
    const to = uniqueHandle("plainto");
    const other = await freshPage(browser);
    await signUp(other, to, "plain-to-pass-1", { js: false });
    await signUp(page, uniqueHandle("plainfrom"), "plain-from-1", { js: false });
    await page.goto(`/messages/${to}`);
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.locator("#f-body-error")).toHaveText("Write a message.");
    await page.getByLabel("Your message").fill("Hello without JavaScript");
    await page.getByRole("button", { name: "Send" }).click();
    await expect(page.locator(".messages li.mine")).toContainText("Hello without JavaScript");
  });
});

for (const path of ["/messages", "/notifications"]) {
  test(`no accessibility problems (moderate or worse) on ${path}`, async ({ page }) => {
    await signUp(page, uniqueHandle("axe"), "axe-password-1");
    await page.goto(path);
    await hydrated(page);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
}

test("C signs up through A's invite link; A's count of joined members shows 1", async ({ page, browser }) => {
  const a = uniqueHandle("inviter");
  await signUp(page, a, "inviter-password-1");
  await page.goto("/c/type-2-diabetes");
  await hydrated(page);
  await page.getByRole("button", { name: "Join Type 2 Diabetes" }).click();
  await expect(page.getByText("You are a member")).toBeVisible();
  await page.goto(`/u/${a}`);
  // One's own profile leads to where it is edited, and to the invitations.
  await expect(page.getByRole("link", { name: "Edit your profile" })).toHaveAttribute("href", "/settings");
  await page.getByRole("link", { name: "Invite friends" }).click();
  await expect(page.getByTestId("invite-joins")).toHaveText("Nobody has joined through your invites yet.");
  const link = await page.locator(".invite-link", { hasText: "?c=type-2-diabetes" }).getAttribute("href");
  // The whole address, as the member shares it (it was a bare path, "/join/…", before).
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\/[0-9a-f]{10}\?c=type-2-diabetes$/);

  const c = await freshPage(browser);
  await c.goto(link!);
  await expect(c.getByRole("heading", { level: 1 })).toContainText(`@${a} invited you`);
  await expect(c.getByText("You will join the Type 2 Diabetes community.")).toBeVisible();
  await c.getByRole("link", { name: "Create your account" }).click();
  const handle = uniqueHandle("invitee");
  await hydrated(c);
  await c.getByLabel("Handle (your public name)").fill(handle);
  await c.getByLabel("E-mail address").fill(`${handle}@example.org`);
  await c.getByLabel("Password").fill("invitee-password-1");
  await c.getByLabel("A patient").check();
  await c.getByLabel(/I agree that HealthCommunity stores/).check();
  await c.getByRole("button", { name: "Create my account" }).click();
  await expect(c.getByRole("banner").getByText(`@${handle}`)).toBeVisible();
  await c.goto("/c/type-2-diabetes");
  await expect(c.getByText("You are a member")).toBeVisible();

  await page.reload();
  await expect(page.getByTestId("invite-joins")).toHaveText("1 member joined through your invites.");
});

test("“Copy” puts the whole invite link on the clipboard; without JavaScript there is no button, the link stands to select", async ({ browser }) => {
  const page = await freshPage(browser);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await signUp(page, uniqueHandle("sharer"), "sharer-password-1");
  await page.goto("/c/multiple-sclerosis");
  await hydrated(page);
  await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
  await expect(page.getByText("You are a member")).toBeVisible();
  await page.goto("/invite");
  await hydrated(page);
  const link = await page.locator(".invite-link").first().textContent();
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/join\/[0-9a-f]{10}$/);
  await page.getByRole("button", { name: "Copy your invite link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Copied." })).toHaveCount(1);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  // A community's link has its own button.
  await page.getByRole("button", { name: "Copy the Multiple Sclerosis link" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${link}?c=multiple-sclerosis`);
  expect(await accessibilityProblems(page)).toEqual([]);
  const session = await page.context().storageState();
  await page.context().close();

  const plain = await freshPage(browser, { javaScriptEnabled: false, storageState: session });
  await plain.goto("/invite");
  await expect(plain.locator(".invite-link").first()).toHaveText(link ?? "");
  await expect(plain.getByRole("button", { name: /^Copy/ })).toHaveCount(0);
  await plain.context().close();
});

test("inviting by e-mail works without JavaScript and keeps a mistyped address", async ({ browser }) => {
  const page = await freshPage(browser, { javaScriptEnabled: false });
  const a = uniqueHandle("mailer");
  await signUp(page, a, "mailer-password-1", { js: false });
  await page.goto("/invite");
  await page.getByLabel("Their e-mail address").fill("not-an-address");
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText("Enter an e-mail address like name@example.org.")).toBeVisible();
  await expect(page.getByLabel("Their e-mail address")).toHaveValue("not-an-address");
  await page.getByLabel("Their e-mail address").fill(`${a}.friend@example.org`);
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByTestId("invite-sent")).toHaveText("Invitation sent.");
  await page.context().close();
});
