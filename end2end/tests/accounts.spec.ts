// Accounts: sign-up, log out, log in, password change; field errors that keep what was typed; no-JS sign-up.
import { test, expect } from "@playwright/test";
import { freshPage, hydrated, logIn, logOut, openAccountMenu, signUp, uniqueHandle } from "./helpers";

test("a new member signs up, logs out, logs in again and changes the password", async ({ page }) => {
  const handle = uniqueHandle("ana");
  await signUp(page, handle, "first-password-1");
  // A new member is asked which conditions matter to them; the home page greets them.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome! Which conditions matter to you?");
  await page.getByRole("link", { name: "Skip for now" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, @${handle}`);

  await logOut(page);
  await logIn(page, handle, "first-password-1");

  await openAccountMenu(page);
  await page.getByRole("banner").getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Current password").fill("first-password-1");
  await page.getByLabel("New password").fill("second-password-2");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed.")).toBeVisible();

  await logOut(page);
  // The old password no longer works; the new one does.
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Handle or e-mail address").fill(handle);
  await page.getByLabel("Password").fill("first-password-1");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toContainText("The handle/e-mail or the password is not right.");
  await expect(page.getByLabel("Handle or e-mail address")).toHaveValue(handle);
  await logIn(page, handle, "second-password-2");
});

test("bad e-mail and short password show errors next to the fields and keep what was typed", async ({ page }) => {
  const handle = uniqueHandle("typo");
  await page.goto("/signup");
  await hydrated(page);
  await page.getByLabel("Handle (your public name)").fill(handle);
  await page.getByLabel("E-mail address").fill("not-an-address");
  await page.getByLabel("Password").fill("short");
  await page.getByLabel("A caregiver or family member").check();
  await page.getByRole("button", { name: "Create my account" }).click();

  const email = page.getByLabel("E-mail address");
  await expect(email).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#f-email-error")).toHaveText(/Enter an e-mail address like name@example.org/);
  await expect(page.locator("#f-password-error")).toHaveText(/at least 10 characters/);
  await expect(page.locator("#f-consent-error")).toBeVisible();
  // Each error is announced with its field.
  await expect(email).toHaveAttribute("aria-describedby", /f-email-error/);
  // Nothing typed is lost.
  await expect(page.getByLabel("Handle (your public name)")).toHaveValue(handle);
  await expect(email).toHaveValue("not-an-address");
  await expect(page.getByLabel("Password")).toHaveValue("short");
  await expect(page.getByLabel("A caregiver or family member")).toBeChecked();
  await expect(page).toHaveURL(/\/signup$/);
});

test("a duplicate handle gets a clear field error", async ({ page, browser }) => {
  const handle = uniqueHandle("dup");
  await signUp(page, handle, "some-password-1");
  const other = await freshPage(browser);
  await other.goto("/signup");
  await hydrated(other);
  await other.getByLabel("Handle (your public name)").fill(handle.toUpperCase());
  await other.getByLabel("E-mail address").fill(`other-${handle}@example.org`);
  await other.getByLabel("Password").fill("some-password-1");
  await other.getByLabel(/I agree that HealthCommunity stores/).check();
  await other.getByRole("button", { name: "Create my account" }).click();
  await expect(other.locator("#f-handle-error")).toHaveText(/This handle is taken/);
  await other.context().close();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("sign-up works and the header shows the new member", async ({ page }) => {
    const handle = uniqueHandle("nojs");
    await signUp(page, handle, "no-script-password", { js: false });
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Welcome! Which conditions matter to you?");
    await page.getByRole("link", { name: "Skip for now" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, @${handle}`);
    await logOut(page);
  });

  test("field errors come back after the round trip with the typed values", async ({ page }) => {
    const handle = uniqueHandle("nojserr");
    await page.goto("/signup");
    await page.getByLabel("Handle (your public name)").fill(handle);
    await page.getByLabel("E-mail address").fill("still-not-an-address");
    await page.getByLabel("Password").fill("short");
    await page.getByLabel("A caregiver or family member").check();
    await page.getByLabel(/I agree that HealthCommunity stores/).check();
    await page.getByRole("button", { name: "Create my account" }).click();

    await expect(page.locator("#f-email-error")).toHaveText(/Enter an e-mail address like name@example.org/);
    await expect(page.locator("#f-password-error")).toHaveText(/at least 10 characters/);
    await expect(page.getByLabel("Handle (your public name)")).toHaveValue(handle);
    await expect(page.getByLabel("E-mail address")).toHaveValue("still-not-an-address");
    await expect(page.getByLabel("A caregiver or family member")).toBeChecked();
    await expect(page.getByLabel(/I agree that HealthCommunity stores/)).toBeChecked();
    // The password is deliberately never written back into the page.
    await expect(page.getByLabel("Password")).toHaveValue("");
    // The typed e-mail address never travels in the URL.
    expect(page.url()).not.toContain("still-not-an-address");
  });

  test("log in and log out work", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Handle or e-mail address").fill("maria_ms");
    await page.getByLabel("Password").fill("demo-password-2026");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("banner").getByText("@maria_ms")).toBeVisible();
    await logOut(page);
  });
});

test.describe("settings without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("profile, display preferences and password change work as plain forms", async ({ page }) => {
    const handle = uniqueHandle("plain");
    await signUp(page, handle, "plain-password-1", { js: false });
    await page.goto("/settings");

    // A too-long bio comes back with its error and the text kept.
    const longBio = "I was diagnosed last spring. ".repeat(20);
    await page.getByLabel("About you").fill(longBio);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#f-bio-error")).toHaveText(/500 characters/);
    await expect(page.getByLabel("About you")).toHaveValue(longBio);

    await page.getByLabel("About you").fill("Living with MS since 2019.");
    await page.getByLabel("Colour theme").selectOption("dark");
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.locator("#prefs")).toHaveAttribute("data-theme", "dark");
    await page.goto(`/u/${handle}`);
    await expect(page.getByText("Living with MS since 2019.")).toBeVisible();

    await page.goto("/settings");
    await page.getByLabel("Current password").fill("wrong-password-0");
    await page.getByLabel("New password").fill("plain-password-2");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.locator("#f-current_password-error")).toHaveText("This is not your current password.");
    await page.getByLabel("Current password").fill("plain-password-1");
    await page.getByLabel("New password").fill("plain-password-2");
    await page.getByRole("button", { name: "Change password" }).click();
    await logOut(page);
    await page.goto("/login");
    await page.getByLabel("Handle or e-mail address").fill(handle);
    await page.getByLabel("Password").fill("plain-password-2");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("banner").getByText(`@${handle}`)).toBeVisible();
  });
});

test("the keyboard alone reaches the skip link and the sign-up form", async ({ page }) => {
  await page.goto("/signup");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#main$/);
  // Tabbing on from the main landmark lands in the form: its first field is the handle.
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press("Tab");
    if (await page.getByLabel("Handle (your public name)").evaluate((el) => el === document.activeElement)) break;
  }
  await expect(page.getByLabel("Handle (your public name)")).toBeFocused();
});

test("sign-up shows the licence fields only to a clinician, without JavaScript too", async ({ browser }) => {
  for (const javaScriptEnabled of [false, true]) {
    const page = await freshPage(browser, { javaScriptEnabled });
    await page.goto("/signup");
    if (javaScriptEnabled) await hydrated(page);
    const licence = page.getByLabel("Licence or registration number");
    await expect(licence).toBeHidden();
    await page.getByLabel("A clinician").check();
    await expect(licence).toBeVisible();
    await expect(page.getByText("Clinicians only")).toBeVisible();
    await page.getByLabel("A caregiver or family member").check();
    await expect(licence).toBeHidden();
    await page.context().close();
  }
});
