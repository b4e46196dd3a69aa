// Found by those who need it: a shared question carries Open Graph tags and a QAPage in valid JSON-LD, a library article a MedicalWebPage with its review, the tags hydrate and follow navigation, the sitemap and feeds answer, and a search for "multiple sclerosis" finds the community and an article.
import { test, expect, Page } from "@playwright/test";
import { hydrated } from "./helpers";

async function jsonLd(page: Page): Promise<any[]> {
  const blocks = await page.locator('script[type="application/ld+json"]').allTextContents();
  return blocks.flatMap((b) => {
    const v = JSON.parse(b);
    return Array.isArray(v) ? v : [v];
  });
}

async function meta(page: Page, selector: string): Promise<string | null> {
  return page.locator(`head ${selector}`).first().getAttribute("content");
}

test("a shared question carries Open Graph tags and a QAPage", async ({ page }) => {
  await page.goto("/c/multiple-sclerosis");
  await page.getByRole("link", { name: "Does fatigue get better after a relapse?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Does fatigue get better after a relapse?" })).toBeVisible();
  const url = page.url().replace(/[?#].*$/, "");
  expect(await meta(page, 'meta[property="og:title"]')).toBe("Does fatigue get better after a relapse?");
  expect(await meta(page, 'meta[property="og:url"]')).toBe(url);
  expect((await meta(page, 'meta[name="description"]'))?.length).toBeGreaterThan(20);
  await expect(page.locator('head link[rel="canonical"]')).toHaveAttribute("href", url);
  const ld = await jsonLd(page);
  const qa = ld.find((v) => v["@type"] === "QAPage");
  expect(qa, JSON.stringify(ld)).toBeTruthy();
  expect(qa["@context"]).toBe("https://schema.org");
  expect(qa.mainEntity["@type"]).toBe("Question");
  expect(qa.mainEntity.name).toBe("Does fatigue get better after a relapse?");
  expect(qa.mainEntity.answerCount).toBeGreaterThan(0);
  expect(qa.mainEntity.acceptedAnswer["@type"]).toBe("Answer");
  expect(qa.mainEntity.acceptedAnswer.text.length).toBeGreaterThan(20);
  expect(qa.mainEntity.acceptedAnswer.url.startsWith(url + "#r")).toBe(true);
  const crumbs = ld.find((v) => v["@type"] === "BreadcrumbList");
  expect(crumbs.itemListElement.map((i: any) => i.position)).toEqual([1, 2, 3]);
});

test("a library article is a medically reviewed MedicalWebPage; sitemap and feeds answer", async ({ page, request }) => {
  await page.goto("/library");
  await page.locator("main a[href^='/library/']").first().click();
  // The library's own h1 is visible at once: wait for the article's (routing in the page loads
  // the article page's code first).
  await expect(page).toHaveURL(/\/library\/[a-z0-9-]+$/);
  await expect(page.locator("h1#article-title")).toBeVisible();
  const ld = await jsonLd(page);
  const article = ld.find((v) => v["@type"] === "MedicalWebPage");
  expect(article, JSON.stringify(ld)).toBeTruthy();
  expect(article.lastReviewed).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(article.reviewedBy["@type"]).toBe("Person");
  expect(await meta(page, 'meta[property="og:type"]')).toBe("article");

  const robots = await request.get("/robots.txt");
  expect(await robots.text()).toContain("/sitemap.xml");
  const index = await request.get("/sitemap.xml");
  expect(index.headers()["content-type"]).toContain("application/xml");
  expect(await index.text()).toContain("/sitemap/posts-1.xml");
  const posts = await (await request.get("/sitemap/posts-1.xml")).text();
  expect(posts).toContain("/p/");
  const feed = await request.get("/c/multiple-sclerosis/feed.atom");
  expect(feed.headers()["content-type"]).toContain("application/atom+xml");
  expect(await feed.text()).toContain("<entry>");
});

test("the tags hydrate without errors and follow client-side navigation", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  await page.goto("/c/multiple-sclerosis");
  await hydrated(page);
  expect(await page.locator('head meta[name="description"]').count()).toBe(1);
  // A click is a client-side navigation: the question's tags replace the community's.
  await page.getByRole("link", { name: "Does fatigue get better after a relapse?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Does fatigue get better after a relapse?" })).toBeVisible();
  await expect(page.locator('head meta[property="og:title"]')).toHaveAttribute("content", "Does fatigue get better after a relapse?");
  expect(await page.locator('head meta[name="description"]').count()).toBe(1);
  expect(await page.locator('head link[rel="canonical"]').count()).toBe(1);
  expect(errors).toEqual([]);
});

test("a visitor searches “multiple sclerosis”, sees the community, and opens an article", async ({ page }) => {
  await page.goto("/search?q=multiple+sclerosis");
  const places = page.getByRole("region", { name: "Communities and groups" });
  await expect(places.getByRole("link", { name: "Multiple Sclerosis" })).toBeVisible();
  // The demo's articles say "MS": the abbreviation is found for the full name.
  const articles = page.getByRole("region", { name: "Library articles" });
  await expect(articles.getByRole("link").first()).toBeVisible();
  await articles.getByRole("link").first().click();
  await expect(page.locator("article.article h1")).toBeVisible();
  expect(page.url()).toContain("/library/");
});
