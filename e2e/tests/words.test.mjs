// Every page each of the nine demo roles can reach speaks in words, not
// codes (issue 15 item 2): no snake_case identifier or enum slug, no
// "system:demo" actor, no bare id, no postcode without its space, no
// "1 errors", no count of ten thousand or more without its separators and
// no time without its UK zone. Codes a specialist reads are inside <code>
// (or a `data-` attribute), which this test skips; everything else a person
// reads — text, and the labels of images, links and buttons — is checked.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, signIn } from './helpers.mjs'

const ROLES = ['admin', 'manager', 'analyst', 'caseworker', 'adviser', 'research', 'researcher', 'community', 'funder']
  .filter(who => !process.env.E2E_ROLES || process.env.E2E_ROLES.split(',').includes(who))
const PAGES_PER_ROLE = Number(process.env.WORDS_PAGES || 90)

/** What a code looks like, each with the reason a person would stumble. */
const CODES = [
  ['a snake_case identifier', /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g],
  ['an actor id', /\b(?:system|console|user|token):[a-z0-9_-]+/g],
  ['a bare id', /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g],
  ['a postcode without its space', /\b[A-Z]{1,2}[0-9][0-9A-Z]?[0-9][A-Z]{2}\b/g],
  ['a plural after one', /(?<![\d.,])\b1 (?:errors|warnings|lines|files|people|suppliers|rows|records|pages|areas|anchors|results|matches|notes|hours|days|weeks|months|years|items|entries|steps|organisations|partners|members|researchers|vacancies|posts|placements|barriers|enterprises|workshops)\b/g],
  // A phone number ("07700 900123") is not a count: numbers that start with
  // 0, and the number after one, are left alone. Nor is an all-digit area
  // code in brackets beside its name ("Lille Centre 4 (593500104)": INSEE's
  // IRIS codes are digits only).
  ['a count without thousands separators', /(?<![\d,.\w£/:#-]|\b0\d{3,4} |\((?=\d{5,}\)))(?!0)\d{5,}(?![\d,.\w%-])/g],
  ['a date not in day month year', /\b\d{4}-\d{2}-\d{2}\b/g],
  ['a time without its UK zone', /\b\d{1,2}:\d{2}(?::\d{2})?(?:am|pm)?(?! ?(?:GMT|BST))\b/g]
]

/**
 * The narrow exceptions, each with why a person still reads it as words.
 * Anything matched here is a name someone else chose, not one of ours.
 */
const ALLOWED = [
  // Sample e-mail addresses (the demo sign-ins) are addresses, not codes.
  /^[a-z0-9._-]+@[a-z0-9.-]+$/,
  // INSEE's IRIS codes for Lille (commune 59350) are nine digits: the areas
  // table shows one in its code column, beside the area's name.
  /^\(?59350\d{4}\)?,?$/
]

/** A date written the way a form wants it typed ("For example, 2026-12-01",
 * in a French programme "Par exemple, 2026-12-01") teaches the format: it is
 * an example to copy, not a date to read. */
const EXAMPLE = /(?:example,?|exemple,?|like|can be|e\.g\.|\d or|\d ou)\s*$/i

function crawlable (href) {
  const u = new URL(href, BASE)
  return u.origin === new URL(BASE).origin &&
    !u.pathname.startsWith('/static') && !u.pathname.startsWith('/api') &&
    !/\.(csv|json|svg|pdf|xlsx|xls|zip|geojson|parquet|txt|ods)$/.test(u.pathname) &&
    !u.pathname.startsWith('/sign-') && !u.pathname.endsWith('/export')
}

/** A page's address without the parts that only repeat the same page. */
function key (href) {
  const u = new URL(href, BASE)
  u.hash = ''
  for (const p of ['page', 'sort', 'dir', 'q', 'from', 'to', 'status', 'decile', 'version', 'ward', 'local_authority',
    'anchor', 'influenceable', 'local', 'local_is', 'end', 'deprived', 'social', 'supplier', 'expense_type', 'month', 'subject_type']) u.searchParams.delete(p)
  return u.pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
    .replace(/\/areas\/[A-Z][0-9A-Z]+$/, '/areas/:code')
    .replace(/\/suppliers\/[^/]+$/, '/suppliers/:key')
    .replace(/\/anchors\/[^/]+\/edit$/, '/anchors/:slug/edit') + u.search
}

/** The text a person reads on the page, each piece once, outside <code>. */
function readable () {
  // <textarea> holds what the person typed (influenceable-spend rules in
  // the form they are edited, with the same rules in words beside them).
  const skip = 'code, pre, kbd, samp, script, style, noscript, template, textarea, [hidden]'
  const out = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && !n.parentElement.closest(skip) && n.textContent.trim()) out.push(n.textContent.trim())
  }
  for (const el of document.body.querySelectorAll('[aria-label], [title], img[alt]')) {
    if (el.closest(skip)) continue
    for (const a of ['aria-label', 'title', 'alt']) if (el.getAttribute(a)) out.push(el.getAttribute(a))
  }
  out.push(document.title)
  return out
}

export function codesIn (texts) {
  const found = []
  for (const text of texts) {
    for (const [why, re] of CODES) {
      for (const m of text.matchAll(re)) {
        const word = text.slice(Math.max(0, m.index - 40), m.index + m[0].length + 40)
        const token = text.slice(0, m.index).split(/\s/).pop() + m[0] + text.slice(m.index + m[0].length).split(/\s/)[0]
        if (ALLOWED.some(a => a.test(token))) continue
        if ((why.startsWith('a date') || why.startsWith('a time')) && EXAMPLE.test(text.slice(Math.max(0, m.index - 20), m.index))) continue
        found.push(`${why}: "${m[0]}" in "…${word.replace(/\s+/g, ' ')}…"`)
      }
    }
  }
  return found
}

for (const who of ROLES) {
  test(`every page ${who} can reach speaks in words`, async () => {
    const browser = await launch()
    const failures = []
    const seen = new Set()
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, `${who}@demo.useit.example`)
      const queue = [page.url()]
      while (queue.length && seen.size < PAGES_PER_ROLE) {
        const url = queue.shift()
        if (seen.has(key(url))) continue
        seen.add(key(url))
        const res = await page.goto(url)
        if (!res || !(res.headers()['content-type'] || '').startsWith('text/html')) continue
        const found = [...new Set(codesIn(await page.evaluate(readable)))]
        if (found.length) failures.push(`${new URL(url).pathname}${new URL(url).search}\n  ${found.slice(0, 60).join('\n  ')}`)
        for (const href of await page.$$eval('a[href]', as => as.map(a => new URL(a.getAttribute('href'), location.href).href))) {
          if (crawlable(href) && !seen.has(key(href))) queue.push(href)
        }
      }
    } finally {
      await browser.close()
    }
    assert.ok(seen.size >= 3, `only ${seen.size} pages found for ${who}`)
    assert.deepEqual(failures, [], `${failures.length} pages show codes:\n${failures.join('\n')}`)
  })
}
