import { chromium } from "@playwright/test";
const base = process.env.BASE || "http://127.0.0.1:3300";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
for (const [name, path] of [["home", "/"], ["community", "/c/multiple-sclerosis"], ["post", "/p/1"], ["members", "/p/7"], ["profile", "/u/dr_okafor"]]) {
  await page.goto(base + path);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}
await page.goto(base + "/login");
await page.getByLabel("Handle or e-mail address").fill("maria_ms");
await page.getByLabel("Password").fill("demo-password-2026");
await page.getByRole("button", { name: "Log in" }).click();
await page.waitForTimeout(1500);
for (const [name, path] of [["maria-home", "/"], ["maria-post", "/p/3"], ["maria-new", "/c/multiple-sclerosis/new"]]) {
  await page.goto(base + path);
  await page.waitForTimeout(800);
  await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: true });
}
const mobile = await browser.newPage({ viewport: { width: 390, height: 800 } });
await mobile.goto(base + "/c/type-2-diabetes");
await mobile.screenshot({ path: `/tmp/shots/mobile-community.png`, fullPage: true });
await browser.close();
