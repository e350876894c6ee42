// Drives the /app page in headless Chromium (playwright-core): run by modules/app's BrowserClientTest against a
// running system, or by hand: node test/browser.mjs <baseUrl> '<setup JSON>'.
// The setup names two signed-up members of one channel: {channel, password, ann: {email, token}, bob: {email, token}}.
// Prints one "PASS <scenario>" line per scenario; exits 1 at the first failure.
import { chromium } from 'playwright-core';

const [baseUrl, setupJson] = process.argv.slice(2);
const setup = JSON.parse(setupJson);
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const TIMEOUT = 15000;

async function rest(token, method, path, body) {
  const response = await fetch(baseUrl + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const send = (who, content) => rest(setup[who].token, 'POST', `/api/chat/channels/${setup.channel}/messages/send`,
  { content });

/** Opens /app in a fresh context, signs in through the form and waits until the channel's events are live. */
async function openApp(browser, who, query = '') {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[${who}] page error: ${e.message}`));
  await page.goto(`${baseUrl}/app/?channel=${setup.channel}${query}`);
  await page.fill('#email', setup[who].email);
  await page.fill('#password', setup.password);
  await page.click('#sign-in');
  await page.waitForSelector(`#messages[data-channel="${setup.channel}"]`, { timeout: TIMEOUT });
  await page.waitForSelector('#status[data-live="true"]', { timeout: TIMEOUT });
  return { context, page };
}

const texts = (page) => page.$$eval('#messages li .text', (items) => items.map((li) => li.textContent));

async function waitForText(page, text) {
  await page.waitForFunction((t) => [...document.querySelectorAll('#messages li .text')]
    .some((li) => li.textContent === t), text, { timeout: TIMEOUT });
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function twoUsers(browser) {
  const ann = await openApp(browser, 'ann');
  const bob = await openApp(browser, 'bob');
  await ann.page.fill('#content', 'hello bob');
  await bob.page.waitForFunction(() => /is typing/.test(document.getElementById('typing').textContent),
    null, { timeout: TIMEOUT });
  await ann.page.click('#send');
  await waitForText(bob.page, 'hello bob');
  await bob.page.fill('#content', 'hi ann');
  await bob.page.press('#content', 'Enter');
  await waitForText(ann.page, 'hi ann');
  for (const side of [ann, bob]) {
    const shown = await texts(side.page);
    check(shown.filter((t) => t === 'hello bob').length === 1 && shown.filter((t) => t === 'hi ann').length === 1,
      `each message once on both pages: ${JSON.stringify(shown.slice(-5))}`);
    check(shown.indexOf('hello bob') < shown.indexOf('hi ann'), 'messages in order');
  }
  await ann.context.close();
  await bob.context.close();
}

async function reconnectDuringStream(browser) {
  const ann = await openApp(browser, 'ann');
  await ann.page.evaluate(() => {
    globalThis.statusLog = [];
    globalThis.chat.onStatus((s) => globalThis.statusLog.push(s.connected));
  });
  const count = 200;
  const label = (i) => `stream-${String(i).padStart(3, '0')}`;
  let outage = null;
  for (let i = 0; i < count; i++) {
    await send('bob', label(i));
    if (i === 40) {
      // The page's network goes away: reconnect attempts fail until it is back. Chromium's offline mode leaves an
      // open WebSocket alone, so the socket is cut here too (the status check below fails without it).
      await ann.context.setOffline(true);
      await ann.page.evaluate(() => globalThis.chat.bus.sockJSConn.close(4000, 'network lost'));
      outage = new Promise((resolve) => setTimeout(resolve, 2500)).then(async () => {
        const before = (await texts(ann.page)).filter((t) => t.startsWith('stream-')).length;
        await ann.context.setOffline(false);
        return before;
      });
    }
    if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const shownWhileOffline = await outage;
  check(shownWhileOffline < count, `the outage must miss messages (${shownWhileOffline} of ${count} already shown)`);
  await ann.page.waitForFunction((n) => [...document.querySelectorAll('#messages li .text')]
    .filter((li) => li.textContent.startsWith('stream-')).length >= n, count, { timeout: 30000 })
    .catch(async (e) => {
      const shown = (await texts(ann.page)).filter((t) => t.startsWith('stream-'));
      throw new Error(`${shown.length} of ${count} shown after 30 s (last: ${shown.at(-1)}): ${e.message}`);
    });
  // a moment for duplicates, if any, to show up
  await ann.page.waitForTimeout(500);
  const streamed = (await texts(ann.page)).filter((t) => t.startsWith('stream-'));
  const expected = Array.from({ length: count }, (_, i) => label(i));
  check(JSON.stringify(streamed) === JSON.stringify(expected),
    `all ${count} exactly once, in order; got ${streamed.length}: ${streamed.slice(0, 3)}…`);
  const log = await ann.page.evaluate(() => globalThis.statusLog);
  check(log.includes(false) && log.at(-1) === true, `the page lost and regained its connection: ${log}`);
  await ann.context.close();
}

async function transports(browser) {
  for (const transport of ['websocket', 'xhr-streaming', 'xhr-polling', 'eventsource']) {
    const bob = await openApp(browser, 'bob', `&transport=${transport}`);
    const used = await bob.page.evaluate(() => globalThis.chat.bus.sockJSConn.transport);
    check(used === transport, `forced ${transport}, SockJS used ${used}`);
    await send('ann', `over ${transport}`);
    await waitForText(bob.page, `over ${transport}`);
    await bob.context.close();
    console.log(`PASS transport ${transport}`);
  }
}

const scenarios = { 'two users': twoUsers, 'reconnect during 200 messages': reconnectDuringStream, transports };
const only = process.env.SCENARIOS ? process.env.SCENARIOS.split(',') : Object.keys(scenarios);
const browser = await chromium.launch({ executablePath, headless: true });
let failed = false;
try {
  for (const name of only) {
    const started = Date.now();
    try {
      await scenarios[name](browser);
      console.log(`PASS ${name} (${Date.now() - started} ms)`);
    } catch (e) {
      console.log(`FAIL ${name}: ${e.stack || e}`);
      failed = true;
      break;
    }
  }
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
