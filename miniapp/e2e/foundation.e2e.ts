import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { fill, fillDevLogin, launchBrowser, openPhone, openTab, screenshot, see, seeIn, tap } from './browser'

/**
 * The foundation flow on the H5 build served by the real BFF: a resident signs in, files a residency
 * claim; staff of that community approve it; the resident is verified. Steps share state, in order.
 */
const baseUrl = inject('baseUrl')
const { communityA } = inject('demo')
const claimant = { realName: '林小满', phone: '13912345678', unit: '2', room: '301' }

let browser: Browser
let resident: Page
let staff: Page

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('foundation: from sign-in to verified resident', () => {
  it('signs a resident in with the dev login', async () => {
    resident = await openPhone(browser, baseUrl)
    await fillDevLogin(resident, '居民', 'e2e-resident')
    await screenshot(resident, '01-login')
    await tap(resident, '.dev-submit')
    await see(resident, /好，e2e-resident/)
    await see(resident, '尚未加入社区')
    await see(resident, '完成居民认证后，即可预约空间、参与议事投票和兑换积分')
    await screenshot(resident, '02-home')
  })

  it('shows the unverified profile on 我的', async () => {
    await openTab(resident, '我的')
    await see(resident, '居民认证')
    await seeIn(resident, '.me-residency .tag', '未认证')
    await see(resident, '退出登录')
    expect(await resident.getByText('社区工作台').count()).toBe(0)
    await screenshot(resident, '03-me-unverified')
  })

  it('files a residency claim in community A', async () => {
    await tap(resident, '.me-residency')
    await see(resident, '填写认证信息')
    await tap(resident, '.pick-community .chip', communityA.name)
    await tap(resident, '.pick-grid .chip') // the first grid
    await tap(resident, '.pick-courtyard .chip')
    await tap(resident, '.pick-building .chip')

    // The form checks with the contract's schema before sending.
    await fill(resident, 'claim-unit', claimant.unit)
    await fill(resident, 'claim-room', claimant.room)
    await fill(resident, 'claim-name', claimant.realName)
    await fill(resident, 'claim-phone', '1391234')
    await tap(resident, '.claim-submit')
    await see(resident, '手机号：请输入11位手机号')

    await fill(resident, 'claim-phone', claimant.phone)
    // Real name and phone are sent only with the resident's agreement to the personal-information rules.
    await tap(resident, '.claim-submit')
    await see(resident, '请阅读并同意《个人信息处理规则》')
    await tap(resident, '.claim-consent')
    await screenshot(resident, '04-residency-form')
    await tap(resident, '.claim-submit')
    await see(resident, '已提交的申请')
    await see(resident, '社区工作人员将尽快审核，请耐心等待')
    await seeIn(resident, '.residency-status .tag', '审核中')
    await see(resident, communityA.name)
    await see(resident, claimant.phone)
    await screenshot(resident, '05-residency-pending')
  })

  it('lets staff of community A approve the claim from the review queue', async () => {
    staff = await openPhone(browser, baseUrl)
    await fillDevLogin(staff, '社区工作人员', 'e2e-staff', communityA.name)
    await tap(staff, '.dev-submit')
    await see(staff, /好，e2e-staff/)

    await openTab(staff, '我的')
    await see(staff, `社区工作人员 · ${communityA.name}`)
    await tap(staff, '.me-workbench .row', '社区工作台')
    await see(staff, '认证审核')
    await see(staff, /\d+ 条待审核/)
    await screenshot(staff, '06-staff-workbench')

    await tap(staff, '.tile-claims')
    const masked = '139****5678'
    await see(staff, masked)
    await see(staff, '林**')
    expect(await staff.getByText(claimant.phone).count()).toBe(0)
    await screenshot(staff, '07-claims-queue')

    await tap(staff, '.claim-item', masked)
    await see(staff, claimant.realName)
    await see(staff, claimant.phone)
    await screenshot(staff, '08-claim-detail')

    // 驳回 states its limit first; without a reason the server's message shows under the field.
    await tap(staff, '.claim-reject')
    await seeIn(staff, '.reject-reason .field__hint', '最多200个字，居民将看到并据此修改')
    await tap(staff, '.claim-reject-confirm')
    await seeIn(staff, '.reject-reason .field__error', '驳回须填写原因')
    await tap(staff, '.reject-form .btn', '取消')

    await tap(staff, '.claim-approve')
    await see(staff, '确认该居民的住址与身份信息无误？')
    await staff.getByText('确认通过').click()
    await seeIn(staff, '.claim-detail .tag', '已通过')
    await screenshot(staff, '09-claim-approved')
  })

  it('records the review in the audit log', async () => {
    await staff.goBack()
    await staff.goBack()
    await see(staff, '操作日志')
    await tap(staff, '.tile-audit')
    await see(staff, '通过认证申请')
    await see(staff, '查看认证申请')
    await screenshot(staff, '10-audit-log')
  })

  it('shows the resident as verified after a reload of 我的', async () => {
    // The resident is still on the residency page (no tab bar there): go to 我的 and reload.
    await resident.goto('/#/pages/me/index')
    await resident.reload()
    await see(resident, '居民认证')
    await seeIn(resident, '.me-residency .tag', '已认证')
    await see(resident, `居民 · ${communityA.name}`)
    await screenshot(resident, '11-me-verified')
  })

  it('signs the resident out from 我的 back to the login page', async () => {
    await tap(resident, '.logout')
    await see(resident, '退出后需重新登录才能使用')
    await resident.getByText('退出', { exact: true }).click()
    await see(resident, '开发登录')
    expect(await resident.evaluate(() => localStorage.getItem('linli.tokens'))).toBeNull()
  })
})
