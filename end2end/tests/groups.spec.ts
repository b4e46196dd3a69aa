// Support groups: a private group's join request with its screening question, the moderator's approval, and its posts hidden from everyone else (and from a member the moderator removes); an anonymous post seen by a member and by the group's moderator.
import { test, expect, Page } from "@playwright/test";
import { accessibilityProblems, DEMO_PASSWORD, freshPage, hydrated, logIn, signUp, uniqueHandle } from "./helpers";

/** The header's unread-notifications badge as a number (0 when it is not shown). */
async function unread(page: Page): Promise<number> {
  const badge = page.getByTestId("unread");
  return (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
}

/** Neither the words of the title nor of the body are on the page. */
async function seesNothingOf(page: Page, words: string[]) {
  const text = await page.content();
  for (const w of words) expect(text).not.toContain(w);
}

test("A asks to join a private group, moderator B approves, A reads B's post; outsiders see neither title nor body", async ({ page, browser }) => {
  test.slow();
  const run = Date.now().toString(36);
  const title = `Sleep after diagnosis ${run}`;
  const body = `Secret group body ${run}`;

  // B (a community moderator) starts a private group with a screening question and posts in it.
  const pageB = await freshPage(browser);
  await logIn(pageB, "dr_okafor", DEMO_PASSWORD);
  await pageB.goto("/c/multiple-sclerosis");
  await pageB.getByRole("link", { name: "Start a support group" }).click();
  await hydrated(pageB);
  await pageB.getByLabel("Name").fill(`First year ${run}`);
  await pageB.getByLabel("Who is it for?").fill("People in their first year with MS.");
  await pageB.getByRole("radio", { name: /^Private/ }).check();
  await pageB.getByLabel(/Screening question/).fill("How long ago were you diagnosed?");
  await pageB.getByRole("button", { name: "Start the group" }).click();
  await expect(pageB.getByRole("heading", { level: 1, name: `First year ${run}` })).toBeVisible();
  const groupUrl = new URL(pageB.url()).pathname;
  expect(groupUrl).toMatch(/^\/g\/first-year-/);
  await pageB.getByRole("link", { name: "Ask the group" }).click();
  await hydrated(pageB);
  await expect(pageB.getByText("Only members of this group will see your post.")).toBeVisible();
  await pageB.getByLabel("Title", { exact: true }).fill(title);
  await pageB.getByLabel("Details").fill(body);
  await pageB.getByRole("button", { name: "Post" }).click();
  await expect(pageB.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const postUrl = new URL(pageB.url()).pathname;
  await pageB.goto(groupUrl);
  await hydrated(pageB);
  const before = await unread(pageB);

  // A asks to join, answering the question; the group shows its description but not its posts.
  const a = uniqueHandle("joiner");
  await signUp(page, a, "joiner-password-1");
  await page.goto(groupUrl);
  await hydrated(page);
  await expect(page.getByText("People in their first year with MS.")).toBeVisible();
  await expect(page.getByText("Posts in this group are for its members.")).toBeVisible();
  await seesNothingOf(page, [title, body]);
  await page.getByRole("button", { name: "Ask to join" }).click();
  await expect(page.getByText("Please answer the moderators' question.")).toBeVisible();
  await page.getByLabel("How long ago were you diagnosed?").fill("Four months ago.");
  await page.getByRole("button", { name: "Ask to join" }).click();
  await expect(page.getByText("Your request is waiting for a moderator.")).toBeVisible();

  // B's header badge lights up without a reload; B approves from the moderators' page.
  await expect.poll(() => unread(pageB), { timeout: 10_000 }).toBeGreaterThan(before);
  await pageB.getByRole("link", { name: /Manage the group/ }).click();
  await expect(pageB.getByText("Four months ago.")).toBeVisible();
  await hydrated(pageB);
  await pageB.getByRole("button", { name: `Approve @${a}` }).click();
  await expect(pageB.getByText("No requests waiting.")).toBeVisible();
  await pageB.screenshot({ path: "test-results/group-manage.png", fullPage: true });

  // A is told, and now reads B's post.
  await expect(page.getByTestId("unread")).toBeVisible({ timeout: 10_000 });
  await page.goto(groupUrl);
  await expect(page.getByText("You are a member")).toBeVisible();
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByText(body)).toBeVisible();
  await page.screenshot({ path: "test-results/group-post.png", fullPage: true });

  // An anonymous visitor and a logged-in non-member see neither the title nor the body anywhere.
  const anonymous = await freshPage(browser);
  const outsider = await freshPage(browser);
  await signUp(outsider, uniqueHandle("outsider"), "outsider-password-1");
  for (const visitor of [anonymous, outsider]) {
    for (const path of [groupUrl, "/", "/c/multiple-sclerosis", `/search?q=${run}`, "/u/dr_okafor"]) {
      await visitor.goto(path);
      await seesNothingOf(visitor, [title, body]);
    }
    const res = await visitor.goto(postUrl);
    expect(res?.status()).toBe(404);
    await seesNothingOf(visitor, [title, body]);
  }
  await anonymous.goto(groupUrl);
  await anonymous.screenshot({ path: "test-results/group-outsider.png", fullPage: true });

  // B removes A: the two ways out wait behind "Remove…" with what each means (one tap on a
  // phone does not put a member out), and A no longer reads the group's post.
  await pageB.goto(`${groupUrl}/manage`);
  await hydrated(pageB);
  const row = pageB.locator("li", { hasText: `@${a}` });
  await expect(row.getByRole("button", { name: "Remove", exact: true })).toBeHidden();
  await row.getByText("Remove…").click();
  await expect(row).toContainText("they may ask to join again");
  await row.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(pageB.locator("li", { hasText: `@${a}` })).toHaveCount(0);
  expect((await page.goto(postUrl))?.status()).toBe(404);
});

test("an anonymous group post shows \"a member\" to another member and the author to the group's moderator", async ({ page, browser }) => {
  test.slow();
  const run = Date.now().toString(36);
  const title = `Carer burnout ${run}`;
  const handle = uniqueHandle("anon");
  await signUp(page, handle, "anon-password-1");
  await page.goto("/g/caregivers-of-people-with-cml");
  await hydrated(page);
  await page.getByRole("button", { name: "Join group" }).click();
  await expect(page.getByRole("link", { name: "Ask the group" })).toBeVisible();
  await page.getByRole("link", { name: "Ask the group" }).click();
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Details").fill("I am exhausted and feel guilty saying so. How do other carers cope?");
  await page.getByLabel("Post anonymously").check();
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  // The author is told how it shows; the page does not name them.
  await expect(page.getByText("You posted this anonymously")).toBeVisible();
  const postUrl = new URL(page.url()).pathname;
  await page.screenshot({ path: "test-results/anonymous-author.png", fullPage: true });

  // Another member: "a member", and the handle nowhere in the page or its hydration data.
  const other = await freshPage(browser);
  await logIn(other, "lena_cml", DEMO_PASSWORD);
  for (const path of [postUrl, "/g/caregivers-of-people-with-cml", `/search?q=${run}`]) {
    await other.goto(path);
    await expect(other.getByText(title).first()).toBeVisible();
    expect(await other.content()).not.toContain(handle);
  }
  await other.goto(postUrl);
  await expect(other.locator(".post-meta").first()).toContainText("a member");
  await other.goto(`/u/${handle}`);
  expect(await other.content()).not.toContain(title);

  // The group's moderator sees who wrote it, marked as anonymous.
  const moderator = await freshPage(browser);
  await logIn(moderator, "sam_moderator", DEMO_PASSWORD);
  await moderator.goto(postUrl);
  await expect(moderator.getByRole("link", { name: `@${handle}` })).toBeVisible();
  await expect(moderator.getByText("posted anonymously: only moderators see the name")).toBeVisible();
  await moderator.screenshot({ path: "test-results/anonymous-moderator.png", fullPage: true });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a join request with an empty answer is refused clearly, then sent", async ({ page }) => {
    await signUp(page, uniqueHandle("nojs"), "nojs-password-1", { js: false });
    await page.goto("/g/newly-diagnosed-with-ms");
    await page.getByRole("button", { name: "Ask to join" }).click();
    await expect(page.getByText("Please answer the moderators' question.")).toBeVisible();
    await page
      .getByLabel("How long ago were you diagnosed, and what would help you most here?")
      .fill("Two weeks. I'd like to talk to people who understand.");
    await page.getByRole("button", { name: "Ask to join" }).click();
    await expect(page.getByText("Your request is waiting for a moderator.")).toBeVisible();
  });
});

for (const [who, path] of [
  ["a visitor", "/g/newly-diagnosed-with-ms"],
  ["the moderator", "/g/newly-diagnosed-with-ms/manage"],
]) {
  test(`no accessibility problems (moderate or worse) for ${who} on ${path}`, async ({ browser }) => {
    const page = await freshPage(browser);
    if (who === "the moderator") await logIn(page, "dr_okafor", DEMO_PASSWORD);
    await page.goto(path);
    await hydrated(page);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
}

test("on a phone a group's membership (“Log in to join”) stands above its posts; on a wide screen beside them", async ({ browser }) => {
  for (const width of [390, 1280]) {
    const page = await freshPage(browser, { viewport: { width, height: 900 }, javaScriptEnabled: false });
    await page.goto("/g/caregivers-of-people-with-cml");
    const join = await page.getByRole("link", { name: "Log in to join" }).boundingBox();
    const posts = await page.getByRole("heading", { level: 2, name: "Posts", exact: true }).boundingBox();
    expect(join, "the join link is on the page").not.toBeNull();
    expect(posts, "the posts are on the page").not.toBeNull();
    if (!join || !posts) return;
    if (width === 390) {
      expect(join.y, "the join link is on the first screen").toBeLessThan(900);
      expect(join.y).toBeLessThan(posts.y);
    } else {
      expect(join.x, "membership is in the side column").toBeGreaterThan(posts.x + posts.width);
    }
    await page.context().close();
  }
});
