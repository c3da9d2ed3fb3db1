// A 300-character file name quoted in an import's errors does not make the
// page scroll sideways on a phone (issue 15 item 5): the page stays 375 px
// wide at 375 px, with and without JavaScript.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, signIn, screenshot } from './helpers.mjs'

const PROGRAMME = '/p/west-birmingham-smethwick'
const NAME = 'April-spend-' + 'x'.repeat(284) + '.csv'
// Dates no calendar has and an amount that is not money: refused, each
// problem named, and the file's name said beside them.
const BAD = 'Date Paid,Supplier Name,Amount,Expense Type\r\n31/04/2024,Bywest Ltd,500.00,Building\r\n03/04/2024,Cerner Ltd,12.34.56,IT\r\n'

for (const javaScriptEnabled of [true, false]) {
  test(`a 300-character file name wraps at 375 px (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
    assert.equal(NAME.length, 300)
    const browser = await launch()
    try {
      const context = await browser.newContext({ javaScriptEnabled, viewport: { width: 375, height: 800 } })
      const page = await context.newPage()
      await signIn(page, 'analyst@demo.useit.example')
      await page.goto(BASE + PROGRAMME + '/anchors/import')
      const anchor = await page.$eval('#anchor option[value]:not([value=""])', o => o.value)
      await page.selectOption('#anchor', anchor)
      await page.setInputFiles('#file', [
        { name: NAME, mimeType: 'text/csv', buffer: Buffer.from(BAD) },
        { name: 'B' + NAME.slice(1), mimeType: 'text/csv', buffer: Buffer.from(BAD) }
      ])
      await Promise.all([page.waitForLoadState(), page.click('main form button[type=submit]')])
      await page.waitForLoadState()
      const text = await page.textContent('main')
      assert.ok(text.includes(NAME.slice(0, 200)), `the page names the file: ${text.slice(0, 400)}`)
      const wide = await page.evaluate(() => document.documentElement.scrollWidth)
      await screenshot(page, `long-file-name-${javaScriptEnabled ? 'js' : 'nojs'}`)
      assert.ok(wide <= 375, `the page is ${wide} px wide at 375 px`)
      await context.close()
    } finally {
      await browser.close()
    }
  })
}

// Once imported, the same name sits in the files table: its cell wraps the
// one long word instead of growing the column to the word's length (the
// table may still scroll inside its own box, the cell stays within a phone's
// width). The import is undone at the end, so the demo's figures are as before.
const GOOD = 'Date Paid,Supplier Name,Amount,Expense Type\r\n03/04/2024,Bywest Ltd,1.23,Building\r\n'
const KEPT = 'Kept-' + 'y'.repeat(291) + '.csv'

test('a 300-character file name wraps inside the files table at 375 px', async () => {
  assert.equal(KEPT.length, 300)
  const browser = await launch()
  try {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } })
    const page = await context.newPage()
    await signIn(page, 'analyst@demo.useit.example')
    await page.goto(BASE + PROGRAMME + '/anchors/import')
    // The trust: its files are read by their headers (the council's have a saved mapping).
    const anchor = await page.$$eval('#anchor option[value]:not([value=""])', os => os.find(o => /Hospital/.test(o.textContent)).value)
    await page.selectOption('#anchor', anchor)
    await page.setInputFiles('#file', [{ name: KEPT, mimeType: 'text/csv', buffer: Buffer.from(GOOD) }])
    await Promise.all([page.waitForLoadState(), page.click('main form button[type=submit]')])
    // The import runs as a job: its page says when it is done.
    let cell = null
    for (let i = 0; i < 60 && !cell; i++) {
      await page.goto(BASE + PROGRAMME + '/anchors/files')
      cell = await page.$(`th:has-text("${KEPT.slice(0, 40)}")`)
      if (!cell) await page.waitForTimeout(500)
    }
    assert.ok(cell, 'the imported file is listed')
    const width = await cell.evaluate(c => c.getBoundingClientRect().width)
    await screenshot(page, 'long-file-name-files-table')
    assert.ok(width <= 375, `the file name's cell is ${width} px wide at 375 px`)
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'the page stays 375 px wide')
    // Undo the import: its lines leave, the demo is as it was.
    const undo = await cell.evaluate(c => c.closest('tr').querySelector('a[href$="/undo"]').getAttribute('href'))
    await page.goto(BASE + undo)
    await Promise.all([page.waitForLoadState(), page.click('main form button[type=submit]')])
    await page.goto(BASE + PROGRAMME + '/anchors/files')
    assert.equal(await page.$(`th:has-text("${KEPT.slice(0, 40)}")`), null, 'the undone file is gone')
    await context.close()
  } finally {
    await browser.close()
  }
})
