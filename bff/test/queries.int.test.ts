/**
 * Index discipline and round-trip budgets. Every command the hot operations and the sweepers send is
 * captured with the driver's command monitoring; each filter and sort must be served by an index the
 * models declare (what MongoDB's `notablescan` demands in production), and the hot writes must stay
 * within their round-trip budget. A new query without an index fails here.
 */
import { zoneAt, zoneDate } from '@linli/shared-types'
import { describe, expect, it } from 'vitest'
import { sweepers } from '../src/jobs/sweepers'
import { Booking } from '../src/modules/booking/booking.model'
import { backfillTopicMonths } from '../src/modules/deliberation/topic.months'
import { Need } from '../src/modules/needs/need.model'
import { backfillFactMonths } from '../src/modules/needs/needs.facts'
import { backfillQueue, backfillQueueDays, NeedQueue, NeedQueueDays } from '../src/modules/needs/needs.queue'
import { post } from '../src/modules/points/ledger'
import { LedgerEntry } from '../src/modules/points/points.model'
import { commandsOf, declaredIndexes, indexProblem, type SentQuery } from './commands'
import { startTestApp } from './harness'

const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '100000' }, { monitorCommands: true })
const { communityA } = app.demo
const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const gridWorker = await app.login('gridWorker', { scopeId: communityA.gridIds[0]!, handle: 'grid-1' })
const [voter, booker, redeemer, reporter] = await app.verifiedResidents(4, communityA.id, 'q')
const zhang = await app.login('resident', { handle: 'resident-zhang' })
const TZ = 'Asia/Shanghai'

/** What each captured operation sent, by name, for the index check at the end. */
const seen = new Map<string, SentQuery[]>()
async function measure(name: string, fn: () => Promise<{ status: number; body: unknown }>) {
  let res: { status: number; body: unknown } | undefined
  const sent = await commandsOf(async () => {
    res = await fn()
  })
  expect(res!.status, `${name}: ${JSON.stringify(res!.body)}`).toBeLessThan(300)
  seen.set(name, sent)
  return sent
}

/**
 * Before this test existed: castVote 21, createBooking 15, redeemReward 21, createNeed 16. The scope
 * guard hands castVote its topic and redeemReward its reward, so neither reads it twice.
 */
function expectBudget(name: string, sent: SentQuery[], most: number) {
  const list = sent.map((q) => `${q.command} ${q.collection}`)
  expect(sent.length, `${name}: ${list.join(', ')}`).toBeLessThanOrEqual(most)
}

async function votingTopic(): Promise<string> {
  const proposed = await app.call(
    'proposeTopic',
    {
      body: {
        communityId: communityA.id,
        title: '楼道照明改造',
        description: '楼道灯经常坏，晚上回家很不安全。',
      },
    },
    { token: staffA },
  )
  const id = proposed.body.id as string
  await app.call('screenTopic', { params: { id }, body: { decision: 'accept' } }, { token: staffA })
  const day = await app.call(
    'createDeliberationDay',
    { body: { communityId: communityA.id, date: '2031-03-20', place: '社区议事厅' } },
    { token: staffA },
  )
  const now = Date.now()
  await app.call(
    'scheduleTopic',
    {
      params: { id },
      body: {
        dayId: day.body.id,
        // closes by default at the end of the day's meeting
        voting: { opensAt: new Date(now + 60_000).toISOString() },
      },
    },
    { token: staffA },
  )
  const opened = await app.call('openVoting', { params: { id } }, { token: staffA })
  expect(opened.body.status).toBe('voting')
  return id
}

describe('hot writes stay within their round-trip budget', () => {
  it('castVote', async () => {
    const id = await votingTopic()
    const sent = await measure('castVote', () =>
      app.call('castVote', { params: { id }, body: { choice: 'yes' } }, { token: voter!.token }),
    )
    expectBudget('castVote', sent, 12)
  })

  it('createBooking', async () => {
    const spaces = await app.call('listSpaces', {}, { token: booker!.token })
    const court = (spaces.body.items as { id: string; name: string }[]).find(
      (s) => s.name === '滨河羽毛球场',
    )!
    const date = zoneDate(new Date(Date.now() + 3 * 86_400_000), TZ)
    const sent = await measure('createBooking', () =>
      app.call(
        'createBooking',
        {
          body: {
            spaceId: court.id,
            start: zoneAt(date, 19 * 60, TZ).toISOString(),
            end: zoneAt(date, 21 * 60, TZ).toISOString(),
            purpose: '羽毛球',
            attendees: 4,
            contactPhone: '13812345678',
          },
        },
        { token: booker!.token },
      ),
    )
    expectBudget('createBooking', sent, 11)
  })

  it('redeemReward', async () => {
    await post({
      key: 'q-grant',
      userId: redeemer!.id,
      account: 'community',
      communityId: communityA.id,
      delta: 500,
      reason: '测试发放',
      refType: 'test',
      expiresAt: new Date(Date.now() + 365 * 86_400_000),
    })
    const rewards = await app.call('listRewards', {}, { token: redeemer!.token })
    const toast = (rewards.body.items as { id: string; title: string }[]).find(
      (r) => r.title === '手工吐司一份',
    )!
    // A second redemption of the same reward: the earlier one must not cost extra round trips.
    await app.call('redeemReward', { params: { id: toast.id } }, { token: redeemer!.token })
    const sent = await measure('redeemReward', () =>
      app.call(
        'redeemReward',
        { params: { id: toast.id } },
        { token: redeemer!.token, headers: { 'idempotency-key': 'q-redeem-0001' } },
      ),
    )
    expectBudget('redeemReward', sent, 15)
  })

  it('createNeed', async () => {
    const cats = await app.call('listNeedCategories', {}, { token: reporter!.token })
    const other = (cats.body.items as { id: string; key: string }[]).find((c) => c.key === 'other')!
    const report = () =>
      measure('createNeed', () =>
        app.call(
          'createNeed',
          {
            body: {
              categoryId: other.id,
              title: '楼道灯不亮',
              description: '楼道灯不亮了，晚上看不见路',
              ignoreDuplicates: true,
            },
          },
          { token: reporter!.token },
        ),
      )
    // 10, plus the community's need number (a counter) since needs got their numbers, plus its
    // handling-queue entry (written beside its facts), plus its day's sums: the day's revision, the
    // day's facts, the guarded write (needs.days.ts; skipped by writes that leave the facts as they
    // were). Without them the queue and 30-day stats of a 15 k community took seconds. The first
    // entry of a due day in a process also marks that day (needs.queue.ts); later ones do not.
    expectBudget('createNeed (first of its due day)', await report(), 16)
    const sent = await report()
    expect(sent.map((q) => q.collection)).not.toContain('need_queue_days')
    expectBudget('createNeed', sent, 15)
  })
})

describe('every query of the hot operations and sweepers is served by a declared index', () => {
  it('hot reads', async () => {
    const spaces = await app.call('listSpaces', {}, { token: zhang })
    const spaceId = (spaces.body.items as { id: string }[])[0]!.id
    const topics = await app.call('listTopics', {}, { token: zhang })
    const topicId = (topics.body.items as { id: string }[])[0]!.id
    const today = zoneDate(new Date(), TZ)
    const sessions = await app.call('listSessions', {}, { token: zhang })
    const { id: sessionId, activityId } = (sessions.body.items as { id: string; activityId: string }[])[0]!
    await app.call('signUpForSession', { params: { id: sessionId } }, { token: zhang })
    const reads: [string, () => Promise<{ status: number; body: unknown }>][] = [
      ['getMe', () => app.call('getMe', {}, { token: zhang })],
      ['listSpaces', () => app.call('listSpaces', {}, { token: zhang })],
      [
        'getSpaceAvailability',
        () =>
          app.call(
            'getSpaceAvailability',
            { params: { id: spaceId }, query: { date: today, days: '7' } },
            { token: zhang },
          ),
      ],
      ['listMyBookings', () => app.call('listMyBookings', {}, { token: zhang })],
      ['listTopics', () => app.call('listTopics', {}, { token: zhang })],
      ['getTopic', () => app.call('getTopic', { params: { id: topicId } }, { token: zhang })],
      ['listRewards', () => app.call('listRewards', {}, { token: zhang })],
      ['getMyPoints', () => app.call('getMyPoints', {}, { token: zhang })],
      ['listMyPointEntries', () => app.call('listMyPointEntries', {}, { token: zhang })],
      ['listMyVouchers', () => app.call('listMyVouchers', {}, { token: zhang })],
      ['listMyNeeds', () => app.call('listMyNeeds', {}, { token: zhang })],
      ['listNotifications', () => app.call('listNotifications', {}, { token: zhang })],
      ['listNeedsForHandling (grid)', () => app.call('listNeedsForHandling', {}, { token: gridWorker })],
      ['listNeedsForHandling (staff)', () => app.call('listNeedsForHandling', {}, { token: staffA })],
      [
        'getNeedStats',
        () =>
          app.call(
            'getNeedStats',
            { query: { scope: 'community', scopeId: communityA.id, from: '2026-01-01', to: today } },
            { token: staffA },
          ),
      ],
      ['listBookingsForReview', () => app.call('listBookingsForReview', {}, { token: staffA })],
      ['listSessions', () => app.call('listSessions', {}, { token: zhang })],
      ['listActivities', () => app.call('listActivities', {}, { token: zhang })],
      ['getActivity', () => app.call('getActivity', { params: { id: activityId } }, { token: zhang })],
      [
        'getSessionRoster',
        () => app.call('getSessionRoster', { params: { id: sessionId } }, { token: staffA }),
      ],
      ['listMySignUps', () => app.call('listMySignUps', {}, { token: zhang })],
      ['getMyVolunteerService', () => app.call('getMyVolunteerService', {}, { token: zhang })],
      ['listItems', () => app.call('listItems', {}, { token: zhang })],
      ['listMyLoans', () => app.call('listMyLoans', {}, { token: zhang })],
      ['listLoans', () => app.call('listLoans', {}, { token: staffA })],
    ]
    // Until their month backfills are done, the topic list and the need stats read by range; after,
    // by month; the needs queue reads needs until its entries are backfilled, then all of a scope's
    // entries until they have their days, then by day: all are captured.
    await measure('listTopics (by range)', () => app.call('listTopics', {}, { token: zhang }))
    await measure('getNeedStats (by range)', reads.find(([name]) => name === 'getNeedStats')![1])
    await measure('listNeedsForHandling (by needs)', () =>
      app.call('listNeedsForHandling', {}, { token: staffA }),
    )
    seen.set(
      'month backfills',
      await commandsOf(async () => {
        while (await backfillTopicMonths());
        while (await backfillFactMonths());
        await backfillQueue()
      }),
    )
    await measure('listNeedsForHandling (whole entries)', () =>
      app.call('listNeedsForHandling', {}, { token: staffA }),
    )
    seen.set('queue days backfill', await commandsOf(() => backfillQueueDays()))
    for (const [name, fn] of reads) await measure(name, fn)
    const months = (name: string) =>
      seen.get(name)!.filter((q) => JSON.stringify(q.filters).includes('month'))
    expect(months('listTopics').length).toBeGreaterThan(0)
    expect(months('getNeedStats').length).toBeGreaterThan(0)
    // The scope's unit once (its community's time zone is cached), the catalogue by community.
    const statsReads = seen.get('getNeedStats')!.map((q) => q.collection)
    expect(statsReads.filter((c) => c === 'org_units')).toHaveLength(1)
    expect(statsReads.filter((c) => c === 'need_categories')).toHaveLength(1)
    const queue = NeedQueue.collection.collectionName
    expect(seen.get('listNeedsForHandling (staff)')!.every((q) => q.collection !== 'needs')).toBe(true)
    expect(seen.get('listNeedsForHandling (staff)')!.some((q) => q.collection === queue)).toBe(true)
    const days = NeedQueueDays.collection.collectionName
    expect(seen.get('listNeedsForHandling (staff)')!.some((q) => q.collection === days)).toBe(true)
    // The actor (2), the topic (the scope guard's, handed over), the seconds count and mine, the
    // ratings, the comments: nothing twice.
    expectBudget('getTopic', seen.get('getTopic')!, 7)
  })

  it('sweepers read only what is due: with open items and nothing due they read no document', async () => {
    // The first pass on this database also backfills (needs facts) and handles what the writes
    // above left due (events, outbox).
    for (const s of sweepers)
      seen.set(`sweeper ${s.name}`, await commandsOf(() => s.run(app.deps, new Date())))
    // Open items that are not due, last written an hour ago: a restart must not read them again.
    const hourAgo = new Date(Date.now() - 3_600_000)
    await Need.collection.updateMany({}, { $set: { updatedAt: hourAgo } })
    const read: string[] = []
    for (const s of sweepers) {
      const sent = await commandsOf(() => s.run(app.deps, new Date()))
      seen.set(`sweeper ${s.name} (idle)`, sent)
      // A sweeper's own checkpoint is one document by _id; anything else read is work.
      for (const q of sent)
        if (q.returned && q.collection !== 'sweeper_checkpoints')
          read.push(`${s.name}: ${q.returned} from ${q.collection} ${JSON.stringify(q.filters)}`)
    }
    expect(await Need.countDocuments({ status: 'submitted' })).toBeGreaterThan(0)
    expect(await Booking.countDocuments({ status: 'approved' })).toBeGreaterThan(0)
    expect(await LedgerEntry.countDocuments({ expiresAt: { $ne: null } })).toBeGreaterThan(0)
    expect(read).toEqual([])
  })

  it('no captured query lacks an index', () => {
    const indexes = declaredIndexes()
    const problems: string[] = []
    for (const [name, sent] of seen)
      for (const q of sent) {
        const problem = indexProblem(q, indexes)
        if (problem) problems.push(`${name}: ${q.command} ${JSON.stringify(q.filters)} → ${problem}`)
      }
    if (process.env.DUMP_QUERIES)
      for (const [name, sent] of seen)
        console.log(
          name,
          sent.map(
            (q) => `${q.command} ${q.collection} ${JSON.stringify(q.filters)} ${JSON.stringify(q.sort)}`,
          ),
        )
    expect(seen.size).toBeGreaterThan(20)
    expect(problems).toEqual([])
  })
})
