// A caseworker adds a resident with an overseas qualification, records an
// English result and sees the next step computed, with JavaScript and
// without; every talent page, with its forms in their error state, passes
// axe (which needs JavaScript to run).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, signIn, axeViolations, screenshot } from './helpers.mjs'

const P = BASE + '/p/west-birmingham-smethwick/talent'

for (const javaScriptEnabled of [true, false]) test(`a caseworker records a pathway (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
  const browser = await launch()
  const failures = []
  const check = async (page, label) => {
    if (!javaScriptEnabled) return
    const v = await axeViolations(page)
    await screenshot(page, label)
    if (v.length) failures.push(`${label} ${page.url()}\n  ${v.join('\n  ')}`)
  }
  try {
    const page = await (await browser.newContext({ javaScriptEnabled, viewport: { width: 1280, height: 900 } })).newPage()
    await signIn(page, 'caseworker@demo.useit.example')
    for (const p of ['', '/people', '/pathways', '/vacancies', '/matching', '/people/import']) {
      const res = await page.goto(P + p)
      assert.equal(res.status(), 200, p)
      await check(page, `caseworker-talent${p}`)
    }
    // The caseworker's list holds only their caseload, which the demo fills.
    await page.goto(P + '/people')
    assert.ok(await page.locator('main table tbody tr').count() > 0)
    await page.goto(P + '/people/new')
    await page.fill('#full_name', '')
    await page.click('main form button[type=submit]')
    assert.equal(await page.locator('.govuk-error-summary').count(), 1)
    await check(page, 'caseworker-talent-person-errors')
    await page.fill('#full_name', `Nour Al-Khatib ${javaScriptEnabled ? 'A' : 'B'}`)
    await page.selectOption('#profession', 'doctor')
    await page.fill('#qualification_country', 'Syria')
    await page.fill('#postcode', 'b66 2qt')
    await page.selectOption('#right_to_work', 'yes')
    await page.click('main form button[type=submit]')
    await page.waitForLoadState()
    assert.equal(await page.locator('.govuk-notification-banner--success').count(), 1)
    assert.ok((await page.textContent('main')).includes('B66 2QT'))
    // An English result that meets the GMC thresholds makes PLAB 1 the next step.
    await page.selectOption('#test', 'ielts')
    await page.fill('#taken_on', '2026-10-01')
    await page.fill('#overall', '7.5')
    await page.fill('#listening', '7.5')
    await page.fill('#reading', '7')
    await page.fill('#writing', '7')
    await page.fill('#speaking', '8')
    await page.click('form#language-form button[type=submit]')
    await page.waitForLoadState()
    const main = await page.textContent('main')
    assert.ok(main.includes('PLAB 1'), 'PLAB 1 is the next step')
    await check(page, 'caseworker-talent-person')
    // A barrier that is an employer rule needs the rule.
    await page.selectOption('#barrier', 'employer_rule')
    await page.fill('#raised_on', '2026-11-01')
    await page.click('form#barrier-form button[type=submit]')
    assert.equal(await page.locator('.govuk-error-summary a[href="#rule"]').count(), 1)
    await check(page, 'caseworker-talent-record-errors')
  } finally {
    await browser.close()
  }
  assert.deepEqual(failures, [], `${failures.length} pages with violations`)
})
