import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { devLogin, fill, launchBrowser, openPhone, screenshot, see, seeIn, tap, visible } from './browser'

/**
 * 急难愁盼 end to end on the H5 build and the real BFF: a verified resident reports a broken pipe
 * with a photo; the grid worker accepts it from the queue and resolves it with a reply; the resident
 * rates it; the stats page counts it. Steps share state, in order.
 */
const baseUrl = inject('baseUrl')
const { communityA } = inject('demo')
const title = `楼道水管漏水${Date.now() % 100_000}`
// A real 1×1 PNG: the BFF checks the magic bytes.
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

let browser: Browser
let resident: Page
let worker: Page

beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

describe('urgent needs: report → accept → resolve → rate → stats', () => {
  it('a verified resident reports a need with a photo and gets a receipt', async () => {
    resident = await openPhone(browser, baseUrl)
    await devLogin(resident, '居民', 'resident-zhang')
    await tap(resident, '.entry', '我要反映')
    await see(resident, '遇到什么事？')
    await tap(resident, '.pick-category .chip', '水电气维修')
    await tap(resident, '.pick-urgency .chip', '紧急')
    await see(resident, '承诺30分钟内受理')
    await fill(resident, 'need-title', title)
    await visible(resident, '.need-description textarea').fill('3栋2单元楼道水管一直在漏水，地面积水')

    const chooser = resident.waitForEvent('filechooser')
    await tap(resident, '.need-add-photo')
    await (await chooser).setFiles({ name: 'leak.png', mimeType: 'image/png', buffer: png })
    await resident.locator('.need-photo--new').filter({ visible: true }).first().waitFor({ timeout: 15_000 })
    await screenshot(resident, 'needs-01-report-form')

    await tap(resident, '.need-submit')
    // An earlier run in the same database may have left a need of the same category nearby.
    const outcome = await Promise.race([
      see(resident, '已收到您的反映', 20_000).then(() => 'receipt'),
      see(resident, '不是同一件事，仍然提交', 20_000).then(() => 'similar'),
    ])
    if (outcome === 'similar') {
      await screenshot(resident, 'needs-01b-similar-suggested')
      await tap(resident, '.need-submit-anyway')
      await see(resident, '已收到您的反映')
    }
    await see(resident, title)
    await see(resident, '待受理')
    // The photo must actually decode, not merely have an <img> element.
    const photo = resident.locator('.need-photo img, img.need-photo').filter({ visible: true }).first()
    await expect
      .poll(() => photo.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 })
      .toBeGreaterThan(0)
    await screenshot(resident, 'needs-02-receipt')
  })

  it('the grid worker sees it in the queue with a countdown, accepts and resolves it with a reply', async () => {
    worker = await openPhone(browser, baseUrl)
    await devLogin(worker, '网格员', 'grid-wangping-1', communityA.name, '第一网格')
    // A grid worker lands on their desk: the count of open needs leads to the queue.
    await see(worker, '待我处理')
    await tap(worker, '.desk-needs')
    await see(worker, '待办反映')
    await see(worker, title)
    await see(worker, /剩余\d+分\d+秒|剩余\d+小时/)
    await screenshot(worker, 'needs-03-queue')

    await tap(worker, '.need-card', title)
    await see(worker, '3栋2单元楼道水管一直在漏水')
    await tap(worker, '.need-accept')
    await see(worker, '已受理')
    await see(worker, /grid-wangping-1已受理|已受理/)
    await tap(worker, '.need-resolve')
    // The limit is stated before typing; without a reply the server's message shows under the field.
    await seeIn(worker, '.need-text .field__hint', '最多1000个字，必填，将告知居民')
    await tap(worker, '.need-panel-submit')
    await seeIn(worker, '.need-text .field__error', '办结前须答复居民')
    await visible(worker, '.need-text textarea').fill('已关闭阀门并更换水管接头，请查看')
    await visible(worker, '.need-text .field__error').waitFor({ state: 'detached' })
    await screenshot(worker, 'needs-04-resolve-form')
    await tap(worker, '.need-panel-submit')
    await see(worker, '已办结')
    await see(worker, '已关闭阀门并更换水管接头，请查看')
    await screenshot(worker, 'needs-05-resolved')
  })

  it('the resident sees the reply in the timeline and rates it', async () => {
    await resident.reload()
    await see(resident, '已关闭阀门并更换水管接头，请查看')
    // 我的反映's progress: all four steps done once resolved.
    await seeIn(resident, '.need-steps .step--done:last-child', '已办结')
    await tap(resident, '.need-rate')
    await tap(resident, '.stars .chip', '5星')
    await visible(resident, '.need-text textarea').fill('修得很快，谢谢')
    await tap(resident, '.need-panel-submit')
    await see(resident, '居民评价：5星，修得很快，谢谢')
    await see(resident, '已评价')
    await screenshot(resident, 'needs-06-rated')
  })

  it('the stats page counts the need', async () => {
    await worker.goBack()
    await see(worker, '待办反映')
    await tap(worker, '.need-stats-link')
    await see(worker, '响应率')
    await see(worker, '满意率')
    await see(worker, '水电气维修')
    const total = Number(await visible(worker, '.stat-total').textContent())
    expect(total).toBeGreaterThanOrEqual(1)
    await see(worker, '已评价')
    await screenshot(worker, 'needs-07-stats')
  })
})
