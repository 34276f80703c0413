import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type AuditResult, auditScreen } from './audit'
import {
  type DevPerson,
  fill,
  fillDevLogin,
  launchBrowser,
  openPhone,
  screenshot,
  see,
  tap,
  visible,
} from './browser'

/**
 * Every screen of every role at 375×812, in normal and in 关怀模式, screenshotted and audited
 * (audit.ts): the run fails on any violation, listed by screen.
 */
const baseUrl = inject('baseUrl')
const { communityA } = inject('demo')
const phone = { width: 375, height: 812 }

type Mode = 'normal' | 'care'
interface Screen {
  name: string
  /** A hash route, or a step that gets there (e.g. tapping the first item of a list). */
  open: string | ((page: Page) => Promise<void>)
}

const tabs: Screen[] = [
  { name: 'home', open: '/pages/index/index' },
  { name: 'booking-tab', open: '/pages/booking/index' },
  { name: 'deliberation-tab', open: '/pages/deliberation/index' },
  { name: 'points-tab', open: '/pages/points/index' },
  { name: 'me', open: '/pages/me/index' },
]

/** The meeting pages need a day and topics: planned and voted on through the API in `beforeAll`. */
const meeting = { dayId: '', votingTopicId: '', closedTopicId: '' }

async function api<T = any>(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await res.json().catch(() => null)) as T
  if (res.status >= 400 && res.status !== 409) throw new Error(`${method} ${path}: ${res.status}`)
  return { status: res.status, body: json }
}

/** A day on the 20th, one topic voting on it and one closed with its receipts published. */
async function planMeeting(): Promise<void> {
  const token = async (body: object) =>
    (await api<{ accessToken: string }>('POST', '/api/v1/auth/dev', body)).body.accessToken
  const staff = await token({ role: 'staff', scopeId: communityA.id, handle: 'staff-wangping' })
  const zhang = await token({ role: 'resident', handle: 'resident-zhang' })
  await api('POST', '/api/v1/deliberation-days', { place: '社区党群服务中心' }, staff)
  const days = await api<{ items: { id: string; date: string }[] }>(
    'GET',
    '/api/v1/deliberation-days?upcoming=true',
    undefined,
    staff,
  )
  meeting.dayId = days.body.items.find((d) => d.date.endsWith('-20'))!.id
  const topic = async (title: string) => {
    const { body } = await api<{ id: string }>(
      'POST',
      '/api/v1/topics',
      { title, description: '屏幕检查用的议题，核对议事日各页面的字号、点击区域和文字。' },
      zhang,
    )
    await api('POST', `/api/v1/topics/${body.id}/screening`, { decision: 'accept' }, staff)
    await api('POST', `/api/v1/topics/${body.id}/schedule`, { dayId: meeting.dayId, voting: {} }, staff)
    await api('POST', `/api/v1/topics/${body.id}/voting/open`, {}, staff)
    return body.id
  }
  meeting.votingTopicId = await topic('楼道加装声控灯')
  meeting.closedTopicId = await topic('单元门禁更换')
  await api('PUT', `/api/v1/topics/${meeting.closedTopicId}/my-ballot`, { choice: 'yes' }, zhang)
  await api('POST', `/api/v1/topics/${meeting.closedTopicId}/voting/close`, {}, staff)
}

const firstOf = (list: string, item: string) => async (page: Page) => {
  await go(page, list)
  await tap(page, item)
}

const screens: Record<string, { person: DevPerson; screens: Screen[] }> = {
  resident: {
    person: ['居民', 'resident-zhang'],
    screens: [
      ...tabs,
      { name: 'space', open: firstOf('/pages/booking/index', '.space-card') },
      { name: 'my-bookings', open: '/packages/booking/mine/index' },
      { name: 'inbox', open: '/packages/booking/inbox/index' },
      { name: 'need-new', open: '/packages/needs/new/index' },
      { name: 'my-needs', open: '/packages/needs/mine/index' },
      { name: 'topic', open: firstOf('/pages/deliberation/index', '.delib-topic') },
      { name: 'propose', open: '/packages/deliberation/propose/index' },
      { name: 'my-topics', open: '/packages/deliberation/mine/index' },
      { name: 'vouchers', open: '/packages/points/vouchers/index' },
      { name: 'residency', open: '/packages/me/residency/index' },
      { name: 'meeting-checkin', open: '/packages/deliberation/checkin/index' },
      {
        name: 'meeting-receipts',
        open: async (page) => {
          await go(page, `/packages/deliberation/topic/index?id=${meeting.closedTopicId}`)
          await tap(page, '.receipts-open')
          await visible(page, '.receipts').waitFor({ state: 'visible' })
        },
      },
      { name: 'privacy', open: '/packages/me/privacy/index' },
    ],
  },
  newcomer: {
    person: ['居民', 'resident-new'],
    screens: [...tabs, { name: 'residency-form', open: '/packages/me/residency/index' }],
  },
  staff: {
    person: ['社区工作人员', 'staff-wangping', communityA.name],
    screens: [
      { name: 'home', open: '/pages/index/index' },
      { name: 'me', open: '/pages/me/index' },
      { name: 'workbench', open: '/packages/staff/workbench/index' },
      { name: 'claims', open: '/packages/staff/claims/index' },
      { name: 'audit-log', open: '/packages/staff/audit/index' },
      { name: 'booking-review', open: '/packages/booking/review/index' },
      { name: 'spaces', open: '/packages/booking/spaces/index' },
      { name: 'needs-queue', open: '/packages/needs/queue/index' },
      { name: 'needs-stats', open: '/packages/needs/stats/index' },
      { name: 'screening', open: '/packages/deliberation/screening/index' },
      {
        name: 'meeting-planner',
        open: (page) => go(page, `/packages/deliberation/planner/index?id=${meeting.dayId}`),
      },
      { name: 'meeting-settings', open: '/packages/deliberation/settings/index' },
      {
        name: 'meeting-door',
        open: (page) => go(page, `/packages/deliberation/door/index?id=${meeting.dayId}`),
      },
      {
        name: 'meeting-board',
        open: (page) => go(page, `/packages/deliberation/board/index?id=${meeting.dayId}`),
      },
      {
        name: 'meeting-ballots',
        open: async (page) => {
          await go(page, `/packages/deliberation/ballots/index?dayId=${meeting.dayId}`)
          await tap(page, '.ballot-topic .chip', '楼道加装声控灯')
          await fill(page, 'roll-q', '1栋')
          await tap(page, '.roll-search')
        },
      },
      { name: 'points-admin', open: '/packages/points-admin/index/index' },
      { name: 'rewards-admin', open: '/packages/points-admin/rewards/index' },
      { name: 'points-award', open: '/packages/points-admin/award/index' },
      { name: 'merchants-admin', open: '/packages/points-admin/merchants/index' },
    ],
  },
  grid: {
    person: ['网格员', 'grid-wangping-1', communityA.name, '第一网格'],
    screens: [
      { name: 'home', open: '/pages/index/index' },
      { name: 'needs-queue', open: '/packages/needs/queue/index' },
      { name: 'me', open: '/pages/me/index' },
    ],
  },
  merchant: {
    person: ['商户', 'merchant-bakery'],
    screens: [
      { name: 'home', open: '/pages/index/index' },
      { name: 'merchant-desk', open: '/packages/points/merchant/index' },
      { name: 'me', open: '/pages/me/index' },
    ],
  },
  street: {
    person: ['街道工作人员', 'street-mzw', communityA.name],
    screens: [
      { name: 'home', open: '/pages/index/index' },
      { name: 'workbench', open: '/packages/staff/workbench/index' },
      { name: 'needs-stats', open: '/packages/needs/stats/index' },
    ],
  },
}

async function go(page: Page, route: string): Promise<void> {
  await page.goto(`/#${route}`)
  await settle(page)
}

/** Until requests are done and no skeleton is left on screen. */
async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle')
  // A skeleton still showing after 15 s is a screen that never loads: fail it.
  await page
    .locator('.skeleton')
    .filter({ visible: true })
    .first()
    .waitFor({ state: 'hidden', timeout: 15_000 })
  await page.waitForTimeout(300)
}

const findings: Record<string, string[]> = {}
const totals = { screens: 0, texts: 0, tappables: 0 }

async function check(page: Page, label: string, care: boolean, english = true): Promise<AuditResult> {
  const result = await auditScreen(page, { care, english })
  totals.screens++
  totals.texts += result.texts
  totals.tappables += result.tappables
  if (result.violations.length) findings[label] = result.violations
  return result
}

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
  await planMeeting()
})
afterAll(async () => {
  await browser?.close()
  console.log(
    `screen audit: ${totals.screens} screens, ${totals.texts} text runs, ${totals.tappables} tappables, ` +
      `${Object.values(findings).flat().length} violations`,
  )
})

describe('every screen of every role, audited', () => {
  it('audits the login page in both modes', async () => {
    const page = await openPhone(browser, baseUrl, phone)
    await page.goto('/')
    await see(page, '开发登录')
    await screenshot(page, 'screens/normal/login')
    // The dev login lists demo handles (Latin); it exists only outside production.
    await check(page, 'normal/login', false, false)
    await page.evaluate(() => localStorage.setItem('linli.care', JSON.stringify({ data: true })))
    await page.reload()
    await see(page, '开发登录')
    await screenshot(page, 'screens/care/login')
    await check(page, 'care/login', true, false)
    await page.context().close()
  })

  for (const [role, { person, screens: list }] of Object.entries(screens))
    for (const mode of ['normal', 'care'] as Mode[])
      it(`${role} in ${mode} mode`, async () => {
        const page = await openPhone(browser, baseUrl, phone)
        await fillDevLogin(page, ...person)
        if (role === 'merchant') await tap(page, '.dev-merchant .chip', '望平烘焙坊')
        await tap(page, '.dev-submit')
        await see(page, /好，/)
        if (mode === 'care') {
          // Switched on where residents switch it: 我的 › 设置 › 关怀模式.
          await go(page, '/pages/me/index')
          await tap(page, '.me-care')
          await visible(page, '.page.care').waitFor({ state: 'visible' })
        }
        for (const screen of list) {
          if (typeof screen.open === 'string') await go(page, screen.open)
          else await screen.open(page)
          await settle(page)
          if (mode === 'care') await visible(page, '.page.care').waitFor({ state: 'visible' })
          await screenshot(page, `screens/${mode}/${role}-${screen.name}`)
          await check(page, `${mode}/${role}-${screen.name}`, mode === 'care')
        }
        await page.context().close()
      })

  it('found no violation on any screen', () => {
    expect(findings).toEqual({})
  })
})
