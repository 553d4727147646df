// Drives Converse.js in headless Chromium through one session: log in, see the roster, chat with
// a contact (a Smack client over TCP, driven by the JUnit test that runs this), reconnect, chat
// again, upload a file, and save a screenshot. Each step prints "STEP <name>"; exits 0 when all
// passed, 1 with "FAIL <why>" otherwise.
//
// Env: PAGE (the test page's URL with its query), CONTACT (bare JID), SCREENSHOT (a .png path),
//      CHROMIUM [/usr/bin/chromium], PROFILE (a fresh directory for the browser profile).
import { chromium } from 'playwright-core';

const env = process.env;
const contact = env.CONTACT;
const step = (name) => console.log('STEP ' + name);
const TIMEOUT = 30000;

const browser = await chromium.launchPersistentContext(env.PROFILE, {
  executablePath: env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1200, height: 800 },
  // The server's certificate is self-signed: uploads go to its HTTPS port.
  ignoreHTTPSErrors: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--ignore-certificate-errors'],
});
let page;
try {
  page = browser.pages()[0] || await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log('CONSOLE ' + m.text()); });
  page.on('pageerror', (e) => console.log('PAGEERROR ' + e.message));
  await page.goto(env.PAGE);

  await page.waitForFunction(() => window.parley.events.includes('connected'), null, { timeout: TIMEOUT });
  step('connected');

  await page.waitForFunction(async (jid) => {
    const c = await window.parley.api.contacts.get(jid);
    return c && c.get('subscription') === 'both';
  }, contact, { timeout: TIMEOUT, polling: 250 });
  await page.getByText('Bob', { exact: true }).first().waitFor({ timeout: TIMEOUT });
  step('roster');

  await page.evaluate(async (jid) => {
    const chat = await window.parley.api.chats.open(jid, {}, true);
    await chat.sendMessage({ body: 'hello from converse' });
  }, contact);
  await page.waitForFunction(async (jid) => {
    const chat = await window.parley.api.chats.get(jid);
    return chat && chat.messages.findWhere({ body: 'hello from smack' });
  }, contact, { timeout: TIMEOUT, polling: 250 });
  await page.getByText('hello from smack').first().waitFor({ timeout: TIMEOUT });
  step('chat');

  await page.evaluate(() => window.parley.api.connection.reconnect());
  await page.waitForFunction(() => window.parley.events.includes('reconnected')
      && window.parley.api.connection.connected(), null, { timeout: TIMEOUT, polling: 250 });
  await page.evaluate(async (jid) => {
    const chat = await window.parley.api.chats.get(jid);
    await chat.sendMessage({ body: 'after reconnect' });
  }, contact);
  step('reconnected');

  await page.evaluate(async (jid) => {
    const chat = await window.parley.api.chats.get(jid);
    const file = new File(['parley upload test\n'], 'hello.txt', { type: 'text/plain' });
    await chat.sendFiles([file]);
  }, contact);
  const url = await page.waitForFunction(async (jid) => {
    const chat = await window.parley.api.chats.get(jid);
    const m = chat.messages.find((m) => m.get('oob_url') && m.get('upload') !== 'pending'
        && m.get('upload') !== 'failure' && !m.get('error'));
    const failed = chat.messages.find((m) => m.get('upload') === 'failure' || (m.get('file') && m.get('error')));
    if (failed) return 'FAILED ' + (failed.get('error') || failed.get('message') || 'upload failed');
    return m ? m.get('oob_url') : null;
  }, contact, { timeout: TIMEOUT, polling: 250 }).then((h) => h.jsonValue());
  if (String(url).startsWith('FAILED')) throw new Error(url);
  step('uploaded ' + url);

  await page.waitForTimeout(500);
  await page.screenshot({ path: env.SCREENSHOT, fullPage: true });
  step('screenshot ' + env.SCREENSHOT);
} catch (e) {
  console.log('FAIL ' + (e && e.message ? e.message.split('\n')[0] : e));
  if (page) {
    try { await page.screenshot({ path: env.SCREENSHOT, fullPage: true }); } catch (ignored) { /* nothing to keep */ }
  }
  await browser.close();
  process.exit(1);
}
await browser.close();
