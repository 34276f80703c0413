import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { type Browser, chromium, type Locator, type Page } from 'playwright-core'

/** Debian's Chromium, never a downloaded browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** A fresh phone-sized session (own storage, so own tokens) on the app at `baseUrl`. */
export async function openPhone(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 390, height: 844 },
): Promise<Page> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error') console.error(`[console] ${msg.text()}`)
  })
  page.on('response', (res) => {
    if (res.status() >= 400) console.error(`[http ${res.status()}] ${res.request().method()} ${res.url()}`)
  })
  return page
}

const screenshotDir = path.resolve(import.meta.dirname, '../../test-results/screenshots')

/** The whole page, once Taro's page slide-in (300 ms) has settled. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true })
  await page.waitForTimeout(400)
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true })
}

/**
 * Taro H5 keeps earlier pages of the stack in the DOM, hidden; only visible matches count. Taro renders
 * components as custom elements (taro-view-core…), so text and class selectors are the stable hooks.
 */
export function visible(page: Page, selector: string, hasText?: string | RegExp): Locator {
  return page
    .locator(selector, hasText === undefined ? {} : { hasText })
    .filter({ visible: true })
    .first()
}

/** Waits until `text` shows on screen; fails with the text that was expected. */
export async function see(page: Page, text: string | RegExp, timeout = 15_000): Promise<Locator> {
  const found = page.getByText(text).filter({ visible: true }).first()
  try {
    await found.waitFor({ state: 'visible', timeout })
  } catch {
    throw new Error(`expected to see ${String(text)} on ${page.url()}`)
  }
  return found
}

/** Waits until an element matching `selector` shows exactly `text`. */
export async function seeIn(page: Page, selector: string, text: string, timeout = 15_000): Promise<void> {
  try {
    await visible(page, selector, new RegExp(`^\\s*${text}\\s*$`)).waitFor({ state: 'visible', timeout })
  } catch {
    throw new Error(`expected ${selector} to show ${text} on ${page.url()}`)
  }
}

export async function tap(page: Page, selector: string, hasText?: string | RegExp): Promise<void> {
  await visible(page, selector, hasText).click()
}

/** Types into the native input inside a Taro Input marked with `fieldClass`. */
export async function fill(page: Page, fieldClass: string, value: string): Promise<void> {
  await visible(page, `.${fieldClass} input`).fill(value)
}

/** The tab bar Taro draws on H5. */
export async function openTab(page: Page, label: string): Promise<void> {
  await tap(page, '.weui-tabbar__item', label)
}

/** Whom to sign in as with the dev login: role and handle, then community and grid where the role needs them. */
export type DevPerson = [role: string, handle: string, community?: string, grid?: string]

/**
 * Opens the app, which redirects to the login page, and fills the dev login: role, then community and
 * grid when given, then the handle. Does not sign in, so a test can look at the filled form first.
 */
export async function fillDevLogin(page: Page, ...[role, handle, community, grid]: DevPerson): Promise<void> {
  await page.goto('/')
  await see(page, '开发登录')
  await tap(page, '.dev-role .chip', role)
  if (community) await tap(page, '.dev-community .chip', community)
  if (grid) await tap(page, '.dev-grid .chip', grid)
  await fill(page, 'dev-handle', handle)
}

/** Dev login (see `fillDevLogin`), then waits until the home page greets the person. */
export async function devLogin(page: Page, ...person: DevPerson): Promise<void> {
  await fillDevLogin(page, ...person)
  await tap(page, '.dev-submit')
  await see(page, /好，/)
}
