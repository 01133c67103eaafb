#!/usr/bin/env node
// serve.js: the browser test of `nethealth serve`, in Debian's chromium
// driven by playwright-core (as check-html.js). Run by
// tests/integration/50-serve.sh against a server started with --lab, from
// the lab's client namespace (lab/exec), so that the browser and the server
// share one loopback. Prints TAP ("ok - ...", "not ok - ...", "# ...").
//
// What it does, every page in a context where any request outside the
// server's origin is refused and counted, console and page errors are
// collected, and a hook records every alert/confirm/prompt/print call,
// dialog, CSP violation and every <script>, <iframe>, <object>, <embed> or
// on* attribute added to the DOM:
//   - the home page: the form's hooks (#test-form, #domain, type radios,
//     #start);
//   - good.test (web), with the keyboard only: Tab to the field, type, pick
//     "web" with the arrow keys, Tab to #start, Enter; POST /test answers
//     303 to /test/ID; the progress page (#progress, a 2 s meta refresh,
//     /static/app.js) until the result: #score is 100, one
//     section.category#cat-X per category and details.check.STATUS#check-Y
//     per check, all as GET /api/v1/tests/ID says;
//   - legacy.test, with the mouse, with JavaScript off (the meta refresh
//     alone must bring the result): failed checks exist, and opening each
//     one's <details> shows the catalog's advice ("How to fix it", the
//     first line of `nethealth explain CHECK --json`'s fix);
//   - xss.test (lab/web/sites/xss.test.conf: <script> payloads in headers
//     and security.txt): no script runs, no dialog, no element injected,
//     the only <script> is /static/app.js, the page's text holds the
//     literal "<script>" and every check's message as sent by the API;
//   - a hostile domain typed in the form: a 400 page with #error, the
//     payload shown as text, nothing run;
//   - /test/<no such id>: 404 with #error;
//   - /halloffame (good.test is there), /standards (links to
//     /standards/web_https), /standards/web_https (every web_https check's
//     title), /rounds;
//   - every page: status 200 (but the error pages), lang, a title, one h1,
//     no horizontal scroll at 1200 px; the home page and the results also
//     at 360x740 (a phone): a viewport of the device's width and no
//     horizontal scroll.
// Screenshots of every page visited: OUTDIR/serve-*.png.
//
// Usage: serve.js BASE_URL OUTDIR CATALOG.json
//   CATALOG.json: {"<check id>": {"title", "category", "fix"}, ...}, the
//   web checks (50-serve.sh makes it from `nethealth checks --json` and
//   `nethealth explain ID --json`).
// Environment: NETHEALTH_CHROMIUM (default /usr/bin/chromium),
//   SERVE_RESULT_TIMEOUT seconds to wait for a test's result (default 180).
// Exit: 0 every check passed, 1 some failed, 2 bad usage or no browser.
'use strict';

const fs = require('fs');
const path = require('path');

function usage(msg) {
  if (msg) process.stderr.write(`serve.js: ${msg}\n`);
  process.stderr.write('Usage: serve.js BASE_URL OUTDIR CATALOG.json\n');
  process.exit(2);
}

const [base, outdir, catalogFile] = process.argv.slice(2);
if (!base || !outdir || !catalogFile || process.argv.length > 5) usage();
let origin;
try {
  origin = new URL(base).origin;
} catch (e) {
  usage(`${base}: not a URL`);
}
let catalog;
try {
  catalog = JSON.parse(fs.readFileSync(catalogFile, 'utf8'));
} catch (e) {
  usage(`${catalogFile}: ${e.message}`);
}
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  usage('playwright-core is missing: run tests/browser/install');
}
const RESULT_TIMEOUT = 1000 * Number(process.env.SERVE_RESULT_TIMEOUT || 180);
const STATUSES = ['passed', 'failed', 'warning', 'info', 'not_tested', 'error'];

const results = [];
function check(ok, name, detail) {
  results.push({ ok: !!ok, name, detail });
  return !!ok;
}
function note(text) {
  results.push({ note: text });
}
const norm = (s) => String(s == null ? '' : s).replace(/\s+/g, ' ').trim();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const url = (p) => origin + p;

// What went wrong anywhere, with the page it happened on.
const consoleErrors = [];
const pageErrors = [];
const outside = new Set();
const dialogs = [];
// Console errors a page may cause on purpose: the error pages' own status.
let expectedStatusErrors = [];

// The hook, in every document before its own scripts: records what an
// injected payload would do.
function hook() {
  const log = [];
  Object.defineProperty(window, '__nhHook', { value: log });
  for (const f of ['alert', 'confirm', 'prompt', 'print']) {
    const orig = window[f];
    window[f] = function (...a) {
      log.push(`${f}(${a.map(String).join(', ')})`);
      return f === 'confirm' ? false : (f === 'prompt' ? null : undefined);
    };
    void orig;
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    log.push(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sample || ''}`);
  });
  const bad = (el) => {
    if (!el || el.nodeType !== 1) return;
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'object', 'embed', 'base', 'frame'].includes(tag)) {
      log.push(`inserted <${tag}>`);
    }
    for (const a of el.getAttributeNames()) {
      if (/^on/i.test(a)) log.push(`<${tag} ${a}="${el.getAttribute(a)}">`);
      const v = el.getAttribute(a) || '';
      if (/^\s*javascript:/i.test(v)) log.push(`<${tag} ${a}="${v}">`);
    }
  };
  new MutationObserver((muts) => {
    for (const m of muts) {
      if (m.type === 'attributes') bad(m.target);
      for (const n of m.addedNodes || []) {
        bad(n);
        if (n.querySelectorAll) n.querySelectorAll('*').forEach(bad);
      }
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
}

// newContext OPTIONS: a context with the guards above.
async function newContext(browser, opts) {
  const context = await browser.newContext(opts);
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith('data:')) return route.continue();
    let o;
    try {
      o = new URL(u).origin;
    } catch (e) {
      o = '';
    }
    if (o === origin) return route.continue();
    outside.add(u);
    return route.abort();
  });
  context.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(origin + '/') && u !== origin && !u.startsWith('data:')) outside.add(u);
  });
  await context.addInitScript(hook);
  return context;
}

function watch(page) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    const where = page.url();
    // An error page's own status ("Failed to load resource: the server
    // responded with a status of 400") is what was asked for.
    if (expectedStatusErrors.some((s) => text.includes(`status of ${s}`))) return;
    consoleErrors.push(`${where}: ${text}`);
  });
  page.on('pageerror', (err) => pageErrors.push(`${page.url()}: ${err}`));
  page.on('websocket', (ws) => outside.add(ws.url()));
  page.on('dialog', (d) => {
    dialogs.push(`${page.url()}: ${d.type()} "${d.message()}"`);
    d.dismiss().catch(() => {});
  });
}

// hookLog PAGE: what the hook recorded in the current document.
async function hookLog(page) {
  try {
    return await page.evaluate(() => (window.__nhHook || []).slice());
  } catch (e) {
    return [`(could not read the hook: ${e.message})`];
  }
}

let shots = 0;
async function shot(page, name) {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  const file = path.join(outdir, `serve-${slug}.png`);
  try {
    await page.screenshot({ path: file, fullPage: true });
    shots++;
  } catch (e) {
    check(false, `screenshot ${file}`, e.message);
  }
}

// pageFacts PAGE: the basics every page must have.
async function pageFacts(page) {
  return page.evaluate(() => ({
    lang: document.documentElement.getAttribute('lang') || '',
    title: document.title,
    h1: document.querySelectorAll('h1').length,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    viewportMeta: (document.querySelector('meta[name="viewport"]') || {}).content || '',
  }));
}

// basics PAGE NAME: lang, title, one h1, no horizontal scroll.
async function basics(page, name) {
  let f;
  try {
    f = await pageFacts(page);
  } catch (e) {
    check(false, `${name}: page readable`, e.message);
    return;
  }
  check(/^[a-z]{2}/.test(f.lang) && f.title.trim() !== '' && f.h1 === 1,
      `${name}: lang, a title and one h1`,
      `lang="${f.lang}", title "${f.title}", ${f.h1} h1`);
  check(f.scrollWidth <= f.innerWidth + 1, `${name}: no horizontal scrolling at ${f.innerWidth} px`,
      `scroll width ${f.scrollWidth}`);
}

// visit PAGE PATH NAME [STATUS]: open PATH, check its status, basics, a
// screenshot. Returns the response or null.
async function visit(page, p, name, status = 200) {
  let resp = null;
  try {
    resp = await page.goto(url(p), { waitUntil: 'load', timeout: 30000 });
  } catch (e) {
    check(false, `GET ${p} loads`, e.message);
    return null;
  }
  const got = resp ? resp.status() : 0;
  check(got === status, `GET ${p}: status ${status}`, `status ${got}`);
  await basics(page, p);
  await shot(page, name);
  return resp;
}

async function api(context, id) {
  const r = await context.request.get(url(`/api/v1/tests/${encodeURIComponent(id)}`));
  let body = null;
  try {
    body = await r.json();
  } catch (e) {
    body = null;
  }
  return { status: r.status(), body };
}

// testIdOf PAGE: the ID of /test/ID the page is on, or null.
function testIdOf(page) {
  const m = new URL(page.url()).pathname.match(/^\/test\/([^/]+)$/);
  return m ? decodeURIComponent(m[1]) : null;
}

// submitted PAGE ACTION: runs ACTION (which submits the form) and returns
// the response to POST /test (or null) once the page has navigated.
async function submitted(page, action) {
  let post = null;
  const onResp = (r) => {
    if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/test') post = r;
  };
  page.on('response', onResp);
  try {
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'load', timeout: 30000 }),
      action(),
    ]);
  } catch (e) {
    check(false, 'the form submits', e.message);
  }
  page.off('response', onResp);
  return post;
}

// waitResult PAGE NAME: waits (reloads by meta refresh or app.js included)
// until #score or #error is on the page. Returns {progress, seen} where
// progress tells whether the progress page was seen.
async function waitResult(page, name) {
  const t0 = Date.now();
  let progress = null;
  let otherSince = 0;
  for (;;) {
    let state = null;
    try {
      state = await page.evaluate(() => {
        if (document.getElementById('score')) return { kind: 'score' };
        if (document.getElementById('error')) {
          return { kind: 'error', text: document.getElementById('error').textContent };
        }
        if (document.getElementById('progress')) {
          const m = document.querySelector('meta[http-equiv="refresh" i]');
          return {
            kind: 'progress',
            refresh: m ? m.getAttribute('content') : null,
            appjs: [...document.scripts].some((s) =>
              new URL(s.src || 'about:blank', location.href).pathname === '/static/app.js'),
          };
        }
        return { kind: 'other', text: document.body ? document.body.innerText.slice(0, 200) : '' };
      });
    } catch (e) {
      state = null; // navigating: the document went away under us
    }
    if (state && state.kind === 'progress' && !progress) {
      progress = state;
      await shot(page, `progress-${name}`);
    }
    if (state && (state.kind === 'score' || state.kind === 'error')) {
      await page.waitForLoadState('load').catch(() => {});
      return { progress, state };
    }
    // A page that is neither progress nor result nor error, for 10 s:
    // no use waiting longer.
    if (state && state.kind === 'other') {
      if (!otherSince) otherSince = Date.now();
      if (Date.now() - otherSince > 10000) return { progress, state };
    } else if (state) {
      otherSince = 0;
    }
    if (Date.now() - t0 > RESULT_TIMEOUT) {
      return { progress, state: state || { kind: 'timeout' } };
    }
    await sleep(250);
  }
}

// resultPage PAGE CONTEXT NAME DOMAIN: checks of a result page against the
// API's answer for its test. Returns {id, api, facts} or null.
async function resultPage(page, context, name, domain, post) {
  check(post && post.status() === 303 &&
      /\/test\/[^/]+$/.test(post.headers()['location'] || ''),
  `${name}: POST /test answers 303 to /test/ID`,
  post ? `status ${post.status()}, Location ${post.headers()['location']}` : 'no answer to POST /test');
  const id = testIdOf(page);
  if (!check(id, `${name}: the browser is on /test/ID`, page.url())) return null;
  const { progress, state } = await waitResult(page, name);
  if (progress) {
    check(progress.refresh && /^\s*2\s*(;|$)/.test(progress.refresh),
        `${name}: the progress page refreshes itself every 2 s`, `meta refresh "${progress.refresh}"`);
    check(progress.appjs, `${name}: the progress page loads /static/app.js`);
  }
  if (!check(state.kind === 'score', `${name}: the result page comes (#score) within ${RESULT_TIMEOUT / 1000} s`,
      state.kind === 'error' ? `#error: ${norm(state.text)}` :
        state.kind === 'other' ? `neither #progress, #score nor #error: ${norm(state.text)}` :
          `still ${state.kind}`)) {
    await shot(page, `result-${name}`);
    return { id, progress };
  }
  const a = await api(context, id);
  const res = a.body && a.body.result;
  check(a.status === 200 && a.body && a.body.status === 'done' && res,
      `${name}: GET /api/v1/tests/${id} says done, with the result`,
      `status ${a.status}, ${JSON.stringify(a.body).slice(0, 200)}`);
  check(a.body && a.body.domain === domain && a.body.type === 'web' && String(a.body.id) === id,
      `${name}: the API names the test: id, domain ${domain}, type web`,
      a.body ? `id ${a.body.id}, domain ${a.body.domain}, type ${a.body.type}` : '');
  const facts = await page.evaluate(() => ({
    score: (document.getElementById('score') || {}).textContent,
    verdict: (document.getElementById('verdict') || {}).textContent,
    cats: [...document.querySelectorAll('section.category')].map((s) => s.id),
    checks: [...document.querySelectorAll('details.check')].map((d) => ({
      id: d.id,
      classes: [...d.classList],
      section: (d.closest('section.category') || {}).id || '',
      open: d.open,
    })),
  }));
  check(/^\d{1,3}$/.test(norm(facts.score)), `${name}: #score holds the number only`, `"${facts.score}"`);
  check(norm(facts.verdict) !== '', `${name}: #verdict says something`);
  if (res) {
    check(Number(norm(facts.score)) === res.score, `${name}: #score is the API's score`,
        `page ${norm(facts.score)}, API ${res.score}`);
    const wantCats = Object.keys(res.categories || {}).map((c) => `cat-${c}`).sort();
    check(JSON.stringify([...facts.cats].sort()) === JSON.stringify(wantCats),
        `${name}: one section.category#cat-X per category`,
        `page [${facts.cats.join(' ')}], API [${wantCats.join(' ')}]`);
    const bad = [];
    const seen = new Set();
    for (const c of facts.checks) {
      const cid = c.id.replace(/^check-/, '');
      seen.add(cid);
      const st = c.classes.filter((k) => STATUSES.includes(k));
      const want = res.checks && res.checks[cid];
      if (!want) bad.push(`${c.id}: not in the API's result`);
      else if (st.length !== 1 || st[0] !== want.status) bad.push(`${c.id}: class ${c.classes.join(' ')}, API ${want.status}`);
      else if (want.category && c.section !== `cat-${want.category}`) bad.push(`${c.id} in ${c.section}, not cat-${want.category}`);
    }
    for (const cid of Object.keys(res.checks || {})) {
      if (!seen.has(cid)) bad.push(`check-${cid} missing`);
    }
    check(bad.length === 0 && facts.checks.length > 0,
        `${name}: one details.check.STATUS#check-X per check, in its category, status as the API says (${facts.checks.length})`,
        bad.slice(0, 8).join('; '));
  }
  await basics(page, `/test/${id} (${name})`);
  return { id, api: a.body, res, facts, progress };
}

// noScriptRan PAGE NAME: what the hook saw, and the scripts in the DOM.
async function noScriptRan(page, name) {
  const log = await hookLog(page);
  check(log.length === 0, `${name}: no alert, dialog, CSP violation or injected element`,
      log.slice(0, 5).join(' | ') + (log.length > 5 ? ` (and ${log.length - 5} more)` : ''));
  const dom = await page.evaluate(() => {
    const scripts = [...document.querySelectorAll('script')].map((s) => ({
      src: s.src ? new URL(s.src, location.href).href : '',
      inline: s.textContent.trim().length,
    }));
    const handlers = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.getAttributeNames()) {
        if (/^on/i.test(a)) handlers.push(`<${el.tagName.toLowerCase()} ${a}>`);
      }
    }
    const embeds = [...document.querySelectorAll('iframe, object, embed, frame, base, img[src="x"]')]
        .map((e) => e.outerHTML.slice(0, 80));
    return { scripts, handlers, embeds };
  });
  const foreign = dom.scripts.filter((s) => s.inline > 0 || s.src !== url('/static/app.js'));
  check(foreign.length === 0, `${name}: the only <script> is /static/app.js`,
      foreign.map((s) => s.src || `inline (${s.inline} chars)`).join(', '));
  check(dom.handlers.length === 0 && dom.embeds.length === 0,
      `${name}: no event handler attribute, iframe, object or injected img`,
      [...dom.handlers, ...dom.embeds].slice(0, 5).join(', '));
}

// keyboardSubmit PAGE DOMAIN: fills and submits the form with the keyboard.
async function keyboardSubmit(page, domain) {
  const active = () => page.evaluate(() => {
    const a = document.activeElement;
    return a ? { id: a.id, name: a.getAttribute('name'), value: a.value, type: a.type, checked: a.checked } : {};
  });
  const tabTo = async (pred, max) => {
    for (let i = 0; i < max; i++) {
      if (pred(await active())) return true;
      await page.keyboard.press('Tab');
    }
    return pred(await active());
  };
  if (!check(await tabTo((a) => a.id === 'domain', 40), 'keyboard: Tab reaches #domain')) return null;
  await page.keyboard.press('Control+A');
  await page.keyboard.type(domain);
  check((await active()).value === domain, `keyboard: typed ${domain}`);
  if (!check(await tabTo((a) => a.name === 'type', 10), 'keyboard: Tab reaches the type radio buttons')) return null;
  if (!(await active()).checked) await page.keyboard.press('Space');
  for (let i = 0; i < 4 && (await active()).value !== 'web'; i++) await page.keyboard.press('ArrowDown');
  const typ = await page.evaluate(() => (document.querySelector('input[name="type"]:checked') || {}).value);
  check(typ === 'web', 'keyboard: the arrow keys select "web"', `checked: ${typ}`);
  if (!check(await tabTo((a) => a.id === 'start', 10), 'keyboard: Tab reaches #start')) return null;
  await shot(page, 'keyboard');
  return submitted(page, () => page.keyboard.press('Enter'));
}

async function main() {
  fs.mkdirSync(outdir, { recursive: true });
  const executablePath = process.env.NETHEALTH_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) usage(`${executablePath}: no browser`);
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'], headless: true });
  try {
    const desk = await newContext(browser, { viewport: { width: 1200, height: 900 } });
    const page = await desk.newPage();
    watch(page);

    // The home page and its form.
    if (!(await visit(page, '/', 'home'))) return;
    const form = await page.evaluate(() => {
      const f = document.getElementById('test-form');
      const q = (s) => !!document.querySelector(s);
      return {
        form: !!f,
        method: f ? (f.getAttribute('method') || '').toLowerCase() : '',
        action: f ? f.getAttribute('action') : '',
        domain: q('#test-form input#domain[name="domain"]'),
        web: q('#test-form input[type="radio"][name="type"][value="web"]'),
        mail: q('#test-form input[type="radio"][name="type"][value="mail"]'),
        start: q('#test-form #start'),
        label: (() => {
          const d = document.getElementById('domain');
          return !!d && (d.labels.length > 0 || !!d.getAttribute('aria-label'));
        })(),
      };
    });
    check(form.form && form.method === 'post' && form.action === '/test',
        'home: <form id="test-form" method="post" action="/test">', JSON.stringify(form));
    check(form.domain && form.web && form.mail && form.start,
        'home: #domain, radio buttons type=web and type=mail, #start', JSON.stringify(form));
    check(form.label, 'home: #domain has a label');
    await noScriptRan(page, 'home');
    if (!(form.form && form.domain && form.start)) return;

    // good.test, keyboard only.
    const postGood = await keyboardSubmit(page, 'good.test');
    const good = await resultPage(page, desk, 'good.test', 'good.test', postGood);
    if (good && good.res) {
      check(norm(good.facts.score) === '100' && good.res.score === 100, 'good.test: score 100',
          `page ${norm(good.facts.score)}, API ${good.res.score}`);
    }
    await noScriptRan(page, 'good.test');
    await shot(page, 'result-good');

    // legacy.test, mouse, JavaScript off: the meta refresh alone.
    const nojs = await newContext(browser, { viewport: { width: 1200, height: 900 }, javaScriptEnabled: false });
    const pn = await nojs.newPage();
    watch(pn);
    let legacy = null;
    if (await visit(pn, '/', 'home-nojs')) {
      await pn.fill('#domain', 'legacy.test');
      await pn.check('input[name="type"][value="web"]');
      const postLegacy = await submitted(pn, () => pn.click('#start'));
      legacy = await resultPage(pn, nojs, 'legacy.test (no JavaScript)', 'legacy.test', postLegacy);
    }
    if (legacy && legacy.res) {
      const failed = Object.entries(legacy.res.checks).filter(([, c]) => c.status === 'failed').map(([id]) => id);
      const onPage = legacy.facts.checks.filter((c) => c.classes.includes('failed')).length;
      check(failed.length > 0 && onPage === failed.length, `legacy.test: failed checks shown (${onPage})`,
          `page ${onPage}, API ${failed.length}`);
      const missing = [];
      let opened = 0;
      for (const cid of failed) {
        const d = pn.locator(`details#check-${cid}`);
        if ((await d.count()) !== 1) {
          missing.push(`${cid}: no details`);
          continue;
        }
        const fix = catalog[cid] && catalog[cid].fix;
        if (!fix) {
          missing.push(`${cid}: not in the catalog given`);
          continue;
        }
        // The first line of the advice, as the page may wrap it.
        const want = norm(fix.split('\n')[0]).slice(0, 60);
        if (!(await d.evaluate((el) => el.open))) {
          const before = norm(await d.innerText());
          if (before.includes(want)) missing.push(`${cid}: advice visible while closed`);
          await d.locator('summary').first().click();
          opened++;
        }
        const after = norm(await d.innerText());
        if (!(await d.evaluate((el) => el.open)) || !after.includes(want)) {
          missing.push(`${cid}: "${want}" not visible`);
        }
      }
      check(missing.length === 0,
          `legacy.test: each failed check's advice ("How to fix it") is visible once its details is open (${failed.length} checks, ${opened} opened by a click)`,
          missing.slice(0, 6).join('; '));
      await shot(pn, 'result-legacy');
    }
    await nojs.close();

    // xss.test.
    if (await visit(page, '/', 'home-xss')) {
      await page.fill('#domain', 'xss.test');
      await page.check('input[name="type"][value="web"]');
      const postXss = await submitted(page, () => page.click('#start'));
      const xss = await resultPage(page, desk, 'xss.test', 'xss.test', postXss);
      await shot(page, 'result-xss');
      await noScriptRan(page, 'xss.test');
      if (xss && xss.res) {
        const text = await page.evaluate(() => document.body.textContent);
        check(text.includes('<script>'), 'xss.test: the page text holds the literal "<script>"');
        // Every check message with a payload, as text in its check.
        const lost = [];
        let n = 0;
        for (const [cid, c] of Object.entries(xss.res.checks)) {
          if (!/<script|<img/i.test(c.message || '')) continue;
          n++;
          const t = await page.locator(`details#check-${cid}`).evaluate((el) => el.textContent).catch(() => '');
          if (!norm(t).includes(norm(c.message))) lost.push(`${cid}: "${c.message.slice(0, 60)}"`);
        }
        check(n > 0 && lost.length === 0,
            `xss.test: each check message with a payload (${n}) is shown as text in its check, unchanged`,
            lost.slice(0, 5).join('; '));
        const markers = ['hsts', 'xfo', 'xcto', 'referrer', 'csp-directive', 'csp-source',
          'contact', 'policy', 'hiring', 'ack'];
        const shown = markers.filter((m) => text.includes(`alert('${m}')`));
        note(`xss.test: payloads shown as text: ${shown.join(' ') || 'none'}; not shown: ${markers.filter((m) => !shown.includes(m)).join(' ') || 'none'}`);
      }
    }

    // A hostile domain in the form: 400, #error, the payload inert.
    if (await visit(page, '/', 'home-bad')) {
      const hostile = '"><script>alert(\'domain\')</script>';
      await page.fill('#domain', hostile);
      await page.check('input[name="type"][value="web"]');
      expectedStatusErrors = [400];
      const post = await submitted(page, () => page.click('#start'));
      check(post && post.status() === 400, 'a hostile domain in the form: status 400',
          post ? `status ${post.status()}` : 'no answer');
      const e = await page.evaluate(() => {
        const el = document.getElementById('error');
        return { error: el ? el.textContent : null, domain: (document.getElementById('domain') || {}).value };
      }).catch(() => ({}));
      check(e.error && norm(e.error) !== '', 'a hostile domain: the page says why in #error', `#error: ${e.error}`);
      check(e.domain === undefined || e.domain === hostile, 'a hostile domain: the form keeps what was typed',
          `#domain value: ${e.domain}`);
      await noScriptRan(page, 'the page for a hostile domain');
      await shot(page, 'error-400');
      expectedStatusErrors = [];
    }

    // An unknown test.
    expectedStatusErrors = [404];
    if (await visit(page, '/test/no-such-test-0', 'error-404', 404)) {
      check(await page.$('#error'), '/test/<unknown>: #error says so');
    }
    expectedStatusErrors = [];

    // The other pages.
    if (await visit(page, '/halloffame', 'halloffame')) {
      const t = await page.evaluate(() => document.body.textContent);
      check(t.includes('good.test'), '/halloffame lists good.test (web score 100)');
    }
    if (await visit(page, '/standards', 'standards')) {
      check(await page.$('a[href="/standards/web_https"]'), '/standards links to /standards/web_https');
    }
    if (await visit(page, '/standards/web_https', 'standards-web_https')) {
      const t = norm(await page.evaluate(() => document.body.textContent));
      const https = Object.entries(catalog).filter(([, c]) => c.category === 'web_https');
      const absent = https.filter(([, c]) => !t.includes(norm(c.title))).map(([id]) => id);
      check(https.length > 0 && absent.length === 0,
          `/standards/web_https names each of its ${https.length} checks by title`, absent.join(' '));
    }
    await visit(page, '/rounds', 'rounds');

    // A phone.
    const phone = await newContext(browser, {
      viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    });
    const pp = await phone.newPage();
    watch(pp);
    const phonePages = [['/', 'phone-home']];
    if (good && good.id) phonePages.push([`/test/${encodeURIComponent(good.id)}`, 'phone-result-good']);
    if (legacy && legacy.id) phonePages.push([`/test/${encodeURIComponent(legacy.id)}`, 'phone-result-legacy']);
    phonePages.push(['/standards/web_https', 'phone-standards-web_https']);
    for (const [p, name] of phonePages) {
      try {
        await pp.goto(url(p), { waitUntil: 'load', timeout: 30000 });
      } catch (e) {
        check(false, `phone: ${p} loads`, e.message);
        continue;
      }
      const f = await pageFacts(pp);
      check(f.innerWidth === 360, `phone: ${p} lays out at the device's width (meta viewport)`,
          `layout width ${f.innerWidth}, meta viewport "${f.viewportMeta}"`);
      check(f.scrollWidth <= f.innerWidth + 1, `phone: ${p} has no horizontal scrolling`,
          `scroll width ${f.scrollWidth} > ${f.innerWidth}`);
      await shot(pp, name);
    }
    await phone.close();
  } finally {
    check(consoleErrors.length === 0, 'no console errors on any page', consoleErrors.slice(0, 5).join(' | '));
    check(pageErrors.length === 0, 'no page errors on any page', pageErrors.slice(0, 5).join(' | '));
    check(dialogs.length === 0, 'no dialog opened on any page', dialogs.join(' | '));
    check(outside.size === 0, `no request outside ${origin}`, [...outside].slice(0, 5).join(' '));
    check(shots > 0, `screenshots of the pages visited: ${outdir}/serve-*.png (${shots})`);
    await browser.close();
  }
}

main()
  .catch((e) => check(false, 'the browser test ran to its end', e && e.stack))
  .finally(() => {
    let failed = 0;
    for (const r of results) {
      if (r.note) {
        console.log(`# ${r.note}`);
        continue;
      }
      if (!r.ok) failed++;
      console.log(`${r.ok ? 'ok' : 'not ok'} - ${r.name}`);
      if (!r.ok && r.detail) console.log(`# ${String(r.detail).replace(/\n/g, ' ')}`);
    }
    console.log(`# browser: ${results.filter((r) => !r.note).length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
