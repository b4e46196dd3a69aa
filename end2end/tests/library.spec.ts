// The health library: an editor drafts with a live readability grade and submits; a clinician reviewer publishes; readers see the stamp.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { DEMO_PASSWORD, hydrated, logIn, logOut } from "./helpers";

const HARD = "Demyelinating exacerbations characteristically manifest as subacute neurological deterioration attributable to inflammatory lesions, necessitating comprehensive multidisciplinary evaluation.";
const EASY = "## What helps\n\nHeat can make MS symptoms worse for a short time. This is not a relapse. Stay cool on hot days. A cold drink helps. A fan helps too.\n\n## When to call\n\nCall your MS team if it lasts more than a day.";

test("an editor drafts with a live grade and submits; a clinician publishes it as medically reviewed", async ({ page }) => {
  await logIn(page, "editor_ana", DEMO_PASSWORD);
  await page.goto("/library/new");
  await hydrated(page);
  const grade = page.locator("#readability-grade");
  // Nothing written yet: said plainly, not as a failing grade.
  await expect(grade).toHaveText("Start writing to see the grade.");
  await expect(grade).toHaveClass(/grade-empty/);
  const title = `Heat and MS symptoms ${Date.now().toString(36)}`;
  await page.getByLabel("Community").selectOption("multiple-sclerosis");
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Summary").fill("Heat can bring back old symptoms for a while.");
  await page.getByLabel("Article", { exact: true }).fill(HARD);
  await expect(grade).toHaveText(/Grade (9|1\d|2\d)\.\d/);
  await expect(grade).not.toHaveClass(/grade-ok|grade-empty/);
  await expect(page.getByRole("heading", { name: "Hard to read" })).toBeVisible();
  await page.getByLabel("Article", { exact: true }).fill(EASY);
  await expect(grade).toHaveText(/Grade [0-7]\.\d/);
  await expect(grade).toHaveClass(/grade-ok/);
  await page.getByLabel("Key facts (one per line)").fill("Heat can make symptoms worse for a short time.");
  await page.getByLabel(/^Sources/).fill("MS Trust: Heat | https://mstrust.org.uk/a-z/heat-sensitivity | 2023");
  await page.getByLabel("Tags").fill("heat");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("heading", { name: "Status: Draft" })).toBeVisible();
  // A member who is not a clinician is refused, and the typed handle stays for correcting.
  const reviewer = page.getByLabel("Ask a verified clinician to review it (their handle)");
  await reviewer.fill("maria_ms");
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.locator("#f-reviewer-error")).toContainText("verified clinician");
  await expect(reviewer).toHaveValue("maria_ms");
  await reviewer.fill("dr_okafor");
  await page.getByRole("button", { name: "Submit for review" }).click();
  await expect(page.getByRole("heading", { name: "Status: In review" })).toBeVisible();
  await page.screenshot({ path: "test-results/article-editor.png", fullPage: true });
  await logOut(page);

  await logIn(page, "dr_okafor", DEMO_PASSWORD);
  await page.goto("/library/desk");
  await page.getByRole("region", { name: "Waiting for your review" }).getByRole("link", { name: title }).click();
  await hydrated(page);
  await page.getByRole("button", { name: "Publish as medically reviewed" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("✓ Medically reviewed")).toBeVisible();
  await expect(page.locator(".review-stamp")).toContainText("@dr_okafor, verified neurologist");
  await expect(page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "When to call" })).toBeVisible();
  await logOut(page);

  // A member finds it through the search box in the header, with the match highlighted.
  await logIn(page, "maria_ms", DEMO_PASSWORD);
  await page.getByRole("search").first().getByLabel("Search").fill(`relapse ${title.split(" ").pop()}`);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/search\?q=relapse/);
  const hit = page.locator(".search-articles li", { hasText: title });
  await expect(hit.getByRole("link", { name: title })).toBeVisible();
  await expect(hit.locator("mark").first()).toHaveText(/relapse/i);
  await page.screenshot({ path: "test-results/search.png", fullPage: true });
});

test("on a phone the grade follows the writer down the form and leads to the hints", async ({ page }) => {
  // A phone with its keyboard open: the readability panel stands after the whole form.
  await page.setViewportSize({ width: 390, height: 520 });
  await logIn(page, "editor_ana", DEMO_PASSWORD);
  await page.goto("/library/new");
  await hydrated(page);
  const bar = page.locator(".grade-bar");
  await expect(bar).toContainText("No grade yet");
  await page.getByLabel("Article", { exact: true }).fill(HARD);
  await expect(bar).toContainText(/Grade (9|1\d|2\d)\.\d/);
  await expect(bar).not.toHaveClass(/grade-ok/);
  // Scrolled to the top of the form, the article runs past the screen's foot: the bar stays in
  // sight there while the panel is out of sight below the form.
  await page.getByLabel("Title", { exact: true }).evaluate((el) => el.scrollIntoView({ block: "start" }));
  await expect(bar).toBeInViewport();
  await expect(page.locator("#readability-grade")).not.toBeInViewport();
  await page.screenshot({ path: "test-results/editor-phone.png" });
  await bar.getByRole("link", { name: "Hints" }).click();
  await expect(page.getByRole("heading", { name: "Readability" })).toBeInViewport();
  await page.getByLabel("Article", { exact: true }).fill(EASY);
  await expect(bar).toHaveClass(/grade-ok/);
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations).toEqual([]);
  // A wide screen has the panel beside the form, and no bar.
  await page.setViewportSize({ width: 1280, height: 900 });
  await expect(bar).toBeHidden();
  await expect(page.locator("#readability-grade")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the library and an article read fully; the table of contents links to sections", async ({ page }) => {
    await page.goto("/library?c=multiple-sclerosis");
    await page.getByRole("link", { name: "What is a relapse in MS?" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "What is a relapse in MS?" })).toBeVisible();
    await expect(page.getByText("Key facts")).toBeVisible();
    await page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "What to do" }).click();
    await expect(page).toHaveURL(/#s-what-to-do$/);
    await expect(page.getByRole("region", { name: "Questions about this" }).getByRole("link", { name: /Does fatigue|relapse/ }).first()).toBeVisible();
  });

  test("on a phone the contents stand folded under the key facts, before the article, not after it", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/library/what-is-a-relapse-in-ms");
    const contents = page.locator("summary", { hasText: "On this page" });
    const facts = await page.getByRole("heading", { name: "Key facts" }).boundingBox();
    const firstSection = await page.getByRole("heading", { level: 2, name: "What a relapse is" }).boundingBox();
    const folded = await contents.boundingBox();
    expect(folded && facts && firstSection, "contents, key facts and the first section are on the page").toBeTruthy();
    expect(folded?.y ?? 0).toBeGreaterThan(facts?.y ?? 0);
    expect(folded?.y ?? 0).toBeLessThan(firstSection?.y ?? 0);
    // One list of contents: the side column's is not shown on a phone.
    await expect(page.getByRole("navigation", { name: "On this page" })).toBeHidden();
    await contents.click();
    await page.getByRole("navigation", { name: "On this page" }).getByRole("link", { name: "What to do" }).click();
    await expect(page).toHaveURL(/#s-what-to-do$/);
  });
});

test.describe("search without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("searching relapse finds the article and questions; tabs and filters are links and forms", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("search").first().getByLabel("Search").fill("relapse");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("link", { name: "What is a relapse in MS?" })).toBeVisible();
    await expect(page.locator(".search-articles mark").first()).toHaveText(/relapse/i);
    await expect(page.getByRole("link", { name: "Does fatigue get better after a relapse?" })).toBeVisible();
    await page.getByRole("navigation", { name: "Result types" }).getByRole("link", { name: /^Articles/ }).click();
    await expect(page).toHaveURL(/tab=articles/);
    await expect(page.getByRole("link", { name: "Does fatigue get better after a relapse?" })).toHaveCount(0);
    // A misspelling is corrected, and the page says so.
    await page.getByLabel("Search for").fill("diabetis");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText("Showing results for")).toBeVisible();
    await expect(page.getByRole("link", { name: /What does my HbA1c number mean\?|Eating well with type 2 diabetes/ }).first()).toBeVisible();
  });
});

test.describe("search on a phone without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the filters fold away until used, so the results start near the top; a used filter stays open and chosen", async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/search?q=fatigue");
    const kind = page.locator("#search-kind");
    await expect(kind).toBeHidden();
    const tabs = await page.getByRole("navigation", { name: "Result types" }).boundingBox();
    expect(tabs?.y ?? 9999, "the results' tabs stand in the first half of the screen").toBeLessThan(422);
    await page.locator("summary", { hasText: "Filter by community, kind or answers" }).click();
    await kind.selectOption("question");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/kind=question/);
    await expect(kind).toBeVisible();
    await expect(kind).toHaveValue("question");
    await expect(page.getByRole("link", { name: "Does fatigue get better after a relapse?" })).toBeVisible();
  });
});

test("library and search pages have no accessibility violations", async ({ page }) => {
  for (const path of ["/library", "/library/living-with-cml-on-tyrosine-kinase-inhibitors", "/search?q=relapse"]) {
    await page.goto(path);
    await hydrated(page);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations, path).toEqual([]);
  }
  await page.screenshot({ path: "test-results/article.png", fullPage: true });
});
