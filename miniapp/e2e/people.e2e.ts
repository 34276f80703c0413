import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { api, tokenOf, verifiedNeighbour } from './api'
import { devLogin, fill, launchBrowser, openPhone, screenshot, see, tap, visible } from './browser'

/**
 * The people picker on the staff desks, on the H5 build and the real BFF: staff award points to a
 * resident found by name, and make a resident found by phone tail a clerk of a merchant picked by
 * name. Staff see masked names and phones only; ids stay behind the scenes.
 */
const baseUrl = inject('baseUrl')
const { communityA } = inject('demo')

let browser: Browser
let staff: Page

const people = [
  { handle: 'resident-sun', realName: '孙丽华', phone: '13700006621', unit: '2', room: '501' },
  { handle: 'resident-qian', realName: '钱志强', phone: '13600009135', unit: '2', room: '602' },
]

beforeAll(async () => {
  browser = await launchBrowser()
  const staffToken = await tokenOf({ role: 'staff', scopeId: communityA.id, handle: 'staff-wangping' })
  for (const p of people) await verifiedNeighbour(p, staffToken)
  staff = await openPhone(browser, baseUrl)
  await devLogin(staff, '社区工作人员', 'staff-wangping', communityA.name)
})
afterAll(async () => {
  await browser?.close()
})

describe('people picker on the staff desks', () => {
  it('staff award points to a resident found by name', async () => {
    await staff.goto('/#/packages/points-admin/award/index')
    await fill(staff, 'award-people-q', '孙丽华')
    await tap(staff, '.award-people-search')
    const row = visible(staff, '.people-item', '孙**')
    await row.waitFor({ state: 'visible' })
    expect(await row.innerText()).toContain('137****6621')
    expect(await row.innerText()).not.toMatch(/丽华|[0-9a-f]{24}/)
    await screenshot(staff, 'people-01-award-search')
    await row.locator('.award-pick').click()
    await visible(staff, '.award-picked', '孙**').waitFor({ state: 'visible' })
    await fill(staff, 'award-points', '20')
    await fill(staff, 'award-reason', '协助组织议事日签到')
    await tap(staff, '.award-submit')
    await see(staff, /已发放 20 分/)
    await screenshot(staff, 'people-02-awarded')
  })

  it('staff make a resident found by phone tail a clerk of a merchant picked by name', async () => {
    await staff.goto('/#/packages/points-admin/merchants/index')
    await see(staff, '为商户添加店员')
    const before = await visible(staff, '.merchant-item', '望平烘焙坊').innerText()
    const count = Number(/店员 (\d+) 人/.exec(before)![1])
    await tap(staff, '.merchant-target .chip', '望平烘焙坊')
    await fill(staff, 'merchant-staff-people-q', '9135')
    await tap(staff, '.merchant-staff-people-search')
    const row = visible(staff, '.people-item', '钱**')
    await row.waitFor({ state: 'visible' })
    expect(await row.innerText()).not.toMatch(/志强|[0-9a-f]{24}/)
    await row.locator('.merchant-staff-add-one').click()
    await tap(staff, '.taro-model__confirm')
    await expect.poll(() => row.innerText()).toContain('已添加为店员')
    await expect
      .poll(() => visible(staff, '.merchant-item', '望平烘焙坊').innerText())
      .toContain(`店员 ${count + 1} 人`)
    await screenshot(staff, 'people-03-clerk-added')
    // The new clerk now holds the merchant role of the bakery.
    const me = await api<{ roles: { role: string; scopeName: string }[] }>(
      'GET',
      '/api/v1/me',
      undefined,
      await tokenOf({ role: 'resident', handle: 'resident-qian' }),
    )
    expect(me.body.roles).toContainEqual(
      expect.objectContaining({ role: 'merchant', scopeName: '望平烘焙坊' }),
    )
  })
})
