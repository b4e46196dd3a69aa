// Addresses and passwords in the browser, with and without JavaScript: the sign-up's link confirms the address, and a forgotten password is reset from the e-mail.
import { expect, Page, test } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { hydrated, logOut, signUp, uniqueHandle } from "./helpers";

/** The newest link to `route` ("/verify/", "/reset/") in the mails the server wrote for `to`. */
async function linkInMail(to: string, route: string): Promise<string> {
  const dir = process.env.HC_E2E_MAIL_DIR ?? "";
  let found = "";
  await expect
    .poll(
      () => {
        const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".txt")) : [];
        const links = files
          .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
          .map((f) => fs.readFileSync(path.join(dir, f), "utf8"))
          .filter((m) => m.startsWith(`To: ${to}\n`))
          .flatMap((m) => m.match(new RegExp(`https?://\\S+${route}[A-Za-z0-9_-]+`, "g")) ?? []);
        found = links.at(-1) ?? "";
        return found;
      },
      { timeout: 20_000, message: `a mail to ${to} with a ${route} link` },
    )
    .not.toBe("");
  // The mail names the configured public address; the test server listens elsewhere.
  return new URL(found).pathname;
}

async function confirmAddress(page: Page, handle: string, js: boolean) {
  const banner = page.getByTestId("verify-banner");
  await expect(banner).toBeVisible();
  const link = await linkInMail(`${handle}@example.org`, "/verify/");
  await page.goto(link);
  if (js) await hydrated(page);
  await expect(page.getByText(`the address of @${handle}?`)).toBeVisible();
  await page.getByRole("button", { name: "Yes, confirm my address" }).click();
  await expect(page.getByTestId("email-confirmed")).toBeVisible();
  await page.goto("/settings");
  await expect(page.getByTestId("email-state")).toContainText("Confirmed");
  await expect(banner).toHaveCount(0);
}

async function resetPassword(page: Page, handle: string, js: boolean) {
  await logOut(page);
  await page.goto("/login");
  if (js) await hydrated(page);
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Forgot your password?");
  if (js) await hydrated(page);
  await page.getByLabel("E-mail address").fill(`${handle}@example.org`);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByTestId("reset-sent")).toBeVisible();
  const link = await linkInMail(`${handle}@example.org`, "/reset/");
  await page.goto(link);
  if (js) await hydrated(page);
  await expect(page.getByText(`For @${handle}`)).toBeVisible();
  // Too short: the error says so, and the link still works.
  await page.getByLabel("New password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Save and log in" }).click();
  await expect(page.locator("#f-new_password-error")).toHaveText(/at least 10 characters/);
  await page.getByLabel("New password", { exact: true }).fill("a-brand-new-password");
  await page.getByRole("button", { name: "Save and log in" }).click();
  await expect(page.getByRole("banner").getByText(`@${handle}`)).toBeVisible();
  // The link worked once.
  await page.goto(link);
  await expect(page.getByRole("alert")).toContainText("expired or was used already");
  await logOut(page);
  await page.goto("/login");
  if (js) await hydrated(page);
  await page.getByLabel("Handle or e-mail address").fill(`${handle}@example.org`);
  await page.getByLabel("Password").fill("a-brand-new-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("banner").getByText(`@${handle}`)).toBeVisible();
}

test("the sign-up's link confirms the address, and a forgotten password is reset from the e-mail", async ({ page }) => {
  const handle = uniqueHandle("mailjs");
  await signUp(page, handle, "first-password-1");
  await confirmAddress(page, handle, true);
  await resetPassword(page, handle, true);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the address is confirmed and the password reset as plain forms", async ({ page }) => {
    const handle = uniqueHandle("mailnojs");
    await signUp(page, handle, "first-password-1", { js: false });
    await confirmAddress(page, handle, false);
    await resetPassword(page, handle, false);
  });
});
