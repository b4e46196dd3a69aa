// The directory: staff edit their clinic; a member searches near a city, rates with stars (with and without JavaScript), staff reply; appointment requests.
import { test, expect, Page } from "@playwright/test";
import { accessibilityProblems, DEMO_PASSWORD, freshPage, hydrated, logIn, signUp, uniqueHandle } from "./helpers";

/** The count in the histogram row for `stars` stars. */
async function histogramCount(page: Page, stars: number): Promise<number> {
  const row = page.locator(".histogram tr", { has: page.getByRole("rowheader", { name: `${stars} stars`, exact: true }) });
  return Number(await row.locator("td.num").textContent());
}

test("clinic staff update opening hours and whether they accept new patients", async ({ page }) => {
  await logIn(page, "dr_okafor", DEMO_PASSWORD);
  await page.goto("/directory/pennine-neurology");
  await hydrated(page);
  await expect(page.getByText("Not taking new patients")).toBeVisible();
  await page.getByRole("link", { name: "Edit profile" }).click();
  await hydrated(page);
  const hours = `Mon–Fri 7:30–18:00\nSat 9:00–12:00 (${Date.now().toString(36)})`;
  await page.getByLabel("Opening hours").fill(hours);
  await page.getByRole("radio", { name: "Yes" }).check();
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Saved. The change is recorded in the history.")).toBeVisible();
  await page.getByRole("link", { name: "← Back to the profile" }).click();
  await expect(page.locator(".hours")).toHaveText(hours);
  await expect(page.locator(".community-head").getByText("Accepting new patients")).toBeVisible();
  const history = page.getByRole("region", { name: "Change history" });
  await expect(history).toContainText("@dr_okafor changed opening hours and accepting new patients");
  // A bad value comes back as a field error, keeping what was typed.
  await page.goto("/directory/pennine-neurology/edit");
  await hydrated(page);
  await page.getByLabel("Latitude").fill("123");
  await page.getByLabel("Opening hours").fill("Typed and kept");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.locator("#f-lat-error")).toContainText("latitude");
  await expect(page.getByLabel("Opening hours")).toHaveValue("Typed and kept");
});

test("a member searches neurology near London, rates the clinic 4 stars and sees the histogram change; staff reply", async ({ page, browser }) => {
  await signUp(page, uniqueHandle("rater"), "rater-password-1");
  await page.goto("/directory");
  await hydrated(page);
  await expect(page.getByText("No paid ranking")).toBeVisible();
  await page.getByLabel("Specialty").selectOption("neurology");
  await page.getByLabel("City or postal code").fill("London");
  await page.getByLabel("Within").selectOption("25");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: /results? within 25 km of London/ })).toBeVisible();
  const thames = page.locator(".provider-card", { hasText: "Thames MS Centre" });
  await expect(thames).toContainText("km away");
  await expect(thames).toContainText("out of 5");
  await expect(page.locator(".provider-card", { hasText: "Pennine" })).toHaveCount(0);
  await thames.getByRole("link", { name: "Thames MS Centre" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Thames MS Centre" })).toBeVisible();
  await hydrated(page);
  const before = await histogramCount(page, 4);
  // After hydration the stars are clickable; the radios stay underneath for keyboards and forms.
  await expect(page.locator("fieldset.stars")).toHaveClass(/stars-live/);
  await page.locator("label.star").nth(3).click();
  await expect(page.locator("label.star.on")).toHaveCount(4);
  await page.getByLabel("Listens").selectOption("5");
  await page.getByLabel("Wait in minutes").fill("20");
  const text = `Clear explanations about my relapse plan ${Date.now().toString(36)}.`;
  await page.getByLabel("Your review (optional)").fill(text);
  await page.getByRole("button", { name: "Save rating" }).click();
  await expect(page.getByText("Thank you, your rating is saved.")).toBeVisible();
  await expect.poll(() => histogramCount(page, 4)).toBe(before + 1);
  const review = page.locator("li.review", { hasText: text });
  await expect(review).toContainText("Listens 5/5");
  await page.screenshot({ path: "test-results/provider.png", fullPage: true });

  // The clinic's staff reply publicly (warned not to disclose health information).
  const staff = await freshPage(browser);
  await logIn(staff, "dr_okafor", DEMO_PASSWORD);
  await staff.goto("/directory/thames-ms-centre");
  await hydrated(staff);
  const theirs = staff.locator("li.review", { hasText: text });
  await theirs.getByText("Reply publicly").click();
  await expect(theirs.getByText("Do not confirm that this person is your patient")).toBeVisible();
  await theirs.getByLabel("Public reply").fill("Thank you for your kind words.");
  await theirs.getByRole("button", { name: "Publish reply" }).click();
  await expect(theirs.locator(".provider-reply")).toContainText("Thank you for your kind words.");
  await page.reload();
  await expect(page.locator("li.review", { hasText: text }).locator(".provider-reply")).toContainText("Thank you for your kind words.");
});

test("a member asks a clinic for an appointment and sees the staff answer", async ({ page, browser }) => {
  const handle = uniqueHandle("patient");
  await signUp(page, handle, "patient-password-1");
  // Before any request, the member's list says where requests come from.
  await page.goto("/requests");
  await expect(page.getByText("open its page under Find care and use “Send request”")).toBeVisible();
  await page.goto("/directory/riverside-haematology");
  await hydrated(page);
  await expect(page.getByText("Privacy: the clinic's staff will see your handle")).toBeVisible();
  // A missing field is refused with the reason kept.
  const reason = `Newly diagnosed with CML, looking for a second opinion (${Date.now().toString(36)}).`;
  await page.getByLabel("What would you like help with?").fill(reason);
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.locator("#f-contact_via-error")).toBeVisible();
  await expect(page.getByLabel("What would you like help with?")).toHaveValue(reason);
  await page.getByLabel("Preferred days and times").fill("Monday mornings");
  await page.getByLabel("How should the clinic contact you?").fill("Reply here");
  await page.getByRole("button", { name: "Send request" }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`Request from @${handle}`) })).toBeVisible();
  await expect(page.locator(".badge", { hasText: "New" })).toBeVisible();
  const url = page.url();

  const staff = await freshPage(browser);
  await logIn(staff, "dr_haddad", DEMO_PASSWORD);
  await staff.goto("/directory/riverside-haematology/inbox");
  // The inbox names its clinic (staff may work at several) and leads back to its page.
  await expect(staff).toHaveTitle(/Contact requests · Riverside Haematology Clinic/);
  await expect(staff.locator(".crumbs").getByRole("link", { name: "Riverside Haematology Clinic" })).toHaveAttribute("href", "/directory/riverside-haematology");
  await staff.getByRole("link", { name: `@${handle}` }).click();
  await hydrated(staff);
  await expect(staff.getByText(reason)).toBeVisible();
  await staff.getByLabel("Answer the member").fill("We can see you on Monday at 9:30.");
  await staff.getByRole("button", { name: "Send" }).click();
  await expect(staff.getByText("We can see you on Monday at 9:30.")).toBeVisible();
  // The answer stands in the thread; the box is empty for the next one, not holding it again.
  await expect(staff.getByLabel("Answer the member")).toHaveValue("");

  await page.goto(url);
  await expect(page.getByText("We can see you on Monday at 9:30.")).toBeVisible();
  await expect(page.locator("h1 .badge")).toHaveText("Answered");
  // The member's list of requests shows the clinic and the answer's state.
  await page.goto("/requests");
  const card = page.locator("li", { has: page.getByRole("link", { name: "Riverside Haematology" }) });
  await expect(card.locator(".badge")).toHaveText("Answered");
  await expect(card.getByText(reason)).toBeVisible();
  // Another member cannot open the request.
  const nosy = await freshPage(browser);
  await signUp(nosy, uniqueHandle("nosy"), "nosy-password-1");
  await nosy.goto(url);
  await expect(nosy.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a clinic's manager asks to be listed from Find care; the site's team lists it and the manager edits its profile", async ({ page, browser }) => {
  const handle = uniqueHandle("manager");
  const clinic = `Harbour MS Practice ${Date.now().toString(36)}`;
  await signUp(page, handle, "manager-password-1");
  await page.goto("/directory");
  await page.getByRole("link", { name: "Ask to list it" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "List your clinic" })).toBeVisible();
  await hydrated(page);
  // A missing role is refused, with what was typed kept.
  await page.getByLabel("The clinic's name").fill(clinic);
  await page.getByLabel("City").fill("Bristol");
  await page.getByLabel("Website").fill("harbour-ms.example.org");
  await page.getByRole("button", { name: "Ask to list it" }).click();
  await expect(page.locator("#f-role-error")).toBeVisible();
  await expect(page.getByLabel("The clinic's name")).toHaveValue(clinic);
  await page.getByLabel("Your role at the clinic").fill("Practice manager");
  await page.getByRole("button", { name: "Ask to list it" }).click();
  await expect(page.getByRole("status")).toContainText("The site's team will look at your request");
  const mine = page.locator("li.card", { hasText: clinic });
  await expect(mine.getByText("Waiting for the team")).toBeVisible();
  // A fresh form for the next one.
  await expect(page.getByLabel("The clinic's name")).toHaveValue("");

  const team = await freshPage(browser);
  await logIn(team, "demo_admin", DEMO_PASSWORD);
  await team.goto("/directory/new");
  await hydrated(team);
  const request = team.locator("li.card", { hasText: clinic });
  await expect(request).toContainText(`@${handle}, Practice manager`);
  await request.getByRole("link", { name: "List it" }).click();
  await expect(team.getByLabel("Name", { exact: true })).toHaveValue(clinic);
  await expect(team.getByLabel("Owner's handle")).toHaveValue(handle);
  await expect(team.getByLabel("Address")).toHaveValue(/^harbour-ms-practice-/);
  await team.getByRole("button", { name: "Create clinic" }).click();
  await expect(team).toHaveURL(/\/directory\/harbour-ms-practice-[a-z0-9-]+\/edit$/);

  // The manager is told, and the clinic is theirs to fill in.
  await page.goto("/notifications");
  await page.getByRole("link", { name: new RegExp(`${clinic} is listed in the directory`) }).click();
  await expect(page).toHaveURL(/\/edit$/);
  await expect(page.getByLabel("Opening hours")).toBeVisible();
  await page.goto("/directory/list");
  await expect(page.locator("li.card", { hasText: clinic }).getByText("Listed")).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a member asks to list a clinic with a plain form; a bad website keeps the text", async ({ page }) => {
    await signUp(page, uniqueHandle("plainlist"), "plain-lister-1", { js: false });
    await page.goto("/directory/list");
    const note = `Ring the front desk and ask for Sam (${Date.now().toString(36)}).`;
    await page.getByLabel("The clinic's name").fill("Quayside Clinic");
    await page.getByLabel("City").fill("Leeds");
    await page.getByLabel("Website").fill("not a website");
    await page.getByLabel("Your role at the clinic").fill("Nurse");
    await page.getByLabel("Anything the team should know").fill(note);
    await page.getByRole("button", { name: "Ask to list it" }).click();
    await expect(page.locator("#f-website-error")).toBeVisible();
    await expect(page.getByLabel("Anything the team should know")).toHaveValue(note);
    await expect(page.getByLabel("The clinic's name")).toHaveValue("Quayside Clinic");
    await page.getByLabel("Website").fill("");
    await page.getByRole("button", { name: "Ask to list it" }).click();
    await expect(page.getByRole("status")).toContainText("The site's team will look at your request");
    await expect(page.locator("li.card", { hasText: "Quayside Clinic" }).getByText("Waiting for the team")).toBeVisible();
  });

  test("a member searches and rates with the plain radio group; a bad value keeps the text", async ({ page }) => {
    await signUp(page, uniqueHandle("plainrate"), "plain-rater-1", { js: false });
    await page.goto("/directory?specialty=haematology&place=London&radius=25");
    await expect(page.getByRole("heading", { name: /results? within 25 km of London/ })).toBeVisible();
    await page.getByRole("link", { name: "Riverside Haematology Clinic" }).click();
    const before = await histogramCount(page, 4);
    const text = `Friendly nurses, quick blood tests ${Date.now().toString(36)}.`;
    await page.getByLabel("Your review (optional)").fill(text);
    await page.getByLabel("Wait in minutes").fill("-5");
    await page.getByRole("radio", { name: "4 stars" }).check();
    await page.getByRole("button", { name: "Save rating" }).click();
    await expect(page.locator("#f-wait_minutes-error")).toHaveText("A wait cannot be negative.");
    await expect(page.getByLabel("Your review (optional)")).toHaveValue(text);
    await expect(page.getByRole("radio", { name: "4 stars" })).toBeChecked();
    await page.getByLabel("Wait in minutes").fill("5");
    await page.getByLabel("Explains clearly").selectOption("4");
    await page.getByRole("button", { name: "Save rating" }).click();
    await expect(page.locator("li.review", { hasText: text })).toContainText("Explains clearly 4/5");
    expect(await histogramCount(page, 4)).toBe(before + 1);
  });
});

for (const path of ["/directory?specialty=neurology&place=London", "/directory/thames-ms-centre"]) {
  test(`no accessibility problems (moderate or worse) on ${path}`, async ({ page }) => {
    await logIn(page, "maria_ms", DEMO_PASSWORD);
    await page.goto(path);
    await hydrated(page);
    expect(await accessibilityProblems(page)).toEqual([]);
  });
}

test("a clinic invites a member to its staff; the member accepts without JavaScript and can leave", async ({ page, browser }) => {
  const handle = uniqueHandle("staffer");
  const member = await freshPage(browser, { javaScriptEnabled: false });
  await signUp(member, handle, "staffer-password-1", { js: false });

  await logIn(page, "dr_okafor", DEMO_PASSWORD);
  await page.goto("/directory/pennine-neurology/edit");
  await hydrated(page);
  const staff = page.getByRole("region", { name: "Staff" });
  await staff.getByLabel("Member's handle").fill(handle);
  await staff.getByLabel("Change").selectOption("add");
  await expect(staff.getByText("An invitation takes effect when the member accepts it")).toBeVisible();
  await Promise.all([
    page.waitForResponse((r) => r.url().includes("/api/directory/staff") && r.ok()),
    staff.getByRole("button", { name: "Apply" }).click(),
  ]);
  await page.goto("/directory/pennine-neurology");
  await expect(page.getByRole("region", { name: "Change history" })).toContainText(`invited @${handle} as staff`);

  // Nothing changed for the member until they say yes.
  await member.goto("/directory/pennine-neurology");
  const invite = member.getByRole("region", { name: "Your invitation" });
  await expect(invite).toContainText("Staff cannot rate their own clinic.");
  await expect(member.getByRole("heading", { name: "For staff" })).toHaveCount(0);
  await member.screenshot({ path: "test-results/staff-invitation.png", fullPage: true });
  await invite.getByRole("button", { name: "Accept" }).click();
  await member.goto("/directory/pennine-neurology");
  await expect(member.getByRole("heading", { name: "For staff" })).toBeVisible();
  await expect(member.getByRole("region", { name: "Your invitation" })).toHaveCount(0);
  await member.getByRole("button", { name: "Leave the staff" }).click();
  await member.goto("/directory/pennine-neurology");
  await expect(member.getByRole("heading", { name: "For staff" })).toHaveCount(0);
  await member.context().close();
});

test("on a phone the directory's results start near the top; the other filters fold away until used", async ({ browser }) => {
  const page = await freshPage(browser, { viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  await page.goto("/directory");
  await expect(page.getByLabel("Specialty")).toBeVisible();
  await expect(page.getByLabel("Language")).toBeHidden();
  // The filters took about 1,000 px before the results; now the results begin on the first screen.
  const top = await page.locator("#results-h").evaluate((e) => e.getBoundingClientRect().top + window.scrollY);
  expect(top, `the results start ${top} px down`).toBeLessThan(844);
  await page.getByText("More filters").click();
  await page.getByLabel("Language").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/language=/);
  // A search that uses them shows them open.
  await expect(page.getByLabel("Language")).toBeVisible();
  await page.context().close();
});

test("a caregiver types SW1A 1AA and finds the London neurology clinic with its distance and a map; a typo and a shared name are understood", async ({ browser }) => {
  // Without JavaScript: the place search is a plain GET form.
  const page = await freshPage(browser, { javaScriptEnabled: false });
  await page.goto("/directory");
  await page.getByLabel("Specialty").selectOption("neurology");
  await page.getByLabel("City or postal code").fill("SW1A 1AA");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: /results? within 25 km of SW1A 1AA/ })).toBeVisible();
  const thames = page.locator(".provider-card", { hasText: "Thames MS Centre" });
  await expect(thames).toContainText(/\d\.\d km away/);
  await expect(page.getByRole("img", { name: /Map of the \d+ results? around the place searched/ })).toBeVisible();
  // A typo: London, saying so.
  await page.getByLabel("City or postal code").fill("Londn");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("no place is called “Londn”")).toBeVisible();
  await expect(page.getByRole("heading", { name: /within 25 km of London, .*GB/ })).toBeVisible();
  await expect(thames).toBeVisible();
  // A name several places share: the member picks one.
  await page.getByLabel("City or postal code").fill("Newport");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: /places called “Newport”. Which one\?/ })).toBeVisible();
  await page.getByRole("link", { name: /^Newport, Isle of Wight/ }).click();
  await expect(page.getByRole("heading", { name: /within 25 km of Newport, Isle of Wight/ })).toBeVisible();
  await page.context().close();
});

test("staff place their clinic from its postal code, then move the pin", async ({ page }) => {
  await logIn(page, "dr_okafor", DEMO_PASSWORD);
  await page.goto("/directory/pennine-neurology/edit");
  await hydrated(page);
  await page.getByLabel("Postal code").fill("LS2 9JT");
  await page.getByLabel("Latitude").fill("");
  await page.getByLabel("Longitude").fill("");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Saved. The change is recorded in the history.")).toBeVisible();
  // Placed at the postcode's centre (LS2, Leeds).
  await page.goto("/directory/pennine-neurology/edit");
  await expect(page.getByLabel("Latitude")).toHaveValue("53.7965");
  await expect(page.getByLabel("Longitude")).toHaveValue("-1.5478");
  // Found from that postcode, with its distance.
  await page.goto("/directory?place=LS2&radius=5");
  await expect(page.locator(".provider-card", { hasText: "Pennine" })).toContainText("km away");
  // They move the pin to the door: the numbers they type are kept.
  await page.goto("/directory/pennine-neurology/edit");
  await hydrated(page);
  await page.getByLabel("Latitude").fill("53.7997");
  await page.getByLabel("Longitude").fill("-1.5492");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Saved. The change is recorded in the history.")).toBeVisible();
  await page.goto("/directory/pennine-neurology/edit");
  await expect(page.getByLabel("Latitude")).toHaveValue("53.7997");
  await page.getByRole("link", { name: "← Back to the profile" }).click();
  await expect(page.getByRole("region", { name: "Change history" })).toContainText("@dr_okafor changed map position");
});

test("on a phone a clinic's details and “Ask for an appointment” come before its ratings and reviews; on a wide screen they stand beside them", async ({ browser }) => {
  for (const width of [390, 1280]) {
    const page = await freshPage(browser, { viewport: { width, height: 900 } });
    await logIn(page, "jo_carer", DEMO_PASSWORD);
    await page.goto("/directory/northgate-diabetes-centre");
    const top = async (name: string) => {
      const box = await page.getByRole("heading", { level: 2, name, exact: true }).boundingBox();
      expect(box, `the heading “${name}” is on the page`).not.toBeNull();
      return box ?? { x: 0, y: 0, width: 0, height: 0 };
    };
    const details = await top("Details");
    const ask = await top("Ask for an appointment or a call back");
    const ratings = await top("Ratings");
    if (width === 390) {
      // The address and opening hours on the first screen; the request form before the reviews.
      expect(details.y, "Details starts on the first screen").toBeLessThan(900);
      expect(details.y).toBeLessThan(ratings.y);
      expect(ask.y).toBeLessThan(ratings.y);
      // The average stays on the first screen, next to the name, and leads to the ratings.
      const average = page.locator(".community-head").getByRole("link", { name: /\d\.\d out of 5/ });
      const box = await average.boundingBox();
      expect(box?.y ?? 900, "the average is on the first screen").toBeLessThan(900);
      await average.click();
      await expect(page).toHaveURL(/#ratings-h$/);
    } else {
      expect(details.x, "Details is in the side column").toBeGreaterThan(ratings.x + ratings.width);
      expect(Math.abs(details.y - ratings.y), "Details and Ratings start level").toBeLessThan(4);
      expect(Math.abs(ask.x - details.x), "the request form is under Details").toBeLessThan(4);
    }
    await page.context().close();
  }
});

test("a visitor on a phone sees where to ask a clinic for an appointment before its reviews, and logging in brings them back to it", async ({ browser }) => {
  const page = await freshPage(browser, { viewport: { width: 390, height: 844 }, javaScriptEnabled: false });
  await page.goto("/directory/northgate-diabetes-centre");
  const ask = page.getByRole("link", { name: "Log in to send a request" });
  const askBox = await ask.boundingBox();
  const ratings = await page.getByRole("heading", { level: 2, name: "Ratings", exact: true }).boundingBox();
  expect(askBox && ratings, "the link and the ratings are on the page").toBeTruthy();
  expect(askBox?.y ?? Infinity).toBeLessThan(ratings?.y ?? 0);
  await ask.click();
  await expect(page).toHaveURL(/\/login\?next=\/directory\/northgate-diabetes-centre$/);
  await page.context().close();
});
