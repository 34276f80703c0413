import { formatTime, shiftDate, zoneAt, zoneDate } from '@linli/shared-types'
import { afterAll, describe, expect, it } from 'vitest'
import { startMockWechat } from '../../../../scripts/mock-wechat'
import { startTestApp } from '../../../test/harness'
import { Audit } from '../audit/audit.model'
import { loadActor } from '../auth/actor'
import { Notification, Outbox } from '../notify/notification.model'
import { outboxSweeper } from '../notify/outbox.sweeper'
import { Booking, SlotClaim } from './booking.model'
import { checkInBooking } from './booking.service'
import { bookingSweeper } from './booking.sweeper'

const wechat = await startMockWechat()
afterAll(() => wechat.stop())
const app = await startTestApp({ WECHAT_API_BASE: wechat.url })
const { communityA, communityB } = app.demo
const TZ = 'Asia/Shanghai'
const MIN = 60_000

const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })

let seq = 0
/** Verified residents of community A, made directly in the database. */
function residents(n: number) {
  return app.verifiedResidents(n, communityA.id, `bk-${seq++}`)
}

const allDay = Array.from({ length: 7 }, (_, weekday) => ({ weekday, open: '00:00', close: '24:00' }))

async function space(overrides: Record<string, unknown> = {}): Promise<string> {
  const res = await app.call(
    'createSpace',
    {
      body: {
        communityId: communityA.id,
        name: `测试空间${seq++}`,
        type: 'meetingRoom',
        location: '党群服务中心',
        capacity: 20,
        openingHours: allDay,
        minNoticeMinutes: 0,
        bookingWindowDays: 62,
        maxActiveBookings: 50,
        maxHoursPerWeek: 168,
        maxDurationMinutes: 240,
        ...overrides,
      },
    },
    { token: staffA },
  )
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.id
}

const today = () => zoneDate(new Date(), TZ)
/** A local wall-clock time on a local date, as the UTC ISO string the API takes. */
const at = (date: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number)
  return zoneAt(date, h! * 60 + m!, TZ).toISOString()
}
const bookingBody = (spaceId: string, date: string, from: string, to: string, extra = {}) => ({
  spaceId,
  start: at(date, from),
  end: at(date, to),
  purpose: '楼栋议事会',
  attendees: 8,
  contactPhone: '13812345678',
  ...extra,
})
const book = (token: string, body: object, headers: Record<string, string> = {}) =>
  app.call('createBooking', { body }, { token, headers })

async function claimsOf(spaceId: string) {
  return SlotClaim.find({ spaceId }).lean()
}

describe('concurrent booking', () => {
  it('50 residents booking the same hour at once: exactly one 201, the rest 409, no orphaned claims', async () => {
    const spaceId = await space()
    const people = await residents(50)
    const date = shiftDate(today(), 2)
    const t0 = performance.now()
    const replies = await Promise.all(
      people.map((p) => book(p.token, bookingBody(spaceId, date, '10:00', '11:00'))),
    )
    const ms = Math.round(performance.now() - t0)
    const ok = replies.filter((r) => r.status === 201)
    const taken = replies.filter((r) => r.status === 409 && r.body.code === 'BOOKING_SLOT_TAKEN')
    console.info(
      `[booking] 50 concurrent createBooking (same slot): ${ok.length} × 201, ${taken.length} × 409 in ${ms} ms`,
    )
    expect(ok).toHaveLength(1)
    expect(taken).toHaveLength(49)
    const claims = await claimsOf(spaceId)
    expect(claims).toHaveLength(2)
    expect(new Set(claims.map((c) => String(c.bookingId)))).toEqual(new Set([ok[0]!.body.id]))
    expect(await Booking.countDocuments({ spaceId })).toBe(1)
  })

  it('the same for bookings that overlap only partly', async () => {
    const spaceId = await space()
    const people = await residents(50)
    const date = shiftDate(today(), 3)
    const ranges = [
      ['09:00', '10:30'],
      ['10:00', '11:00'],
      ['09:30', '12:00'],
      ['09:30', '10:30'],
      ['10:00', '10:30'],
    ] as const
    const t0 = performance.now()
    const replies = await Promise.all(
      people.map((p, i) => {
        const [from, to] = ranges[i % ranges.length]!
        return book(p.token, bookingBody(spaceId, date, from, to))
      }),
    )
    const ms = Math.round(performance.now() - t0)
    const ok = replies.filter((r) => r.status === 201)
    console.info(`[booking] 50 concurrent createBooking (partial overlaps): ${ok.length} × 201 in ${ms} ms`)
    expect(ok).toHaveLength(1)
    expect(replies.filter((r) => r.status === 409 && r.body.code === 'BOOKING_SLOT_TAKEN')).toHaveLength(49)
    const winner = ok[0]!.body
    const claims = await claimsOf(spaceId)
    expect(claims).toHaveLength((Date.parse(winner.end) - Date.parse(winner.start)) / (30 * MIN))
    expect(claims.every((c) => String(c.bookingId) === winner.id)).toBe(true)
    expect(await Booking.countDocuments({ spaceId, status: 'claiming' })).toBe(0)
  })

  it('a repeat with the same Idempotency-Key replays the booking instead of making a second', async () => {
    const spaceId = await space()
    const [p] = await residents(1)
    const body = bookingBody(spaceId, shiftDate(today(), 2), '15:00', '16:00')
    const headers = { 'Idempotency-Key': 'bk-idem-1' }
    const [a, b] = await Promise.all([book(p!.token, body, headers), book(p!.token, body, headers)])
    const statuses = [a.status, b.status].sort()
    // Either both replay the one booking, or the second is told the first is still in progress.
    expect(statuses[0]).toBe(201)
    expect([201, 409]).toContain(statuses[1])
    const again = await book(p!.token, body, headers)
    expect(again.status).toBe(201)
    expect(await Booking.countDocuments({ spaceId })).toBe(1)
  })
})

describe('releasing slots', () => {
  it('reject, cancel and expiry free the slots at once for the next resident', async () => {
    const spaceId = await space()
    const [a, b, c, d] = await residents(4)
    const date = shiftDate(today(), 4)
    const body = bookingBody(spaceId, date, '14:00', '15:00')

    const first = await book(a!.token, body)
    expect([first.status, first.body.status]).toEqual([201, 'pending'])
    expect((await book(b!.token, body)).body.code).toBe('BOOKING_SLOT_TAKEN')

    const noReason = await app.call(
      'rejectBooking',
      { params: { id: first.body.id }, body: {} },
      { token: staffA },
    )
    expect(noReason.status).toBe(400)
    const rejected = await app.call(
      'rejectBooking',
      { params: { id: first.body.id }, body: { reason: '该时段已安排社区活动' } },
      { token: staffA },
    )
    expect([rejected.status, rejected.body.status]).toEqual([200, 'rejected'])
    const second = await book(b!.token, body)
    expect(second.status).toBe(201)

    const cancelled = await app.call(
      'cancelBooking',
      { params: { id: second.body.id }, body: {} },
      { token: b!.token },
    )
    expect([cancelled.body.status, cancelled.body.cancelledBy]).toEqual(['cancelled', 'resident'])
    const third = await book(c!.token, bookingBody(spaceId, date, '13:00', '15:00'))
    expect(third.status).toBe(201)

    // The pending booking 13:00–15:00 expires when 13:00 passes; 13:30 onwards is free again.
    const sweep = (await bookingSweeper.run(app.deps, new Date(Date.parse(third.body.start) + MIN))) as {
      expired: number
    }
    expect(sweep.expired).toBeGreaterThanOrEqual(1)
    expect(
      (await app.call('getBooking', { params: { id: third.body.id } }, { token: c!.token })).body.status,
    ).toBe('expired')
    expect(await SlotClaim.countDocuments({ bookingId: third.body.id })).toBe(0)
    expect((await book(d!.token, bookingBody(spaceId, date, '13:30', '15:00'))).status).toBe(201)
  })

  it('staff cancelling needs a reason, notifies the resident, and is audited', async () => {
    const spaceId = await space()
    const [a] = await residents(1)
    const made = await book(a!.token, bookingBody(spaceId, shiftDate(today(), 5), '09:00', '10:00'))
    const noReason = await app.call(
      'cancelBooking',
      { params: { id: made.body.id }, body: {} },
      { token: staffA },
    )
    expect(noReason.body.code).toBe('REASON_REQUIRED')
    expect(noReason.body.errors).toEqual([{ path: ['reason'], message: '工作人员取消预约须填写原因' }])
    const cancelled = await app.call(
      'cancelBooking',
      { params: { id: made.body.id }, body: { reason: '场地临时维修' } },
      { token: staffA },
    )
    expect([cancelled.body.status, cancelled.body.cancelledBy]).toEqual(['cancelled', 'staff'])
    const inbox = await app.call('listNotifications', {}, { token: a!.token })
    expect(inbox.body.items[0].kind).toBe('booking.cancelled')
    expect(inbox.body.items[0].body).toContain('场地临时维修')
    // 11月25日 周三 09:00–10:00: the community's local time, one format everywhere.
    const start = new Date(made.body.start)
    expect(inbox.body.items[0].body).toContain(`${formatTime(start, { style: 'calendar' })}–10:00`)
    const log = await app.call('listAuditLog', { query: { action: 'booking.cancel' } }, { token: staffA })
    expect(log.body.items.some((e: { targetId: string }) => e.targetId === made.body.id)).toBe(true)
  })
})

describe('rules refused with their own code', () => {
  it('opening hours, alignment, window, notice, min/max duration, capacity, past', async () => {
    const spaceId = await space({
      openingHours: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, open: '09:00', close: '18:00' })),
      minDurationMinutes: 60,
      maxDurationMinutes: 120,
      bookingWindowDays: 14,
      capacity: 10,
    })
    const [p] = await residents(1)
    const date = shiftDate(today(), 2)
    const code = async (body: object) => (await book(p!.token, body)).body.code
    expect(await code(bookingBody(spaceId, date, '18:00', '19:00'))).toBe('BOOKING_OUTSIDE_HOURS')
    expect(await code(bookingBody(spaceId, date, '08:00', '09:30'))).toBe('BOOKING_OUTSIDE_HOURS')
    expect(await code(bookingBody(spaceId, date, '10:10', '11:10'))).toBe('BOOKING_SLOT_MISALIGNED')
    expect(await code(bookingBody(spaceId, date, '10:00', '10:30'))).toBe('BOOKING_TOO_SHORT')
    expect(await code(bookingBody(spaceId, date, '10:00', '13:00'))).toBe('BOOKING_TOO_LONG')
    expect(await code(bookingBody(spaceId, shiftDate(today(), 15), '10:00', '11:00'))).toBe(
      'BOOKING_OUTSIDE_WINDOW',
    )
    expect(await code(bookingBody(spaceId, shiftDate(today(), -1), '10:00', '11:00'))).toBe('BOOKING_IN_PAST')
    expect(await code(bookingBody(spaceId, date, '10:00', '11:00', { attendees: 11 }))).toBe(
      'BOOKING_CAPACITY_EXCEEDED',
    )
    expect(await code(bookingBody(spaceId, date, '11:00', '10:00'))).toBe('BOOKING_TIME_INVALID')
    // The last day of the window is fine.
    expect(
      (await book(p!.token, bookingBody(spaceId, shiftDate(today(), 14), '10:00', '11:00'))).status,
    ).toBe(201)
  })

  it('minimum notice', async () => {
    const spaceId = await space({ minNoticeMinutes: 180 })
    const [p] = await residents(1)
    const next = new Date(Math.ceil((Date.now() + 31 * MIN) / (30 * MIN)) * 30 * MIN)
    const reply = await book(p!.token, {
      ...bookingBody(spaceId, today(), '00:00', '00:30'),
      start: next.toISOString(),
      end: new Date(next.getTime() + 30 * MIN).toISOString(),
    })
    expect(reply.body.code).toBe('BOOKING_NOTICE_TOO_SHORT')
  })

  it('quotas: active bookings and hours per week', async () => {
    const spaceId = await space({ maxActiveBookings: 2, maxHoursPerWeek: 3 })
    const [p] = await residents(1)
    const date = shiftDate(today(), 2)
    expect((await book(p!.token, bookingBody(spaceId, date, '08:00', '10:00'))).status).toBe(201)
    expect((await book(p!.token, bookingBody(spaceId, date, '10:00', '11:30'))).body.code).toBe(
      'BOOKING_HOURS_EXCEEDED',
    )
    expect((await book(p!.token, bookingBody(spaceId, date, '10:00', '11:00'))).status).toBe(201)
    expect((await book(p!.token, bookingBody(spaceId, shiftDate(date, 7), '10:00', '11:00'))).body.code).toBe(
      'BOOKING_QUOTA_EXCEEDED',
    )
  })

  it('quotas hold under concurrent requests of one resident', async () => {
    const spaceId = await space({ maxActiveBookings: 2 })
    const [p] = await residents(1)
    const date = shiftDate(today(), 6)
    const replies = await Promise.all(
      ['08:00', '09:00', '10:00', '11:00', '12:00', '13:00'].map((from, i) =>
        book(p!.token, bookingBody(spaceId, date, from, `${String(9 + i).padStart(2, '0')}:00`)),
      ),
    )
    const ok = replies.filter((r) => r.status === 201).length
    // Never more than the quota; under a race a request may be refused conservatively.
    expect(ok).toBeLessThanOrEqual(2)
    expect(replies.every((r) => r.status === 201 || r.body.code === 'BOOKING_QUOTA_EXCEEDED')).toBe(true)
    expect(
      await Booking.countDocuments({ spaceId, status: { $in: ['pending', 'approved', 'claiming'] } }),
    ).toBe(ok)
    expect(await SlotClaim.countDocuments({ spaceId })).toBe(ok * 2)
  })

  it('blackouts, disabled spaces and unverified residents', async () => {
    const spaceId = await space()
    const [p] = await residents(1)
    const date = shiftDate(today(), 3)
    const blackout = await app.call(
      'createBlackout',
      {
        body: {
          communityId: communityA.id,
          spaceId,
          start: at(date, '14:00'),
          end: at(date, '16:00'),
          reason: '社区文艺汇演',
        },
      },
      { token: staffA },
    )
    expect(blackout.status).toBe(201)
    expect((await book(p!.token, bookingBody(spaceId, date, '15:30', '16:30'))).body.code).toBe(
      'BOOKING_BLACKOUT',
    )
    // A community-wide blackout covers every space.
    const all = await app.call(
      'createBlackout',
      {
        body: {
          communityId: communityA.id,
          start: at(date, '18:00'),
          end: at(date, '19:00'),
          reason: '全社区停电检修',
        },
      },
      { token: staffA },
    )
    expect((await book(p!.token, bookingBody(spaceId, date, '18:00', '19:00'))).body.code).toBe(
      'BOOKING_BLACKOUT',
    )
    const grid = await app.call(
      'getSpaceAvailability',
      { params: { id: spaceId }, query: { date } },
      { token: p!.token },
    )
    const state = (hhmm: string) =>
      grid.body.days[0].slots.find((s: { start: string }) => s.start === at(date, hhmm))?.state
    expect([state('14:00'), state('15:30'), state('16:00'), state('18:30')]).toEqual([
      'blackout',
      'blackout',
      'free',
      'blackout',
    ])
    expect(
      (await app.call('deleteBlackout', { params: { id: blackout.body.id } }, { token: staffA })).status,
    ).toBe(204)
    expect(
      (await app.call('deleteBlackout', { params: { id: all.body.id } }, { token: staffB })).status,
    ).toBe(404)
    expect((await book(p!.token, bookingBody(spaceId, date, '15:30', '16:30'))).status).toBe(201)

    await app.call('updateSpace', { params: { id: spaceId }, body: { enabled: false } }, { token: staffA })
    expect((await book(p!.token, bookingBody(spaceId, date, '10:00', '11:00'))).body.code).toBe(
      'SPACE_DISABLED',
    )
    expect((await app.call('getSpace', { params: { id: spaceId } }, { token: p!.token })).status).toBe(404)
    await app.call('updateSpace', { params: { id: spaceId }, body: { enabled: true } }, { token: staffA })

    const newcomer = await app.login('resident', { handle: 'resident-new' })
    const refused = await book(newcomer, bookingBody(spaceId, date, '10:00', '11:00'))
    expect([refused.status, refused.body.code]).toEqual([403, 'RESIDENT_NOT_VERIFIED'])
  })

  it('bad opening hours are refused when a space is created', async () => {
    const res = await app.call(
      'createSpace',
      {
        body: {
          communityId: communityA.id,
          name: '坏空间',
          type: 'other',
          location: 'x',
          capacity: 2,
          openingHours: [{ weekday: 1, open: '10:15', close: '12:00' }],
        },
      },
      { token: staffA },
    )
    expect(res.body.code).toBe('SPACE_HOURS_INVALID')
  })
})

describe('Asia/Shanghai day boundaries', () => {
  it('23:00–24:00 local, a booking across midnight UTC, and month ends; stored times are UTC', async () => {
    const spaceId = await space()
    const [a, b, c, d] = await residents(4)
    const date = shiftDate(today(), 2)

    const late = await book(a!.token, bookingBody(spaceId, date, '23:00', '24:00'))
    expect(late.status).toBe(201)
    expect(late.body.start).toBe(`${date}T15:00:00.000Z`)
    expect(late.body.end).toBe(`${date}T16:00:00.000Z`)
    const stored = await Booking.findById(late.body.id).lean()
    expect(stored!.start.toISOString()).toBe(`${date}T15:00:00.000Z`)
    // Crossing local midnight is two days' bookings, not one.
    expect(
      (
        await book(b!.token, {
          ...bookingBody(spaceId, date, '23:30', '23:30'),
          end: at(shiftDate(date, 1), '00:30'),
        })
      ).body.code,
    ).toBe('BOOKING_OUTSIDE_HOURS')
    // 07:30–08:30 local is 23:30–00:30 UTC: one booking over the UTC date line.
    const dawn = await book(b!.token, bookingBody(spaceId, date, '07:30', '08:30'))
    expect(dawn.status).toBe(201)
    expect(dawn.body.start).toBe(`${shiftDate(date, -1)}T23:30:00.000Z`)
    expect(dawn.body.end).toBe(`${date}T00:30:00.000Z`)

    const grid = await app.call(
      'getSpaceAvailability',
      { params: { id: spaceId }, query: { date, days: '2' } },
      { token: a!.token },
    )
    const [day, next] = grid.body.days
    expect(day.date).toBe(date)
    expect(day.slots).toHaveLength(48)
    expect(day.slots[0].start).toBe(`${shiftDate(date, -1)}T16:00:00.000Z`)
    expect(day.slots.slice(-2).map((s: { state: string; mine: boolean }) => [s.state, s.mine])).toEqual([
      ['held', true],
      ['held', true],
    ])
    expect(day.slots.slice(15, 17).map((s: { state: string }) => s.state)).toEqual(['held', 'held'])
    expect(next.date).toBe(shiftDate(date, 1))
    expect(next.slots[0].state).toBe('free')

    // Month end: the last day of this month (or next, when today is the last), then the 1st.
    const [y, m] = today().split('-').map(Number)
    const lastOf = (year: number, month: number) =>
      new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10)
    let monthEnd = lastOf(y!, m!)
    if (monthEnd <= today()) monthEnd = lastOf(m === 12 ? y! + 1 : y!, m === 12 ? 1 : m! + 1)
    const firstOfNext = shiftDate(monthEnd, 1)
    expect(firstOfNext.endsWith('-01')).toBe(true)
    const eom = await book(c!.token, bookingBody(spaceId, monthEnd, '23:00', '24:00'))
    const bom = await book(d!.token, bookingBody(spaceId, firstOfNext, '00:00', '01:00'))
    expect([eom.status, bom.status]).toEqual([201, 201])
    expect(eom.body.end).toBe(bom.body.start)
    expect(bom.body.start).toBe(`${monthEnd}T16:00:00.000Z`)
    const turn = await app.call(
      'getSpaceAvailability',
      { params: { id: spaceId }, query: { date: monthEnd, days: '2' } },
      { token: c!.token },
    )
    expect(turn.body.days.map((x: { date: string }) => x.date)).toEqual([monthEnd, firstOfNext])
    expect(turn.body.days[0].slots.at(-1).state).toBe('held')
    expect(turn.body.days[1].slots[0].state).toBe('held')
    expect(turn.body.days[1].slots[2].state).toBe('free')
    const schedule = await app.call(
      'getSpaceSchedule',
      { params: { id: spaceId }, query: { date: firstOfNext } },
      { token: staffA },
    )
    expect(schedule.body.bookings.map((x: { id: string }) => x.id)).toEqual([bom.body.id])
  })
})

describe('staff', () => {
  it('review queue oldest first with history and masked names; approval notifies; another community gets 404', async () => {
    const spaceId = await space()
    const [a, b] = await residents(2)
    const date = shiftDate(today(), 8)
    const first = await book(a!.token, bookingBody(spaceId, date, '09:00', '10:00'))
    const second = await book(b!.token, bookingBody(spaceId, date, '10:00', '11:00'))
    const queue = await app.call('listBookingsForReview', { query: { spaceId } }, { token: staffA })
    expect(queue.body.items.map((x: { id: string }) => x.id)).toEqual([first.body.id, second.body.id])
    expect(queue.body.items[0].contactPhone).toBe('138****5678')
    expect(queue.body.items[0].residentName).toMatch(/\*/)
    expect(queue.body.items[0].history.total).toBe(1)

    // Staff of the other community: nothing to see, nothing to act on.
    const other = await app.call('listBookingsForReview', { query: { spaceId } }, { token: staffB })
    expect(other.body.items).toHaveLength(0)
    const id = first.body.id
    for (const [op, body] of [
      ['getBooking', undefined],
      ['approveBooking', {}],
      ['rejectBooking', { reason: '不行' }],
      ['cancelBooking', { reason: '不行' }],
    ] as const) {
      const res = await app.call(op, { params: { id }, ...(body ? { body } : {}) }, { token: staffB })
      expect([op, res.status]).toEqual([op, 404])
    }
    const sched = await app.call(
      'getSpaceSchedule',
      { params: { id: spaceId }, query: { date } },
      { token: staffB },
    )
    expect(sched.status).toBe(404)
    expect((await app.call('getBooking', { params: { id } }, { token: b!.token })).status).toBe(404)

    const approved = await app.call('approveBooking', { params: { id }, body: {} }, { token: staffA })
    expect(approved.body.status).toBe('approved')
    const twice = await app.call('approveBooking', { params: { id }, body: {} }, { token: staffA })
    expect(twice.body.code).toBe('BOOKING_STATUS_CONFLICT')
    const inbox = await app.call('listNotifications', {}, { token: a!.token })
    expect(inbox.body.unread).toBe(1)
    expect(inbox.body.items[0]).toMatchObject({ kind: 'booking.approved', title: '预约已通过', read: false })
    const marked = await app.call('markNotificationsRead', { body: {} }, { token: a!.token })
    expect(marked.body.updated).toBe(1)
    expect((await app.call('listNotifications', {}, { token: a!.token })).body.unread).toBe(0)
    const log = await app.call('listAuditLog', { query: { action: 'booking.approve' } }, { token: staffA })
    expect(log.body.items.some((e: { targetId: string }) => e.targetId === id)).toBe(true)
  })

  it('staff book on behalf of the community: approved at once, no quota', async () => {
    const spaceId = await space({ maxActiveBookings: 1 })
    const date = shiftDate(today(), 9)
    const r1 = await book(staffA, bookingBody(spaceId, date, '09:00', '10:00', { forCommunity: true }))
    const r2 = await book(staffA, bookingBody(spaceId, date, '10:00', '11:00', { forCommunity: true }))
    expect([r1.status, r1.body.status, r2.status]).toEqual([201, 'approved', 201])
    expect(
      (await book(staffB, bookingBody(spaceId, date, '12:00', '13:00', { forCommunity: true }))).status,
    ).toBe(404)
  })
})

describe('staff booking for a resident (代居民预约)', () => {
  it('the booking is the resident’s: in their 我的预约, notified, consent stored and audited', async () => {
    const spaceId = await space({ requiresApproval: true })
    const [elder] = await residents(1)
    const date = shiftDate(today(), 10)
    const consent = { method: 'inPerson', note: '李奶奶在服务台当面委托' }
    const res = await book(
      staffA,
      bookingBody(spaceId, date, '09:00', '10:00', { forResidentId: elder!.id, consent }),
    )
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body).toMatchObject({
      userId: elder!.id,
      status: 'approved',
      forCommunity: false,
      bookedBy: { consent: '当面口头同意' },
    })
    const id = res.body.id
    const mine = await app.call('listMyBookings', {}, { token: elder!.token })
    expect(mine.body.items.find((b: { id: string }) => b.id === id)).toMatchObject({
      bookedBy: { consent: '当面口头同意' },
    })
    expect((await app.call('getBooking', { params: { id } }, { token: elder!.token })).status).toBe(200)
    const stored = await Booking.findById(id).lean()
    expect(stored!.bookedBy).toMatchObject({
      consentMethod: 'inPerson',
      consentNote: '李奶奶在服务台当面委托',
    })
    expect(
      (await SlotClaim.find({ bookingId: id }).lean()).every((c) => String(c.userId) === elder!.id),
    ).toBe(true)
    const inbox = await app.call('listNotifications', {}, { token: elder!.token })
    expect(inbox.body.items[0]).toMatchObject({ kind: 'booking.bookedForYou', title: '工作人员已代您预约' })
    const log = await app.call(
      'listAuditLog',
      { query: { action: 'booking.create.onBehalf' } },
      { token: staffA },
    )
    expect(log.body.items.find((e: { targetId: string }) => e.targetId === id)).toBeTruthy()
    expect(
      (await Audit.findOne({ action: 'booking.create.onBehalf', targetId: id }).lean())!.detail,
    ).toMatchObject({ residentId: elder!.id, consentMethod: 'inPerson' })
  })

  it('the resident’s quota applies; same-slot races still give one booking', async () => {
    const spaceId = await space({ maxActiveBookings: 1 })
    const [elder, other] = await residents(2)
    const date = shiftDate(today(), 11)
    const consent = { method: 'phone' }
    const first = await book(elder!.token, bookingBody(spaceId, date, '08:00', '09:00'))
    expect(first.status).toBe(201)
    const over = await book(
      staffA,
      bookingBody(spaceId, date, '10:00', '11:00', { forResidentId: elder!.id, consent }),
    )
    expect(over.body.code).toBe('BOOKING_QUOTA_EXCEEDED')
    const race = await Promise.all([
      book(staffA, bookingBody(spaceId, date, '12:00', '13:00', { forResidentId: other!.id, consent })),
      book(staffA, bookingBody(spaceId, date, '12:00', '13:00', { forCommunity: true })),
    ])
    expect(race.map((r) => r.status).sort()).toEqual([201, 409])
    expect(await SlotClaim.countDocuments({ spaceId, slotStart: new Date(at(date, '12:00')) })).toBe(1)
  })

  it('refused without consent (422), for another community’s resident (404), to residents (403)', async () => {
    const spaceId = await space()
    const [elder] = await residents(1)
    const [outsider] = await app.verifiedResidents(1, communityB.id, `bk-b-${seq++}`)
    const date = shiftDate(today(), 12)
    const consent = { method: 'family', note: '女儿代为同意' }
    const noConsent = await book(
      staffA,
      bookingBody(spaceId, date, '09:00', '10:00', { forResidentId: elder!.id }),
    )
    expect(noConsent.status).toBe(422)
    expect(noConsent.body.errors[0].path).toEqual(['consent'])
    const both = await book(
      staffA,
      bookingBody(spaceId, date, '09:00', '10:00', { forResidentId: elder!.id, consent, forCommunity: true }),
    )
    expect(both.status).toBe(422)
    const elsewhere = await book(
      staffA,
      bookingBody(spaceId, date, '09:00', '10:00', { forResidentId: outsider!.id, consent }),
    )
    expect(elsewhere.status).toBe(404)
    const otherStaff = await book(
      staffB,
      bookingBody(spaceId, date, '09:00', '10:00', { forResidentId: elder!.id, consent }),
    )
    expect(otherStaff.status).toBe(404)
    const byResident = await book(
      outsider!.token,
      bookingBody(spaceId, date, '09:00', '10:00', { forResidentId: elder!.id, consent }),
    )
    expect(byResident.status).toBe(403)
    const [neighbour] = await residents(1)
    const byNeighbour = await book(
      neighbour!.token,
      bookingBody(spaceId, date, '09:00', '10:00', { forResidentId: elder!.id, consent }),
    )
    expect(byNeighbour.status).toBe(403)
    expect(await Booking.countDocuments({ spaceId })).toBe(0)
  })
})

describe('check-in, no-shows and sweepers', () => {
  it('check-in only in its window and with the right code; completion after the end', async () => {
    const spaceId = await space({ requiresApproval: false, checkInWindowMinutes: 15, noShowGraceMinutes: 15 })
    const [p] = await residents(1)
    const made = await book(p!.token, bookingBody(spaceId, shiftDate(today(), 2), '10:00', '11:00'))
    expect(made.body.status).toBe('approved')
    const start = Date.parse(made.body.start)
    const actor = (await loadActor(p!.id))!
    await expect(checkInBooking(actor, made.body.id, {}, new Date(start - 20 * MIN))).rejects.toMatchObject({
      code: 'BOOKING_CHECK_IN_NOT_OPEN',
    })
    await expect(
      checkInBooking(actor, made.body.id, { code: 'wrong' }, new Date(start - 5 * MIN)),
    ).rejects.toMatchObject({
      code: 'BOOKING_CHECK_IN_CODE_INVALID',
    })
    const spaceDoc = await app.call('getSpace', { params: { id: spaceId } }, { token: staffA })
    expect(
      (await app.call('getSpace', { params: { id: spaceId } }, { token: p!.token })).body.checkInCode,
    ).toBeNull()
    const done = await checkInBooking(
      actor,
      made.body.id,
      { code: spaceDoc.body.checkInCode },
      new Date(start - 5 * MIN),
    )
    expect(done.status).toBe('checkedIn')
    await bookingSweeper.run(app.deps, new Date(start + 61 * MIN))
    expect((await Booking.findById(made.body.id).lean())!.status).toBe('completed')
    expect(await SlotClaim.countDocuments({ bookingId: made.body.id })).toBe(0)
  })

  it('two sweepers at once release a no-show once and notify once; 3 no-shows suspend booking', async () => {
    const spaceId = await space({ requiresApproval: false, noShowGraceMinutes: 15 })
    const [p, q] = await residents(2)
    const date = shiftDate(today(), 3)
    const made = await Promise.all(
      ['09:00', '11:00', '13:00'].map((from, i) =>
        book(p!.token, bookingBody(spaceId, date, from, `${10 + 2 * i}:00`.padStart(5, '0'))),
      ),
    )
    expect(made.map((r) => r.status)).toEqual([201, 201, 201])
    const first = made[0]!.body
    const when = new Date(Date.parse(first.start) + 16 * MIN)
    const runs = (await Promise.all([
      bookingSweeper.run(app.deps, when),
      bookingSweeper.run(app.deps, when),
    ])) as {
      noShows: number
    }[]
    expect(runs[0]!.noShows + runs[1]!.noShows).toBe(1)
    expect((await Booking.findById(first.id).lean())!.status).toBe('noShow')
    expect(await SlotClaim.countDocuments({ bookingId: first.id })).toBe(0)
    expect(await Notification.countDocuments({ dedupeKey: `booking.noShow:${first.id}` })).toBe(1)
    // The rest of the no-show's time is free again.
    expect(
      (
        await app.call(
          'getSpaceAvailability',
          { params: { id: spaceId }, query: { date } },
          { token: q!.token },
        )
      ).body.days[0].slots.find((s: { start: string }) => s.start === at(date, '09:30')).state,
    ).toBe('free')

    const later = new Date(Date.parse(made[2]!.body.start) + 16 * MIN)
    await Promise.all([bookingSweeper.run(app.deps, later), bookingSweeper.run(app.deps, later)])
    expect(await Booking.countDocuments({ userId: p!.id, status: 'noShow' })).toBe(3)
    const refused = await book(p!.token, bookingBody(spaceId, shiftDate(date, 1), '09:00', '10:00'))
    expect([refused.status, refused.body.code]).toEqual([403, 'BOOKING_SUSPENDED'])
    expect(await Notification.countDocuments({ userId: p!.id, kind: 'booking.suspended' })).toBe(1)
  })

  it('one reminder before start, through notify with a dedupeKey, even with two sweepers', async () => {
    const spaceId = await space({ requiresApproval: false })
    const [p] = await residents(1)
    const made = await book(p!.token, bookingBody(spaceId, shiftDate(today(), 4), '19:00', '20:00'))
    const when = new Date(Date.parse(made.body.start) - 30 * MIN)
    await Promise.all([bookingSweeper.run(app.deps, when), bookingSweeper.run(app.deps, when)])
    await bookingSweeper.run(app.deps, new Date(when.getTime() + 5 * MIN))
    expect(await Notification.countDocuments({ dedupeKey: `booking.reminder:${made.body.id}` })).toBe(1)
    expect(await Outbox.countDocuments({ _id: `booking.reminder:${made.body.id}` })).toBe(1)
  })
})

describe('crash repair', () => {
  it('a booking left mid-claim by a crash is undone and its slots freed', async () => {
    const spaceId = await space()
    const [p, q] = await residents(2)
    const date = shiftDate(today(), 11)
    const start = new Date(at(date, '09:00'))
    const ghost = await Booking.create({
      communityId: communityA.id,
      spaceId,
      spaceName: 'x',
      userId: p!.id,
      residentName: 'x',
      contactPhone: '13800000000',
      purpose: 'x',
      attendees: 1,
      start,
      end: new Date(start.getTime() + 30 * MIN),
      minutes: 30,
      noShowAfter: start,
      status: 'claiming',
    })
    await SlotClaim.create({ spaceId, slotStart: start, bookingId: ghost._id, userId: p!.id })
    expect((await book(q!.token, bookingBody(spaceId, date, '09:00', '09:30'))).body.code).toBe(
      'BOOKING_SLOT_TAKEN',
    )
    await bookingSweeper.run(app.deps, new Date(Date.now() + 3 * MIN))
    expect(await Booking.countDocuments({ _id: ghost._id })).toBe(0)
    expect(await SlotClaim.countDocuments({ bookingId: ghost._id })).toBe(0)
    expect((await book(q!.token, bookingBody(spaceId, date, '09:00', '09:30'))).status).toBe(201)
  })
})

describe('WeChat subscribe messages through the outbox', () => {
  it('two senders at once deliver each message exactly once; failures are retried with backoff', async () => {
    const spaceId = await space()
    const [a, b] = await residents(2)
    const date = shiftDate(today(), 10)
    const ra = await book(a!.token, bookingBody(spaceId, date, '09:00', '10:00'))
    const rb = await book(b!.token, bookingBody(spaceId, date, '10:00', '11:00'))
    await app.call('approveBooking', { params: { id: ra.body.id }, body: {} }, { token: staffA })
    await app.call(
      'rejectBooking',
      { params: { id: rb.body.id }, body: { reason: '用途不符' } },
      { token: staffA },
    )

    const openidA = `dev:${a!.handle}`
    const openidB = `dev:${b!.handle}`
    const mine = () => wechat.received.filter((m) => m.touser === openidA || m.touser === openidB)
    wechat.failNextSends(1) // the first send meets "system busy"
    const now = new Date()
    await Promise.all([outboxSweeper.run(app.deps, now), outboxSweeper.run(app.deps, now)])
    const afterFirst = mine().length
    expect(afterFirst).toBeLessThanOrEqual(2)
    const retrying = await Outbox.find({ state: 'pending', attempts: 1 }).lean()
    expect(retrying.length).toBeGreaterThanOrEqual(2 - afterFirst)
    // Not before its backoff has passed …
    await outboxSweeper.run(app.deps, new Date(now.getTime() + 1000))
    expect(mine().length).toBe(afterFirst)
    // … then once, however many senders run.
    const later = new Date(now.getTime() + 31_000)
    await Promise.all([outboxSweeper.run(app.deps, later), outboxSweeper.run(app.deps, later)])
    await outboxSweeper.run(app.deps, new Date(later.getTime() + 600_000))
    const got = mine()
    expect(got.map((m) => m.touser).sort()).toEqual([openidA, openidB].sort())
    expect(got.find((m) => m.touser === openidA)!.template_id).toBe('booking_status')
    expect(got.find((m) => m.touser === openidA)!.data.phrase3!.value).toBe('已通过')
    expect(
      await Outbox.countDocuments({
        _id: { $in: [`booking.approved:${ra.body.id}`, `booking.rejected:${rb.body.id}`] },
        state: 'sent',
      }),
    ).toBe(2)
  })
})

describe('availability speed', () => {
  it('a week grid of a seeded space answers fast', async () => {
    const [p] = await residents(1)
    const spaces = await app.call('listSpaces', {}, { token: p!.token })
    expect(spaces.body.items.length).toBeGreaterThanOrEqual(3)
    const id = spaces.body.items[0].id
    const runs = 20
    const t0 = performance.now()
    for (let i = 0; i < runs; i++) {
      const res = await app.call(
        'getSpaceAvailability',
        { params: { id }, query: { date: today(), days: '7' } },
        { token: p!.token },
      )
      expect(res.body.days).toHaveLength(7)
    }
    const avg = (performance.now() - t0) / runs
    console.info(
      `[booking] getSpaceAvailability (7 days, seeded space): ${avg.toFixed(1)} ms average over ${runs}`,
    )
    expect(avg).toBeLessThan(500)
  })
})
