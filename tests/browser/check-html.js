#!/usr/bin/env node
// check-html.js: opens one of nethealth's HTML reports in Debian's chromium
// (through playwright-core, offline) and checks that it is self-contained
// and sound: no console error, no page error, no request but the file
// itself (data: URLs allowed), no attribute or style pointing outside, the
// basics of accessibility (lang, a title, headings, table headers, a text
// alternative for every chart), and that it prints. Writes a full-page
// screenshot and prints TAP ("ok - ...", "not ok - ...").
//
// Usage: check-html.js FILE SCREENSHOT.png
// Environment: NETHEALTH_CHROMIUM, the browser (default /usr/bin/chromium).
// Exit: 0 every check passed, 1 some failed, 2 bad usage or no browser.
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL } = require('url');

function usage(msg) {
  if (msg) process.stderr.write(`check-html.js: ${msg}\n`);
  process.stderr.write('Usage: check-html.js FILE SCREENSHOT.png\n');
  process.exit(2);
}

const [file, shot] = process.argv.slice(2);
if (!file || !shot || process.argv.length > 4) usage();
if (!fs.existsSync(file)) usage(`${file}: no such file`);

let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  usage('playwright-core is missing: run tests/browser/install');
}

const fileUrl = pathToFileURL(path.resolve(file)).href;
const results = [];

function check(ok, name, detail) {
  results.push({ ok: !!ok, name, detail });
}

// The URL of the page itself, without a fragment (#gaps).
function isSelf(url) {
  return url.split('#')[0] === fileUrl;
}

async function main() {
  const executablePath = process.env.NETHEALTH_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) usage(`${executablePath}: no browser`);

  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox'],
    headless: true,
  });
  const consoleErrors = [];
  const pageErrors = [];
  const outside = new Set();
  try {
    const context = await browser.newContext({
      viewport: { width: 1200, height: 900 },
      javaScriptEnabled: true, // to see a script that should not be there
    });
    // Any request that is not the file itself, or data:, is refused and
    // recorded. Routing sees http(s) and the like; the request event sees
    // file: and the rest.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (isSelf(url) || url.startsWith('data:')) return route.continue();
      outside.add(url);
      return route.abort();
    });
    context.on('request', (req) => {
      const url = req.url();
      if (!isSelf(url) && !url.startsWith('data:')) outside.add(url);
    });
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('websocket', (ws) => outside.add(ws.url()));

    let loaded = false;
    try {
      const resp = await page.goto(fileUrl, { waitUntil: 'load', timeout: 30000 });
      loaded = resp === null || resp.ok();
    } catch (e) {
      check(false, 'page loads', e.message);
    }
    if (loaded) check(true, 'page loads');
    await page.waitForTimeout(300); // late console messages

    const facts = await page.evaluate(() => {
      const out = {};
      const html = document.documentElement;
      out.lang = html.getAttribute('lang') || '';
      out.title = document.title;
      out.h1 = document.querySelectorAll('h1').length;
      out.h2 = document.querySelectorAll('h2').length;
      out.scripts = document.querySelectorAll('script').length;
      out.handlers = [];
      out.external = [];
      const urlAttrs = ['src', 'href', 'srcset', 'action', 'formaction',
        'poster', 'data', 'background', 'xlink:href', 'ping'];
      for (const el of document.querySelectorAll('*')) {
        for (const attr of el.getAttributeNames()) {
          const v = el.getAttribute(attr) || '';
          if (attr.startsWith('on')) out.handlers.push(`${el.tagName} ${attr}`);
          if (urlAttrs.includes(attr.toLowerCase()) && !v.startsWith('#') &&
              !v.startsWith('data:'))
            out.external.push(`${el.tagName} ${attr}="${v}"`);
          if (attr === 'style' && /url\s*\(/i.test(v))
            out.external.push(`${el.tagName} style url()`);
        }
      }
      for (const st of document.querySelectorAll('style')) {
        if (/url\s*\(|@import/i.test(st.textContent))
          out.external.push('a <style> with url() or @import');
      }
      out.embeds = document.querySelectorAll(
          'img, iframe, object, embed, link, video, audio, source, base').length;
      // Tables: every table has header cells.
      out.tablesWithoutTh = [...document.querySelectorAll('table')]
          .filter((t) => t.querySelectorAll('th').length === 0).length;
      out.tables = document.querySelectorAll('table').length;
      // Charts: each svg is hidden from assistive technology (a decoration
      // beside its numbers) or has a <title> and role="img".
      const svgs = [...document.querySelectorAll('svg')];
      out.svgs = svgs.length;
      out.chartsWithoutText = svgs.filter((s) => {
        if (s.getAttribute('aria-hidden') === 'true') return false;
        const t = s.querySelector(':scope > title');
        return !(t && t.textContent.trim() && s.getAttribute('role') === 'img');
      }).length;
      out.charts = svgs.filter((s) => s.getAttribute('role') === 'img').length;
      // Heading levels never skip (h2 after h1, h3 after h2, ...).
      let last = 0;
      out.headingSkips = 0;
      for (const h of document.querySelectorAll('h1,h2,h3,h4,h5,h6')) {
        const lvl = Number(h.tagName[1]);
        if (lvl > last + 1) out.headingSkips++;
        last = lvl;
      }
      out.width = document.documentElement.scrollWidth;
      return out;
    });

    check(consoleErrors.length === 0, 'no console errors', consoleErrors.join(' | '));
    check(pageErrors.length === 0, 'no page errors', pageErrors.join(' | '));
    check(outside.size === 0, 'no request but the file itself', [...outside].join(' '));
    check(facts.external.length === 0, 'no attribute or style points outside',
        facts.external.slice(0, 5).join('; '));
    check(facts.embeds === 0, 'no embedded resource element (img, iframe, link, ...)');
    check(facts.scripts === 0 && facts.handlers.length === 0,
        'no script element and no event handler attribute',
        `${facts.scripts} scripts; ${facts.handlers.slice(0, 5).join(', ')}`);
    check(/^[a-z]{2}/.test(facts.lang), 'the page says its language', `lang="${facts.lang}"`);
    check(facts.title.trim().length > 0, 'the page has a title');
    check(facts.h1 === 1 && facts.h2 > 0, 'one h1 and sections with h2',
        `${facts.h1} h1, ${facts.h2} h2`);
    check(facts.headingSkips === 0, 'heading levels do not skip', `${facts.headingSkips} skips`);
    check(facts.tablesWithoutTh === 0, 'every table has header cells',
        `${facts.tablesWithoutTh} of ${facts.tables} without`);
    check(facts.chartsWithoutText === 0, 'every chart has a text alternative',
        `${facts.chartsWithoutText} of ${facts.svgs} svg without <title>/role`);
    check(facts.width <= 1200 + 1, 'no horizontal scrolling at 1200 px',
        `scroll width ${facts.width}`);

    try {
      await page.screenshot({ path: shot, fullPage: true });
      check(fs.statSync(shot).size > 0, `screenshot written to ${shot}`);
    } catch (e) {
      check(false, `screenshot written to ${shot}`, e.message);
    }
    try {
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      check(pdf.length > 1000, 'prints (A4 PDF)', `${pdf.length} bytes`);
    } catch (e) {
      check(false, 'prints (A4 PDF)', e.message);
    }
    // Anything that happened while printing counts too.
    check(consoleErrors.length === 0 && pageErrors.length === 0 && outside.size === 0,
        'still no error or request after printing',
        [...consoleErrors, ...pageErrors, ...outside].join(' | '));
  } finally {
    await browser.close();
  }
}

main()
  .catch((e) => check(false, 'the browser ran', e && e.message))
  .finally(() => {
    let failed = 0;
    console.log(`1..${results.length}`);
    for (const r of results) {
      if (!r.ok) failed++;
      console.log(`${r.ok ? 'ok' : 'not ok'} - ${r.name}`);
      if (!r.ok && r.detail) console.log(`# ${String(r.detail).replace(/\n/g, ' ')}`);
    }
    console.log(`# ${results.length - failed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
  });
