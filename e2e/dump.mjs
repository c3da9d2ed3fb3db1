import { launch, signIn, BASE } from './tests/helpers.mjs'
const [who, ...paths] = process.argv.slice(2)
const browser = await launch()
const page = await browser.newPage()
await signIn(page, `${who}@demo.useit.example`)
for (const p of paths) {
  await page.goto(BASE + p)
  console.log('==== ' + p)
  console.log(await page.evaluate(() => document.querySelector('main').innerText))
}
await browser.close()
