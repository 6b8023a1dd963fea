// Browser test of `marsad serve`: a real store, a real server on a loopback
// port, Debian's Chromium driven by playwright-core. Loads the page, applies
// a filter, opens an event and checks that the highlighted trigger is the
// event's trigger text; saves a screenshot for review.
//
// Usage: node e2e/serve.e2e.mjs <marsad binary> <screenshot.png>
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const [bin, shot] = process.argv.slice(2).map((p) => resolve(p));
const repo = resolve(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'marsad-e2e-'));
const db = join(work, 'marsad.db');
let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok ? '' : `: ${detail}`}`);
}

execFileSync(bin, ['ingest', '--db', db, join(repo, 'crates/marsad-serve/tests/data/articles.jsonl'), join(repo, 'examples/articles.jsonl')], { stdio: 'inherit' });

const server = spawn(bin, ['serve', '--db', db, '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'ignore', 'pipe'] });
const base = await new Promise((ok, fail) => {
  let err = '';
  const timer = setTimeout(() => fail(new Error(`server did not start: ${err}`)), 30000);
  server.stderr.on('data', (d) => {
    err += d;
    const m = /http:\/\/(127\.0\.0\.1:\d+)\//.exec(err);
    if (m) {
      clearTimeout(timer);
      ok(`http://${m[1]}`);
    }
  });
  server.once('exit', (code) => fail(new Error(`server exited (${code}): ${err}`)));
});

const context = await chromium.launchPersistentContext(join(work, 'profile'), {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1000 },
});
try {
  const page = context.pages()[0] ?? (await context.newPage());
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + '/');
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });
  check('page is Arabic, right to left', (await page.getAttribute('html', 'dir')) === 'rtl' && (await page.getAttribute('html', 'lang')) === 'ar');
  check('timeline chart drawn', (await page.locator('#timeline canvas').count()) > 0);
  check('network graph drawn', (await page.locator('#network canvas').count()) > 0);

  // apply a filter: events with a Russian actor
  const expected = await (await page.request.get(`${base}/api/events?actor=RUS&limit=50`)).json();
  await page.fill('#filters input[name=actor]', 'RUS');
  await page.click('#apply');
  await page.waitForFunction((n) => document.querySelectorAll('#event-list li.event').length === n, expected.rows.length, { timeout: 15000 });
  const shown = await page.$$eval('#event-list li.event', (lis) => lis.map((li) => Number(li.dataset.eventId)));
  check('filter applied (list = API rows for actor=RUS)', expected.rows.length > 0 && JSON.stringify(shown) === JSON.stringify(expected.rows.map((r) => r.event_id)), JSON.stringify({ shown, expected: expected.rows.length }));

  // open the first event: its trigger is highlighted in the article
  const ev = expected.rows[0];
  await page.click(`#event-list li.event[data-event-id="${ev.event_id}"]`);
  await page.waitForFunction((id) => document.getElementById('doc-text').dataset.eventId === String(id), ev.event_id, { timeout: 15000 });
  const highlighted = (await page.$$eval('#doc-text .hl-trigger', (els) => els.map((e) => e.textContent))).join('');
  check('highlighted span equals the trigger', highlighted === ev.trigger && highlighted.length > 0, `${highlighted} != ${ev.trigger}`);
  // the same span cut by code points from the document the API returns
  const doc = await (await page.request.get(`${base}/api/documents/${encodeURIComponent(ev.doc_id)}`)).json();
  const byCodePoints = Array.from(doc.text).slice(ev.trigger_start, ev.trigger_end).join('');
  check('trigger is the code-point span of the article', byCodePoints === ev.trigger, `${byCodePoints} != ${ev.trigger}`);
  check('actors highlighted', (await page.locator('#doc-text .hl-actor').count()) > 0);
  check('article text shown whole', (await page.textContent('#doc-text')) === doc.text);

  // quotes by speaker
  await page.click('#tab-quotes');
  check('quotes grouped by speaker', (await page.locator('#quotes-view section.speaker').count()) > 0);
  await page.click('#tab-events');

  // English and back
  await page.click('#lang-toggle');
  check('English toggle switches to left to right', (await page.getAttribute('html', 'dir')) === 'ltr' && (await page.textContent('#apply')) === 'Apply');
  await page.click('#lang-toggle');
  check('back to Arabic', (await page.getAttribute('html', 'dir')) === 'rtl');
  await page.locator('#doc-text .hl-trigger').first().scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot, fullPage: true });
  check('no script errors', errors.length === 0, errors.join('; '));
} finally {
  await context.close();
  // graceful shutdown: SIGTERM ends the server cleanly
  const exited = new Promise((ok) => server.once('exit', (code, signal) => ok({ code, signal })));
  server.kill('SIGTERM');
  const { code, signal } = await exited;
  check('server stops on SIGTERM with status 0', code === 0, `code ${code}, signal ${signal}`);
  rmSync(work, { recursive: true, force: true });
}
console.log(`screenshot: ${shot}`);
// the line CI sums into its closing total
console.log(`test result: ${failed ? 'FAILED' : 'ok'}. ${passed} passed; ${failed} failed; (browser e2e)`);
process.exit(failed ? 1 : 0);
