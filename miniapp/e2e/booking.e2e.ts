import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { api, tokenOf, verifiedNeighbour } from './api'
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
 * Space booking on the H5 build served by the real BFF: resident A books a slot of the shared
 * kitchen; resident B sees it held and cannot book it; staff approve; A sees 已通过 and the message.
 */
const baseUrl = inject('baseUrl')
const { communityA } = inject('demo')
const SPACE = '共享厨房'

let browser: Browser
let residentA: Page
let residentB: Page
let staff: Page

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('booking: book, held for others, approve, inbox', () => {
  it('resident A books the first free slot tomorrow', async () => {
    residentA = await openPhone(browser, baseUrl)
    await devLogin(residentA, '居民', 'resident-zhang')
    await openTab(residentA, '预约')
    await see(residentA, '社区共享空间')
    await see(residentA, SPACE)
    await screenshot(residentA, 'booking-01-spaces')

    await tap(residentA, '.space-card', SPACE)
    await see(residentA, '每段30分钟')
    await tap(residentA, '.day-chips .chip', '明天')
    await visible(residentA, '.slot--free').first().waitFor()
    await screenshot(residentA, 'booking-02-space-grid')
    await visible(residentA, '.slot--free').first().click()
    await see(residentA, /预约 10:00–10:30/)
    await fill(residentA, 'bk-purpose', '邻里包饺子')
    await fill(residentA, 'bk-attendees', '6')
    await fill(residentA, 'bk-phone', '13800001111')
    await screenshot(residentA, 'booking-03-form')
    await tap(residentA, '.booking-submit')
    await see(residentA, '邻里包饺子 · 6人')
    await seeIn(residentA, '.booking-card .tag', '待审核')
    await screenshot(residentA, 'booking-04-mine-pending')
  })

  it('resident B sees the slot held and cannot book it', async () => {
    residentB = await openPhone(browser, baseUrl)
    await devLogin(residentB, '居民', 'resident-li')
    await openTab(residentB, '预约')
    await tap(residentB, '.space-card', SPACE)
    await tap(residentB, '.day-chips .chip', '明天')
    const held = visible(residentB, '.slot--held', '10:00')
    await held.waitFor()
    await held.click()
    expect(await visible(residentB, '.slot--picked').count()).toBe(0)
    await see(residentB, '请选择时段')
    await screenshot(residentB, 'booking-05-held-for-b')

    // Straight at the API as well: the slot is taken.
    const tokenA = (await api('POST', '/api/v1/auth/dev', { role: 'resident', handle: 'resident-zhang' }))
      .body.accessToken
    const tokenB = (await api('POST', '/api/v1/auth/dev', { role: 'resident', handle: 'resident-li' })).body
      .accessToken
    const mine = await api('GET', '/api/v1/me/bookings', undefined, tokenA)
    const a = mine.body.items[0]
    const refused = await api(
      'POST',
      '/api/v1/bookings',
      {
        spaceId: a.spaceId,
        start: a.start,
        end: a.end,
        purpose: '打羽毛球',
        attendees: 2,
        contactPhone: '13900002222',
      },
      tokenB,
    )
    expect([refused.status, refused.body.code]).toEqual([409, 'BOOKING_SLOT_TAKEN'])
  })

  it('staff approve it from the review queue', async () => {
    staff = await openPhone(browser, baseUrl)
    await devLogin(staff, '社区工作人员', 'staff-wangping', communityA.name)
    await openTab(staff, '我的')
    await tap(staff, '.me-workbench .row', '社区工作台')
    await tap(staff, '.tile-bookings')
    await see(staff, '待审核预约')
    await see(staff, '邻里包饺子 · 6人')
    await see(staff, /138\*\*\*\*1111/)
    await see(staff, /预约记录：共1次/)
    await screenshot(staff, 'booking-06-review-queue')
    await tap(staff, '.approve-btn')
    await tap(staff, '.taro-model__confirm')
    await see(staff, '暂无待审核的预约')
    await tap(staff, '.schedule-link')
    await tap(staff, '.chip', '明天')
    await tap(staff, '.chip', SPACE)
    await see(staff, '邻里包饺子')
    await screenshot(staff, 'booking-07-schedule')
  })

  it('resident A sees 已通过 and the message in the inbox', async () => {
    await residentA.goto('/#/packages/booking/mine/index')
    await residentA.reload()
    await seeIn(residentA, '.booking-card .tag', '已通过')
    await screenshot(residentA, 'booking-08-mine-approved')
    await residentA.goto('/#/packages/booking/inbox/index')
    await residentA.reload()
    await see(residentA, '预约已通过')
    await see(residentA, new RegExp(`${SPACE} .* 10:00–10:30`))
    await screenshot(residentA, 'booking-09-inbox')
  })

  it('staff black out tomorrow 14:00–16:00 on the court and resident B sees those slots paused', async () => {
    const COURT = '滨河羽毛球场'
    await staff.goto('/#/packages/staff/workbench/index')
    await staff.reload()
    await tap(staff, '.tile-spaces')
    await see(staff, COURT)
    await see(staff, '新建空间')
    await screenshot(staff, 'booking-10-space-admin')
    await visible(staff, '.admin-space', COURT).locator('.space-blackouts').click()
    await see(staff, `新增暂停开放：${COURT}`)
    await seeIn(staff, '.bo-day .chip--on', '明天')
    await fill(staff, 'bo-from', '14:00')
    await fill(staff, 'bo-to', '16:00')
    await fill(staff, 'bo-reason', '社区羽毛球赛')
    await screenshot(staff, 'booking-11-blackout-form')
    await tap(staff, '.blackout-save')
    await seeIn(staff, '.blackout-item .muted', '社区羽毛球赛')
    await screenshot(staff, 'booking-12-blackouts')

    await residentB.goto('/#/pages/booking/index')
    await residentB.reload()
    await tap(residentB, '.space-card', COURT)
    await tap(residentB, '.day-chips .chip', '明天')
    await visible(residentB, '.slot--blackout', '14:00').waitFor()
    await visible(residentB, '.slot--blackout', '15:00').waitFor()
    expect(await visible(residentB, '.slot', '13:00').getAttribute('class')).toContain('slot--free')
    expect(await visible(residentB, '.slot', '16:00').getAttribute('class')).toContain('slot--free')
    await tap(residentB, '.slot--blackout', '14:00')
    expect(await visible(residentB, '.slot--picked').count()).toBe(0)
    await see(residentB, '14:00 暂停')
    await screenshot(residentB, 'booking-13-blackout-for-resident')
  })
})

describe('booking: staff book for a resident at the desk (为居民代订)', () => {
  it('staff pick 周桂兰, record her consent, confirm; she sees it in 我的预约 and the inbox', async () => {
    const COURT = '滨河羽毛球场'
    // An elder with an approved residency claim (the picker finds residents by their claim's name).
    const staffToken = await tokenOf({ role: 'staff', scopeId: communityA.id, handle: 'staff-wangping' })
    const zhou = {
      handle: 'resident-zhou-bk',
      realName: '周桂兰',
      phone: '13700002468',
      unit: '3',
      room: '702',
    }
    await verifiedNeighbour(zhou, staffToken)
    await staff.goto('/#/pages/booking/index')
    await staff.reload()
    await tap(staff, '.space-card', COURT)
    await tap(staff, '.day-chips .chip', '明天')
    await tap(staff, '.slot--free', '13:00')
    await see(staff, /预约 13:00–1[34]:[03]0/)
    await tap(staff, '.bk-for .chip', '为居民代订')
    await fill(staff, 'bk-people-q', '周桂兰')
    await tap(staff, '.bk-people-search')
    const row = visible(staff, '.people-item', '周**')
    await row.waitFor({ state: 'visible' })
    expect(await row.innerText()).not.toMatch(/桂兰|[0-9a-f]{24}/)
    await row.locator('.bk-pick').click()
    await visible(staff, '.bk-picked', '周**').waitFor({ state: 'visible' })
    await tap(staff, '.bk-consent .chip', '当面口头同意')
    await fill(staff, 'bk-consent-note', '周阿姨在服务台当面委托')
    await fill(staff, 'bk-purpose', '老年羽毛球活动')
    await fill(staff, 'bk-attendees', '4')
    await fill(staff, 'bk-phone', '13800001111')
    await screenshot(staff, 'booking-14-on-behalf-form')
    await tap(staff, '.booking-submit', '为居民代订')
    await see(staff, /为周\*\*预约滨河羽毛球场 13:00–/)
    await tap(staff, '.taro-model__confirm')
    await visible(staff, '.slot--held', '13:00').waitFor()
    await screenshot(staff, 'booking-15-on-behalf-done')

    const elder = await openPhone(browser, baseUrl)
    await devLogin(elder, '居民', 'resident-zhou-bk')
    await elder.goto('/#/packages/booking/mine/index')
    await elder.reload()
    const card = visible(elder, '.booking-card', '老年羽毛球活动')
    await card.waitFor()
    expect(await card.innerText()).toContain('由望平社区王主任代为预约（当面口头同意）')
    expect(await card.innerText()).toContain('已通过')
    await screenshot(elder, 'booking-16-mine-on-behalf')
    await elder.goto('/#/packages/booking/inbox/index')
    await elder.reload()
    await see(elder, '工作人员已代您预约')
  })
})
