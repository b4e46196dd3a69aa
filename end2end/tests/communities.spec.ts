// Communities: the directory (a member's own marked, "Join" on the others), joining and leaving (with and without JavaScript), a visitor's way in, admin creating a community.
import { test, expect } from "@playwright/test";
import { DEMO_PASSWORD, hydrated, logIn, logOut, signUp, uniqueHandle } from "./helpers";

test("a member finds Multiple Sclerosis in the directory, joins and leaves", async ({ page }) => {
  await signUp(page, uniqueHandle("joiner"), "joiner-password-1");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Communities" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Communities" })).toBeVisible();
  await page.getByRole("link", { name: "Multiple Sclerosis" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Multiple Sclerosis" })).toBeVisible();
  await hydrated(page);
  const count = page.getByText(/\d+ members? ·/);
  const before = Number((await count.textContent())?.match(/\d+/)?.[0]);
  await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
  await expect(page.getByText("You are a member")).toBeVisible();
  await expect(count).toContainText(`${before + 1} member`);
  await expect(page.getByRole("heading", { name: "Moderators" })).toBeVisible();
  await expect(page.getByRole("link", { name: "@dr_okafor" })).toBeVisible();
  await page.getByRole("button", { name: "Leave" }).click();
  await expect(page.getByRole("button", { name: "Join Multiple Sclerosis" })).toBeVisible();
  await expect(count).toContainText(`${before} member`);
});

test("on the communities page a member's own are marked, and \"Join\" on another marks it too", async ({ page }) => {
  await signUp(page, uniqueHandle("cardjoin"), "joiner-password-1");
  await page.goto("/c");
  await hydrated(page);
  const card = page.locator(".community-card", { hasText: "Chronic Myeloid Leukaemia" });
  await expect(card.getByText("✓ Member")).toHaveCount(0);
  await card.getByRole("button", { name: "Join Chronic Myeloid Leukaemia" }).click();
  await expect(card.getByText("✓ Member")).toBeVisible();
  await expect(card.getByRole("button", { name: /^Join/ })).toHaveCount(0);
  // Still so after a reload: it is the member's, not the page's.
  await page.reload();
  await expect(page.locator(".community-card", { hasText: "Chronic Myeloid Leukaemia" }).getByText("✓ Member")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("joining a community works as a plain form", async ({ page }) => {
    await signUp(page, uniqueHandle("plainjoin"), "joiner-password-1", { js: false });
    await page.goto("/c/type-2-diabetes");
    await page.getByRole("button", { name: "Join Type 2 Diabetes" }).click();
    await expect(page.getByText("You are a member")).toBeVisible();
    await expect(page).toHaveURL(/\/c\/type-2-diabetes\??$/);
    // And from the communities page, back on it with the mark.
    await page.goto("/c");
    await page.getByRole("button", { name: "Join Chronic Myeloid Leukaemia" }).click();
    await expect(page).toHaveURL(/\/c\??$/);
    await expect(page.locator(".community-card", { hasText: "Chronic Myeloid Leukaemia" }).getByText("✓ Member")).toBeVisible();
    await expect(page.locator(".community-card", { hasText: "Type 2 Diabetes" }).getByText("✓ Member")).toBeVisible();
  });

  test("a visitor is offered to sign up into the community, or to log in and join", async ({ page }) => {
    // A fresh account that has joined nothing (a demo member could already belong).
    const handle = uniqueHandle("visitor");
    await signUp(page, handle, "visitor-password-1", { js: false });
    await logOut(page);
    await page.goto("/c/multiple-sclerosis");
    await expect(page.getByText("You are a member")).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Join Multiple Sclerosis" })).toHaveAttribute("href", "/signup?c=multiple-sclerosis");
    await page.getByRole("main").getByRole("link", { name: "Log in", exact: true }).click();
    await page.getByLabel("Handle or e-mail address").fill(handle);
    await page.getByLabel("Password").fill("visitor-password-1");
    await page.getByRole("button", { name: "Log in" }).click();
    // Back on the community, logged in, one press from membership.
    await expect(page).toHaveURL(/\/c\/multiple-sclerosis$/);
    await expect(page.getByRole("banner").getByText(`@${handle}`)).toBeVisible();
    await expect(page.getByText("You are a member")).toHaveCount(0);
    await page.getByRole("button", { name: "Join Multiple Sclerosis" }).click();
    await expect(page.getByText("You are a member")).toBeVisible();
  });
});

test("an admin creates a community; bad input keeps what was typed", async ({ page }) => {
  await logIn(page, "demo_admin", DEMO_PASSWORD);
  await page.goto("/admin");
  await page.getByRole("link", { name: "Create a community" }).click();
  await hydrated(page);
  const slug = `lupus-${Date.now().toString(36)}`;
  await page.getByLabel("Name").fill("Lupus");
  await page.getByLabel("Address").fill("Lupus Community!");
  await page.getByLabel("Plain-language description").fill("For people living with lupus.");
  await page.getByRole("button", { name: "Save community" }).click();
  await expect(page.locator("#f-slug-error")).toContainText("lowercase letters");
  await expect(page.getByLabel("Plain-language description")).toHaveValue("For people living with lupus.");
  await page.getByLabel("Address").fill(slug);
  await page.getByRole("button", { name: "Save community" }).click();
  await expect(page).toHaveURL(new RegExp(`/c/${slug}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Lupus" })).toBeVisible();
});
