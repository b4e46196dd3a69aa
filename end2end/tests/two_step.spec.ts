// Two-step sign-in as a member uses it: set up in Settings with an authenticator app (the key
// typed, the code computed here as the app would), the recovery codes, and the login's second
// step — with JavaScript and as plain forms.
import { createHmac } from "crypto";
import { expect, Page, test } from "@playwright/test";
import { accessibilityProblems, DEMO_PASSWORD, freshPage, hydrated, logIn, logOut, signUp, uniqueHandle } from "./helpers";

const PASSWORD = "two-step-password-1";

/** The RFC 6238 code of a base32 key for a 30-second step, as an authenticator app computes it. */
function totp(key: string, step: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const ch of key.replace(/\s/g, "").toUpperCase()) bits += alphabet.indexOf(ch).toString(2).padStart(5, "0");
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  const counter = Buffer.alloc(8);
  counter.writeBigInt64BE(BigInt(step));
  const mac = createHmac("sha1", Buffer.from(bytes)).update(counter).digest();
  const offset = mac[19] & 15;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, "0");
}

const stepNow = () => Math.floor(Date.now() / 30_000);

/** Sets it up from Settings; returns the key and the recovery codes shown. */
async function turnOn(page: Page, js: boolean): Promise<{ key: string; codes: string[] }> {
  await page.goto("/settings");
  if (js) await hydrated(page);
  const panel = page.locator("#two-step");
  const start = panel.getByRole("form", { name: "Set up two-step sign-in" });
  await start.getByLabel("Your password").fill("not-my-password");
  await start.getByRole("button", { name: "Set up two-step sign-in" }).click();
  await expect(panel.locator("#f-two_step_password-error")).toHaveText("That is not your password.");
  await start.getByLabel("Your password").fill(PASSWORD);
  await start.getByRole("button", { name: "Set up two-step sign-in" }).click();
  const key = (await panel.locator("code.secret").textContent()) ?? "";
  expect(key.replace(/\s/g, "")).toMatch(/^[A-Z2-7]{32}$/);
  await expect(panel.getByRole("img", { name: "QR code of the key" }).locator("svg")).toBeVisible();
  const confirm = panel.getByRole("form", { name: "Turn on two-step sign-in" });
  await confirm.getByLabel("Code").fill("12345");
  await confirm.getByRole("button", { name: "Turn on" }).click();
  await expect(panel.locator("#f-code-error")).toContainText("not the code the app shows");
  await confirm.getByLabel("Code").fill(totp(key, stepNow()));
  await confirm.getByRole("button", { name: "Turn on" }).click();
  const list = panel.locator("ul.recovery-codes");
  await expect(list.locator("li")).toHaveCount(10);
  const codes = (await list.locator("li").allTextContents()).map((c) => c.trim());
  expect(codes[0]).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}$/);
  await panel.getByRole("button", { name: "I have saved them" }).click();
  await expect(list).toHaveCount(0);
  await expect(panel.getByText("✓ On")).toBeVisible();
  await expect(panel.getByText("10 recovery codes left.")).toBeVisible();
  return { key, codes };
}

/** The password step of a login: it leads to the code. */
async function passwordStep(page: Page, handle: string, js: boolean) {
  await page.goto("/login");
  if (js) await hydrated(page);
  await page.getByLabel("Handle or e-mail address").fill(handle);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/login\/code$/);
  await expect(page.getByText(`Logging in as @${handle}.`)).toBeVisible();
  await expect(page.getByRole("banner").getByRole("link", { name: "Log in" })).toBeVisible();
}

/** The code step: a wrong code is refused with its reason; the code that turned it on was used,
 * so the app's next one logs in. */
async function codeStep(page: Page, handle: string, key: string) {
  await page.getByLabel("Code").fill("000000");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.locator("#f-code-error")).toContainText("not right");
  await page.getByLabel("Code").fill(totp(key, stepNow() + 1));
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("banner").getByText(`@${handle}`)).toBeVisible();
}

test("a member turns on two-step sign-in and logs in with the app's code", async ({ page }) => {
  const handle = uniqueHandle("twostep");
  await signUp(page, handle, PASSWORD);
  const { key, codes } = await turnOn(page, true);
  expect(await accessibilityProblems(page)).toEqual([]);
  await logOut(page);

  await passwordStep(page, handle, true);
  await hydrated(page);
  expect(await accessibilityProblems(page)).toEqual([]);
  await codeStep(page, handle, key);

  // A recovery code, typed as it is printed, logs in once.
  await logOut(page);
  await passwordStep(page, handle, true);
  await page.getByLabel("Code").fill(codes[4]);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("banner").getByText(`@${handle}`)).toBeVisible();
  await page.goto("/settings#two-step-h");
  await expect(page.getByText("9 recovery codes left.")).toBeVisible();

  // Turned off with the password: the password alone logs in again.
  const panel = page.locator("#two-step");
  await panel.getByText("Turn off two-step sign-in").click();
  const off = panel.getByRole("form", { name: "Turn off two-step sign-in" });
  await off.getByLabel("Your password").fill(PASSWORD);
  await off.getByRole("button", { name: "Turn off" }).click();
  await expect(panel.getByRole("button", { name: "Set up two-step sign-in" })).toBeVisible();
});

test.describe("two-step sign-in without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("set up, and the login's second step, as plain forms", async ({ page }) => {
    const handle = uniqueHandle("twoplain");
    await signUp(page, handle, PASSWORD, { js: false });
    const { key } = await turnOn(page, false);
    await logOut(page);
    await passwordStep(page, handle, false);
    await codeStep(page, handle, key);
  });
});

test("an admin turns it off for a member who lost their phone", async ({ page, browser }) => {
  // The member, with two-step sign-in on.
  const member = uniqueHandle("lostphone");
  await signUp(page, member, PASSWORD);
  await turnOn(page, true);
  await logOut(page);
  // A new admin (made by the demo admin), who turns it on for their own account first.
  const admin = uniqueHandle("resetadmin");
  await signUp(page, admin, PASSWORD);
  await logOut(page);
  await logIn(page, "demo_admin", DEMO_PASSWORD);
  await page.goto("/admin");
  await hydrated(page);
  await page.getByLabel("Member's handle").fill(admin);
  await page.getByLabel("Role", { exact: true }).selectOption("admin");
  await page.getByLabel("Change").selectOption("grant");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("row").filter({ hasText: `@${admin}` }).first()).toBeVisible();
  await logOut(page);
  await logIn(page, admin, PASSWORD);
  await turnOn(page, true);

  await page.goto("/admin");
  await hydrated(page);
  const form = page.getByRole("form", { name: "Turn off a member's two-step sign-in" });
  await form.getByLabel("Handle of the member who lost their phone").fill(member);
  await form.getByLabel("How you checked the request").fill("ok");
  await form.getByRole("button", { name: "Turn off their two-step sign-in" }).click();
  await expect(form.locator("#f-reset_reason-error")).toContainText("at least 10 characters");
  await expect(form.getByLabel("Handle of the member who lost their phone")).toHaveValue(member);
  await form.getByLabel("How you checked the request").fill("Reply from the account's e-mail address");
  await form.getByRole("button", { name: "Turn off their two-step sign-in" }).click();
  await expect(form.getByRole("status")).toContainText("Turned off.");
  expect(await accessibilityProblems(page)).toEqual([]);

  // The member's password alone logs in again.
  const other = await freshPage(browser);
  await logIn(other, member, PASSWORD);
  await other.context().close();
});
