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
/** Runs per page (LIGHTHOUSE_RUNS, default 3); the median by performance is reported. */
const runs = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 3))
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
    // Scores move with the machine's load: run each page a few times and keep the median run.
    const results = []
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage()
      await page.goto(`${running.url}/#/packages/auth/login/index`)
      // Runs in the page; written as a string because the scripts are typed for Node, not the DOM.
      await page.evaluate(
        signedIn
          ? `localStorage.setItem('linli.tokens', ${JSON.stringify(JSON.stringify({ data: tokens }))})`
          : 'localStorage.clear()',
      )
      // A first visit: keep the storage (the tokens) but not the files the set-up visit cached.
      const cdp = await page.createCDPSession()
      await cdp.send('Network.clearBrowserCache')
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
      results.push(result)
    }
    results.sort(
      (a, b) => (a.lhr.categories.performance?.score ?? 0) - (b.lhr.categories.performance?.score ?? 0),
    )
    const result = results[Math.floor(results.length / 2)]
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
    const each = results.map((r) => Math.round((r.lhr.categories.performance?.score ?? 0) * 100))
    rows.push(`       performance of each run: ${each.join(', ')}`)
    const metric = (id: string) => audits[id]?.displayValue ?? '?'
    rows.push(
      `       FCP ${metric('first-contentful-paint')}, LCP ${metric('largest-contentful-paint')}, ` +
        `TBT ${metric('total-blocking-time')}, CLS ${metric('cumulative-layout-shift')}, SI ${metric('speed-index')}`,
    )
    // What the first load cost on the wire: the BFF's precompressed copies (brotli) or not.
    const requests =
      (
        audits['network-requests']?.details as {
          items?: { url: string; resourceType?: string; transferSize?: number; resourceSize?: number }[]
        }
      )?.items ?? []
    const scripts = requests.filter((r) => r.resourceType === 'Script')
    const sum = (f: (r: (typeof scripts)[number]) => number) => scripts.reduce((n, r) => n + f(r), 0)
    rows.push(
      `       JS ${scripts.length} files: ${(sum((r) => r.transferSize ?? 0) / 1024).toFixed(0)} KB transferred, ` +
        `${(sum((r) => r.resourceSize ?? 0) / 1024).toFixed(0)} KB uncompressed`,
    )
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
console.log(
  `Lighthouse, mobile, H5 build, median of ${runs} runs (reports in test-results/lighthouse/):\n${rows.join('\n')}`,
)
