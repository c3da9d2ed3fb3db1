// A person signs in, adds a partner, sees it listed and signs out: with
// JavaScript and without it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, signIn, signOut, screenshot } from './helpers.mjs'

for (const javaScriptEnabled of [true, false]) {
  test(`add a partner and see it listed (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
    const browser = await launch()
    try {
      const page = await (await browser.newContext({ javaScriptEnabled })).newPage()
      await signIn(page, 'manager@demo.useit.example')
      // The manager works in two programmes, so chooses one first.
      assert.match(page.url(), /\/programmes$/)
      await page.click('text=West Birmingham & Smethwick')
      assert.match(page.url(), /\/p\/west-birmingham-smethwick$/)
      await page.click('text=Partners')
      await page.click('text=Add a partner')
      // Submitting an empty form shows every problem and keeps nothing.
      await page.click('button:has-text("Save")')
      assert.equal(await page.locator('.govuk-error-summary').count(), 1)
      assert.match(await page.title(), /^Error: /)
      await screenshot(page, `flow-errors-js-${javaScriptEnabled}`)
      const name = `Winson Green Allotment Society ${javaScriptEnabled ? 'A' : 'B'}`
      await page.fill('#name', name)
      await page.selectOption('#kind', 'vcse')
      await page.fill('#postcode', 'b18 4hs')
      await page.fill('#joined_on_day', '12')
      await page.fill('#joined_on_month', '3')
      await page.fill('#joined_on_year', '2019')
      await page.fill('#contact_name', 'Zofia Nowicki')
      await page.click('button:has-text("Save")')
      await page.waitForLoadState()
      assert.equal(await page.locator('.govuk-notification-banner--success').count(), 1)
      assert.ok((await page.textContent('main')).includes('B18 4HS'))
      await screenshot(page, `flow-added-js-${javaScriptEnabled}`)
      await page.goto(BASE + '/p/west-birmingham-smethwick/partners?q=allotment')
      assert.ok((await page.textContent('table')).includes(name))
      await signOut(page)
      assert.match(page.url(), /\/sign-in\?signed_out=1$/)
      await page.goto(BASE + '/p/west-birmingham-smethwick/partners')
      assert.match(page.url(), /\/sign-in\?next=/, 'signed out means signed out')
    } finally {
      await browser.close()
    }
  })
}
