import { chromium } from "@playwright/test";
const b = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless","--no-sandbox"] });
const base = process.argv[2];
async function run(login, paths) {
  const p = await b.newPage();
  const errs = [];
  p.on("pageerror", e => errs.push(String(e).slice(0,100)));
  if (login) {
    await p.goto(base + "/login");
    await p.waitForSelector("body[data-hydrated=true]");
    await p.getByLabel("Handle or e-mail address").fill(login);
    await p.getByLabel("Password").fill("demo-password-2026");
    await p.getByRole("button", { name: "Log in" }).click();
    await p.getByRole("banner").getByText("@" + login).waitFor();
  }
  for (const path of paths) {
    errs.length = 0;
    await p.goto(base + path);
    try { await p.waitForSelector("body[data-hydrated=true]", { timeout: 8000 }); console.log(login, path, "ok"); } catch { console.log(login, path, "NOT hydrated", errs); }
  }
  await p.close();
}
const paths = process.argv.slice(3);
await run(null, paths);
await run("maria_ms", paths);
await run("tom_t2d", paths);
await b.close();
