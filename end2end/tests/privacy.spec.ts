// The member's data in the browser, with and without JavaScript: downloading it and opening its index.html, withdrawing and giving consent from Settings, and "Delete my account" cancelled by logging in within the grace period.
import { expect, Page, test } from "@playwright/test";
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { accessibilityProblems, hydrated, signUp, uniqueHandle } from "./helpers";

/** The files of a zip (deflated entries with their sizes in the local headers, as the server writes them). */
function unzip(bytes: Buffer): Record<string, string> {
  const files: Record<string, string> = {};
  let i = 0;
  while (i + 30 <= bytes.length && bytes.readUInt32LE(i) === 0x04034b50) {
    const packed = bytes.readUInt32LE(i + 18);
    const nameLength = bytes.readUInt16LE(i + 26);
    const extra = bytes.readUInt16LE(i + 28);
    const name = bytes.subarray(i + 30, i + 30 + nameLength).toString("utf8");
    const start = i + 30 + nameLength + extra;
    files[name] = zlib.inflateRawSync(bytes.subarray(start, start + packed)).toString("utf8");
    i = start + packed;
  }
  return files;
}

async function downloadExport(page: Page, handle: string, js: boolean) {
  await page.goto("/settings#your-data");
  if (js) await hydrated(page);
  await page.getByRole("button", { name: "Prepare a copy of my data" }).click();
  await expect(page.getByTestId("exports")).toContainText(/Being prepared|Download/);
  // The background job builds it within seconds; the member reloads to see the link.
  const link = page.getByRole("link", { name: /Download \(zip/ });
  await expect(async () => {
    await page.reload();
    await expect(link).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^healthcommunity-${handle}-.*\\.zip$`));
  const files = unzip(fs.readFileSync(await download.path()));
  expect(Object.keys(files)).toEqual(expect.arrayContaining(["index.html", "account.json", "posts.json", "messages.json"]));
  expect(JSON.parse(files["account.json"])[0].handle).toBe(handle);
  // Opened as the member would, in a tab of its own.
  const reader = await page.context().newPage();
  await reader.setContent(files["index.html"]);
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText("Your HealthCommunity data");
  await expect(reader.getByText(`For @${handle}`)).toBeVisible();
  await expect(reader.getByRole("link", { name: "posts.json" })).toBeVisible();
  await reader.close();
}

const PASSWORD = "first-password-1";

async function withdrawAndGiveConsent(page: Page, js: boolean) {
  await page.goto("/settings#your-data");
  if (js) await hydrated(page);
  const data = page.locator("#your-data");
  await expect(data.getByTestId("consent-state")).toContainText("You agreed");
  await data.getByRole("button", { name: "Withdraw my consent" }).click();
  await expect(data.getByTestId("consent-state")).toContainText("You withdrew your consent");
  await expect(page.getByTestId("consent-banner")).toBeVisible();
  // Giving it again needs the box, as at sign-up.
  await data.getByRole("button", { name: "Give consent again" }).click();
  await expect(data.locator("#f-give-consent-error")).toContainText("Tick the box");
  await data.getByLabel(/I agree that HealthCommunity stores/).check();
  await data.getByRole("button", { name: "Give consent again" }).click();
  await expect(data.getByTestId("consent-state")).toContainText("You agreed");
  await expect(page.getByTestId("consent-banner")).toHaveCount(0);
  await data.getByText("Consent history", { exact: true }).click();
  await expect(data.getByTestId("consent-history").locator("li")).toHaveCount(3);
}

async function deleteAndCancel(page: Page, handle: string, js: boolean) {
  await page.goto("/settings#your-data");
  if (js) await hydrated(page);
  const form = page.getByRole("form", { name: "Delete my account" });
  await expect(form.getByLabel(/Remove my words/)).toBeChecked();
  // A wrong password: a clear error, nothing happens.
  await form.getByLabel("Your password").fill("not-my-password");
  await form.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.locator("#f-confirm_password-error")).toContainText("not your password");
  await form.getByLabel("Your password").fill(PASSWORD);
  await form.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Your account will be deleted");
  await expect(page.getByRole("banner").getByRole("link", { name: "Log in" })).toBeVisible();
  // Logging in within the grace period cancels it, and Settings says so.
  await page.getByRole("main").getByRole("link", { name: "Log in" }).click();
  if (js) await hydrated(page);
  await page.getByLabel("Handle or e-mail address").fill(handle);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByTestId("deletion-cancelled")).toContainText("will not be deleted");
  await expect(page.getByRole("banner").getByText(`@${handle}`)).toBeVisible();
}

test("the member downloads their data, withdraws and gives consent, and cancels a deletion by logging in", async ({ page }) => {
  const handle = uniqueHandle("datajs");
  await signUp(page, handle, PASSWORD);
  await downloadExport(page, handle, true);
  await withdrawAndGiveConsent(page, true);
  await page.goto("/settings#your-data");
  await hydrated(page);
  expect(await accessibilityProblems(page)).toEqual([]);
  await deleteAndCancel(page, handle, true);
});

test("the privacy notice explains the export, withdrawal, deletion, how long things are kept and whom to ask", async ({ page }) => {
  await page.goto("/privacy");
  for (const id of ["retention", "export", "withdraw", "delete", "contact"]) {
    await expect(page.locator(`#${id}`)).toBeVisible();
  }
  expect(await accessibilityProblems(page)).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the download, consent and deletion work as plain forms", async ({ page }) => {
    const handle = uniqueHandle("datanojs");
    await signUp(page, handle, PASSWORD, { js: false });
    await downloadExport(page, handle, false);
    await withdrawAndGiveConsent(page, false);
    await deleteAndCancel(page, handle, false);
  });
});
