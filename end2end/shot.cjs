const { chromium } = require('@playwright/test');
(async () => {
  const [,, url, out, w, dark, full, login] = process.argv;
  const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const c = await b.newContext({ viewport: { width: +w, height: 844 }, colorScheme: dark === 'dark' ? 'dark' : 'light' });
  const p = await c.newPage();
  if (login) {
    await p.goto('http://127.0.0.1:3300/login');
    await p.fill('#f-identifier', login).catch(async () => { await p.getByLabel('Handle or e-mail address').fill(login); });
    await p.getByLabel('Password').fill('demo-password-2026');
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.waitForTimeout(1500);
  }
  await p.goto('http://127.0.0.1:3300' + url);
  await p.waitForTimeout(1500);
  await p.screenshot({ path: out, fullPage: full === 'full' });
  await b.close();
})();
