/**
 * Times are shown in China Standard Time. Mainland China keeps UTC+8 all year, so a fixed offset is
 * exact and avoids relying on Intl time-zone data, which mini-program JS engines do not all ship.
 */
const OFFSET_MS = 8 * 60 * 60 * 1000

const pad = (n: number) => String(n).padStart(2, '0')

/** Wall-clock parts of an instant in UTC+8. */
export function chinaTime(at: Date | string) {
  const shifted = new Date((typeof at === 'string' ? Date.parse(at) : at.getTime()) + OFFSET_MS)
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
  }
}

/** '2025-11-23T06:05:00.000Z' → '2025-11-23 14:05' */
export function formatDateTime(at: Date | string): string {
  const t = chinaTime(at)
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)}`
}

/** Greeting for the hour of day in China. */
export function greeting(now: Date = new Date()): string {
  const { hour } = chinaTime(now)
  if (hour >= 5 && hour < 11) return '早上好'
  if (hour >= 11 && hour < 13) return '中午好'
  if (hour >= 13 && hour < 18) return '下午好'
  return '晚上好'
}

const weekdays = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** '12月9日 周三' in China time. */
export function formatDay(at: Date | string): string {
  const t = chinaTime(at)
  const weekday = weekdays[new Date(Date.UTC(t.year, t.month - 1, t.day)).getUTCDay()]
  return `${t.month}月${t.day}日 ${weekday}`
}

/** '14:06' in China time. */
export function formatTime(at: Date | string): string {
  const t = chinaTime(at)
  return `${pad(t.hour)}:${pad(t.minute)}`
}

/** '今天 14:06' for today in China, otherwise '12月9日 周三 14:06'. */
export function formatWhen(at: Date | string, now: Date = new Date()): string {
  const t = chinaTime(at)
  const n = chinaTime(now)
  const today = t.year === n.year && t.month === n.month && t.day === n.day
  return `${today ? '今天' : formatDay(at)} ${formatTime(at)}`
}
