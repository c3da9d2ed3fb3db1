// An organiser opens a guest link for the demo's workshop; a participant
// with no account, on a 375 px phone without JavaScript, adds a note
// through it; the guest page, the workshop, its synthesis, its summary and
// the lineage pass axe.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, signIn, axeViolations, screenshot } from './helpers.mjs'

const P = BASE + '/p/west-birmingham-smethwick/workshops'

test('a guest adds a note from a phone without JavaScript', async () => {
  const browser = await launch()
  const failures = []
  const check = async (page, label) => {
    const v = await axeViolations(page)
    await screenshot(page, label)
    if (v.length) failures.push(`${label} ${page.url()}\n  ${v.join('\n  ')}`)
  }
  try {
    const organiser = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage()
    await signIn(organiser, 'manager@demo.useit.example')
    await organiser.goto(P)
    await check(organiser, 'manager-workshops')
    await organiser.click('main table a')
    const workshop = organiser.url()
    await check(organiser, 'manager-workshop')
    await organiser.selectOption('#hours', '2')
    await organiser.click('form[action$="/links"] button[type=submit]')
    const url = (await organiser.locator('.app-guest-url code').textContent()).trim()
    assert.match(url, /\/guest\/workshops\/useit_guest_[0-9a-f]+$/)
    for (const p of ['/synthesis', '/summary']) {
      await organiser.goto(workshop + p)
      await check(organiser, `manager-workshop${p}`)
    }
    await organiser.goto(P + '/lineage')
    await check(organiser, 'manager-workshops-lineage')
    // The demo's hand-typed lineage (four programmes) and the two cities
    // started from this programme's model (Glasgow, Lille).
    assert.equal(await organiser.locator('main svg circle').count(), 6)

    const phone = await (await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 740 } })).newPage()
    const path = new URL(url).pathname
    const res = await phone.goto(BASE + path)
    assert.equal(res.status(), 200)
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 375), 'fits 375 px')
    await screenshot(phone, 'guest-note-375')
    await phone.selectOption('#table', '3')
    await phone.selectOption('#round', '2')
    await phone.fill('#text', 'A hospital outpatient site could host the community research training')
    await phone.fill('#city', 'Lille')
    await phone.click('main form button[type=submit]')
    assert.ok(phone.url().endsWith('?added=yes'))
    assert.equal(await phone.locator('.govuk-panel--confirmation').count(), 1)
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 375), 'fits 375 px after adding')
    await phone.click('main form button[type=submit]')
    assert.equal(await phone.locator('.govuk-error-summary').count(), 1)
    await screenshot(phone, 'guest-note-375-errors')

    // The same page with JavaScript, for axe.
    const guest = await (await browser.newContext({ viewport: { width: 375, height: 740 } })).newPage()
    await guest.goto(BASE + path)
    await check(guest, 'guest-note')
    await organiser.goto(workshop)
    assert.ok((await organiser.locator('#harvest ~ ul').allTextContents()).join(' ').includes('outpatient site') ||
      (await organiser.content()).includes('A hospital outpatient site could host'))
  } finally {
    await browser.close()
  }
  assert.deepEqual(failures, [])
})
