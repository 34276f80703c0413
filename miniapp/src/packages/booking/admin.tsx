import Taro from '@tarojs/taro'

/** Staff pages of space booking: space management, blackouts (booking on behalf is on the space page). */
export const SPACES_PAGE = '/packages/booking/spaces/index'
export const SPACE_EDIT_PAGE = '/packages/booking/space-edit/index'
export const BLACKOUTS_PAGE = '/packages/booking/blackouts/index'

export const toast = (title: string, icon: 'none' | 'success' = 'none') =>
  Taro.showToast({ title, icon, duration: 2500 })

/** '' → undefined (left to the default or unchanged), digits → the number, anything else → NaN. */
export const intOf = (s: string): number | undefined =>
  s.trim() === '' ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN

/** The instant `minutes` after local midnight of `date` (YYYY-MM-DD) in China time (UTC+8 all year). */
export function chinaInstant(date: string, minutes: number): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + minutes * 60_000).toISOString()
}
