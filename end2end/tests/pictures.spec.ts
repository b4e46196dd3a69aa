// Pictures: a member uploads an avatar (shown beside their name and in the header), adds a described picture to their post (a visitor sees it, alt text and all), and a file that is not a picture comes back with the error under the field and the description kept — with and without JavaScript.
import { test, expect, Page } from "@playwright/test";
import { deflateSync } from "node:zlib";
import { accessibilityProblems, freshPage, hydrated, signUp, uniqueHandle } from "./helpers";

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/// A w × h PNG with soft stripes: something to look at in the screenshots.
function png(w: number, h: number, hue: [number, number, number]): Buffer {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const i = y * (w * 3 + 1) + 1 + x * 3;
      const band = Math.floor((x + y) / 24) % 2 ? 1 : 0.8;
      raw[i] = Math.round(hue[0] * band);
      raw[i + 1] = Math.round(hue[1] * band);
      raw[i + 2] = Math.round(hue[2] * band);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function loaded(page: Page, selector: string) {
  await expect
    .poll(() => page.locator(selector).first().evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
    .toBeGreaterThan(0);
}

async function startDiscussion(page: Page, title: string, js: boolean, everyone = false) {
  await page.goto("/c/multiple-sclerosis");
  if (js) await hydrated(page);
  await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
  await expect(page.getByText("You are a member")).toBeVisible();
  await page.getByRole("link", { name: "Start a discussion" }).click();
  if (js) await hydrated(page);
  await page.getByLabel("Title", { exact: true }).fill(title);
  await page.getByLabel("Details").fill("This is what helps me plan my week.");
  if (everyone) await page.getByLabel("Everyone").check();
  await page.getByRole("button", { name: "Post" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
}

test("a member's avatar shows beside their name, and a described picture in their post", async ({ page, browser }) => {
  const handle = uniqueHandle("pia");
  await signUp(page, handle, "pia-password-1");

  // Until a picture is uploaded: initials.
  await page.goto("/settings");
  await hydrated(page);
  const panel = page.locator("#picture");
  await expect(panel.locator(".avatar-initials")).toHaveText(/^P[A-Z0-9]?$/);
  await panel.getByLabel("Choose a picture").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png(320, 240, [40, 120, 190]) });
  await panel.getByRole("button", { name: "Upload picture" }).click();
  await expect(panel.locator("img.avatar")).toBeVisible();
  await loaded(page, "#picture img.avatar");
  await expect(page.getByRole("banner").locator("img.avatar")).toBeVisible();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: "test-results/pictures-settings-390.png", fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // A picture in a post: described, shown to a visitor with its description.
  const title = `My pill organiser ${Date.now().toString(36)}`;
  await startDiscussion(page, title, true, true);
  await hydrated(page);
  const url = page.url().replace(/[?#].*$/, "");
  await page.getByText("Add a picture (0 of 4)").click();
  await page.getByLabel("Picture", { exact: true }).setInputFiles({ name: "week.png", mimeType: "image/png", buffer: png(900, 600, [200, 140, 60]) });
  await page.getByLabel("Describe it for people who cannot see it").fill("A pill organiser with seven days, three filled");
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const figure = page.locator("article.post figure.picture img");
  await expect(figure).toHaveAttribute("alt", "A pill organiser with seven days, three filled");
  await loaded(page, "article.post figure.picture img");
  await expect(page.getByText("Add a picture (1 of 4)")).toBeVisible();
  // The author's avatar is beside the post's byline.
  await expect(page.locator(".post-meta img.avatar")).toBeVisible();
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.screenshot({ path: "test-results/pictures-post-1280.png", fullPage: true });

  const visitor = await freshPage(browser);
  await visitor.goto(url);
  await expect(visitor.locator("article.post figure.picture img")).toHaveAttribute("alt", "A pill organiser with seven days, three filled");
  await loaded(visitor, "article.post figure.picture img");
  await expect(visitor.getByText("Add a picture")).toHaveCount(0);
  await expect(visitor.getByRole("button", { name: "Remove picture" })).toHaveCount(0);
  await visitor.setViewportSize({ width: 390, height: 844 });
  await visitor.emulateMedia({ colorScheme: "dark" });
  await visitor.screenshot({ path: "test-results/pictures-post-390-dark.png", fullPage: true });

  // The author removes it.
  await page.getByRole("button", { name: "Remove picture" }).click();
  await expect(page.locator("article.post figure.picture")).toHaveCount(0);
});

for (const js of [true, false]) {
  test.describe(js ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled: js });
    test("a file that is not a picture is refused, and the description stays", async ({ page }) => {
      await signUp(page, uniqueHandle(js ? "pjs" : "pnojs"), "pic-password-1", { js });
      await startDiscussion(page, `Not a picture ${js ? "js" : "nojs"} ${Date.now().toString(36)}`, js);
      if (js) await hydrated(page);
      await page.getByText("Add a picture (0 of 4)").click();
      await page.getByLabel("Picture", { exact: true }).setInputFiles({
        name: "notes.png",
        mimeType: "image/png",
        buffer: Buffer.from("<html><body>not a picture</body></html>"),
      });
      await page.getByLabel("Describe it for people who cannot see it").fill("My notes from the clinic");
      await page.getByRole("button", { name: "Upload", exact: true }).click();
      await expect(page.getByRole("alert")).toContainText("Choose a JPEG, PNG or WebP picture.");
      // Open again by itself, with what was typed.
      await expect(page.getByLabel("Describe it for people who cannot see it")).toHaveValue("My notes from the clinic");
      await expect(page.locator("article.post figure.picture")).toHaveCount(0);
    });
  });
}
