import type { Page } from 'playwright-core'

/**
 * The screen audit run on every screen of the e2e run: body text ≥ 16 px (≥ 18 in 关怀模式), every
 * tappable ≥ 44 px in both directions (≥ 56 in 关怀模式), no ObjectId-like string and no English word
 * outside the allow-list visible. Returns what it checked and every violation.
 */
export interface AuditResult {
  texts: number
  tappables: number
  violations: string[]
}

/** English a resident may meet: the need number prefix, QR codes. */
export const englishAllowList = ['FY', 'QR']

/** Codes a resident reads or types letter by letter (vote receipts, the door check-in code): not words. */
const codeSelector = '.receipt-code,.door__code'

/** Elements a resident taps: kit buttons, cells, chips, links, tiles, fields, the H5 tab and nav bars. */
const tappableSelector = [
  '[role="button"]',
  '[role="link"]',
  '[role="radio"]',
  '[role="switch"]',
  '[role="checkbox"]',
  '.btn',
  '.chip',
  '.link',
  '.slot',
  '.field__input',
  '.field__picker',
  '.weui-tabbar__item',
  '.taro-model__btn',
  '.taro-navigation-bar-show .taro-navigation-bar-back',
  'a[href]',
  'button',
].join(',')

export async function auditScreen(
  page: Page,
  options: { care: boolean; english?: boolean; allow?: string[] },
): Promise<AuditResult> {
  const minText = options.care ? 18 : 16
  const minTap = options.care ? 56 : 44
  const allow = [...englishAllowList, ...(options.allow ?? [])]
  return page.evaluate(
    ({ minText, minTap, selector, allow, english, codes }) => {
      const violations: string[] = []
      const shown = (el: Element) =>
        el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
        el.getBoundingClientRect().width > 0
      const snippet = (s: string) => s.trim().replace(/\s+/g, ' ').slice(0, 30)

      let texts = 0
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? ''
        const parent = node.parentElement
        if (!text.trim() || !parent || !shown(parent)) continue
        if (parent.closest('script,style,[aria-hidden="true"]')) continue
        texts++
        const size = Number.parseFloat(getComputedStyle(parent).fontSize)
        if (size < minText - 0.05)
          violations.push(`text ${size.toFixed(1)}px < ${minText}: "${snippet(text)}"`)
        if (/\b[0-9a-f]{24}\b/i.test(text) || /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/i.test(text))
          violations.push(`raw id visible: "${snippet(text)}"`)
        if (english && !parent.closest(codes))
          for (const word of text.match(/[A-Za-z]{2,}/g) ?? [])
            if (!allow.includes(word)) violations.push(`English word "${word}": "${snippet(text)}"`)
      }

      let tappables = 0
      for (const el of Array.from(document.querySelectorAll(selector))) {
        if (!shown(el)) continue
        tappables++
        const r = el.getBoundingClientRect()
        if (r.height < minTap - 0.5 || r.width < minTap - 0.5)
          violations.push(
            `tappable ${Math.round(r.width)}×${Math.round(r.height)} < ${minTap}: ${el.className || el.tagName} "${snippet(el.textContent ?? '')}"`,
          )
      }
      return { texts, tappables, violations }
    },
    {
      minText,
      minTap,
      selector: tappableSelector,
      allow,
      english: options.english ?? true,
      codes: codeSelector,
    },
  )
}
