import { setTimeout as sleep } from 'node:timers/promises'
import { shiftDate, zoneClock, zoneDate } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { EventRecord, eventSweeper } from '../../platform/events'
import { Booking, SlotClaim } from '../booking/booking.model'
import { Notification } from '../notify/notification.model'
import { OrgUnit } from '../org/org-unit.model'
import { LedgerEntry, PointBalance } from '../points/points.model'
import { activitiesSweeper } from './activities.sweeper'
import { ActivityModel, SessionModel, SignUpModel } from './activity.model'

const app = await startTestApp()
const { communityA, communityB } = app.demo
const MIN = 60_000
// Community B runs on a zone with daylight saving, so "19:00 stays 19:00" is tested across a change.
const BERLIN = 'Europe/Berlin'
await OrgUnit.updateOne({ _id: communityB.id }, { $set: { timezone: BERLIN } })

const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })

let seq = 0
const residents = (n: number) => app.verifiedResidents(n, communityA.id, `act-${seq++}`)

/** Publishes a one-off activity in community A with one session `startsIn` minutes from now. */
async function oneSession(
  over: { places?: number; startsIn?: number; minutes?: number; volunteer?: boolean; rate?: number } = {},
) {
  const start = new Date(Date.now() + (over.startsIn ?? 10) * MIN)
  const end = new Date(start.getTime() + (over.minutes ?? 60) * MIN)
  const res = await app.call(
    'createActivity',
    {
      body: {
        communityId: communityA.id,
        title: `测试活动${seq++}`,
        location: '党群服务中心',
        contactPhone: '13800000000',
        volunteer: over.volunteer ?? false,
        pointsPerHour: over.rate ?? null,
        placesPerSession: over.places ?? 10,
        schedule: { kind: 'once', sessions: [{ start: start.toISOString(), end: end.toISOString() }] },
      },
    },
    { token: staffA },
  )
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return {
    activity: res.body,
    sessionId: res.body.sessions[0].id as string,
    code: res.body.sessions[0].checkInCode,
  }
}

const signUp = (token: string, sessionId: string) =>
  app.call('signUpForSession', { params: { id: sessionId } }, { token })

/** Moves a session (and its sign-ups' copies) so it ran from `startAgo` to `endAgo` minutes ago. */
async function moveIntoPast(sessionId: string, startAgo: number, endAgo: number, checkedInAgo?: number) {
  const now = Date.now()
  const start = new Date(now - startAgo * MIN)
  const end = new Date(now - endAgo * MIN)
  await SessionModel.updateOne({ _id: sessionId }, { $set: { start, end } })
  await SignUpModel.updateMany({ sessionId }, { $set: { start, end } })
  if (checkedInAgo !== undefined)
    await SignUpModel.updateMany(
      { sessionId, status: 'checkedIn' },
      { $set: { checkedInAt: new Date(now - checkedInAgo * MIN) } },
    )
}

describe('places and the waitlist', () => {
  it('40 concurrent sign-ups for 10 places: 10 confirmed, 30 waitlisted in arrival order; a cancel promotes one', async () => {
    const { sessionId } = await oneSession({ places: 10, startsIn: 120 })
    const people = await residents(40)
    const t0 = performance.now()
    const replies = await Promise.all(people.map((p) => signUp(p.token, sessionId)))
    const ms = Math.round(performance.now() - t0)
    expect(replies.every((r) => r.status === 201)).toBe(true)
    const confirmed = replies.filter((r) => r.body.status === 'confirmed')
    const waitlisted = replies.filter((r) => r.body.status === 'waitlisted')
    console.info(
      `[activities] 40 concurrent signUpForSession (10 places): ${confirmed.length} confirmed, ${waitlisted.length} waitlisted in ${ms} ms`,
    )
    expect(confirmed).toHaveLength(10)
    expect(waitlisted).toHaveLength(30)

    // Arrival order is the session's counter, taken in the same update that decided each fate.
    const docs = await SignUpModel.find({ sessionId }).sort({ seq: 1 }).lean()
    expect(docs.map((d) => d.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    expect(docs.slice(0, 10).every((d) => d.status === 'confirmed')).toBe(true)
    expect(docs.slice(10).every((d) => d.status === 'waitlisted')).toBe(true)
    const roster = await app.call('getSessionRoster', { params: { id: sessionId } }, { token: staffA })
    expect(roster.status).toBe(200)
    const queue = roster.body.entries.filter((e: { status: string }) => e.status === 'waitlisted')
    expect(queue.map((e: { position: number }) => e.position)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 1),
    )
    expect(roster.body.session).toMatchObject({ places: 10, confirmed: 10, waitlisted: 30 })

    // The first of the queue, by arrival, is the one promoted when a confirmed person cancels.
    const first = docs[10]!
    const leaver = people.find((p) => p.id === String(docs[3]!.userId))!
    const cancel = await app.call(
      'cancelSignUp',
      { params: { id: String(docs[3]!._id) } },
      { token: leaver.token },
    )
    expect(cancel.status).toBe(200)
    expect(cancel.body.status).toBe('cancelled')
    const after = await SignUpModel.find({ sessionId }).lean()
    expect(after.filter((d) => d.status === 'confirmed')).toHaveLength(10)
    expect(after.filter((d) => d.status === 'waitlisted')).toHaveLength(29)
    expect(after.find((d) => String(d._id) === String(first._id))!.status).toBe('confirmed')
    const notices = await Notification.find({
      kind: 'activity.promoted',
      dedupeKey: new RegExp(String(first._id)),
    })
    expect(notices).toHaveLength(1)
    expect(String(notices[0]!.userId)).toBe(String(first.userId))
    expect(
      await Notification.countDocuments({
        kind: 'activity.promoted',
        userId: { $in: people.map((p) => p.id) },
      }),
    ).toBe(1)
    const promotedPerson = people.find((p) => p.id === String(first.userId))!
    const mine = await app.call('listMySignUps', {}, { token: promotedPerson.token })
    expect(mine.body.items[0]).toMatchObject({ sessionId, status: 'confirmed', position: null })
    const session = await SessionModel.findById(sessionId).lean()
    expect(session).toMatchObject({ free: 0, waitlisted: 29 })
  })

  it('one person signing up 6 times at once holds one sign-up; a cancelled one may sign up again', async () => {
    const { sessionId } = await oneSession({ places: 5, startsIn: 120 })
    const [p] = await residents(1)
    const replies = await Promise.all(Array.from({ length: 6 }, () => signUp(p!.token, sessionId)))
    expect(replies.filter((r) => r.status === 201)).toHaveLength(1)
    expect(replies.filter((r) => r.status === 409 && r.body.code === 'ALREADY_SIGNED_UP')).toHaveLength(5)
    expect(await SessionModel.findById(sessionId).lean()).toMatchObject({ free: 4, waitlisted: 0 })
    const id = replies.find((r) => r.status === 201)!.body.id
    expect((await app.call('cancelSignUp', { params: { id } }, { token: p!.token })).status).toBe(200)
    expect((await app.call('cancelSignUp', { params: { id } }, { token: p!.token })).body.code).toBe(
      'SIGNUP_STATUS_CONFLICT',
    )
    const again = await signUp(p!.token, sessionId)
    expect(again.status).toBe(201)
    expect(again.body).toMatchObject({ id, status: 'confirmed' })
    expect(await SessionModel.findById(sessionId).lean()).toMatchObject({ free: 4, waitlisted: 0 })
  })
})

describe('recurring series', () => {
  it('a weekly 19:00 series in the community zone stays at 19:00 local across daylight saving; an exception skips its date', async () => {
    const res = await app.call(
      'createActivity',
      {
        body: {
          communityId: communityB.id,
          title: '周二夜行者巡河',
          location: '香木林小区门口',
          contactPhone: '13800000001',
          volunteer: true,
          placesPerSession: 8,
          schedule: {
            kind: 'weekly',
            weekdays: [2],
            startTime: '19:00',
            durationMinutes: 90,
            startDate: '2027-03-16',
            endDate: '2027-04-06',
            exceptions: ['2027-03-30'],
          },
        },
      },
      { token: staffB },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    expect(res.body.timezone).toBe(BERLIN)
    const sessions = res.body.sessions as { date: string; start: string; end: string }[]
    // Europe/Berlin leaves winter time on 2027-03-28: the same 19:00 is 18:00Z before and 17:00Z after.
    expect(sessions.map((s) => s.date)).toEqual(['2027-03-16', '2027-03-23', '2027-04-06'])
    expect(sessions.map((s) => zoneClock(new Date(s.start), BERLIN))).toEqual(['19:00', '19:00', '19:00'])
    expect(sessions.map((s) => s.start)).toEqual([
      '2027-03-16T18:00:00.000Z',
      '2027-03-23T18:00:00.000Z',
      '2027-04-06T17:00:00.000Z',
    ])
    expect(sessions.map((s) => zoneClock(new Date(s.end), BERLIN))).toEqual(['20:30', '20:30', '20:30'])
    // Two sweepers rolling the horizon on the next day write nothing twice (unique per activity and start).
    const tomorrow = new Date(Date.now() + 86_400_000)
    await Promise.all([activitiesSweeper.run(app.deps, tomorrow), activitiesSweeper.run(app.deps, tomorrow)])
    expect(await SessionModel.countDocuments({ activityId: res.body.id })).toBe(3)
  })

  it('adding an exception to a running series cancels that date and tells who signed up', async () => {
    const today = zoneDate(new Date(), 'Asia/Shanghai')
    const weekday = new Date(`${shiftDate(today, 2)}T00:00:00Z`).getUTCDay()
    const res = await app.call(
      'createActivity',
      {
        body: {
          communityId: communityA.id,
          title: '垃圾分类小课堂',
          location: '望平街12号院',
          contactPhone: '13800000002',
          audience: { courtyardIds: [], ageGroup: 'elderlyAndChildren' },
          placesPerSession: 20,
          schedule: {
            kind: 'weekly',
            weekdays: [weekday],
            startTime: '19:00',
            durationMinutes: 60,
            startDate: today,
          },
        },
      },
      { token: staffA },
    )
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    const sessions = res.body.sessions as { id: string; date: string; start: string }[]
    expect(sessions.length).toBeGreaterThanOrEqual(4)
    expect(sessions.every((s) => zoneClock(new Date(s.start), 'Asia/Shanghai') === '19:00')).toBe(true)
    expect(sessions[0]!.date).toBe(shiftDate(today, 2))
    expect(sessions.map((s) => s.date)).toEqual(sessions.map((_, i) => shiftDate(today, 2 + 7 * i)))
    const [p] = await residents(1)
    expect((await signUp(p!.token, sessions[1]!.id)).status).toBe(201)
    const skip = await app.call(
      'updateActivity',
      { params: { id: res.body.id }, body: { addExceptions: [sessions[1]!.date], reason: '场地维护' } },
      { token: staffA },
    )
    expect(skip.status, JSON.stringify(skip.body)).toBe(200)
    const after = skip.body.sessions as { date: string; status: string }[]
    expect(after.find((s) => s.date === sessions[1]!.date)!.status).toBe('cancelled')
    expect(after.filter((s) => s.status === 'scheduled')).toHaveLength(sessions.length - 1)
    expect(skip.body.schedule.exceptions).toEqual([sessions[1]!.date])
    const told = await Notification.find({ userId: p!.id, kind: 'activity.sessionCancelled' }).lean()
    expect(told).toHaveLength(1)
    expect((await signUp(p!.token, sessions[1]!.id)).body.code).toBe('SIGNUP_CLOSED')
  })
})

describe('activities in a community space', () => {
  it('book the space for each session through the booking module; a clash fails the whole publication', async () => {
    const space = await app.call(
      'createSpace',
      {
        body: {
          communityId: communityA.id,
          name: `活动室${seq++}`,
          type: 'activityRoom',
          location: '党群服务中心二楼',
          capacity: 30,
          openingHours: Array.from({ length: 7 }, (_, weekday) => ({
            weekday,
            open: '08:00',
            close: '22:00',
          })),
          bookingWindowDays: 14,
          minNoticeMinutes: 0,
        },
      },
      { token: staffA },
    )
    expect(space.status, JSON.stringify(space.body)).toBe(201)
    const today = zoneDate(new Date(), 'Asia/Shanghai')
    const weekday = new Date(`${shiftDate(today, 1)}T00:00:00Z`).getUTCDay()
    const body = {
      communityId: communityA.id,
      title: '3D打印兴趣课',
      location: '党群服务中心二楼',
      spaceId: space.body.id,
      contactPhone: '13800000003',
      placesPerSession: 12,
      schedule: {
        kind: 'weekly',
        weekdays: [weekday],
        startTime: '19:00',
        durationMinutes: 90,
        startDate: today,
      },
    }
    const res = await app.call('createActivity', { body }, { token: staffA })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    // The space's 14-day booking window bounds the horizon: two weekly sessions.
    expect(res.body.sessions.map((s: { date: string }) => s.date)).toEqual([
      shiftDate(today, 1),
      shiftDate(today, 8),
    ])
    const sessions = await SessionModel.find({ activityId: res.body.id }).lean()
    const bookings = await Booking.find({ spaceId: space.body.id, status: 'approved' }).lean()
    expect(bookings).toHaveLength(2)
    expect(sessions.map((s) => String(s.bookingId)).sort()).toEqual(bookings.map((b) => String(b._id)).sort())

    const clash = await app.call(
      'createActivity',
      { body: { ...body, title: '撞车的活动' } },
      { token: staffA },
    )
    expect(clash.status).toBe(409)
    expect(clash.body.code).toBe('BOOKING_SLOT_TAKEN')
    expect(await ActivityModel.countDocuments({ title: '撞车的活动' })).toBe(0)
    expect(await Booking.countDocuments({ spaceId: space.body.id, status: 'approved' })).toBe(2)

    const cancel = await app.call(
      'updateActivity',
      { params: { id: res.body.id }, body: { status: 'cancelled', reason: '老师临时有事' } },
      { token: staffA },
    )
    expect(cancel.status).toBe(200)
    expect(cancel.body.status).toBe('cancelled')
    expect(await Booking.countDocuments({ spaceId: space.body.id, status: 'cancelled' })).toBe(2)
    expect(await SlotClaim.countDocuments({ spaceId: space.body.id })).toBe(0)
  })
})

describe('check-in, check-out and volunteer points', () => {
  it('refuses check-out before check-in and a second check-in with their codes; hours are capped at the session length', async () => {
    const { sessionId, code } = await oneSession({ volunteer: true, rate: 30, minutes: 60 })
    const [v] = await residents(1)
    expect((await signUp(v!.token, sessionId)).status).toBe(201)
    const checkIn = (c = code) =>
      app.call('checkInToSession', { params: { id: sessionId }, body: { code: c } }, { token: v!.token })
    const checkOut = (c = code) =>
      app.call('checkOutOfSession', { params: { id: sessionId }, body: { code: c } }, { token: v!.token })

    const early = await checkOut()
    expect(early.status).toBe(409)
    expect(early.body.code).toBe('SESSION_NOT_CHECKED_IN')
    expect((await checkIn('WRONG1')).body.code).toBe('SESSION_CODE_INVALID')
    const first = await checkIn(code.toLowerCase())
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(first.body.status).toBe('checkedIn')
    const twice = await checkIn()
    expect(twice.status).toBe(409)
    expect(twice.body.code).toBe('SESSION_ALREADY_CHECKED_IN')

    // The session ran 180 to 120 minutes ago; the volunteer checked in 240 minutes ago and leaves now.
    await moveIntoPast(sessionId, 180, 120, 240)
    const out = await checkOut()
    expect(out.status, JSON.stringify(out.body)).toBe(200)
    expect(out.body).toMatchObject({ status: 'checkedOut', servedMinutes: 60, points: 30 })
    expect((await checkOut()).body.code).toBe('SESSION_ALREADY_CHECKED_OUT')
    expect((await checkIn()).body.code).toBe('SESSION_ALREADY_CHECKED_IN')
    const balance = await PointBalance.findOne({ userId: v!.id, account: 'volunteer' }).lean()
    expect(balance!.balance).toBe(30)
    const service = await app.call('getMyVolunteerService', {}, { token: v!.token })
    expect(service.body).toEqual({ sessions: 1, minutes: 60, points: 30 })
  })

  it('a waitlisted person cannot check in; check-in is closed before its window', async () => {
    const { sessionId, code } = await oneSession({ places: 1, startsIn: 120 })
    const [a, b] = await residents(2)
    await signUp(a!.token, sessionId)
    expect((await signUp(b!.token, sessionId)).body.status).toBe('waitlisted')
    const waiting = await app.call(
      'checkInToSession',
      { params: { id: sessionId }, body: { code } },
      { token: b!.token },
    )
    expect(waiting.body.code).toBe('SESSION_NOT_CONFIRMED')
    const tooEarly = await app.call(
      'checkInToSession',
      { params: { id: sessionId }, body: { code } },
      { token: a!.token },
    )
    expect(tooEarly.body.code).toBe('SESSION_CHECK_IN_NOT_OPEN')
  })

  it('20 volunteers checking out while two sweepers auto-check them out: each paid exactly once', async () => {
    const { sessionId, code } = await oneSession({ places: 20, volunteer: true, rate: 12, minutes: 90 })
    const people = await residents(20)
    for (const p of people) expect((await signUp(p.token, sessionId)).status).toBe(201)
    const ins = await Promise.all(
      people.map((p) =>
        app.call('checkInToSession', { params: { id: sessionId }, body: { code } }, { token: p.token }),
      ),
    )
    expect(ins.every((r) => r.status === 200)).toBe(true)
    // Ended 45 minutes ago (past the sweeper's 30-minute grace); everyone checked in at the start.
    await moveIntoPast(sessionId, 135, 45, 135)
    const t0 = performance.now()
    const [outs] = await Promise.all([
      Promise.all(
        people.map(async (p, i) => {
          // Spread the requests over the sweepers' run so both sides get to win some.
          await sleep((i % 10) * 40)
          return app.call(
            'checkOutOfSession',
            { params: { id: sessionId }, body: { code } },
            { token: p.token },
          )
        }),
      ),
      activitiesSweeper.run(app.deps, new Date()),
      activitiesSweeper.run(app.deps, new Date()),
      eventSweeper.run(app.deps, new Date()),
    ])
    const ms = Math.round(performance.now() - t0)
    const byRequest = outs.filter((r) => r.status === 200).length
    const bySweeper = outs.filter(
      (r) => r.status === 409 && r.body.code === 'SESSION_ALREADY_CHECKED_OUT',
    ).length
    console.info(
      `[activities] 20 check-outs racing 2 sweepers: ${byRequest} by request, ${bySweeper} by sweeper in ${ms} ms`,
    )
    expect(byRequest + bySweeper).toBe(20)
    await eventSweeper.run(app.deps, new Date())
    const signUps = await SignUpModel.find({ sessionId }).lean()
    expect(signUps.every((s) => s.status === 'checkedOut' && s.servedMinutes === 90)).toBe(true)
    for (const p of people) {
      const entries = await LedgerEntry.find({ userId: p.id, refType: 'volunteer.served' }).lean()
      expect(entries).toHaveLength(1)
      expect(entries[0]!.delta).toBe(18) // 12 points per hour × 1.5 hours
      expect((await PointBalance.findOne({ userId: p.id, account: 'volunteer' }).lean())!.balance).toBe(18)
    }
    expect(await EventRecord.countDocuments({ type: 'volunteer.served', handledAt: null })).toBe(0)
  })
})

describe('another community', () => {
  it("staff of community B get 404 on A's activities and rosters; residents of B cannot sign up", async () => {
    const { activity, sessionId } = await oneSession()
    const get = await app.call('getActivity', { params: { id: activity.id } }, { token: staffB })
    expect(get.status).toBe(404)
    const patch = await app.call(
      'updateActivity',
      { params: { id: activity.id }, body: { title: '改名' } },
      { token: staffB },
    )
    expect(patch.status).toBe(404)
    const roster = await app.call('getSessionRoster', { params: { id: sessionId } }, { token: staffB })
    expect(roster.status).toBe(404)
    const message = await app.call(
      'messageSessionRoster',
      { params: { id: sessionId }, body: { body: '你好' } },
      { token: staffB },
    )
    expect(message.status).toBe(404)
    // Another community named in a query is out of reach like its records: 404 (the scope guard).
    const list = await app.call('listSessions', { query: { communityId: communityA.id } }, { token: staffB })
    expect(list.status).toBe(404)
    const [residentB] = await app.verifiedResidents(1, communityB.id, `act-b-${seq++}`)
    expect((await signUp(residentB!.token, sessionId)).status).toBe(404)
    expect(
      (await app.call('getActivity', { params: { id: activity.id } }, { token: residentB!.token })).status,
    ).toBe(404)
    // Staff of A see it, with the session's check-in code.
    const own = await app.call('getActivity', { params: { id: activity.id } }, { token: staffA })
    expect(own.status).toBe(200)
    expect(own.body.sessions[0].checkInCode).toMatch(/^[A-Z2-9]{6}$/)
  })
})
