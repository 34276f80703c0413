/**
 * Renders the tab bar icons (81×81 PNG, as WeChat asks) from inline SVG with the system Chromium.
 * Run from the repo root: `npx tsx miniapp/scripts/tab-icons.mts`. The PNGs are committed.
 */
import path from 'node:path'
import { chromium } from 'playwright-core'

const shapes: Record<string, string> = {
  home: '<path d="M3 10.5 12 3l9 7.5V21h-6v-6H9v6H3z"/>',
  booking: '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4M16 3v4"/>',
  deliberation: '<path d="M4 5h16v11H10l-5 4v-4H4z"/><path d="M8 10h8M8 13h5"/>',
  points: '<path d="m12 3 2.8 5.7 6.2.9-4.5 4.4 1.1 6.2L12 17.3 6.4 20.2l1.1-6.2L3 9.6l6.2-.9z"/>',
  me: '<circle cx="12" cy="8" r="4"/><path d="M4 21c0-4.4 3.6-7 8-7s8 2.6 8 7"/>',
}
const colors = { '': '#8a8f99', '-on': '#1f9d74' }
const outDir = path.resolve(import.meta.dirname, '../src/assets/tab')

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
const page = await browser.newPage({ viewport: { width: 81, height: 81 } })
for (const [name, shape] of Object.entries(shapes)) {
  for (const [suffix, color] of Object.entries(colors)) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="81" height="81" fill="none"
      stroke="${color}" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">${shape}</svg>`
    await page.setContent(`<body style="margin:0;background:transparent">${svg}</body>`)
    await page.screenshot({ path: path.join(outDir, `${name}${suffix}.png`), omitBackground: true })
  }
}
await browser.close()
