// Communities and their CED plans in a real browser (the forms are plain
// posts, as crates/web/tests/api/community.rs drives them without a script),
// at a desktop and a phone width: the list shows each plan's status and progress; the
// demo's community member edits Soho and Victoria's plan through the plain
// forms and is refused Ladywood's; the printable plan hides the page's
// menus. Every page passes axe-core; screenshots at 1280 and 375 px.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, signIn, axeViolations, screenshot } from './helpers.mjs'

const P = '/p/west-birmingham-smethwick'

test('a community member edits their own plan and only theirs', async () => {
  const browser = await launch()
  try {
    for (const width of [1280, 375]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } })
      const page = await context.newPage()
      await signIn(page, 'community@demo.useit.example')
      await page.goto(BASE + P + '/communities')
      const list = await page.textContent('main')
      assert.match(list, /Soho and Victoria/)
      assert.match(list, /In delivery, adopted on/)
      assert.match(list, /2 of 4 actions done \(50%\)/)
      assert.match(list, /Not known: the plan has no actions yet/)
      assert.deepEqual(await axeViolations(page), [])
      await screenshot(page, `communities-list-${width}`)
      const noScroll = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)
      assert.ok(noScroll, `the list fits ${width} px`)

      await page.click('text=Soho and Victoria')
      assert.match(await page.textContent('main'), /Edit the plan/)
      assert.deepEqual(await axeViolations(page), [])
      await screenshot(page, `community-page-${width}`)
      const soho = page.url()

      await page.goto(soho + '/plan')
      assert.deepEqual(await axeViolations(page), [])
      await screenshot(page, `community-plan-form-${width}`)

      await page.goto(soho + '/print')
      await page.emulateMedia({ media: 'print' })
      assert.equal(await page.isVisible('.govuk-service-navigation'), false)
      await screenshot(page, `community-print-${width}`)
      await page.emulateMedia({ media: 'screen' })

      // Ladywood: readable, but its plan is not theirs to edit.
      await page.goto(BASE + P + '/communities')
      await page.click('text=Ladywood')
      assert.doesNotMatch(await page.textContent('main'), /Edit the plan/)
      const res = await page.goto(page.url() + '/plan')
      assert.equal(res.status(), 403)
      await context.close()
    }

    // The manager's community form and member list.
    for (const width of [1280, 375]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } })
      const page = await context.newPage()
      await signIn(page, 'manager@demo.useit.example')
      await page.goto(BASE + P + '/communities')
      await screenshot(page, `communities-list-manager-${width}`)
      await page.click('text=Soho and Victoria')
      await page.goto(page.url() + '/edit')
      assert.match(await page.textContent('main'), /Rosa Delgado/)
      assert.deepEqual(await axeViolations(page), [])
      await screenshot(page, `community-edit-${width}`)
      await context.close()
    }
  } finally {
    await browser.close()
  }
})
