// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core, axe-core for accessibility, screenshots as artefacts.
import { chromium } from 'playwright-core'
import { createRequire } from 'node:module'
import { mkdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const require = createRequire(import.meta.url)
export const BASE = process.env.BASE_URL
if (!BASE) throw new Error('BASE_URL is not set: run the browser tests through scripts/test')
export const PASSWORD = process.env.DEMO_PASSWORD || 'useit-demo-2026'
export const SHOTS = process.env.SCREENSHOTS || path.resolve('../artifacts/screenshots')
mkdirSync(SHOTS, { recursive: true })
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

export async function launch () {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']
  })
}

export async function signIn (page, email) {
  await page.goto(BASE + '/sign-in')
  await page.fill('#email', email)
  await page.fill('#password', PASSWORD)
  await page.click('button[type=submit]')
  await page.waitForLoadState()
}

export async function signOut (page) {
  await page.click('.app-header__button')
  await page.waitForLoadState()
}

/** Runs axe-core on the page and returns its violations, one line each. */
export async function axeViolations (page) {
  await page.evaluate(AXE)
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }))
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)
}

export async function screenshot (page, name) {
  const file = path.join(SHOTS, name.replace(/[^a-z0-9_-]+/gi, '_').replace(/^_+|_+$/g, '') + '.png')
  await page.screenshot({ path: file, fullPage: true })
  return file
}
