import { MongoClient, ObjectId } from 'mongodb'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { api, tokenOf, verifiedNeighbour } from './api'
import { devLogin, fill, launchBrowser, openPhone, openTab, screenshot, see, tap, visible } from './browser'

/**
 * 爱邻议事日 at the meeting, on the H5 build and the real BFF: staff schedule a topic on the 20th with
 * its voting window; residents vote online and get a receipt code; at the meeting a resident signs in
 * with the door code; staff record two paper ballots by finding the voters by name and phone tail;
 * the projector shows how many have voted (never what); staff close the vote; residents see the
 * result and find their receipt code in the published list. Steps share state, in order.
 */
const baseUrl = inject('baseUrl')
const mongoUri = inject('mongoUri')
const { communityA } = inject('demo')
const title = '院坝夜间照明改造'

let browser: Browser
let zhang: Page
let li: Page
let staff: Page
let dayId = ''
let zhangReceipt = ''

/** Two more neighbours, verified the way staff verify anyone: a residency claim, approved. */
const paperVoters = [
  { handle: 'resident-wu', realName: '吴秀英', phone: '13800005811', unit: '1', room: '301' },
  { handle: 'resident-zhao', realName: '赵建国', phone: '13900007342', unit: '1', room: '402' },
]

beforeAll(async () => {
  browser = await launchBrowser()
  const staffToken = await tokenOf({ role: 'staff', scopeId: communityA.id, handle: 'staff-wangping' })
  for (const v of paperVoters) await verifiedNeighbour(v, staffToken)
  // The topic, proposed by a resident and accepted at screening (deliberation.e2e covers those pages).
  const zhangToken = await tokenOf({ role: 'resident', handle: 'resident-zhang' })
  const topic = await api<{ id: string }>(
    'POST',
    '/api/v1/topics',
    { title, description: '院坝晚上太黑，老人散步容易摔倒，建议更换为节能路灯并延长照明时间。' },
    zhangToken,
  )
  expect(topic.status).toBe(201)
  const accepted = await api(
    'POST',
    `/api/v1/topics/${topic.body.id}/screening`,
    { decision: 'accept' },
    staffToken,
  )
  expect(accepted.status).toBe(200)
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

describe('deliberation day at the meeting: window → online votes → check-in → paper ballots → board → close → receipts', () => {
  it('staff schedule the topic on the 20th with its voting window', async () => {
    staff = await signIn('社区工作人员', 'staff-wangping', communityA.name)
    await openTab(staff, '议事')
    await tap(staff, '.btn', '议事工作台')
    await tap(staff, '.btn', '议事日安排')
    // The day may already be planned (by deliberation.e2e); plan it here otherwise.
    await visible(staff, '.day-create, .delib-day').waitFor({ state: 'visible' })
    if (await visible(staff, '.day-create').isVisible()) await tap(staff, '.day-create')
    await see(staff, /^\d{4}-\d{2}-20$/)
    const days = await api<{ items: { id: string; date: string }[] }>(
      'GET',
      '/api/v1/deliberation-days?upcoming=true',
      undefined,
      await tokenOf({ role: 'staff', scopeId: communityA.id, handle: 'staff-wangping' }),
    )
    dayId = days.body.items.find((d) => d.date.endsWith('-20'))?.id ?? ''
    expect(dayId).toMatch(/^[0-9a-f]{24}$/)
    const item = visible(staff, '.schedule-item', title)
    // The window comes prefilled: opens now (at most N days before), closes when the meeting ends.
    const closeDate = await item.locator('.window-close-date .field__picker').innerText()
    expect(closeDate).toMatch(/^\d{4}-\d{2}-20$/)
    await staff.waitForTimeout(1500) // the 已安排 toast
    await screenshot(staff, 'meeting-01-window')
    await item.locator('.schedule-topic').click()
    const agenda = visible(staff, '.agenda-item', title)
    await agenda.waitFor({ state: 'visible' })
    await expect.poll(() => agenda.innerText()).toMatch(/投票截止 .*20/)
    await agenda.locator('.vote-open').click()
    await tap(staff, '.taro-model__confirm')
    await see(staff, '结束投票并公布结果')
    await screenshot(staff, 'meeting-02-scheduled')
  })

  it('residents vote online and each gets a receipt code', async () => {
    zhang = await signIn('居民', 'resident-zhang')
    li = await signIn('居民', 'resident-li')
    for (const [page, choice] of [
      [zhang, '同意'],
      [li, '反对'],
    ] as const) {
      await openTopic(page)
      await tap(page, '.ballot-options .chip', choice)
      await tap(page, '.ballot-submit')
      await see(page, `我的选择：${choice}`)
      await visible(page, '.ballot-receipt .receipt-code').waitFor({ state: 'visible' })
    }
    zhangReceipt = (await visible(zhang, '.ballot-receipt .receipt-code').innerText()).trim()
    expect(zhangReceipt).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/)
    await screenshot(zhang, 'meeting-03-voted-online')
  })

  it('at the meeting a resident signs in with the code under the door QR', async () => {
    // The meeting is on the 20th; check-in opens two hours before it starts. Move the day to begin
    // in half an hour, as if the calendar had reached it (the server keeps its own clock).
    const client = await MongoClient.connect(mongoUri)
    try {
      const moved = await client
        .db('e2e')
        .collection('deliberation_days')
        .updateOne({ _id: new ObjectId(dayId) }, { $set: { startsAt: new Date(Date.now() + 30 * 60_000) } })
      expect(moved.modifiedCount).toBe(1)
    } finally {
      await client.close()
    }
    await staff.goto(`/#/packages/deliberation/door/index?id=${dayId}`)
    await see(staff, '爱邻议事日 · 扫码签到')
    const code = (await visible(staff, '.door__code').innerText()).replace(/\s+/g, '')
    expect(code).toHaveLength(10)
    await screenshot(staff, 'meeting-04-door')

    await li.goto('/#/pages/deliberation/index')
    await tap(li, '.delib-checkin')
    await see(li, '签到码')
    await fill(li, 'checkin-code', code.toLowerCase())
    await screenshot(li, 'meeting-05-checkin-code')
    await tap(li, '.checkin-submit')
    await see(li, '签到成功')
    await screenshot(li, 'meeting-06-checked-in')
  })

  it('staff record two paper ballots, finding each voter by name or phone tail', async () => {
    await staff.goto(`/#/packages/deliberation/ballots/index?dayId=${dayId}`)
    await tap(staff, '.ballot-topic .chip', title)
    for (const [q, masked, choice] of [
      ['吴秀英', '吴**', '同意'],
      ['7342', '赵**', '同意'],
    ] as const) {
      await fill(staff, 'roll-q', q)
      await tap(staff, '.roll-search')
      const row = visible(staff, '.people-item', masked)
      await row.waitFor({ state: 'visible' })
      // Masked: the full name and phone never show, nor the id behind the row.
      expect(await row.innerText()).not.toMatch(/秀英|建国|[0-9a-f]{24}/)
      if (q === '吴秀英') await screenshot(staff, 'meeting-07-people-search')
      await row.locator('.roll-choice', { hasText: new RegExp(`^\\s*${choice}\\s*$`) }).click()
      await tap(staff, '.taro-model__confirm')
      await expect.poll(() => row.innerText()).toContain(`已录入：${choice}`)
    }
    await screenshot(staff, 'meeting-08-paper-ballots')
  })

  it('the projector shows how many have voted, never what, until the close', async () => {
    await staff.goto(`/#/packages/deliberation/board/index?id=${dayId}`)
    const panel = visible(staff, '.board-topic', title)
    await panel.waitFor({ state: 'visible' })
    await expect.poll(() => panel.locator('.board-topic__cast').innerText()).toMatch(/^4( \/ \d+)?$/)
    await expect.poll(() => visible(staff, '.board-attendance').innerText()).toBe('1')
    expect(await panel.innerText()).not.toMatch(/同意|反对|弃权|\d+ 票|表决通过|未获通过/)
    await screenshot(staff, 'meeting-09-board-counts')
  })

  it('staff close the vote; the board and residents see the result', async () => {
    await staff.goto(`/#/packages/deliberation/planner/index?id=${dayId}`)
    await visible(staff, '.agenda-item', title).locator('.vote-close').click()
    await tap(staff, '.taro-model__confirm') // irreversible: confirmed
    await expect.poll(() => visible(staff, '.agenda-item', title).innerText()).toMatch(/已通过/)
    await screenshot(staff, 'meeting-10-closed')
    await staff.goto(`/#/packages/deliberation/board/index?id=${dayId}`)
    const panel = visible(staff, '.board-topic', title)
    await expect.poll(() => panel.innerText()).toContain('表决通过')
    await expect.poll(() => panel.innerText()).toMatch(/同意\s*3 票/)
    await screenshot(staff, 'meeting-11-board-result')

    await zhang.reload()
    await see(zhang, '议事历程')
    await see(zhang, '表决通过')
    await see(zhang, '同意 3 票')
    await tap(zhang, '.receipts-open')
    await see(zhang, '计票回执 4 张，与投票数一致。')
    await see(zhang, `您的回执码 ${zhangReceipt} 在清单中，您的选票已计入。`)
    expect((await visible(zhang, '.receipt-code--mine').innerText()).trim()).toBe(zhangReceipt)
    expect(await zhang.locator('.receipts > .receipt-code').count()).toBe(4)
    await screenshot(zhang, 'meeting-12-receipts')
  })
})
