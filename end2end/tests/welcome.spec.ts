// The welcome after sign-up: a new member picks MS, sees its groups and first articles, and lands on a home feed with MS posts; with and without JavaScript; a visitor's "Join" on a community's page signs up into it.
import { test, expect } from "@playwright/test";
import { accessibilityProblems, hydrated, signUp, uniqueHandle } from "./helpers";

test("a new member picks MS at sign-up and lands on a home feed with MS posts", async ({ page }) => {
  await signUp(page, uniqueHandle("welcome"), "welcome-password-1");
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page.getByRole("heading", { level: 1, name: "Welcome! Which conditions matter to you?" })).toBeVisible();
  await hydrated(page);
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.screenshot({ path: "test-results/welcome.png", fullPage: true });
  await page.getByLabel("Multiple Sclerosis").check();
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "You are in. Here is where to start" })).toBeVisible();
  const ms = page.locator("section.start-here", { hasText: "Multiple Sclerosis" });
  await expect(ms.getByRole("heading", { name: "Start reading" })).toBeVisible();
  await expect(ms.locator("a[href^='/library/']").first()).toBeVisible();
  await expect(ms.locator("a[href^='/g/']").first()).toBeVisible();
  expect(await accessibilityProblems(page)).toEqual([]);
  await page.screenshot({ path: "test-results/welcome-start.png", fullPage: true });
  await page.getByRole("link", { name: "Go to your home page" }).click();
  const cards = page.locator(".post-card");
  await expect(cards.first()).toBeVisible();
  await expect(cards.first()).toContainText("Multiple Sclerosis");
});

test("a visitor joins a community from its page: the sign-up says which, and the welcome has it chosen", async ({ page }) => {
  await page.goto("/c/type-2-diabetes");
  await page.getByRole("link", { name: "Join Type 2 Diabetes" }).click();
  await expect(page).toHaveURL(/\/signup\?c=type-2-diabetes$/);
  await expect(page.getByText("Your account will be a member of Type 2 Diabetes from the start.")).toBeVisible();
  await signUp(page, uniqueHandle("joinfirst"), "join-first-password-1", { from: page.url() });
  await expect(page).toHaveURL(/\/welcome$/);
  await expect(page.getByLabel("Type 2 Diabetes")).toBeChecked();
  await expect(page.getByLabel("Multiple Sclerosis")).not.toBeChecked();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the welcome works with plain forms, and asks for a condition", async ({ page }) => {
    await signUp(page, uniqueHandle("plainwelcome"), "plain-welcome-1", { js: false });
    await expect(page).toHaveURL(/\/welcome$/);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator("#communities-error")).toContainText("Tick at least one condition");
    await page.getByLabel("Multiple Sclerosis").check();
    await page.locator("#caring-multiple-sclerosis").check();
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "You are in. Here is where to start" })).toBeVisible();
    await expect(page.getByText("for someone you care for")).toBeVisible();
    await page.getByRole("link", { name: "Go to your home page" }).click();
    await expect(page.locator(".post-card").first()).toContainText("Multiple Sclerosis");
  });
});
