import {
  clockMinutes,
  DEFAULT_TZ,
  shiftDate,
  weekdayOfDate,
  zoneAt,
  zoneClock,
  zoneDate,
} from './booking-rules'

/**
 * Pure activity and lending rules: which local dates a weekly series meets on, how many minutes of
 * service a check-in/check-out pair is worth, when check-in is open, loan codes and statuses.
 */

const MINUTE = 60_000

export interface WeeklyRule {
  /** 0 = 星期日 … 6 = 星期六, in the community's time zone. */
  weekdays: readonly number[]
  /** Local wall-clock start, `HH:mm`. */
  startTime: string
  durationMinutes: number
  /** First and last local dates of the series (last may be open). */
  startDate: string
  endDate: string | null
  /** Local dates the series skips. */
  exceptions: readonly string[]
}

export interface SessionTime {
  date: string
  start: Date
  end: Date
}

/**
 * Sessions of a weekly series on local dates in [from, to], each at `startTime` local wall-clock in
 * `tz` (so 19:00 stays 19:00 across a daylight-saving change), skipping the exceptions.
 */
export function weeklySessions(rule: WeeklyRule, from: string, to: string, tz = DEFAULT_TZ): SessionTime[] {
  const first = from > rule.startDate ? from : rule.startDate
  const last = rule.endDate && rule.endDate < to ? rule.endDate : to
  const startMinutes = clockMinutes(rule.startTime)
  const out: SessionTime[] = []
  for (let date = first; date <= last; date = shiftDate(date, 1)) {
    if (!rule.weekdays.includes(weekdayOfDate(date)) || rule.exceptions.includes(date)) continue
    const start = zoneAt(date, startMinutes, tz)
    out.push({ date, start, end: new Date(start.getTime() + rule.durationMinutes * MINUTE) })
  }
  return out
}

/** Sessions are materialised this many local days ahead; the activities sweeper rolls the horizon on. */
export const SESSION_HORIZON_DAYS = 28
/** Check-in opens this long before a session starts, and closes when it ends. */
export const CHECK_IN_OPENS_MINUTES = 30
/** A volunteer still checked in this long after the end is checked out by the sweeper at the end. */
export const AUTO_CHECK_OUT_AFTER_MINUTES = 30

export function sessionCheckInState(start: Date, end: Date, now: Date): 'early' | 'open' | 'over' {
  if (now.getTime() < start.getTime() - CHECK_IN_OPENS_MINUTES * MINUTE) return 'early'
  if (now.getTime() > end.getTime()) return 'over'
  return 'open'
}

/**
 * Whole minutes served: the time between check-in and check-out that lies inside the session, so
 * arriving early or leaving late never earns more than the session's length.
 */
export function servedMinutes(checkIn: Date, checkOut: Date, start: Date, end: Date): number {
  const from = Math.max(checkIn.getTime(), start.getTime())
  const to = Math.min(checkOut.getTime(), end.getTime())
  return Math.max(0, Math.floor((to - from) / MINUTE))
}

/** The local date and clock of a session for display: `2026-12-08 19:00–21:00`. */
export function sessionLabel(start: Date, end: Date, tz = DEFAULT_TZ): string {
  return `${zoneDate(start, tz)} ${zoneClock(start, tz)}–${zoneClock(end, tz)}`
}

export const signUpStatuses = ['confirmed', 'waitlisted', 'cancelled', 'checkedIn', 'checkedOut'] as const
export type SignUpStatusValue = (typeof signUpStatuses)[number]
export const signUpStatusLabels: Record<SignUpStatusValue, string> = {
  confirmed: '已报名',
  waitlisted: '候补中',
  cancelled: '已取消',
  checkedIn: '已签到',
  checkedOut: '已签退',
}

export const loanStatuses = ['reserved', 'pickedUp', 'returned', 'cancelled', 'expired'] as const
export type LoanStatusValue = (typeof loanStatuses)[number]
export const loanStatusLabels: Record<LoanStatusValue, string> = {
  reserved: '待取用',
  pickedUp: '借用中',
  returned: '已归还',
  cancelled: '已取消',
  expired: '未取已过期',
}

/** A reserved item not picked up within this many hours goes back on the shelf. */
export const LOAN_PICKUP_HOURS = 48
/** Late returns: `limit` overdue loans within `windowDays` suspend borrowing for `suspendDays`. */
export const lendingSuspensionPolicy = { limit: 2, windowDays: 90, suspendDays: 30 } as const

/** Loan and check-in codes: the voucher alphabet (no 0/O, 1/I/L), read aloud or typed at a desk. */
export const codeAlphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
export const LOAN_CODE_LENGTH = 8
export const SESSION_CODE_LENGTH = 6

export function makeCode(length: number, randomInt: (max: number) => number): string {
  let code = ''
  for (let i = 0; i < length; i++) code += codeAlphabet[randomInt(codeAlphabet.length)]
  return code
}

/** What a person types or a scanner reads: any case, spaces and dashes ignored. */
export const normalizeCode = (input: string): string => input.toUpperCase().replace(/[\s-]/g, '')
