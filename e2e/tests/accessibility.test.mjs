// Every page a person can reach, for several roles, passes axe-core with no
// violations; each is kept as a screenshot. Pages are found by following
// links from the home page, so a new page is checked without listing it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, signIn, axeViolations, screenshot } from './helpers.mjs'

const PERSONAS = [
  ['admin', 'admin@demo.useit.example'],
  ['manager', 'manager@demo.useit.example'],
  ['adviser', 'adviser@demo.useit.example'],
  ['funder', 'funder@demo.useit.example']
]

function crawlable (href) {
  const u = new URL(href, BASE)
  return u.origin === new URL(BASE).origin &&
    !u.pathname.startsWith('/static') && !u.pathname.startsWith('/api') &&
    !u.pathname.endsWith('.csv') && !u.pathname.endsWith('.json') && !u.pathname.endsWith('.svg') && !u.pathname.startsWith('/sign-')
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

async function check (page, label, failures) {
  const v = await axeViolations(page)
  await screenshot(page, label)
  if (v.length) failures.push(`${label} ${page.url()}\n  ${v.join('\n  ')}`)
  await fits(page, label, failures)
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
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
      await signIn(page, email)
      const queue = [page.url()]
      while (queue.length && seen.size < 60) {
        const url = queue.shift()
        if (seen.has(key(url))) continue
        seen.add(key(url))
        const res = await page.goto(url)
        assert.ok(res.status() < 500, `${url} answered ${res.status()}`)
        await check(page, `${who}${new URL(url).pathname}`, failures)
        // Links inside SVG maps have an SVGAnimatedString href, so resolve the attribute.
        for (const href of await page.$$eval('a[href]', as => as.map(a => new URL(a.getAttribute('href'), location.href).href))) {
          if (crawlable(href) && !seen.has(key(href))) queue.push(href)
        }
      }
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
