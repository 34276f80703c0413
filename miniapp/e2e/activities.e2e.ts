import { formatClock, zoneDate } from '@linli/shared-types'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import {
  devLogin,
  fill,
  launchBrowser,
  openPhone,
  openTab,
  screenshot,
  see,
  seeIn,
  tap,
  visible,
} from './browser'

/**
 * Activities end to end on the H5 build served by the real BFF: staff publish a weekly volunteer
 * session with one place that is under way now; resident Zhang signs up, resident Li is waitlisted;
 * Zhang cancels and Li is promoted (with a message); Li checks in and out with the code the organiser
 * shows, and Li's volunteer points rise by minutes served × rate; Li borrows an item the desk hands out
 * and takes back by Li's code. Steps share state, in order.
 */
const baseUrl = inject('baseUrl')
const { communityA } = inject('demo')
const TITLE = '共享妈妈·四点半课堂'
const RATE = 120 // points per hour: one minute served is worth 2 points
const ITEM = '折叠梯'

let browser: Browser
let staff: Page
let zhang: Page
let li: Page
let sessionCode = ''
let volunteerBefore = 0

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

const pad = (n: number) => String(n).padStart(2, '0')
const weekdayNames = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

const volunteerBalance = async (page: Page) => {
  await page.goto('/#/pages/points/index')
  await page.reload()
  return Number(await visible(page, '.points__balance--volunteer .points__number').innerText())
}

async function openActivity(page: Page) {
  await page.goto('/#/pages/index/index')
  await page.reload()
  await tap(page, '.entry', '社区活动')
  await tap(page, '.session-card', TITLE)
  await see(page, '每场名额：1人')
}

async function confirmModal(page: Page) {
  await tap(page, '.taro-model__confirm')
}

describe('activities: publish, sign up and waitlist, promote, check in and out, points, lending', () => {
  it('staff publish a weekly volunteer session that is under way now', async () => {
    staff = await openPhone(browser, baseUrl)
    await devLogin(staff, '社区工作人员', 'staff-wangping', communityA.name)
    await openTab(staff, '我的')
    await tap(staff, '.me-workbench .row', '社区工作台')
    await tap(staff, '.tile-activities')
    await see(staff, '借还登记')
    await tap(staff, '.to-publish')
    // Today in the community (China time), starting a little while ago so check-in is open now.
    const now = new Date(Date.now() - 10 * 60_000)
    const date = zoneDate(now)
    const [hour, minute] = formatClock(now).split(':').map(Number) as [number, number]
    const start = `${pad(hour)}:${pad(minute - (minute % 5))}`
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay()
    await fill(staff, 'pub-title', TITLE)
    await fill(staff, 'pub-location', '望平生活驿站二楼')
    await fill(staff, 'pub-phone', '13800001234')
    await fill(staff, 'pub-places', '1')
    await fill(staff, 'pub-rate', String(RATE))
    await tap(staff, '.pub-weekdays .chip', weekdayNames[weekday]!)
    await fill(staff, 'pub-date', date)
    await fill(staff, 'pub-time', start)
    await fill(staff, 'pub-minutes', '240')
    await screenshot(staff, 'activities-01-publish')
    await tap(staff, '.pub-submit')
    await confirmModal(staff)
    await see(staff, `志愿服务 · 每小时${RATE}志愿积分`)
    await see(staff, `每${weekdayNames[weekday]} ${start} · 每场4小时`)
    await screenshot(staff, 'activities-02-detail-staff')
  })

  it('Zhang signs up; Li gets the waitlist', async () => {
    zhang = await openPhone(browser, baseUrl)
    await devLogin(zhang, '居民', 'resident-zhang')
    await openActivity(zhang)
    await screenshot(zhang, 'activities-03-list-detail')
    await tap(zhang, '.signup-btn', '报名')
    await confirmModal(zhang)
    await seeIn(zhang, '.session-row .tag', '已报名')
    await see(zhang, '已满 · 0人候补')

    li = await openPhone(browser, baseUrl)
    await devLogin(li, '居民', 'resident-li')
    volunteerBefore = await volunteerBalance(li)
    await openActivity(li)
    await tap(li, '.signup-btn', '加入候补')
    await see(li, '名额已满，有人取消时按先后递补并通知您')
    await screenshot(li, 'activities-04-waitlist-confirm')
    await confirmModal(li)
    await seeIn(li, '.session-row .tag', '候补第1位')
    await screenshot(li, 'activities-05-waitlisted')
  })

  it('Zhang cancels; Li is promoted and told', async () => {
    await zhang.goto('/#/packages/activities/mine/index')
    await zhang.reload()
    await see(zhang, TITLE)
    await tap(zhang, '.signup-card .cancel-signup-btn')
    await confirmModal(zhang)
    await seeIn(zhang, '.signup-card .tag', '已取消')

    await li.goto('/#/packages/activities/mine/index')
    await li.reload()
    await seeIn(li, '.signup-card .tag', '已报名')
    await screenshot(li, 'activities-06-promoted')
    await li.goto('/#/packages/booking/inbox/index')
    await li.reload()
    await see(li, '候补成功，您已获得名额')
    await screenshot(li, 'activities-07-promoted-message')
  })

  it('the organiser shows the session code; Li checks in and, a minute later, out; points rise by hours × rate', async () => {
    await staff.goto('/#/packages/activities/desk/index')
    await staff.reload()
    await tap(staff, '.desk-session', TITLE)
    await see(staff, '现场签到码')
    sessionCode = (await visible(staff, '.session-code').innerText()).trim()
    expect(sessionCode).toMatch(/^[A-Z2-9]{6}$/)
    await seeIn(staff, '.roster-entry .tag', '已报名')
    await screenshot(staff, 'activities-08-roster-code')

    await li.goto('/#/packages/activities/mine/index')
    await li.reload()
    await fill(li, 'checkin', 'WRONG9')
    await tap(li, '.checkin-submit')
    await see(li, '签到码不正确')
    await fill(li, 'checkin', sessionCode.toLowerCase())
    await tap(li, '.checkin-submit')
    await seeIn(li, '.signup-card .tag', '已签到')
    await screenshot(li, 'activities-09-checked-in')
    // Served time counts whole minutes: stay a little over one.
    await li.waitForTimeout(62_000)
    await fill(li, 'checkout', sessionCode)
    await tap(li, '.checkout-submit')
    await confirmModal(li)
    await seeIn(li, '.signup-card .tag', '已签退')
    await see(li, '服务1分钟')
    await see(li, `+${RATE / 60}志愿积分`)
    await seeIn(li, '.stat-points', String(RATE / 60))
    await screenshot(li, 'activities-10-checked-out')
    expect(await volunteerBalance(li)).toBe(volunteerBefore + RATE / 60)
    await screenshot(li, 'activities-11-points')

    await staff.reload()
    await seeIn(staff, '.roster-entry .tag', '已签退')
  })

  it('Li borrows an item; the desk hands it out and takes it back by Li’s code', async () => {
    await li.goto('/#/packages/activities/items/index')
    await li.reload()
    const card = visible(li, '.item-card', ITEM)
    await card.waitFor()
    await screenshot(li, 'activities-12-items')
    await card.locator('.borrow-btn').click()
    await see(li, '免押金')
    await confirmModal(li)
    await see(li, '取用时出示借用码')
    const code = (await visible(li, '.loan-code__text').innerText()).trim()
    expect(code).toMatch(/^[A-Z2-9]{8}$/)
    await screenshot(li, 'activities-13-loan-code')

    await staff.goto('/#/packages/activities/desk/index')
    await staff.reload()
    await fill(staff, 'desk-pickup', code)
    await tap(staff, '.desk-pickup-submit')
    await see(staff, new RegExp(`${ITEM} · 借用中`))
    await screenshot(staff, 'activities-14-desk-pickup')
    await li.reload()
    await seeIn(li, '.loan-card .tag', '借用中')
    await see(li, '应还日期')

    await fill(staff, 'desk-return', code)
    await tap(staff, '.desk-return-submit')
    await see(staff, new RegExp(`${ITEM} · 已归还`))
    await li.reload()
    await seeIn(li, '.loan-card .tag', '已归还')
    await screenshot(li, 'activities-15-returned')
  })
})
