import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { devLogin, fill, launchBrowser, openPhone, openTab, screenshot, see, tap, visible } from './browser'

/**
 * 爱邻议事日 end to end on the H5 build and the real BFF: a resident proposes a topic, a neighbour
 * seconds it, staff accept it and schedule it on the 20th, open voting, residents vote, staff close
 * the vote and residents see the result. Steps share state, in order.
 */
const baseUrl = inject('baseUrl')
const { communityA } = inject('demo')
const title = '12号院增设快递柜'

let browser: Browser
let zhang: Page
let li: Page
let staff: Page

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

async function signIn(role: string, handle: string, community?: string): Promise<Page> {
  const page = await openPhone(browser, baseUrl)
  await devLogin(page, role, handle, community)
  return page
}

async function openTopic(page: Page) {
  await openTab(page, '议事')
  await tap(page, '.delib-topic', title)
  await see(page, '议事历程')
}

describe('deliberation day: propose → second → screen → schedule → vote → result', () => {
  it('a resident sees the next deliberation day and proposes a topic', async () => {
    zhang = await signIn('居民', 'resident-zhang')
    await openTab(zhang, '议事')
    await see(zhang, '下一个爱邻议事日')
    await see(zhang, /-20$/)
    await screenshot(zhang, 'deliberation-01-tab')
    await tap(zhang, '.btn', '我要提议题')
    await fill(zhang, 'propose-title', title)
    await visible(zhang, '.propose-description textarea').fill(
      '快递经常堆在门卫室门口，丢件多，希望在院内增设智能快递柜。',
    )
    await screenshot(zhang, 'deliberation-02-propose')
    await tap(zhang, '.propose-submit')
    await see(zhang, '议事历程')
    await see(zhang, title)
    await screenshot(zhang, 'deliberation-03-proposed')
  })

  it('a neighbour seconds it and comments', async () => {
    li = await signIn('居民', 'resident-li')
    await openTopic(li)
    await tap(li, '.topic-second')
    await see(li, '您已附议')
    await visible(li, '.topic-comment-input textarea').fill('同意，快递柜很需要')
    await tap(li, '.topic-comment-submit')
    await see(li, '同意，快递柜很需要')
    await screenshot(li, 'deliberation-04-seconded')
  })

  it('staff accept it, plan the day on the 20th, schedule it and open voting', async () => {
    staff = await signIn('社区工作人员', 'staff-wangping', communityA.name)
    await openTab(staff, '议事')
    await tap(staff, '.btn', '议事工作台')
    await see(staff, /待审核议题/)
    await screenshot(staff, 'deliberation-05-screening')
    await visible(staff, '.screening-item', title).locator('.screen-accept').click()
    await see(staff, '已受理')
    await tap(staff, '.btn', '议事日安排')
    // The day may already be planned (by meeting.e2e); plan it here otherwise.
    await visible(staff, '.day-create, .delib-day').waitFor({ state: 'visible' })
    if (await visible(staff, '.day-create').isVisible()) await tap(staff, '.day-create')
    await see(staff, /^\d{4}-\d{2}-20$/)
    await visible(staff, '.schedule-item', title).locator('.schedule-topic').click()
    await visible(staff, '.agenda-item', title).locator('.vote-open').click()
    await tap(staff, '.taro-model__confirm') // opening early is confirmed
    await see(staff, '结束投票并公布结果')
    await screenshot(staff, 'deliberation-06-planner')
  })

  it('residents vote with the ballot sheet', async () => {
    for (const [page, choice] of [
      [zhang, '同意'],
      [li, '同意'],
    ] as const) {
      await page.reload() // each is on the topic page already
      await see(page, '议事历程')
      await see(page, /投票（一人一票）/)
      await tap(page, '.ballot-options .chip', choice)
      await tap(page, '.ballot-submit')
      await see(page, `我的选择：${choice}`)
    }
    await screenshot(li, 'deliberation-07-ballot')
    expect(await li.getByText('表决通过').count()).toBe(0)
  })

  it('staff close the vote and residents see the result', async () => {
    await staff.reload()
    await see(staff, '议程')
    await visible(staff, '.agenda-item', title).locator('.vote-close').click()
    await tap(staff, '.taro-model__confirm') // closing is irreversible: confirmed
    // This topic's own item (other specs' topics on the same day may show a result already).
    await visible(staff, '.agenda-item', title)
      .filter({ hasText: /已通过|未通过/ })
      .waitFor({ state: 'visible', timeout: 15_000 })
    await zhang.reload()
    await see(zhang, '议事历程')
    await see(zhang, /表决通过|未获通过/)
    await see(zhang, /投票 2\/\d+/)
    await see(zhang, '同意 2 票')
    await screenshot(zhang, 'deliberation-08-result')
  })
})
