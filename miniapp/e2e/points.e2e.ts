import { voucherQrPayload } from '@linli/shared-types'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { qrMatrix } from '../src/components/qr/matrix'
import { fill, launchBrowser, openPhone, openTab, screenshot, see, seeIn, tap, visible } from './browser'

/**
 * Points end to end on the H5 build served by the real BFF: a resident with points redeems a reward and
 * sees the voucher with its QR (drawn on device) and code; the merchant types the code, previews the
 * voucher and redeems it; the resident sees 已核销; staff reconcile. Steps share state, in order.
 */
const baseUrl = inject('baseUrl')
const { communityA } = inject('demo')
const reward = { title: '手工吐司一份', cost: 50 }

let browser: Browser
let resident: Page
let merchant: Page
let code = ''
let balanceBefore = 0

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** Dev login on the login page the app redirects to. */
async function devLogin(page: Page, role: string, handle: string, extra?: () => Promise<void>) {
  await page.goto('/')
  await see(page, '开发登录')
  await tap(page, '.dev-role .chip', role)
  await extra?.()
  await fill(page, 'dev-handle', handle)
  await tap(page, '.dev-submit')
  await see(page, /好，/)
}

const communityBalance = async (page: Page) =>
  Number(await visible(page, '.points__balance--community .points__number').innerText())

/** The module matrix the page drew, read back from the rows of runs (run width / row width × modules). */
async function drawnQr(page: Page): Promise<string[]> {
  return visible(page, '.qr').evaluate((qr) => {
    const rows = [...qr.querySelectorAll('.qr__row')]
    const n = rows.length
    return rows.map((row) => {
      const width = row.getBoundingClientRect().width
      return [...row.children]
        .map((run) => {
          const len = Math.round((run.getBoundingClientRect().width / width) * n)
          return (run.classList.contains('qr__dark') ? '1' : '0').repeat(len)
        })
        .join('')
    })
  })
}

describe('points: redeem a reward, 核销 at the merchant', () => {
  it('shows the resident both balances and the rewards on 积分', async () => {
    resident = await openPhone(browser, baseUrl)
    await devLogin(resident, '居民', 'resident-zhang')
    await openTab(resident, '积分')
    await see(resident, '志愿积分')
    await see(resident, '社区积分')
    await see(resident, '礼遇资源库')
    await see(resident, reward.title)
    balanceBefore = await communityBalance(resident)
    expect(balanceBefore).toBeGreaterThanOrEqual(reward.cost)
    await screenshot(resident, 'points-01-tab')
  })

  it('redeems a reward and shows the voucher with its QR and code', async () => {
    await visible(resident, '.reward', reward.title).locator('.reward__redeem').click()
    await see(resident, `用 ${reward.cost} 社区积分 兑换「${reward.title}」？`)
    await screenshot(resident, 'points-02-confirm')
    await tap(resident, '.taro-model__confirm')

    await see(resident, '到店出示此券码，由商户扫码或输入核销')
    await seeIn(resident, '.voucher__status', '待使用')
    code = (await visible(resident, '.voucher__code').innerText()).trim()
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/)

    // The QR drawn with Views is exactly the QR of the voucher's payload.
    const drawn = await drawnQr(resident)
    const expected = qrMatrix(voucherQrPayload(code.replace(/-/g, ''))).map((row) => row.map(Number).join(''))
    expect(drawn.length).toBeGreaterThanOrEqual(21)
    expect(drawn).toEqual(expected)
    const box = await visible(resident, '.qr').boundingBox()
    expect(box!.width).toBeGreaterThan(120)
    await screenshot(resident, 'points-03-voucher')
  })

  it('charged the resident once', async () => {
    await resident.goBack()
    await see(resident, '礼遇资源库')
    await expect.poll(() => communityBalance(resident)).toBe(balanceBefore - reward.cost)
    await tap(resident, '.points__my-vouchers')
    await see(resident, reward.title)
    await see(resident, /待使用/)
    await screenshot(resident, 'points-04-my-vouchers')
  })

  it('lets the merchant type the code, preview the voucher and redeem it', async () => {
    merchant = await openPhone(browser, baseUrl)
    await devLogin(merchant, '商户', 'merchant-bakery', () =>
      tap(merchant, '.dev-merchant .chip', '望平烘焙坊'),
    )
    await openTab(merchant, '积分')
    await tap(merchant, '.points__merchant')
    await see(merchant, '查券')
    await fill(merchant, 'merchant__code', code.toLowerCase())
    await tap(merchant, '.merchant__lookup')
    await see(merchant, `券码 ${code}`)
    await seeIn(merchant, '.merchant__preview .voucher__status', '待使用')
    await see(merchant, reward.title)
    await see(merchant, /持券人 张/)
    await screenshot(merchant, 'points-05-merchant-preview')

    await tap(merchant, '.merchant__redeem')
    await tap(merchant, '.taro-model__confirm') // 核销 cannot be undone: it asks first
    await see(merchant, '核销成功')
    await seeIn(merchant, '.merchant__preview .voucher__status', '已核销')
    expect(await merchant.locator('.merchant__redeem').filter({ visible: true }).count()).toBe(0)
    await see(merchant, '今日核销（1）')
    await screenshot(merchant, 'points-06-merchant-redeemed')
  })

  it('refuses a second redemption of the same code', async () => {
    await tap(merchant, '.merchant__lookup')
    await seeIn(merchant, '.merchant__preview .voucher__status', '已核销')
    expect(await merchant.locator('.merchant__redeem').filter({ visible: true }).count()).toBe(0)
  })

  it('shows the resident the voucher as 已核销', async () => {
    await tap(resident, '.voucher-item', reward.title)
    await seeIn(resident, '.voucher__status', '已核销')
    await see(resident, /核销时间/)
    await visible(resident, '.voucher__qr--used').waitFor({ state: 'visible' })
    expect(await resident.getByText('取消兑换').filter({ visible: true }).count()).toBe(0)
    await screenshot(resident, 'points-07-voucher-redeemed')
  })

  it('lets staff reach 积分管理 from the 工作台 and see a clean reconciliation', async () => {
    const staff = await openPhone(browser, baseUrl)
    await devLogin(staff, '社区工作人员', 'e2e-points-staff', () =>
      tap(staff, '.dev-community .chip', communityA.name),
    )
    await openTab(staff, '我的')
    await tap(staff, '.me-workbench .row', '社区工作台')
    await tap(staff, '.tile-points')
    await see(staff, '志愿时长审核')
    await screenshot(staff, 'points-08-admin')

    await tap(staff, '.admin-report')
    await see(staff, '账实相符：余额与流水逐户一致，库存一致')
    await see(staff, /核销 [1-9]/)
    await see(staff, /积分 [1-9]\d*$/)
    await screenshot(staff, 'points-09-reconciliation')
  })

  it("shows the server's field message under its field on the reward editor, and clears it on edit", async () => {
    const staff = await openPhone(browser, baseUrl)
    await devLogin(staff, '社区工作人员', 'e2e-points-editor', () =>
      tap(staff, '.dev-community .chip', communityA.name),
    )
    await staff.goto('/#/packages/points-admin/rewards/index')
    await tap(staff, '.reward-item', reward.title)
    await see(staff, `修改「${reward.title}」`)
    await see(staff, '须晚于开始日期') // the limit is stated before anyone hits it
    await fill(staff, 'reward-from', '2030-06-01')
    await fill(staff, 'reward-until', '2030-01-01')
    await tap(staff, '.reward-save')
    // The update schema has no cross-field check: the 422 comes from the server with path validUntil.
    await seeIn(staff, '.reward-until .field__error', '结束时间须晚于开始时间')
    expect(await staff.locator('.reward-from .field__error').count()).toBe(0)
    await screenshot(staff, 'points-10-reward-field-error')
    await fill(staff, 'reward-until', '2030-12-31')
    await visible(staff, '.reward-until .field__error').waitFor({ state: 'detached' })
  })
})
