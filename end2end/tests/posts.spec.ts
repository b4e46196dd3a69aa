// Questions, answers and discussions: ask → clinician answers → accept, threaded replies, no-JS asking, members-only excerpts.
import { test, expect, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { DEMO_PASSWORD, freshPage, hydrated, logIn, logOut, signUp, uniqueHandle } from "./helpers";

async function joinMs(page: Page) {
  await page.goto("/c/multiple-sclerosis");
  await hydrated(page);
  await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
  await expect(page.getByText("You are a member")).toBeVisible();
}

test("a member asks, a verified clinician answers, the asker accepts the answer", async ({ page }) => {
  const asker = uniqueHandle("asker");
  await signUp(page, asker, "asker-password-1");
  await joinMs(page);
  await page.getByRole("link", { name: "Ask a question" }).click();
  await hydrated(page);
  const title = `Is heat making my walking worse? ${Date.now().toString(36)}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Details").fill("On hot days my legs feel **heavy** after ten minutes.");
  await page.getByLabel("Everyone").check();
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".user-html strong")).toHaveText("heavy");
  const postUrl = page.url().replace(/[?#].*$/, "");
  await logOut(page);

  await logIn(page, "dr_okafor", DEMO_PASSWORD);
  await page.goto(postUrl);
  await hydrated(page);
  await page.getByRole("textbox", { name: "Your answer" }).fill("Heat often brings old symptoms back for a while (Uhthoff's phenomenon). Cooling down usually helps.");
  await page.getByRole("button", { name: "Post answer" }).click();
  const answer = page.locator("li.reply.answer").first();
  await expect(answer).toContainText("Uhthoff");
  await expect(answer.locator(".badge-verified")).toHaveText("✓ Verified neurologist");
  await logOut(page);

  await logIn(page, asker, "asker-password-1");
  await page.goto(postUrl);
  await hydrated(page);
  await page.getByRole("button", { name: "✓ Accept this answer" }).click();
  const accepted = page.locator("li.reply.accepted");
  await expect(accepted.getByText("✓ Accepted answer")).toBeVisible();
  await expect(accepted.locator(".badge-verified")).toHaveText("✓ Verified neurologist");
  await expect(accepted).toContainText("Uhthoff");
  // A helpful vote, and pressing again takes it back.
  await accepted.getByRole("button", { name: "▲ Helpful · 0" }).click();
  await expect(accepted.getByRole("button", { name: "▲ Helpful · 1" })).toHaveAttribute("aria-pressed", "true");
  await accepted.getByRole("button", { name: "▲ Helpful · 1" }).click();
  await expect(accepted.getByRole("button", { name: "▲ Helpful · 0" })).toHaveAttribute("aria-pressed", "false");
  await page.screenshot({ path: "test-results/question-accepted.png", fullPage: true });

  // The community feed says so.
  await page.goto("/c/multiple-sclerosis");
  const card = page.locator(".post-card", { hasText: title });
  await expect(card.getByText("✓ Accepted answer")).toBeVisible();
  await expect(card.getByText("Answered by a clinician")).toBeVisible();
  // Once the page runs, a recent moment reads as people say it; the exact time is its tooltip.
  await hydrated(page);
  const when = card.locator("time");
  await expect(when).toHaveText(/^(just now|\d+ minutes? ago)$/);
  await expect(when).toHaveAttribute("datetime", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  await expect(when).toHaveAttribute("title", / UTC$/);
});

test("a threaded reply sits under the comment it answers", async ({ page }) => {
  await logIn(page, "maria_ms", DEMO_PASSWORD);
  await page.goto("/c/multiple-sclerosis");
  await hydrated(page);
  await page.getByRole("link", { name: "Start a discussion" }).click();
  await hydrated(page);
  const title = `Cooling vests that work ${Date.now().toString(36)}`;
  await expect(page.getByLabel("Start a discussion")).toBeChecked();
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Details").fill("Which ones have you tried?");
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await hydrated(page);
  await page.getByRole("textbox", { name: "Your comment" }).fill("I tried a gel vest last summer.");
  await page.getByRole("button", { name: "Post comment" }).click();
  const first = page.locator("li.reply", { hasText: "gel vest" });
  await expect(first).toHaveClass(/depth-0/);
  await first.getByRole("link", { name: "Reply" }).click();
  await expect(page.getByText("Replying to @maria_ms")).toBeVisible();
  await page.getByRole("textbox", { name: "Your reply" }).fill("Update: it lasts about two hours.");
  await page.getByRole("button", { name: "Post reply" }).click();
  const nested = page.locator("li.reply", { hasText: "two hours" });
  await expect(nested).toHaveClass(/depth-1/);
  await expect(page.getByText("Replying to")).toHaveCount(0);
  await page.screenshot({ path: "test-results/thread.png", fullPage: true });
});

test("a member saves a post, notes why, and finds it on Saved", async ({ page }) => {
  await logIn(page, "maria_ms", DEMO_PASSWORD);
  await page.goto("/c/multiple-sclerosis");
  await hydrated(page);
  const first = page.locator(".post-card h3 a, .post-card h2 a").first();
  const title = (await first.textContent())!.trim();
  await first.click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "Save this post for later" }).click();
  await expect(page.getByRole("button", { name: "Remove this post from your saved items" })).toHaveText("Saved ✓");
  // The account menu leads to Saved, where the post is, and a private note sticks.
  await page.goto("/saved");
  await hydrated(page);
  await expect(page.locator(".saved-list")).toContainText(title);
  const item = page.locator(".saved-item").filter({ hasText: title }).first();
  await item.getByText("Add a private note").click();
  await item.getByLabel("Your private note").fill("Ask my nurse about this at the next visit.");
  await item.getByRole("button", { name: "Save note" }).click();
  await expect(item.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await hydrated(page);
  await expect(page.locator(".saved-list")).toContainText(title);
  await expect(page.getByLabel("Your private note").first()).toHaveValue("Ask my nurse about this at the next visit.");
  await page.screenshot({ path: "test-results/saved.png", fullPage: true });
  // Removing it empties the list again (for the next run on the same database).
  await item.getByRole("button", { name: "Remove from saved" }).click();
  await expect(page.locator(".saved-item").filter({ hasText: title })).toHaveCount(0);
});

test("while a member types a question's title, similar questions already asked appear", async ({ page }) => {
  await logIn(page, "maria_ms", DEMO_PASSWORD);
  await page.goto("/c/multiple-sclerosis/new");
  await hydrated(page);
  await page.getByLabel("Title", { exact: true }).pressSequentially("fatigue after my relapse", { delay: 15 });
  const similar = page.getByRole("complementary", { name: /Already asked/ });
  await expect(similar.getByRole("link", { name: "Does fatigue get better after a relapse?" })).toBeVisible();
  // It opens in a new tab: the draft stays.
  await expect(similar.getByRole("link", { name: "Does fatigue get better after a relapse?" })).toHaveAttribute("target", "_blank");
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member checks for similar questions before posting: nothing is posted, the text is kept", async ({ page }) => {
    await signUp(page, uniqueHandle("checker"), "plain-checker-1", { js: false });
    await page.goto("/c/multiple-sclerosis");
    await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
    await page.getByRole("link", { name: "Ask a question" }).click();
    const title = `Fatigue after a relapse: how long does it last? ${Date.now().toString(36)}`;
    const details = "Three weeks on and still exhausted by noon.";
    await page.getByLabel("Title", { exact: true }).fill(title);
    await page.getByLabel("Details").fill(details);
    await page.getByRole("button", { name: "Check for similar questions" }).click();
    await expect(page.getByText("Not posted yet")).toBeVisible();
    await expect(page.getByRole("complementary", { name: /Already asked/ }).getByRole("link", { name: "Does fatigue get better after a relapse?" })).toBeVisible();
    await expect(page.getByLabel("Title", { exact: true })).toHaveValue(title);
    await expect(page.getByLabel("Details")).toHaveValue(details);
    await page.getByRole("button", { name: "Post", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  });

  test("a member asks a question; a missing title comes back with the details kept", async ({ page }) => {
    await signUp(page, uniqueHandle("plainask"), "plain-asker-1", { js: false });
    await page.goto("/c/multiple-sclerosis");
    await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
    await expect(page.getByText("You are a member")).toBeVisible();
    await page.getByRole("link", { name: "Ask a question" }).click();
    const details = "My neurologist mentioned an MRI every year. Is that usual?";
    await page.getByLabel("Details").fill(details);
    await page.getByRole("button", { name: "Post" }).click();
    await expect(page.locator("#f-title-error")).toContainText("title");
    await expect(page.getByLabel("Details")).toHaveValue(details);
    const title = `How often do people get MRI scans? ${Date.now().toString(36)}`;
    await page.getByLabel("Title", { exact: true }).fill(title);
    await page.getByRole("button", { name: "Post" }).click();
    await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
    await expect(page).toHaveURL(/\/p\/\d+/);
    await expect(page.getByText(details)).toBeVisible();
    // Without JavaScript the date stands as the server wrote it.
    await expect(page.locator(".post-meta time").first()).toHaveText(/^\d{1,2} [A-Z][a-z]+ \d{4}$/);
    // Answering one's own question works as a plain form too.
    await page.getByRole("textbox", { name: "Your answer" }).fill("Update: my nurse said yearly is common in the first years.");
    await page.getByRole("button", { name: "Post answer" }).click();
    await expect(page.locator("li.reply")).toContainText("yearly is common");
    // Edit it; "edited" leads to the history, where the author reads the earlier words.
    await page.getByRole("link", { name: "Edit", exact: true }).first().click();
    await page.getByLabel("Details").fill("My neurologist mentioned an MRI scan every year. Is that usual for everyone?");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByText("Is that usual for everyone?")).toBeVisible();
    await page.getByRole("link", { name: /^edited / }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Edit history" })).toBeVisible();
    await expect(page.getByText("Edited once")).toBeVisible();
    await expect(page.locator(".history-list")).toContainText(details);
  });

  test("a member saves a post and removes it from Saved with plain forms", async ({ page }) => {
    await signUp(page, uniqueHandle("plainsave"), "plain-saver-1", { js: false });
    await page.goto("/c/multiple-sclerosis");
    await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
    await expect(page.getByText("You are a member")).toBeVisible();
    const first = page.locator(".post-card h3 a").first();
    const title = (await first.textContent())!.trim();
    await first.click();
    await page.getByRole("button", { name: "Save this post for later" }).click();
    await expect(page.getByRole("button", { name: "Remove this post from your saved items" })).toBeVisible();
    await page.goto("/saved");
    const item = page.locator(".saved-item").filter({ hasText: title }).first();
    await expect(item).toBeVisible();
    await item.getByRole("button", { name: "Remove from saved" }).click();
    await expect(page.getByText("Nothing saved yet.")).toBeVisible();
  });

  test("sort tabs are plain links", async ({ page }) => {
    await page.goto("/c/type-2-diabetes");
    await page.getByRole("navigation", { name: "Sort posts" }).getByRole("link", { name: "No answers yet" }).click();
    await expect(page).toHaveURL(/sort=unanswered/);
    await expect(page.getByRole("link", { name: /How do I read the HbA1c number/ })).toBeVisible();
    await expect(page.getByRole("link", { name: /What is a good breakfast/ })).toHaveCount(0);
    await page.getByRole("navigation", { name: "Sort posts" }).getByRole("link", { name: "No accepted answer" }).click();
    await expect(page).toHaveURL(/sort=open/);
    await expect(page.getByRole("link", { name: /How do I read the HbA1c number/ })).toBeVisible();
    await expect(page.getByRole("link", { name: /What is a good breakfast/ })).toHaveCount(0);
  });
});

test("a feed's titles are set larger than their excerpts, at either text size", async ({ page }) => {
  await page.goto("/c/multiple-sclerosis");
  // After hydration: the header's preferences marker is settled (hydration would reset it).
  await hydrated(page);
  const sizes = () =>
    page.evaluate(() => {
      const px = (sel: string) => parseFloat(getComputedStyle(document.querySelector(sel)!).fontSize);
      return { title: px(".post-card .post-title"), excerpt: px(".post-card .excerpt"), body: px("body") };
    });
  const normal = await sizes();
  expect(normal.title).toBeGreaterThan(normal.excerpt);
  expect(normal.title).toBeGreaterThan(normal.body);
  // "Larger text" (Settings) grows the titles with the text.
  await page.evaluate(() => document.getElementById("prefs")!.setAttribute("data-text", "large"));
  const large = await sizes();
  expect(large.body).toBeGreaterThan(normal.body);
  expect(large.title).toBeGreaterThan(large.excerpt);
  expect(large.title).toBeGreaterThan(large.body);
});

test("an anonymous visitor sees only the excerpt of a members-only post", async ({ page, browser }) => {
  await signUp(page, uniqueHandle("private"), "private-password-1");
  await joinMs(page);
  await page.getByRole("link", { name: "Ask a question" }).click();
  await hydrated(page);
  const title = `A members-only question ${Date.now().toString(36)}`;
  await page.getByLabel("Title", { exact: true }).fill(title);
  const opening = "I have been on my new treatment for three months and I feel unsure. ".repeat(4);
  await page.getByLabel("Details").fill(`${opening}PRIVATE-DETAIL-FOR-MEMBERS`);
  await expect(page.getByLabel("Members of this community only")).toBeChecked();
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const url = page.url().replace(/[?#].*$/, "");

  const visitor = await freshPage(browser);
  await visitor.goto(url);
  await expect(visitor.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(visitor.getByText("This post is for members of Multiple Sclerosis.")).toBeVisible();
  await expect(visitor.getByText(/I have been on my new treatment/)).toBeVisible();
  await expect(visitor.getByText("PRIVATE-DETAIL-FOR-MEMBERS")).toHaveCount(0);
  expect(await visitor.content()).not.toContain("PRIVATE-DETAIL-FOR-MEMBERS");
  await expect(visitor.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex");
  await expect(visitor.getByRole("link", { name: "Log in to read" })).toBeVisible();
  await visitor.screenshot({ path: "test-results/members-only.png", fullPage: true });
  // Signing up from the teaser returns to the post, in its community: the words are there.
  await visitor.getByRole("link", { name: "Sign up to read" }).click();
  await hydrated(visitor);
  const reader = uniqueHandle("teaser");
  await visitor.getByLabel("Handle (your public name)").fill(reader);
  await visitor.getByLabel("E-mail address").fill(`${reader}@example.org`);
  await visitor.getByLabel("Password").fill("teaser-password-1");
  await visitor.getByLabel("A patient").check();
  await visitor.getByLabel(/I agree that HealthCommunity stores/).check();
  await visitor.getByRole("button", { name: "Create my account" }).click();
  await expect(visitor.getByText("PRIVATE-DETAIL-FOR-MEMBERS")).toBeVisible();
  await expect(visitor.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await visitor.goto("/");
  await logOut(visitor);
  // The landing page lists public posts only.
  await visitor.goto("/");
  await expect(visitor.getByRole("heading", { name: "Recent questions and discussions" })).toBeVisible();
  await expect(visitor.getByText(title)).toHaveCount(0);
  await visitor.context().close();
});

test("Load more appends the next page", async ({ page }) => {
  const handle = uniqueHandle("loader");
  await signUp(page, handle, "loader-password-1");
  await page.goto("/c/chronic-myeloid-leukaemia");
  await hydrated(page);
  await page.getByRole("button", { name: "Join Chronic Myeloid Leukaemia" }).click();
  await expect(page.getByText("You are a member")).toBeVisible();
  const origin = new URL(page.url()).origin;
  for (let i = 0; i < 21; i++) {
    const res = await page.request.post("/api/post/create", {
      headers: { Origin: origin, Accept: "application/json" },
      form: {
        community: "chronic-myeloid-leukaemia",
        kind: "discussion",
        title: `Paging test post ${i} ${handle}`,
        body: "Body",
        tags: "",
        visibility: "members",
      },
    });
    expect(res.ok()).toBeTruthy();
  }
  await page.goto("/c/chronic-myeloid-leukaemia");
  await hydrated(page);
  const cards = page.locator(".post-card");
  await expect(cards).toHaveCount(20);
  await page.getByRole("link", { name: "Load more" }).click();
  await expect(cards.nth(20)).toBeVisible();
  expect(await cards.count()).toBeGreaterThan(20);
  await expect(page).toHaveURL(/\/c\/chronic-myeloid-leukaemia$/);
});

test("post pages and feeds have no accessibility violations", async ({ page }) => {
  // Four axe runs over long pages and a full-page screenshot: 36 s on a loaded 2-core machine.
  test.setTimeout(60_000);
  for (const path of ["/", "/c/multiple-sclerosis", "/c/type-2-diabetes?sort=top&t=all"]) {
    await page.goto(path);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations, path).toEqual([]);
  }
  await page.goto("/c/multiple-sclerosis");
  await page.getByRole("link", { name: "Does fatigue get better after a relapse?" }).click();
  await expect(page.getByText("✓ Accepted answer").first()).toBeVisible();
  // The library: related articles by tag, and a preview of the article the answer links to.
  await expect(page.getByRole("region", { name: "From the health library" }).getByRole("link", { name: /What is a relapse in MS\?/ })).toBeVisible();
  await expect(page.locator("li.reply.accepted .citations").getByRole("link", { name: /Living with MS fatigue/ })).toBeVisible();
  await hydrated(page);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
  await page.screenshot({ path: "test-results/demo-question.png", fullPage: true });
});
