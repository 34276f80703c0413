import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { Notification } from '../notify/notification.model'
import { Topic } from './deliberation.model'
import { deliberationSweeper } from './deliberation.sweeper'

/** 爱邻议事日 as a community runs it: windows tied to the day, 附议 that promote, receipts, the 大屏. */
const app = await startTestApp({ LOGIN_RATE_PER_MINUTE: '100000' })
const { communityA, communityB } = app.demo

const staffA = await app.login('staff', { scopeId: communityA.id, handle: 'staff-wangping' })
const staffB = await app.login('staff', { scopeId: communityB.id, handle: 'staff-xiangmulin' })
const zhang = await app.login('resident', { handle: 'resident-zhang' })
const outsider = (await app.verifiedResidents(1, communityB.id, 'outsider'))[0]!

let dayN = 0
/** A day of community A in 2032 (dates never collide with other files' days: each file has its own db). */
async function day(time = '19:00') {
  dayN++
  const res = await app.call(
    'createDeliberationDay',
    {
      body: {
        date: `2032-0${1 + (dayN % 9)}-${String(1 + dayN).padStart(2, '0')}`,
        time,
        place: '社区议事厅',
      },
    },
    { token: staffA },
  )
  expect(res.status).toBe(201)
  return res.body as { id: string; startsAt: string; checkInCode: string }
}

async function acceptedTopic(proposer = staffA) {
  const res = await app.call(
    'proposeTopic',
    { body: { title: '楼道照明改造', description: '楼道灯经常坏，晚上回家很不安全。' } },
    { token: proposer },
  )
  expect(res.status).toBe(201)
  const id = res.body.id as string
  const screened = await app.call(
    'screenTopic',
    { params: { id }, body: { decision: 'accept' } },
    { token: staffA },
  )
  expect(screened.status).toBe(200)
  return id
}

const schedule = (id: string, dayId: string, voting: Record<string, unknown> = {}) =>
  app.call('scheduleTopic', { params: { id }, body: { dayId, voting } }, { token: staffA })

describe('voting tied to the day', () => {
  it('defaults to opening days before the meeting and closing at its end; never closes before it', async () => {
    const d = await day('19:00')
    const starts = new Date(d.startsAt).getTime()
    const id = await acceptedTopic()
    const early = await schedule(id, d.id, { closesAt: new Date(starts - 60_000).toISOString() })
    expect([early.status, early.body.code]).toEqual([422, 'VOTING_WINDOW_INVALID'])
    expect(early.body.errors[0].path).toEqual(['voting', 'closesAt'])
    expect((await Topic.findById(id).lean())!.status).toBe('accepted') // nothing written

    const ok = await schedule(id, d.id)
    expect(ok.status).toBe(200)
    expect(Date.parse(ok.body.voting.opensAt)).toBe(starts - 7 * 86_400_000)
    expect(Date.parse(ok.body.voting.closesAt)).toBe(starts + 120 * 60_000)

    // staff change the defaults; they are audited and used by the next schedule
    const rules = (
      await app.call('getDeliberationRules', { params: { id: communityA.id } }, { token: staffA })
    ).body
    expect(rules.settings).toEqual({ secondsToPromote: 10, votingOpensDaysBefore: 7, meetingMinutes: 120 })
    const updated = await app.call(
      'updateDeliberationRules',
      {
        params: { id: communityA.id },
        body: {
          deliberate: rules.deliberate.map(({ id, name, explanation }: Record<string, string>) => ({
            id,
            name,
            explanation,
          })),
          exclude: rules.exclude.map(({ id, name, explanation }: Record<string, string>) => ({
            id,
            name,
            explanation,
          })),
          settings: { secondsToPromote: 3, votingOpensDaysBefore: 2, meetingMinutes: 90 },
        },
      },
      { token: staffA },
    )
    expect(updated.status).toBe(200)
    expect(updated.body.settings.meetingMinutes).toBe(90)
    const second = await acceptedTopic()
    const d2 = await day('09:30')
    const scheduled = await schedule(second, d2.id)
    const starts2 = Date.parse(d2.startsAt)
    expect(Date.parse(scheduled.body.voting.opensAt)).toBe(starts2 - 2 * 86_400_000)
    expect(Date.parse(scheduled.body.voting.closesAt)).toBe(starts2 + 90 * 60_000)
    // back to the defaults for the other tests of this file
    await app.call(
      'updateDeliberationRules',
      {
        params: { id: communityA.id },
        body: {
          deliberate: updated.body.deliberate.map(({ id, name, explanation }: Record<string, string>) => ({
            id,
            name,
            explanation,
          })),
          exclude: updated.body.exclude.map(({ id, name, explanation }: Record<string, string>) => ({
            id,
            name,
            explanation,
          })),
          settings: { secondsToPromote: 10, votingOpensDaysBefore: 7, meetingMinutes: 120 },
        },
      },
      { token: staffA },
    )
  })

  it('opens and closes at the chosen times exactly once with two sweepers racing', async () => {
    const voters = await app.verifiedResidents(3, communityA.id, 'window')
    const d = await day()
    const id = await acceptedTopic()
    const opensAt = new Date(Date.now() + 5 * 60_000)
    const scheduled = await schedule(id, d.id, { opensAt: opensAt.toISOString() })
    const closesAt = new Date(scheduled.body.voting.closesAt)
    await deliberationSweeper.run(app.deps, new Date())
    expect((await Topic.findById(id).lean())!.status).toBe('scheduled')
    const at = new Date(opensAt.getTime() + 1000)
    await Promise.all([deliberationSweeper.run(app.deps, at), deliberationSweeper.run(app.deps, at)])
    const open = (await Topic.findById(id).lean())!
    expect(open.status).toBe('voting')
    expect(open.history.filter((h) => h.action === 'votingOpened')).toHaveLength(1)
    expect(
      await Notification.countDocuments({ userId: voters[0]!.id, kind: 'deliberation.voting.opened' }),
    ).toBe(1)
    const end = new Date(closesAt.getTime() + 1000)
    await Promise.all([deliberationSweeper.run(app.deps, end), deliberationSweeper.run(app.deps, end)])
    const closed = (await Topic.findById(id).lean())!
    expect(['passed', 'failed']).toContain(closed.status)
    expect(closed.history.filter((h) => h.action === 'votingClosed')).toHaveLength(1)
    expect(await Notification.countDocuments({ userId: voters[0]!.id, kind: 'deliberation.result' })).toBe(1)
  })
})

describe('附议 that promote', () => {
  it('30 concurrent 附议 crossing the threshold promote the topic exactly once and tell staff once', async () => {
    const proposer = (await app.verifiedResidents(1, communityA.id, 'proposer'))[0]!
    const res = await app.call(
      'proposeTopic',
      { body: { title: '增设休闲座椅', description: '小区中庭缺少座椅，老人散步没处歇脚。' } },
      { token: proposer.token },
    )
    const id = res.body.id as string
    expect([res.body.secondsNeeded, res.body.promoted]).toEqual([10, false])
    const neighbours = await app.verifiedResidents(30, communityA.id, 'second')
    const one = await app.call('secondTopic', { params: { id } }, { token: neighbours[0]!.token })
    expect([one.body.secondsNeeded, one.body.promoted]).toEqual([9, false])
    const replies = await Promise.all(
      neighbours.slice(1).map((n) => app.call('secondTopic', { params: { id } }, { token: n.token })),
    )
    expect(replies.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([])
    const topic = (await Topic.findById(id).lean())!
    expect(topic.promotedAt).not.toBeNull()
    expect(topic.history.filter((h) => h.action === 'promoted')).toHaveLength(1)
    const staffUser = (await app.call('getMe', {}, { token: staffA })).body.id
    expect(
      await Notification.countDocuments({ userId: staffUser, kind: 'deliberation.topic.promoted' }),
    ).toBe(1)
    const detail = await app.call('getTopic', { params: { id } }, { token: zhang })
    expect([detail.body.secondsCount, detail.body.secondsNeeded, detail.body.promoted]).toEqual([30, 0, true])
  })
})

describe('receipts a voter can check', () => {
  it('list as many codes as counted units, each voter finds their own, no choice and no person', async () => {
    const voters = await app.verifiedResidents(4, communityA.id, 'receipt')
    const d = await day()
    const id = await acceptedTopic()
    expect((await schedule(id, d.id)).status).toBe(200)
    expect((await app.call('openVoting', { params: { id } }, { token: staffA })).status).toBe(200)
    const cast = (token: string, choice: string) =>
      app.call('castVote', { params: { id }, body: { choice } }, { token })
    expect((await cast(voters[0]!.token, 'yes')).status).toBe(200)
    expect((await cast(voters[1]!.token, 'no')).status).toBe(200)
    const before = await app.call('getMyVoteReceipt', { params: { id } }, { token: voters[0]!.token })
    expect(before.body.counted).toBeNull()
    // changing the choice keeps the code: it is derived from the pseudonym, not the choice
    expect((await cast(voters[0]!.token, 'no')).status).toBe(200)
    const after = await app.call('getMyVoteReceipt', { params: { id } }, { token: voters[0]!.token })
    expect(after.body.code).toBe(before.body.code)
    expect(after.body.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{2}$/)
    const notYet = await app.call('getVoteReceipts', { params: { id } }, { token: zhang })
    expect([notYet.status, notYet.body.code]).toEqual([409, 'RESULT_NOT_READY'])
    // a paper ballot at the meeting is counted too
    const paper = await app.call(
      'recordOfflineBallots',
      { params: { id }, body: { ballots: [{ userId: voters[2]!.id, choice: 'yes' }] } },
      { token: staffA },
    )
    expect(paper.body.recorded).toBe(1)
    const noBallot = await app.call('getMyVoteReceipt', { params: { id } }, { token: voters[3]!.token })
    expect(noBallot.body.code).toBeNull()

    expect((await app.call('closeVoting', { params: { id } }, { token: staffA })).status).toBe(200)
    const result = (await app.call('getTopicResult', { params: { id } }, { token: zhang })).body
    const list = await app.call('getVoteReceipts', { params: { id } }, { token: zhang })
    expect(list.status).toBe(200)
    expect(list.body.count).toBe(result.ballots)
    expect(list.body.codes).toHaveLength(3)
    expect(new Set(list.body.codes).size).toBe(3)
    expect([...list.body.codes].sort()).toEqual(list.body.codes)
    for (const v of voters.slice(0, 3)) {
      const mine = await app.call('getMyVoteReceipt', { params: { id } }, { token: v.token })
      expect(mine.body.counted).toBe(true)
      expect(list.body.codes).toContain(mine.body.code)
    }
    const text = JSON.stringify(list.body)
    for (const v of voters) expect(text).not.toContain(v.id)
    expect(text).not.toMatch(/yes|no"|choice|同意|反对/)
    const foreign = await app.call('getVoteReceipts', { params: { id } }, { token: outsider.token })
    expect(foreign.status).toBe(404)
    const foreignStaff = await app.call('getMyVoteReceipt', { params: { id } }, { token: staffB })
    expect(foreignStaff.status).toBe(404)
  })
})

describe('the meeting', () => {
  it('the 大屏 counts ballots without choices until the close, then shows the result', async () => {
    const voters = await app.verifiedResidents(2, communityA.id, 'board')
    const d = await day()
    const id = await acceptedTopic()
    await schedule(id, d.id)
    await app.call('openVoting', { params: { id } }, { token: staffA })
    await app.call('castVote', { params: { id }, body: { choice: 'yes' } }, { token: voters[0]!.token })
    await app.call('castVote', { params: { id }, body: { choice: 'no' } }, { token: voters[0]!.token })
    await app.call('castVote', { params: { id }, body: { choice: 'yes' } }, { token: voters[1]!.token })
    const board = await app.call('getMeetingBoard', { params: { id: d.id } }, { token: staffA })
    expect(board.status).toBe(200)
    const row = board.body.agenda.find((t: { id: string }) => t.id === id)
    expect(row).toMatchObject({ status: 'voting', ballotsCast: 2, result: null })
    expect(JSON.stringify(board.body)).not.toMatch(/checkInCode|"count"/)
    expect(
      (await app.call('getMeetingBoard', { params: { id: d.id } }, { token: outsider.token })).status,
    ).toBe(404)
    expect((await app.call('getMeetingBoard', { params: { id: d.id } }, { token: staffB })).status).toBe(404)
    await app.call('closeVoting', { params: { id } }, { token: staffA })
    const after = await app.call('getMeetingBoard', { params: { id: d.id } }, { token: zhang })
    const closed = after.body.agenda.find((t: { id: string }) => t.id === id)
    expect(closed.ballotsCast).toBe(2)
    expect(closed.result.options.find((o: { key: string }) => o.key === 'yes').count).toBe(1)
  })

  it('the door code is typed as residents read it, and minutes record a decision per agenda topic', async () => {
    const d = await day()
    expect(d.checkInCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/)
    const id = await acceptedTopic()
    await schedule(id, d.id)
    const typed = `${d.checkInCode.slice(0, 5).toLowerCase()}-${d.checkInCode.slice(5)}`
    const early = await app.call(
      'checkInDeliberationDay',
      { params: { id: d.id }, body: { code: typed } },
      { token: zhang },
    )
    expect(early.body.code).toBe('CHECK_IN_NOT_OPEN') // the code matched; the day is in 2032
    const wrong = await app.call(
      'checkInDeliberationDay',
      { params: { id: d.id }, body: { code: 'ZZZZZZZZZZ' } },
      { token: zhang },
    )
    expect(wrong.body.code).toBe('CHECK_IN_CODE_INVALID')
    const offAgenda = await acceptedTopic()
    const bad = await app.call(
      'recordMinutes',
      { params: { id: d.id }, body: { text: '会议纪要', decisions: [{ topicId: offAgenda, text: '通过' }] } },
      { token: staffA },
    )
    expect([bad.status, bad.body.errors[0].path]).toEqual([422, ['decisions', 0, 'topicId']])
    const ok = await app.call(
      'recordMinutes',
      {
        params: { id: d.id },
        body: { text: '会议纪要', decisions: [{ topicId: id, text: '同意改造，物业月底前完成' }] },
      },
      { token: staffA },
    )
    expect(ok.status).toBe(200)
    expect(ok.body.minutes.decisions).toEqual([
      { topicId: id, title: '楼道照明改造', text: '同意改造，物业月底前完成' },
    ])
  })
})
