// Every page a person can reach, for each of the nine demo roles, passes
// axe-core with no violations and fits a 375 px phone; each is kept as a
// screenshot. Pages are found by following links from the home page, so a
// new page is checked without listing it. Each role's pages are then read
// again with JavaScript switched off: they must still answer, fit, pass
// axe and, where their module has a help page, link to it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, signIn, axeViolations, screenshot } from './helpers.mjs'

// The nine demo roles (crates/cli/src/demo.rs); `E2E_ROLES=admin,funder`
// checks only those (scripts/test does so on its second database, where
// the markup is the same and only the storage differs).
const ALL_PERSONAS = [
  ['admin', 'admin@demo.useit.example'],
  ['manager', 'manager@demo.useit.example'],
  ['analyst', 'analyst@demo.useit.example'],
  ['caseworker', 'caseworker@demo.useit.example'],
  ['adviser', 'adviser@demo.useit.example'],
  ['research', 'research@demo.useit.example'],
  ['researcher', 'researcher@demo.useit.example'],
  ['community', 'community@demo.useit.example'],
  ['funder', 'funder@demo.useit.example']
]
const PERSONAS = process.env.E2E_ROLES
  ? ALL_PERSONAS.filter(([who]) => process.env.E2E_ROLES.split(',').includes(who))
  : ALL_PERSONAS
/** `E2E_NO_JS=0` leaves out the second reading without JavaScript. */
const NO_JS = process.env.E2E_NO_JS !== '0'

/** At most this many distinct pages per role: enough for every kind of
 * page each role reaches, short enough to keep the run to minutes. */
const MAX_PAGES = 60

/** The pages already checked with axe as served without JavaScript, by
 * `key`: the markup a page's template gives differs between roles only in
 * its data, so each kind of page is checked once, by the first role that
 * reaches it, to keep the run to minutes. */
const axedWithoutScripts = new Set()

/** Files offered for download, not pages. */
const DOWNLOADS = /\.(csv|json|svg|pdf|xlsx|xls|zip|geojson|parquet|txt|ods)$/

function crawlable (href) {
  const u = new URL(href, BASE)
  return u.origin === new URL(BASE).origin &&
    !u.pathname.startsWith('/static') && !u.pathname.startsWith('/api') &&
    !DOWNLOADS.test(u.pathname) && !u.pathname.startsWith('/sign-')
}

/** A page's address without the parts that only repeat the same page. */
function key (href) {
  const u = new URL(href, BASE)
  u.hash = ''
  for (const p of ['page', 'sort', 'dir', 'q', 'from', 'to', 'action', 'subject_type', 'status', 'decile', 'version', 'ward', 'local_authority',
    'anchor', 'influenceable', 'local', 'local_is', 'end', 'deprived', 'social', 'supplier', 'expense_type', 'month']) u.searchParams.delete(p)
  return u.pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
    .replace(/\/areas\/[A-Z][0-9A-Z]+$/, '/areas/:code')
    .replace(/\/suppliers\/[^/]+$/, '/suppliers/:key')
    .replace(/\/anchors\/[^/]+\/edit$/, '/anchors/:slug/edit') + u.search
}

async function check (page, label, failures, { shot = true } = {}) {
  const v = await axeViolations(page)
  if (shot) await screenshot(page, label)
  if (v.length) failures.push(`${label} ${page.url()}\n  ${v.join('\n  ')}`)
  await fits(page, label, failures)
}

/** axe-core over a page as a browser without JavaScript shows it. A
 * context with JavaScript off runs no timers, so axe (which needs them)
 * runs in `page` over the same document with its scripts taken out. */
async function axeAsServed (page, url, html) {
  const served = html.replace(/<script\b[\s\S]*?<\/script>/gi, '')
  const same = u => u.href === url
  await page.route(same, route => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: served }))
  try {
    await page.goto(url)
  } finally {
    await page.unroute(same)
  }
  return axeViolations(page)
}

/** A programme page whose module has a help page links to it. */
async function helpLinked (page, label, failures) {
  const u = new URL(page.url())
  // The deployment's own pages link the administrators' help topic.
  if (/^\/admin(\/|$)/.test(u.pathname) && !u.pathname.startsWith('/admin/help')) {
    const helps = await page.$$eval('.app-help-link a', as => as.map(a => a.getAttribute('href')))
    if (!helps.includes('/admin/help')) failures.push(`${label} ${page.url()}\n  has no help link to /admin/help`)
    return
  }
  const m = u.pathname.match(/^\/p\/[^/]+(\/.*)?$/)
  if (!m || (m[1] || '').startsWith('/help')) return
  const current = await page.$$eval('.govuk-service-navigation__item--active a', as => as.map(a => a.getAttribute('href')))
  const helps = await page.$$eval('.app-help-link a', as => as.map(a => a.getAttribute('href')))
  if (current.length && !helps.length) {
    failures.push(`${label} ${page.url()}\n  has no help link (its module: ${current.join(', ')})`)
  }
}

/** The page fits a 375 px phone and a 1280 px screen without scrolling
 * sideways: wide tables scroll inside their own box, long words wrap. */
async function fits (page, label, failures) {
  const before = page.viewportSize()
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 800 })
    const wide = await page.evaluate(() => document.documentElement.scrollWidth)
    if (wide > width) failures.push(`${label} ${page.url()}\n  is ${wide} px wide at ${width} px`)
  }
  if (before) await page.setViewportSize(before)
}

test('signed-out pages pass axe', async () => {
  const browser = await launch()
  const failures = []
  try {
    const page = await browser.newPage()
    for (const p of ['/sign-in', '/about', '/no-such-page']) {
      await page.goto(BASE + p)
      await check(page, `anonymous${p}`, failures)
    }
    await page.goto(BASE + '/sign-in')
    await page.click('button[type=submit]')
    await check(page, 'anonymous-sign-in-errors', failures)
  } finally {
    await browser.close()
  }
  assert.deepEqual(failures, [])
})

for (const [who, email] of PERSONAS) {
  test(`every page ${who} can reach passes axe`, async () => {
    const browser = await launch()
    const failures = []
    const seen = new Set()
    const visited = []
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, email)
      const queue = [[page.url(), null]]
      while (queue.length && seen.size < MAX_PAGES) {
        const [url, from] = queue.shift()
        if (seen.has(key(url))) continue
        seen.add(key(url))
        const res = await page.goto(url)
        assert.ok(res.status() < 500, `${url} answered ${res.status()}`)
        // A link shown to this role leads somewhere it may go: navigation
        // lists only what works (no missing page, no refusal).
        if (from && (res.status() === 404 || res.status() === 403)) {
          failures.push(`${who} ${from}\n  links to ${url}, which answers ${res.status()}`)
          continue
        }
        visited.push(url)
        await check(page, `${who}${new URL(url).pathname}`, failures)
        await helpLinked(page, who, failures)
        // Links inside SVG maps have an SVGAnimatedString href, so resolve
        // the attribute; a link that downloads a file is not a page.
        for (const href of await page.$$eval('a[href]:not([download])', as => as.map(a => new URL(a.getAttribute('href'), location.href).href))) {
          if (crawlable(href) && !seen.has(key(href))) queue.push([href, url])
        }
      }
      // The same pages with JavaScript switched off: every page works
      // without it (forms post, nothing hidden behind a script), fits a
      // phone and passes axe as served.
      const plain = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } })
      const nojs = await plain.newPage()
      await signIn(nojs, email)
      for (const url of NO_JS ? visited : []) {
        const res = await nojs.goto(url)
        assert.ok(res.status() < 500, `${url} without JavaScript answered ${res.status()}`)
        const label = `${who}-nojs${new URL(url).pathname}`
        const wide = await nojs.evaluate(() => document.documentElement.scrollWidth)
        if (wide > 375) failures.push(`${label} ${url}\n  is ${wide} px wide at 375 px without JavaScript`)
        await helpLinked(nojs, label, failures)
        if (!axedWithoutScripts.has(key(url))) {
          axedWithoutScripts.add(key(url))
          const v = await axeAsServed(page, nojs.url(), await nojs.content())
          if (v.length) failures.push(`${label} ${url}\n  ${v.join('\n  ')}`)
        }
      }
      await plain.close()
      // Forms in their error state are pages too.
      if (who === 'admin' || who === 'manager') {
        for (const path of ['/p/west-birmingham-smethwick/partners/new', '/account']) {
          await page.goto(BASE + path)
          await page.click('main form button[type=submit] >> nth=0')
          await check(page, `${who}${path}-errors`, failures)
        }
        await page.goto(BASE + '/p/west-birmingham-smethwick/place/area-of-benefit/edit')
        await page.fill('#radius_postcode_2', 'B66 OQT')
        await page.fill('#radius_km_2', 'far')
        await page.click('main form button[value=save]')
        assert.equal(await page.locator('.govuk-error-summary').count(), 1)
        await check(page, `${who}-area-of-benefit-errors`, failures)
        await page.goto(BASE + '/p/west-birmingham-smethwick/place/postcode?postcode=B66+OQT')
        await check(page, `${who}-postcode-errors`, failures)
      }
    } finally {
      await browser.close()
    }
    assert.ok(seen.size >= 5, `only ${seen.size} pages found for ${who}`)
    assert.deepEqual(failures, [], `${failures.length} pages with violations`)
  })
}
