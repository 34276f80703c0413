import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'

/**
 * 关怀模式 (care mode): one flag, kept in storage, read by every page root (`Page`). On H5 the
 * document root carries the class too, so the tab bar and WeChat-style modals and toasts scale with it.
 */
const KEY = 'linli.care'
const OFFERED_KEY = 'linli.care.offered'
const listeners = new Set<(on: boolean) => void>()
let current: boolean | null = null

function applyToDocument(on: boolean): void {
  if (process.env.TARO_ENV === 'h5') document.documentElement.classList.toggle('care', on)
}

export function isCare(): boolean {
  current ??= Taro.getStorageSync(KEY) === true
  return current
}

export function setCare(on: boolean): void {
  current = on
  Taro.setStorageSync(KEY, on)
  Taro.setStorageSync(OFFERED_KEY, true)
  applyToDocument(on)
  for (const listener of listeners) listener(on)
}

/** Re-renders when care mode is switched anywhere. */
export function useCare(): boolean {
  const [on, setOn] = useState(isCare)
  useEffect(() => {
    listeners.add(setOn)
    setOn(isCare())
    return () => {
      listeners.delete(setOn)
    }
  }, [])
  return on
}

/** Whether the first-use offer of care mode is still to be made (asked once, whatever the answer). */
export const careOfferPending = (): boolean => Taro.getStorageSync(OFFERED_KEY) !== true

export function dismissCareOffer(): void {
  Taro.setStorageSync(OFFERED_KEY, true)
}

/** Applies the stored choice to the H5 document at start. */
export function initCare(): void {
  applyToDocument(isCare())
}
