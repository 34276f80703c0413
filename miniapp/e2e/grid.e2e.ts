import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { devLogin, fill, launchBrowser, openPhone, screenshot, see, tap, visible } from './browser'

/**
 * 微网实格 · 吹哨报到 end to end on the H5 build and the real BFF: 张阿姨 binds her son as family; the
 * grid worker files a need for her found on patrol; the community whistles 城管; 城管 staff reports in
 * and resolves it in their own queue; the son sees it closed and rates it; the street cockpit counts
 * it. Steps share state, in order.
 */
const baseUrl = inject('baseUrl')
const { communityA } = inject('demo')
const title = `独居老人门口堆放杂物${Date.now() % 100_000}`

let browser: Browser
let elder: Page
let son: Page

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

async function confirmModal(page: Page): Promise<void> {
  await tap(page, '.taro-model__btn', '确定')
}

/** 我的, from any page (subpackage pages have no tab bar), then one of its cells. */
async function openMe(page: Page, row: string): Promise<void> {
  await page.goto('/#/pages/me/index')
  await tap(page, '.cell', row)
}

describe('grid field work and 吹哨报到 as a closed loop', () => {
  it('the elder binds her son: she asks for a code, he types it', async () => {
    elder = await openPhone(browser, baseUrl)
    await devLogin(elder, '居民', 'resident-zhang')
    await openMe(elder, '家人绑定')
    await tap(elder, '.family-ask-elder')
    const code = (await visible(elder, '.family-code').textContent())?.trim() ?? ''
    expect(code).toMatch(/^[A-Z2-9]{10}$/)
    await screenshot(elder, 'grid-01-family-code')

    son = await openPhone(browser, baseUrl)
    await devLogin(son, '居民', 'family-zhang-son')
    await openMe(son, '家人绑定')
    await fill(son, 'family-code-input', code)
    await tap(son, '.family-confirm')
    await see(son, '我帮助的家人：张阿姨')
    await see(son, '已绑定')
    await screenshot(son, 'grid-02-family-bound')
  })

  it('the grid worker files a need for her found on patrol, recording her consent', async () => {
    const worker = await openPhone(browser, baseUrl)
    await devLogin(worker, '网格员', 'grid-wangping-1', communityA.name, '第一网格')
    await openMe(worker, '网格员工作台')
    await see(worker, '今日待办')
    await tap(worker, '.day-file')
    await tap(worker, '.file-source .chip', '巡查发现')
    await tap(worker, '.file-resident .chip', '张**')
    await tap(worker, '.file-consent .chip', '当面口头同意')
    await tap(worker, '.file-category .chip', '为老助残')
    await fill(worker, 'file-title', title)
    await visible(worker, '.file-description textarea').fill(
      '巡查发现张阿姨家门口楼道堆满杂物，影响通行和消防',
    )
    await screenshot(worker, 'grid-03-file-on-behalf')
    await tap(worker, '.file-submit')
    await see(worker, '已收到您的反映')
    await see(worker, '巡查发现，代居民张**反映（当面口头同意）')
    await screenshot(worker, 'grid-04-filed')
  })

  it('the community staff whistle 城管, who must report in', async () => {
    const staff = await openPhone(browser, baseUrl)
    await devLogin(staff, '社区工作人员', 'staff-wangping', communityA.name)
    await openMe(staff, '社区工作台')
    await tap(staff, '.tile-needs')
    await tap(staff, '.need-card', title)
    await tap(staff, '.need-escalate')
    await tap(staff, '.need-departments .chip', '城管执法中队')
    await screenshot(staff, 'grid-05-whistle')
    await tap(staff, '.need-panel-submit')
    await see(staff, '待报到')
  })

  it('城管 staff report in and resolve it from their own queue', async () => {
    const dept = await openPhone(browser, baseUrl)
    await dept.goto('/')
    await see(dept, '开发登录')
    await tap(dept, '.dev-role .chip', '部门工作人员')
    await tap(dept, '.dev-department .chip', '城管执法中队')
    await fill(dept, 'dev-handle', 'dept-chengguan')
    await tap(dept, '.dev-submit')
    await see(dept, /好，/)
    await openMe(dept, '部门待办')
    await see(dept, title)
    await see(dept, /报到剩余/)
    await screenshot(dept, 'grid-06-dept-queue')
    await tap(dept, '.dept-item .dept-report-in')
    await visible(dept, '.dept-panel textarea').fill('队员已到现场，正在清理')
    await tap(dept, '.grid-panel__submit')
    await see(dept, '已报到')
    await tap(dept, '.dept-item .dept-resolve')
    await visible(dept, '.dept-panel textarea').fill('杂物已清理，楼道恢复通行，已提醒居民')
    await tap(dept, '.grid-panel__submit')
    await confirmModal(dept)
    await tap(dept, '.dept-states .chip', '已办结')
    await see(dept, title)
    await screenshot(dept, 'grid-07-dept-resolved')
  })

  it('her son sees it closed and rates it for her', async () => {
    await openMe(son, '家人绑定')
    await tap(son, '.family-needs')
    await see(son, '张阿姨的反映')
    await see(son, title)
    await see(son, '已办结')
    await screenshot(son, 'grid-08-family-sees-resolved')
    await tap(son, '.family-need', title)
    await see(son, '杂物已清理，楼道恢复通行')
    await tap(son, '.need-rate')
    await tap(son, '.stars .chip', '5星')
    await tap(son, '.need-panel-submit')
    await see(son, '已评价')
    await screenshot(son, 'grid-09-family-rated')
  })

  it('the street cockpit shows it', async () => {
    const street = await openPhone(browser, baseUrl)
    await devLogin(street, '街道工作人员', 'street-mzw', communityA.name)
    await openMe(street, '街道驾驶舱')
    await see(street, '每周趋势')
    const total = Number((await visible(street, '.cockpit-total').textContent())?.trim())
    expect(total).toBeGreaterThanOrEqual(1)
    await see(street, /城管执法中队（城管）· 吹哨\d+次/)
    await see(street, /按时报到 100%/)
    await screenshot(street, 'grid-10-cockpit')
    const download = street.waitForEvent('download')
    await tap(street, '.cockpit-export')
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/)
  })
})
