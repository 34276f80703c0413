import { evaluateTally, formatTime, nextDeliberationDate } from '@linli/shared-types'
import { Types } from 'mongoose'
import { describe, expect, it, vi } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Checkpoint } from '../../platform/checkpoints'
import { loadConfig } from '../../platform/config'
import { EventRecord } from '../../platform/events'
import { Audit } from '../audit/audit.model'
import { Membership } from '../auth/membership.model'
import { User } from '../auth/user.model'
import { Notification } from '../notify/notification.model'
import { OrgUnit } from '../org/org-unit.model'
import { Attendance, Ballot, Elector, Second, StepClaim, Topic, TopicMonth } from './deliberation.model'
import { deliberationSweeper } from './deliberation.sweeper'
import { backfillTopicMonths, recordTopicMonth } from './topic.months'

const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '100000' })
const { communityA, communityB } = app.demo

const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })
const zhang = await app.login('resident', { handle: 'resident-zhang' })
const li = await app.login('resident', { handle: 'resident-li' })
const newcomer = await app.login('resident', { handle: 'resident-new' })

let seq = 0
/** A verified resident made directly in the database (as staff approval would), signed in. */
async function resident(
  opts: { buildingId?: string; room?: string; householdKey?: string; nickname?: string } = {},
) {
  seq++
  const handle = `voter-${seq}`
  const building = await OrgUnit.findById(opts.buildingId ?? communityA.buildingIds[0]).lean()
  const community = await OrgUnit.findById(building!.communityId).lean()
  const user = await User.create({
    openid: `dev:${handle}`,
    nickname: opts.nickname ?? `居民${seq}号`,
    residency: {
      status: 'verified',
      communityId: building!.communityId,
      gridId: building!.gridId,
      courtyardId: building!.courtyardId,
      buildingId: building!._id,
      householdKey: opts.householdKey ?? `${building!._id}:1:${opts.room ?? String(1000 + seq)}`,
    },
  })
  await Membership.create({
    userId: user._id,
    role: 'resident',
    scopeType: 'community',
    scopeId: community!._id,
    scopeName: community!.name,
  })
  return { id: String(user._id), handle, token: await app.login('resident', { handle }) }
}

let dayN = 0
async function day(staff = staffA, communityId = communityA.id) {
  dayN++
  const res = await app.call(
    'createDeliberationDay',
    {
      body: {
        communityId,
        date: `2031-0${1 + (dayN % 9)}-${String(1 + dayN).padStart(2, '0')}`,
        place: '社区议事厅',
      },
    },
    { token: staff },
  )
  expect(res.status).toBe(201)
  return res.body.id as string
}

async function propose(token: string, body: Record<string, unknown> = {}) {
  const res = await app.call(
    'proposeTopic',
    { body: { title: '楼道照明改造', description: '楼道灯经常坏，晚上回家很不安全。', ...body } },
    { token },
  )
  expect(res.status).toBe(201)
  return res.body.id as string
}

/** A topic proposed, accepted, scheduled and open for voting. */
async function votingTopic(
  opts: {
    proposer?: string
    staff?: string
    communityId?: string
    voting?: Record<string, unknown>
    scope?: Record<string, unknown>
  } = {},
) {
  const staff = opts.staff ?? staffA
  const communityId = opts.communityId ?? communityA.id
  const id = await propose(opts.proposer ?? staff, {
    communityId,
    ...(opts.scope ? { scope: opts.scope } : {}),
  })
  const accepted = await app.call(
    'screenTopic',
    { params: { id }, body: { decision: 'accept' } },
    { token: staff },
  )
  expect(accepted.status).toBe(200)
  const now = Date.now()
  const scheduled = await app.call(
    'scheduleTopic',
    {
      params: { id },
      body: {
        dayId: await day(staff, communityId),
        voting: {
          // closes by default at the end of the day's meeting (in 2031)
          opensAt: new Date(now + 60_000).toISOString(),
          ...opts.voting,
        },
      },
    },
    { token: staff },
  )
  expect(scheduled.status).toBe(200)
  const opened = await app.call('openVoting', { params: { id } }, { token: staff })
  expect(opened.status).toBe(200)
  expect(opened.body.status).toBe('voting')
  return { id, eligibleUnits: opened.body.voting.eligibleUnits as number }
}

const vote = (id: string, choice: string, token: string) =>
  app.call('castVote', { params: { id }, body: { choice } }, { token })

/** Units holding a ballot (any number of versions of one unit's ballot is one). */
const filledBallots = async (id: string) =>
  (
    await Ballot.aggregate([
      { $match: { topicId: new Types.ObjectId(id), kind: 'vote' } },
      { $group: { _id: '$voterToken' } },
    ])
  ).length
const seals = (id: string) => Ballot.countDocuments({ topicId: id, kind: 'seal' })
/** Concurrent casts of one unit either land or are told to retry; nothing else. */
const landedOrBusy = (replies: { status: number; body: { code?: string } }[]) => {
  expect(replies.every((r) => r.status === 200 || r.body.code === 'BALLOT_BUSY')).toBe(true)
  expect(replies.some((r) => r.status === 200)).toBe(true)
}

describe('议/不议 rules', () => {
  it('every community starts with labelled examples that only its staff can replace', async () => {
    const rules = await app.call('getDeliberationRules', { params: { id: communityA.id } }, { token: zhang })
    expect(rules.status).toBe(200)
    expect(rules.body.deliberate.length).toBeGreaterThanOrEqual(5)
    expect(rules.body.exclude.map((r: { id: string }) => r.id)).toContain('buyi-private')
    expect(rules.body.exclude.every((r: { example: boolean }) => r.example)).toBe(true)

    const body = {
      deliberate: [{ name: '停车管理', explanation: '小区停车位的划定与收费' }],
      exclude: [
        { id: 'buyi-private', name: '私人纠纷', explanation: '应通过调解或诉讼解决' },
        { name: '商业经营', explanation: '个人商业经营事项' },
      ],
    }
    expect(
      (await app.call('updateDeliberationRules', { params: { id: communityB.id }, body }, { token: zhang }))
        .status,
    ).toBe(403)
    const other = await app.call(
      'updateDeliberationRules',
      { params: { id: communityB.id }, body },
      { token: staffA },
    )
    expect([other.status, other.body.code]).toEqual([404, 'NOT_FOUND'])
    const updated = await app.call(
      'updateDeliberationRules',
      { params: { id: communityB.id }, body },
      { token: staffB },
    )
    expect(updated.status).toBe(200)
    expect(updated.body.exclude).toHaveLength(2)
    expect(updated.body.exclude[0]).toMatchObject({ id: 'buyi-private', example: false })
    expect(updated.body.exclude[1].id).toMatch(/^buyi-[0-9a-f]{8}$/)
    const dup = await app.call(
      'updateDeliberationRules',
      {
        params: { id: communityB.id },
        body: {
          deliberate: [{ id: 'x', name: 'a', explanation: 'b' }],
          exclude: [{ id: 'x', name: 'c', explanation: 'd' }],
        },
      },
      { token: staffB },
    )
    expect(dup.body.code).toBe('DELIBERATION_RULE_DUPLICATE')
  })
})

describe('topics: propose, second, comment, withdraw, screen', () => {
  it('only verified residents, grid workers and staff propose', async () => {
    const refused = await app.call(
      'proposeTopic',
      {
        body: {
          communityId: communityA.id,
          title: '增设快递柜',
          description: '快递经常丢失，希望增设快递柜。',
        },
      },
      { token: newcomer },
    )
    expect([refused.status, refused.body.code]).toEqual([403, 'RESIDENT_NOT_VERIFIED'])
    const grid = await app.login('gridWorker', { scopeId: communityA.gridIds[0]!, handle: 'grid-wangping-1' })
    const id = await propose(grid)
    const t = await app.call('getTopic', { params: { id } }, { token: zhang })
    expect([t.body.status, t.body.proposerRole, t.body.stage]).toEqual([
      'proposed',
      'gridWorker',
      'collecting',
    ])
    const otherCourtyard = await app.call(
      'proposeTopic',
      {
        body: {
          title: '滨河花园修缮',
          description: '滨河花园的围栏需要修缮。',
          scope: { type: 'courtyard', courtyardId: communityA.courtyardIds[1] },
        },
      },
      { token: zhang },
    )
    expect(otherCourtyard.body.code).toBe('TOPIC_SCOPE_MISMATCH')
  })

  it('a resident seconds once, even with 20 concurrent requests; never their own topic', async () => {
    const id = await propose(zhang)
    const own = await app.call('secondTopic', { params: { id } }, { token: zhang })
    expect(own.body.code).toBe('CANNOT_SECOND_OWN_TOPIC')
    const results = await Promise.all(
      Array.from({ length: 20 }, () => app.call('secondTopic', { params: { id } }, { token: li })),
    )
    expect(results.filter((r) => r.status === 201)).toHaveLength(1)
    expect(results.filter((r) => r.body.code === 'ALREADY_SECONDED')).toHaveLength(19)
    expect(await Second.countDocuments({ topicId: id })).toBe(1)
    const t = await app.call('getTopic', { params: { id } }, { token: li })
    expect([t.body.secondsCount, t.body.seconded]).toEqual([1, true])
    // Someone with no role in the community does not even learn that the topic exists.
    expect((await app.call('secondTopic', { params: { id } }, { token: newcomer })).status).toBe(404)
  })

  it('comments are listed with masked names; the proposer may withdraw only before screening', async () => {
    const id = await propose(zhang)
    const c = await app.call(
      'commentOnTopic',
      { params: { id }, body: { body: '同意，楼道太黑了' } },
      { token: li },
    )
    expect(c.status).toBe(201)
    const seen = await app.call('getTopic', { params: { id } }, { token: zhang })
    expect(seen.body.comments[0]).toMatchObject({ body: '同意，楼道太黑了', authorName: '李**', mine: false })
    expect(seen.body.commentsCount).toBe(1)
    expect((await app.call('withdrawTopic', { params: { id } }, { token: li })).body.code).toBe(
      'NOT_TOPIC_PROPOSER',
    )
    const w = await app.call('withdrawTopic', { params: { id } }, { token: zhang })
    expect(w.body.status).toBe('withdrawn')
    expect((await app.call('withdrawTopic', { params: { id } }, { token: zhang })).body.code).toBe(
      'TOPIC_STATUS_CONFLICT',
    )
    const id2 = await propose(zhang)
    await app.call('screenTopic', { params: { id: id2 }, body: { decision: 'accept' } }, { token: staffA })
    expect((await app.call('withdrawTopic', { params: { id: id2 } }, { token: zhang })).body.code).toBe(
      'TOPIC_STATUS_CONFLICT',
    )
  })

  it('refusing a topic without a 不议 rule id is refused; with one it cites the rule', async () => {
    const id = await propose(zhang)
    const noRule = await app.call(
      'screenTopic',
      { params: { id }, body: { decision: 'refuse', reason: '不属于议事范围' } },
      { token: staffA },
    )
    expect([noRule.status, noRule.body.code]).toEqual([422, 'SCREEN_RULE_REQUIRED'])
    const wrongList = await app.call(
      'screenTopic',
      { params: { id }, body: { decision: 'refuse', ruleId: 'yi-safety', reason: '不属于议事范围' } },
      { token: staffA },
    )
    expect(wrongList.body.code).toBe('DELIBERATION_RULE_NOT_FOUND')
    const noReason = await app.call(
      'screenTopic',
      { params: { id }, body: { decision: 'refuse', ruleId: 'buyi-private' } },
      { token: staffA },
    )
    expect(noReason.body.code).toBe('REASON_REQUIRED')
    expect(noReason.body.errors).toEqual([{ path: ['reason'], message: '不予受理须填写理由' }])
    const otherStaff = await app.call(
      'screenTopic',
      { params: { id }, body: { decision: 'refuse', ruleId: 'buyi-private', reason: '邻里纠纷' } },
      { token: staffB },
    )
    expect(otherStaff.status).toBe(404)
    expect((await app.call('getTopic', { params: { id } }, { token: zhang })).body.status).toBe('proposed')
    const refused = await app.call(
      'screenTopic',
      {
        params: { id },
        body: { decision: 'refuse', ruleId: 'buyi-private', reason: '属于邻里纠纷，建议调解' },
      },
      { token: staffA },
    )
    expect(refused.body.status).toBe('refused')
    expect(refused.body.screening).toMatchObject({
      decision: 'refuse',
      ruleId: 'buyi-private',
      ruleName: '私人纠纷',
    })
    expect(refused.body.history.map((h: { action: string }) => h.action)).toEqual(['proposed', 'refused'])
    const zhangId = (await User.findOne({ openid: 'dev:resident-zhang' }).lean())!._id
    expect(
      await Notification.countDocuments({ userId: zhangId, dedupeKey: `deliberation.screened:${id}` }),
    ).toBe(1)
    const again = await app.call(
      'screenTopic',
      { params: { id }, body: { decision: 'accept' } },
      { token: staffA },
    )
    expect(again.body.code).toBe('TOPIC_STATUS_CONFLICT')
  })

  it('accepting emits topic.accepted once for the proposer; merging links the topics', async () => {
    const id = await propose(zhang)
    const twice = await Promise.all([
      app.call('screenTopic', { params: { id }, body: { decision: 'accept' } }, { token: staffA }),
      app.call('screenTopic', { params: { id }, body: { decision: 'accept' } }, { token: staffA }),
    ])
    expect(twice.map((r) => r.status).sort()).toEqual([200, 409])
    const event = await EventRecord.findById(`topic.accepted:${id}`).lean()
    expect(String(event?.userId)).toBe(
      String((await User.findOne({ openid: 'dev:resident-zhang' }).lean())!._id),
    )
    const dupe = await propose(li)
    const merged = await app.call(
      'screenTopic',
      { params: { id: dupe }, body: { decision: 'merge', intoTopicId: id, reason: '同一件事' } },
      { token: staffA },
    )
    expect([merged.body.status, merged.body.mergedIntoId]).toEqual(['merged', id])
    const target = await app.call('getTopic', { params: { id } }, { token: li })
    expect(target.body.history.map((h: { action: string }) => h.action)).toContain('mergedFrom')
    const list = await app.call('listTopics', { query: { stage: 'collecting' } }, { token: zhang })
    expect(list.body.items.some((t: { id: string }) => t.id === id)).toBe(true)
    expect(list.body.items.some((t: { id: string }) => t.id === dupe)).toBe(false)
  })
})

describe('deliberation days', () => {
  it('defaults to the next 20th in Shanghai, or the community’s configured day; one per date', async () => {
    const created = await app.call(
      'createDeliberationDay',
      { body: { place: '望平社区党群服务中心' } },
      { token: staffA },
    )
    expect(created.status).toBe(201)
    expect(created.body.date).toBe(nextDeliberationDate(new Date(), 20, 'Asia/Shanghai'))
    expect(created.body.date.endsWith('-20')).toBe(true)
    const again = await app.call('createDeliberationDay', { body: { place: '另一处' } }, { token: staffA })
    expect([again.status, again.body.code]).toEqual([409, 'DAY_ALREADY_PLANNED'])
    await OrgUnit.updateOne({ _id: communityB.id }, { $set: { deliberationDayOfMonth: 5 } })
    const b = await app.call(
      'createDeliberationDay',
      { body: { place: '香木林议事厅', time: '09:30' } },
      { token: staffB },
    )
    expect(b.body.date).toBe(nextDeliberationDate(new Date(), 5))
    expect(b.body.date.endsWith('-05')).toBe(true)
    expect(b.body.startsAt).toBe(new Date(`${b.body.date}T01:30:00Z`).toISOString())
    const list = await app.call('listDeliberationDays', { query: { upcoming: 'true' } }, { token: zhang })
    expect(list.body.nextDate.endsWith('-20')).toBe(true)
    expect(list.body.items[0].checkInCode).toBeNull()
    const forStaff = await app.call(
      'getDeliberationDay',
      { params: { id: created.body.id } },
      { token: staffA },
    )
    expect(forStaff.body.checkInCode).toEqual(expect.any(String))
  })

  it('checks in once per person (concurrent scans), staff can mark, minutes conclude the day', async () => {
    const id = await day()
    const code = (await app.call('getDeliberationDay', { params: { id } }, { token: staffA })).body
      .checkInCode
    const tid = await propose(zhang)
    await app.call('secondTopic', { params: { id: tid } }, { token: li })
    await app.call('screenTopic', { params: { id: tid }, body: { decision: 'accept' } }, { token: staffA })
    await app.call(
      'scheduleTopic',
      {
        params: { id: tid },
        body: {
          dayId: id,
          voting: { opensAt: new Date().toISOString() },
        },
      },
      { token: staffA },
    )
    const early = await app.call('checkInDeliberationDay', { params: { id }, body: { code } }, { token: li })
    expect(early.body.code).toBe('CHECK_IN_NOT_OPEN') // the day is in 2031
    await import('./deliberation.model').then(({ Day }) =>
      Day.updateOne({ _id: id }, { $set: { startsAt: new Date() } }),
    )
    const wrong = await app.call(
      'checkInDeliberationDay',
      { params: { id }, body: { code: 'not-the-code' } },
      { token: li },
    )
    expect(wrong.body.code).toBe('CHECK_IN_CODE_INVALID')
    const scans = await Promise.all(
      Array.from({ length: 15 }, () =>
        app.call('checkInDeliberationDay', { params: { id }, body: { code } }, { token: li }),
      ),
    )
    expect(scans.filter((r) => r.status === 201)).toHaveLength(1)
    expect(scans.filter((r) => r.body.code === 'ALREADY_CHECKED_IN')).toHaveLength(14)
    const zhangId = String((await User.findOne({ openid: 'dev:resident-zhang' }).lean())!._id)
    expect(
      (await app.call('checkInDeliberationDay', { params: { id }, body: { userId: zhangId } }, { token: li }))
        .status,
    ).toBe(404)
    const marked = await app.call(
      'checkInDeliberationDay',
      { params: { id }, body: { userId: zhangId } },
      { token: staffA },
    )
    expect([marked.status, marked.body.attendanceCount]).toEqual([201, 2])
    expect(await Attendance.countDocuments({ dayId: id })).toBe(2)
    expect(await EventRecord.countDocuments({ _id: { $in: [`day.attended:${id}:${zhangId}`] } })).toBe(1)
    const detail = await app.call('getDeliberationDay', { params: { id } }, { token: li })
    expect([detail.body.status, detail.body.checkedIn, detail.body.agenda.length]).toEqual([
      'inSession',
      true,
      1,
    ])
    // The agenda counts seconds from their own collection, as every topic list does.
    expect(detail.body.agenda[0].secondsCount).toBe(1)
    const minutes = await app.call(
      'recordMinutes',
      { params: { id }, body: { text: '到会 2 人，审议照明改造。', conclude: true } },
      { token: staffA },
    )
    expect([minutes.body.status, minutes.body.minutes.text]).toEqual([
      'concluded',
      '到会 2 人，审议照明改造。',
    ])
    const late = await app.call(
      'checkInDeliberationDay',
      { params: { id }, body: { code } },
      { token: zhang },
    )
    expect(late.body.code).toBe('DAY_CONCLUDED')
  })
})

describe('voting', () => {
  it('100 concurrent ballots from one resident leave one ballot; a change replaces it; after close 409', async () => {
    const voter = await resident()
    const { id } = await votingTopic()
    const choices = ['yes', 'no', 'abstain']
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => vote(id, choices[i % 3]!, voter.token)),
    )
    landedOrBusy(replies)
    expect(await filledBallots(id)).toBe(1)
    expect(await EventRecord.countDocuments({ _id: `vote.cast:${id}:${voter.id}` })).toBe(1)
    expect(await EventRecord.countDocuments({ type: 'vote.cast', 'data.topicId': id })).toBe(1)
    const changed = await vote(id, 'no', voter.token)
    expect(changed.body.choice).toBe('no')
    const mine = await app.call('getMyVote', { params: { id } }, { token: voter.token })
    expect([mine.body.choice, mine.body.channel, mine.body.changeable]).toEqual(['no', 'online', true])
    expect(await filledBallots(id)).toBe(1)
    const closed = await app.call('closeVoting', { params: { id } }, { token: staffA })
    expect(closed.body.result.options.find((o: { key: string }) => o.key === 'no').count).toBe(1)
    expect(closed.body.result.ballots).toBe(1)
    expect(await seals(id)).toBe(closed.body.result.eligibleUnits)
    const late = await vote(id, 'yes', voter.token)
    expect([late.status, late.body.code]).toEqual([409, 'VOTING_CLOSED'])
    expect((await app.call('getMyVote', { params: { id } }, { token: voter.token })).body.changeable).toBe(
      false,
    )
  })

  it('a household topic takes one ballot per household, even from all members at once', async () => {
    const key = `${communityA.buildingIds[1]}:3:301`
    const members = await Promise.all(
      [1, 2, 3].map(() => resident({ buildingId: communityA.buildingIds[1], householdKey: key })),
    )
    const verified = await User.find({
      'residency.status': 'verified',
      'residency.communityId': communityA.id,
    }).lean()
    const households = new Set(verified.map((u) => u.residency!.householdKey))
    const { id, eligibleUnits } = await votingTopic({ voting: { ballotUnit: 'household' } })
    expect(eligibleUnits).toBe(households.size)
    expect(eligibleUnits).toBeLessThan(verified.length)
    const replies = await Promise.all(
      Array.from({ length: 100 }, (_, i) => vote(id, i % 2 ? 'yes' : 'no', members[i % 3]!.token)),
    )
    landedOrBusy(replies)
    expect(await filledBallots(id)).toBe(1)
    expect(await EventRecord.countDocuments({ type: 'vote.cast', 'data.topicId': id })).toBe(1)
    const seen = await Promise.all(
      members.map((m) => app.call('getMyVote', { params: { id } }, { token: m.token })),
    )
    expect(new Set(seen.map((s) => s.body.choice)).size).toBe(1)
    const closed = await app.call('closeVoting', { params: { id } }, { token: staffA })
    expect(closed.body.result.ballots).toBe(1)
    expect(
      closed.body.result.options.find((o: { key: string }) => o.key === seen[0]!.body.choice).count,
    ).toBe(1)
    expect(await seals(id)).toBe(eligibleUnits)
  })

  it('concurrent ballots from many residents: the tally equals the number of units', async () => {
    const voters = await Promise.all(
      Array.from({ length: 40 }, (_, i) => resident({ buildingId: communityB.buildingIds[i % 2] })),
    )
    const units = await User.countDocuments({
      'residency.status': 'verified',
      'residency.communityId': communityB.id,
    })
    const { id, eligibleUnits } = await votingTopic({ staff: staffB, communityId: communityB.id })
    expect(eligibleUnits).toBe(units)
    const replies = await Promise.all(
      voters.flatMap((v, i) => [
        vote(id, i < 30 ? 'yes' : 'no', v.token),
        vote(id, i < 30 ? 'yes' : 'no', v.token),
      ]),
    )
    expect(replies.every((r) => r.status === 200)).toBe(true)
    const closed = await app.call('closeVoting', { params: { id } }, { token: staffB })
    const r = closed.body.result
    expect(r.ballots).toBe(40)
    expect(r.onlineBallots).toBe(40)
    expect(r.options.map((o: { count: number }) => o.count)).toEqual([30, 10, 0])
    expect(await EventRecord.countDocuments({ type: 'vote.cast', 'data.topicId': id })).toBe(40)
  })

  it('non-eligible callers cannot vote', async () => {
    const inCourtyard1 = await resident({ buildingId: communityA.buildingIds[0] })
    const inCourtyard2 = await resident({ buildingId: communityA.buildingIds[2] })
    const inB = await resident({ buildingId: communityB.buildingIds[0] })
    const { id } = await votingTopic({
      scope: { type: 'courtyard', courtyardId: communityA.courtyardIds[0] },
    })
    const late = await resident({ buildingId: communityA.buildingIds[0] })
    for (const token of [inCourtyard2.token, late.token, staffA]) {
      const r = await vote(id, 'yes', token)
      expect([r.status, r.body.code]).toEqual([403, 'NOT_ELIGIBLE_VOTER'])
    }
    // Outside the community the topic is invisible.
    for (const token of [newcomer, inB.token]) expect((await vote(id, 'yes', token)).status).toBe(404)
    expect((await app.call('getMyVote', { params: { id } }, { token: late.token })).body.eligible).toBe(false)
    expect((await vote(id, 'yes', inCourtyard1.token)).status).toBe(200)
    expect((await vote(id, 'maybe', inCourtyard1.token)).body.code).toBe('INVALID_CHOICE')
    expect(await filledBallots(id)).toBe(1)
    const notOpen = await propose(zhang)
    expect((await vote(notOpen, 'yes', zhang)).body.code).toBe('VOTING_NOT_OPEN')
  })

  it('a full vote publishes the result the pass rule gives; tallies stay hidden until close', async () => {
    const voters = await Promise.all(
      Array.from({ length: 9 }, () => resident({ buildingId: communityA.buildingIds[3] })),
    )
    const units = await User.countDocuments({
      'residency.status': 'verified',
      'residency.courtyardId': communityA.courtyardIds[1],
    })
    const { id, eligibleUnits } = await votingTopic({
      scope: { type: 'courtyard', courtyardId: communityA.courtyardIds[1] },
      voting: { threshold: 'twoThirds', quorumPercent: 60, countAbstentions: false },
    })
    expect(eligibleUnits).toBe(units)
    expect(units).toBeLessThanOrEqual(11)
    // 4 yes, 2 no, 1 abstain, the rest absent: quorum 7/units ≥ 60 %, valid 6, 4/6 is exactly two-thirds → passes
    const plan = ['yes', 'yes', 'yes', 'yes', 'no', 'no', 'abstain']
    await Promise.all(plan.map((c, i) => vote(id, c, voters[i]!.token)))
    const hidden = await app.call('getTopicResult', { params: { id } }, { token: voters[0]!.token })
    expect([hidden.status, hidden.body.code]).toEqual([409, 'RESULT_NOT_READY'])
    expect((await app.call('getTopic', { params: { id } }, { token: staffA })).body.result).toBeNull()
    const closed = await app.call('closeVoting', { params: { id } }, { token: staffA })
    expect(closed.body.status).toBe('passed')
    const result = await app.call('getTopicResult', { params: { id } }, { token: voters[8]!.token })
    const expected = evaluateTally({
      options: [
        { key: 'yes', kind: 'for' },
        { key: 'no', kind: 'against' },
        { key: 'abstain', kind: 'abstain' },
      ],
      counts: { yes: 4, no: 2, abstain: 1 },
      eligibleUnits: units,
      quorumPercent: 60,
      threshold: 'twoThirds',
      countAbstentions: false,
    })
    expect(result.body).toMatchObject({
      ballots: 7,
      validBallots: 6,
      eligibleUnits: units,
      quorumMet: true,
      passed: true,
      turnoutPercent: expected.turnoutPercent,
      leadingOption: 'yes',
    })
    expect(expected.passed).toBe(true)
    // every elector and the proposer (staff, not an elector) hear of the result once
    expect(await Notification.countDocuments({ dedupeKey: new RegExp(`^deliberation.result:${id}:`) })).toBe(
      units + 1,
    )
  })

  it('an offline ballot for a unit that voted online is refused, and the reverse', async () => {
    const online = await resident()
    const offline = await resident()
    const racer = await resident()
    const { id } = await votingTopic()
    expect((await vote(id, 'yes', online.token)).status).toBe(200)
    const rec = await app.call(
      'recordOfflineBallots',
      {
        params: { id },
        body: {
          ballots: [
            { userId: online.id, choice: 'no' },
            { userId: offline.id, choice: 'no' },
            { userId: offline.id, choice: 'yes' },
          ],
        },
      },
      { token: staffA },
    )
    expect(rec.body.recorded).toBe(1)
    expect(rec.body.items.map((i: { code: string | null }) => i.code)).toEqual([
      'BALLOT_CAST_ONLINE',
      null,
      'DUPLICATE',
    ])
    const reverse = await vote(id, 'yes', offline.token)
    expect([reverse.status, reverse.body.code]).toEqual([409, 'BALLOT_RECORDED_OFFLINE'])
    const mine = await app.call('getMyVote', { params: { id } }, { token: offline.token })
    expect([mine.body.channel, mine.body.changeable]).toEqual(['offline', false])
    // online and offline racing for the same unit: exactly one lands
    const race = await Promise.all([
      ...Array.from({ length: 10 }, () => vote(id, 'abstain', racer.token)),
      ...Array.from({ length: 10 }, () =>
        app.call(
          'recordOfflineBallots',
          { params: { id }, body: { ballots: [{ userId: racer.id, choice: 'no' }] } },
          { token: staffA },
        ),
      ),
    ])
    const onlineOk = race.slice(0, 10).filter((r) => r.status === 200).length
    const offlineOk = race.slice(10).filter((r) => r.body.recorded === 1).length
    expect(onlineOk > 0 !== offlineOk > 0).toBe(true)
    expect(offlineOk).toBeLessThanOrEqual(1)
    expect(await filledBallots(id)).toBe(3)
    expect(
      (
        await app.call(
          'recordOfflineBallots',
          { params: { id }, body: { ballots: [{ userId: online.id, choice: 'no' }] } },
          { token: staffB },
        )
      ).status,
    ).toBe(404)
    const closed = await app.call('closeVoting', { params: { id } }, { token: staffA })
    expect([closed.body.result.ballots, closed.body.result.offlineBallots]).toEqual([3, offlineOk + 1])
    const log = await app.call(
      'listAuditLog',
      { query: { action: 'deliberation.ballots.offline' } },
      { token: staffA },
    )
    expect(JSON.stringify(log.body)).not.toMatch(/"choice"|"no"|"yes"/)
  })

  it('no response of any operation, to any role, reveals another voter’s choice', async () => {
    const a = await resident({ nickname: '投票甲' })
    const b = await resident({ nickname: '投票乙' })
    const { id } = await votingTopic()
    await vote(id, 'yes', a.token)
    await vote(id, 'no', b.token)
    const street = await app.login('streetStaff', { scopeId: app.demo.streetId, handle: 'street-mzw' })
    const admin = await app.login('admin', { handle: 'admin-1' })
    const grid = await app.login('gridWorker', { scopeId: communityA.gridIds[0]!, handle: 'grid-wangping-1' })
    const dayId = (await app.call('getTopic', { params: { id } }, { token: staffA })).body.dayId
    const probe = async (token: string, ownId: string | null) => {
      const replies = [
        await app.call('getTopic', { params: { id } }, { token }),
        await app.call('listTopics', { query: { communityId: communityA.id, limit: '100' } }, { token }),
        await app.call('getTopicResult', { params: { id } }, { token }),
        await app.call('getMyVote', { params: { id } }, { token }),
        await app.call('getDeliberationDay', { params: { id: dayId } }, { token }),
        await app.call('listDeliberationDays', { query: { communityId: communityA.id } }, { token }),
        await app.call('listAuditLog', { query: { limit: '100' } }, { token }),
        await app.call('listNotifications', {}, { token }),
      ]
      for (const r of replies) {
        const text = JSON.stringify(r.body)
        for (const voter of [a, b]) if (voter.id !== ownId) expect(text).not.toContain(voter.id)
        expect(text).not.toMatch(/voterToken|unitKey|householdKey|"hh:/)
        expect(text).not.toMatch(/投票甲|投票乙/)
      }
      return replies[3]!.body
    }
    await app.call('closeVoting', { params: { id } }, { token: staffA })
    for (const token of [staffA, staffB, street, admin, grid, zhang, newcomer]) {
      const mine = await probe(token, null)
      // null for those who see the topic; a 404 without any choice for those outside community A
      expect(mine.choice ?? null).toBeNull()
    }
    expect((await probe(a.token, a.id)).choice).toBe('yes')
    expect((await probe(b.token, b.id)).choice).toBe('no')
    // storage: ballots hold no user, household or time, only the keyed pseudonym
    const stored = await Ballot.find({ topicId: id }).lean()
    for (const s of stored) {
      expect(Object.keys(s).sort()).toEqual([
        '_id',
        'channel',
        'choice',
        'kind',
        'seq',
        'slot',
        'topicId',
        'voterToken',
      ])
      expect(typeof s._id).toBe('string') // random, not an ObjectId carrying a creation time
    }
    const electors = await Elector.find({ topicId: id }).lean()
    expect(stored.map((s) => s.voterToken)).not.toContain(electors[0]!.unitKey)
  })
})

describe('after the decision, and the sweeper', () => {
  it('milestones move forward only; residents rate the outcome once when done', async () => {
    const voter = await resident()
    const { id } = await votingTopic({ voting: { quorumPercent: 0 } })
    await vote(id, 'yes', voter.token)
    const closed = await app.call('closeVoting', { params: { id } }, { token: staffA })
    expect(closed.body.status).toBe('passed')
    expect(
      (await app.call('rateTopicOutcome', { params: { id }, body: { stars: 5 } }, { token: voter.token }))
        .body.code,
    ).toBe('RATING_NOT_OPEN')
    const m1 = await app.call(
      'addTopicMilestone',
      { params: { id }, body: { title: '完成选址', progress: 40 } },
      { token: staffA },
    )
    expect([m1.status, m1.body.status, m1.body.progress]).toEqual([201, 'implementing', 40])
    const back = await app.call(
      'addTopicMilestone',
      { params: { id }, body: { title: '倒退', progress: 20 } },
      { token: staffA },
    )
    expect(back.body.code).toBe('MILESTONE_PROGRESS_BACKWARDS')
    const done = await app.call(
      'addTopicMilestone',
      { params: { id }, body: { title: '安装完成', note: '已投入使用', progress: 100 } },
      { token: staffA },
    )
    expect([done.body.status, done.body.milestones.length]).toEqual(['done', 2])
    const ratings = await Promise.all(
      Array.from({ length: 10 }, () =>
        app.call('rateTopicOutcome', { params: { id }, body: { stars: 4 } }, { token: voter.token }),
      ),
    )
    expect(ratings.filter((r) => r.status === 201)).toHaveLength(1)
    expect(ratings.filter((r) => r.body.code === 'ALREADY_RATED')).toHaveLength(9)
    const t = await app.call('getTopic', { params: { id } }, { token: voter.token })
    expect([t.body.rating, t.body.myRating]).toEqual([{ count: 1, average: 4 }, 4])
    expect(t.body.history.map((h: { action: string }) => h.action)).toEqual([
      'proposed',
      'accepted',
      'scheduled',
      'votingOpened',
      'votingClosed',
      'milestone',
      'done',
    ])
  })

  it('the sweeper opens a vote at its window and closes it after, once', async () => {
    const voter = await resident()
    const id = await propose(zhang)
    await app.call('screenTopic', { params: { id }, body: { decision: 'accept' } }, { token: staffA })
    const opensAt = new Date(Date.now() + 10 * 60_000)
    const scheduled = await app.call(
      'scheduleTopic',
      { params: { id }, body: { dayId: await day(), voting: { opensAt: opensAt.toISOString() } } },
      { token: staffA },
    )
    const closesAt = new Date(scheduled.body.voting.closesAt)
    await deliberationSweeper.run(app.deps, new Date())
    expect((await Topic.findById(id).lean())!.status).toBe('scheduled')
    expect((await vote(id, 'yes', voter.token)).body.code).toBe('VOTING_NOT_OPEN')
    await Promise.all([
      deliberationSweeper.run(app.deps, new Date(opensAt.getTime() + 1000)),
      deliberationSweeper.run(app.deps, new Date(opensAt.getTime() + 1000)),
    ])
    const open = (await Topic.findById(id).lean())!
    expect(open.status).toBe('voting')
    expect(open.voting!.eligibleUnits).toBe(
      await Elector.aggregate([{ $match: { topicId: open._id } }, { $group: { _id: '$unitKey' } }]).then(
        (g) => g.length,
      ),
    )
    expect((await vote(id, 'yes', voter.token)).status).toBe(200)
    await deliberationSweeper.run(app.deps, new Date(closesAt.getTime() + 1000))
    const closed = (await Topic.findById(id).lean())!
    expect(closed.status).toBe('failed') // 1 ballot is short of the 50 % quorum
    expect(closed.result?.ballots).toBe(1)
    expect(await seals(id)).toBe(open.voting!.eligibleUnits)
    await deliberationSweeper.run(app.deps, new Date(closesAt.getTime() + 120_000))
    expect(await seals(id)).toBe(open.voting!.eligibleUnits)
    expect((await vote(id, 'no', voter.token)).body.code).toBe('VOTING_CLOSED')
  })
})

describe('hardening: ballot secret, interrupted one-time steps', () => {
  it('BALLOT_SECRET is separate from JWT_SECRET and required (≥ 32 characters) in production', () => {
    const prod = {
      NODE_ENV: 'production',
      MONGODB_URI: 'mongodb://db',
      JWT_SECRET: 'j'.repeat(40),
      WECHAT_APPID: 'wx1234567890',
      WECHAT_SECRET: 'real-secret',
    }
    expect(() => loadConfig(prod)).toThrow(/BALLOT_SECRET/)
    expect(() => loadConfig({ ...prod, BALLOT_SECRET: 'b'.repeat(31) })).toThrow(/BALLOT_SECRET/)
    expect(loadConfig({ ...prod, BALLOT_SECRET: 'b'.repeat(32) }).BALLOT_SECRET).toBe('b'.repeat(32))
    expect(app.config.BALLOT_SECRET).not.toBe(app.config.JWT_SECRET)
  })

  it('rotating JWT_SECRET during an open vote keeps each unit’s ballot: found, and replaced not added', async () => {
    const voter = await resident()
    const { id } = await votingTopic()
    expect((await vote(id, 'yes', voter.token)).status).toBe(200)
    // A new instance over the same database, with another JWT_SECRET and the same BALLOT_SECRET.
    const rotated = await startTestApp(
      { LOGIN_RATE_PER_MINUTE: '100000', JWT_SECRET: 'rotated-jwt-secret-0123456789abcdefghij' },
      { dbName: app.dbName },
    )
    expect(rotated.dbName).toBe(app.dbName)
    expect(rotated.config.JWT_SECRET).not.toBe(app.config.JWT_SECRET)
    expect(rotated.config.BALLOT_SECRET).toBe(app.config.BALLOT_SECRET)
    // Old access tokens are void after the rotation; the resident signs in again.
    expect((await rotated.call('getMyVote', { params: { id } }, { token: voter.token })).status).toBe(401)
    const token = await rotated.login('resident', { handle: voter.handle })
    const mine = await rotated.call('getMyVote', { params: { id } }, { token })
    expect(mine.status).toBe(200)
    expect(mine.body).toMatchObject({ eligible: true, choice: 'yes', channel: 'online', changeable: true })
    const changed = await rotated.call('castVote', { params: { id }, body: { choice: 'no' } }, { token })
    expect(changed.status).toBe(200)
    expect(await filledBallots(id)).toBe(1)
    expect((await rotated.call('getMyVote', { params: { id } }, { token })).body.choice).toBe('no')
    const staff = await rotated.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
    expect((await rotated.call('closeVoting', { params: { id } }, { token: staff })).status).toBe(200)
    const result = (await rotated.call('getTopicResult', { params: { id } }, { token })).body
    expect(result.ballots).toBe(1)
    const count = (key: string) => result.options.find((o: { key: string }) => o.key === key)?.count
    expect([count('yes'), count('no')]).toEqual([0, 1])
    // Control: the token does depend on BALLOT_SECRET (another one would not find the ballot).
    const other = await startTestApp(
      { LOGIN_RATE_PER_MINUTE: '100000', BALLOT_SECRET: 'another-ballot-secret-0123456789abcdef' },
      { dbName: app.dbName },
    )
    const otherToken = await other.login('resident', { handle: voter.handle })
    expect((await other.call('getMyVote', { params: { id } }, { token: otherToken })).body.choice).toBeNull()
  })

  /** Makes the step's topic write (the first Topic.findOneAndUpdate after the claim) fail once. */
  function crashOnTopicWrite() {
    return vi.spyOn(Topic, 'findOneAndUpdate').mockImplementationOnce(() => {
      throw new Error('simulated crash after the claim')
    })
  }
  const backdate = (key: string) =>
    StepClaim.updateOne({ _id: key }, { $set: { at: new Date(Date.now() - 120_000) } })
  const sweepTwiceAtOnce = () =>
    Promise.all([
      deliberationSweeper.run(app.deps, new Date()),
      deliberationSweeper.run(app.deps, new Date()),
    ])
  const historyOf = async (id: string, action: string) =>
    (await Topic.findById(id).lean())!.history.filter((h) => h.action === action).length

  it('a screening whose claimant died after the claim is finished by the sweeper, once', async () => {
    const id = await propose(zhang)
    const spy = crashOnTopicWrite()
    const crashed = await app.call(
      'screenTopic',
      { params: { id }, body: { decision: 'accept' } },
      { token: staffA },
    )
    spy.mockRestore()
    expect(crashed.status).toBe(500)
    expect((await Topic.findById(id).lean())!.status).toBe('proposed')
    const claim = (await StepClaim.findById(`triage:${id}`).lean())!
    expect(claim).toMatchObject({ step: 'triage', done: false, from: ['proposed'] })
    // Stuck without recovery: the proposer cannot withdraw, staff cannot screen again.
    expect((await app.call('withdrawTopic', { params: { id } }, { token: zhang })).status).toBe(409)
    // Not before ~60 s: the claimant may still be at work.
    await deliberationSweeper.run(app.deps, new Date())
    expect((await Topic.findById(id).lean())!.status).toBe('proposed')
    await backdate(`triage:${id}`)
    await sweepTwiceAtOnce()
    const topic = (await Topic.findById(id).lean())!
    expect(topic.status).toBe('accepted')
    expect(topic.screening?.decision).toBe('accept')
    expect(String(topic.screening?.by)).toBe(String(claim.by))
    expect(await historyOf(id, 'accepted')).toBe(1)
    expect(await Notification.countDocuments({ dedupeKey: `deliberation.screened:${id}` })).toBe(1)
    expect(await EventRecord.countDocuments({ _id: `topic.accepted:${id}` })).toBe(1)
    expect(await Audit.countDocuments({ action: 'deliberation.topic.accept', targetId: id })).toBe(1)
    expect((await StepClaim.findById(`triage:${id}`).lean())!.done).toBe(true)
    // Idempotent: further sweeps (even later) change nothing.
    await backdate(`triage:${id}`)
    await sweepTwiceAtOnce()
    expect(await historyOf(id, 'accepted')).toBe(1)
    expect(await Audit.countDocuments({ action: 'deliberation.topic.accept', targetId: id })).toBe(1)
  })

  it('a withdrawal interrupted after its claim ends withdrawn, once', async () => {
    const id = await propose(zhang)
    const spy = crashOnTopicWrite()
    expect((await app.call('withdrawTopic', { params: { id } }, { token: zhang })).status).toBe(500)
    spy.mockRestore()
    expect(
      (await app.call('screenTopic', { params: { id }, body: { decision: 'accept' } }, { token: staffA }))
        .status,
    ).toBe(409)
    await backdate(`triage:${id}`)
    await sweepTwiceAtOnce()
    expect((await Topic.findById(id).lean())!.status).toBe('withdrawn')
    expect(await historyOf(id, 'withdrawn')).toBe(1)
    expect(await Notification.countDocuments({ dedupeKey: `deliberation.screened:${id}` })).toBe(0)
  })

  it('an opening interrupted after its claim is finished by the sweeper, once', async () => {
    const voter = await resident()
    const id = await propose(zhang)
    await app.call('screenTopic', { params: { id }, body: { decision: 'accept' } }, { token: staffA })
    const now = Date.now()
    const scheduled = await app.call(
      'scheduleTopic',
      {
        params: { id },
        body: {
          dayId: await day(),
          voting: {
            opensAt: new Date(now + 60 * 60_000).toISOString(),
          },
        },
      },
      { token: staffA },
    )
    expect(scheduled.status).toBe(200)
    const spy = crashOnTopicWrite()
    expect((await app.call('openVoting', { params: { id } }, { token: staffA })).status).toBe(500)
    spy.mockRestore()
    expect((await Topic.findById(id).lean())!.status).toBe('scheduled')
    expect((await app.call('openVoting', { params: { id } }, { token: staffA })).status).toBe(409)
    await backdate(`open:${id}`)
    await sweepTwiceAtOnce()
    const topic = (await Topic.findById(id).lean())!
    expect(topic.status).toBe('voting')
    expect(await historyOf(id, 'votingOpened')).toBe(1)
    expect(topic.voting!.eligibleUnits).toBeGreaterThan(0)
    expect(topic.voting!.opensAt.getTime()).toBeLessThanOrEqual(Date.now()) // opened early, as staff asked
    expect(await Notification.countDocuments({ dedupeKey: `deliberation.opened:${id}:${voter.id}` })).toBe(1)
    // The deadline in the community's own time, as every other date a resident reads.
    const opened = await Notification.findOne({ dedupeKey: `deliberation.opened:${id}:${voter.id}` }).lean()
    expect(opened!.body).toContain(`截止 ${formatTime(topic.voting!.closesAt, { style: 'calendar' })}`)
    expect(opened!.body).not.toMatch(/UTC|T\d\d:/)
    expect((await StepClaim.findById(`open:${id}`).lean())!.done).toBe(true)
    expect((await vote(id, 'yes', voter.token)).status).toBe(200)
  })

  it('a closing interrupted after its claim is finished by the sweeper, once', async () => {
    const voter = await resident()
    const { id, eligibleUnits } = await votingTopic()
    expect((await vote(id, 'yes', voter.token)).status).toBe(200)
    const spy = crashOnTopicWrite()
    expect((await app.call('closeVoting', { params: { id } }, { token: staffA })).status).toBe(500)
    spy.mockRestore()
    expect((await Topic.findById(id).lean())!.status).toBe('voting')
    expect((await app.call('closeVoting', { params: { id } }, { token: staffA })).status).toBe(409)
    await backdate(`close:${id}`)
    await sweepTwiceAtOnce()
    const topic = (await Topic.findById(id).lean())!
    expect(['passed', 'failed']).toContain(topic.status)
    expect(await historyOf(id, 'votingClosed')).toBe(1)
    expect(topic.result?.ballots).toBe(1)
    expect(await seals(id)).toBe(eligibleUnits)
    expect(await Notification.countDocuments({ dedupeKey: `deliberation.result:${id}:${voter.id}` })).toBe(1)
    expect((await StepClaim.findById(`close:${id}`).lean())!.done).toBe(true)
    expect((await vote(id, 'no', voter.token)).body.code).toBe('VOTING_CLOSED')
  })
})

describe('topic lists by month', () => {
  it('pages the same topics in the same order by month as by range, across gaps, ties and month ends; backfills older topics once', async () => {
    const communityId = new Types.ObjectId(communityB.id)
    const proposer = (await User.findOne({ openid: 'dev:resident-zhang' }).lean())!
    const at = (iso: string, status: string, legacy = false) => ({
      ...new Topic({
        communityId,
        title: `往月议题 ${iso}`,
        description: '按月分页测试',
        scopeType: 'community',
        scopeName: '测试社区',
        proposerId: proposer._id,
        proposerName: proposer.nickname,
        proposerRole: 'resident',
        status,
      }).toObject(),
      createdAt: new Date(iso),
      updatedAt: new Date(iso),
      month: legacy ? null : iso.slice(0, 7),
    })
    const docs = [
      at('2025-11-30T23:59:59.999Z', 'done'),
      at('2025-12-01T00:00:00.000Z', 'proposed'),
      at('2025-12-01T00:00:00.000Z', 'done'), // same moment: ordered by _id
      at('2025-12-15T08:00:00.000Z', 'accepted', true),
      at('2026-01-05T08:00:00.000Z', 'done', true),
      at('2026-03-31T23:59:59.999Z', 'proposed'), // February has none
    ]
    for (const d of docs) if (d.month) await recordTopicMonth(communityId, d.createdAt)
    await Topic.collection.insertMany(docs as never[])
    // The order a range read gives: every topic of the community, newest first.
    const all = (await Topic.find({ communityId }).sort({ createdAt: -1, _id: -1 }).lean()).map((t) => ({
      id: String(t._id),
      status: t.status,
    }))
    const pages = async (query: Record<string, string>) => {
      const ids: string[] = []
      let cursor: string | null = null
      do {
        const res: { status: number; body: any } = await app.call(
          'listTopics',
          { query: { communityId: communityB.id, limit: '2', ...query, ...(cursor ? { cursor } : {}) } },
          { token: staffB },
        )
        expect(res.status).toBe(200)
        ids.push(...res.body.items.map((t: { id: string }) => t.id))
        cursor = res.body.nextCursor
      } while (cursor)
      return ids
    }
    const done = all.filter((t) => t.status === 'done').map((t) => t.id)
    const collecting = all.filter((t) => ['proposed', 'accepted'].includes(t.status)).map((t) => t.id)
    expect(done.length).toBeGreaterThanOrEqual(3)

    // Until the backfill is done: by range.
    await Checkpoint.deleteOne({ _id: 'topics-month' })
    expect(await pages({})).toEqual(all.map((t) => t.id))
    // In batches, each older topic given its month (and its month recorded) once.
    expect(await backfillTopicMonths(1)).toBe(1)
    expect(await backfillTopicMonths(1)).toBe(1)
    expect(await backfillTopicMonths(1)).toBe(0)
    expect(await backfillTopicMonths(1)).toBe(0)
    const stored = await Topic.find({ communityId }).lean()
    expect(stored.every((t) => t.month === t.createdAt.toISOString().slice(0, 7))).toBe(true)
    expect((await TopicMonth.find({ communityId }).lean()).map((m) => m.month).sort()).toEqual(
      [...new Set(stored.map((t) => t.month))].sort(),
    )

    // By month: the same pages, with a stage and with one status.
    expect(await pages({})).toEqual(all.map((t) => t.id))
    expect(await pages({ stage: 'collecting' })).toEqual(collecting)
    expect(await pages({ status: 'done' })).toEqual(done)

    // A new topic carries its month from the start and comes first.
    const created = await app.call(
      'proposeTopic',
      {
        body: {
          communityId: communityB.id,
          title: '楼道照明改造',
          description: '楼道灯经常坏，晚上回家很不安全。',
        },
      },
      { token: staffB },
    )
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const fresh = (await Topic.findById(created.body.id).lean())!
    expect(fresh.month).toBe(fresh.createdAt.toISOString().slice(0, 7))
    expect((await pages({}))[0]).toBe(created.body.id)
  })
})
