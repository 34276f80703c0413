/**
 * `npm run lighthouse`: Lighthouse (mobile) on the H5 login and home pages, offline, with Debian's
 * Chromium (CHROME_PATH, default /usr/bin/chromium). Starts its own engine, mock WeChat and BFF over a
 * fresh seeded database, signs a demo resident in for the home page, and reports performance and
 * accessibility against the targets (≥ 90 / ≥ 95). A report, not a test: it exits 0 either way
 * unless it could not run. Run after `npm run build:h5 -w miniapp`.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as chromeLauncher from 'chrome-launcher'
import lighthouse from 'lighthouse'
import puppeteer from 'puppeteer-core'
import { loadConfig } from '../bff/src/platform/config'
import { seedDemo } from '../bff/src/seed/demo'
import { startServer } from '../bff/src/server'
import { startEngine } from './engine/index'
import { repoRoot } from './engine/paths'
import { startMockWechat } from './mock-wechat'

const h5Dir = join(repoRoot, 'miniapp', 'dist', 'h5')
if (!existsSync(join(h5Dir, 'index.html'))) {
  console.error('No H5 build: run `npm run build:h5 -w miniapp` first')
  process.exit(1)
}
const outDir = join(repoRoot, 'test-results', 'lighthouse')
mkdirSync(outDir, { recursive: true })

const engine = await startEngine()
const wechat = await startMockWechat()
const config = loadConfig({
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: '0',
  H5_DIR: h5Dir,
  WECHAT_API_BASE: wechat.url,
  LOGIN_RATE_PER_MINUTE: '1000',
})
const running = await startServer(config, { mongoUri: engine.uri, dbName: 'lighthouse', sweepers: false })
await seedDemo()

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
  chromeFlags: [
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
  ],
})
const targets = { performance: 90, accessibility: 95 }
const rows: string[] = []
try {
  // The home page needs a session: sign a demo resident in and leave the tokens where the app reads them.
  const res = await fetch(`${running.url}/api/v1/auth/dev`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ role: 'resident', handle: 'resident-zhang' }),
  })
  const tokens = (await res.json()) as { accessToken: string; refreshToken: string }
  const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` })

  for (const [name, path, signedIn] of [
    ['login', '/#/packages/auth/login/index', false],
    ['home', '/#/pages/index/index', true],
  ] as const) {
    const page = await browser.newPage()
    await page.goto(`${running.url}/#/packages/auth/login/index`)
    // Runs in the page; written as a string because the scripts are typed for Node, not the DOM.
    await page.evaluate(
      signedIn
        ? `localStorage.setItem('linli.tokens', ${JSON.stringify(JSON.stringify({ data: tokens }))})`
        : 'localStorage.clear()',
    )
    await page.close()
    const result = await lighthouse(`${running.url}${path}`, {
      port: chrome.port,
      output: 'html',
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      formFactor: 'mobile',
      screenEmulation: { mobile: true, width: 375, height: 812, deviceScaleFactor: 2, disabled: false },
      disableStorageReset: true,
    })
    if (!result) throw new Error(`Lighthouse returned nothing for ${name}`)
    writeFileSync(join(outDir, `${name}.html`), result.report as string)
    const { categories, audits } = result.lhr
    const score = (id: keyof typeof targets) => Math.round((categories[id]?.score ?? 0) * 100)
    const line = (Object.keys(targets) as (keyof typeof targets)[])
      .map(
        (id) =>
          `${id} ${score(id)} (target ≥ ${targets[id]}${score(id) >= targets[id] ? ', met' : ', MISSED'})`,
      )
      .join(', ')
    rows.push(`${name.padEnd(6)} ${line}`)
    const failing = Object.values(audits)
      .filter((a) => a.score !== null && a.score < 0.9 && a.scoreDisplayMode === 'binary')
      .map((a) => a.id)
    if (failing.length) rows.push(`       failing audits: ${failing.join(', ')}`)
  }
  await browser.disconnect()
} finally {
  chrome.kill()
  await running.close()
  await wechat.stop()
  await engine.stop()
}
console.log(`Lighthouse, mobile, H5 build (reports in test-results/lighthouse/):\n${rows.join('\n')}`)
