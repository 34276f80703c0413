import { describe, expect, it } from 'vitest'
import {
  canTransition,
  evaluateTally,
  localToInstant,
  meetsQuorum,
  meetsThreshold,
  nextDeliberationDate,
  sourcesOf,
  stageOf,
  type TallyInput,
} from './deliberation-rules'
import { dayCheckInPayload, parseDayCheckIn } from './meeting'

const yesNo = [
  { key: 'yes', kind: 'for' },
  { key: 'no', kind: 'against' },
  { key: 'abstain', kind: 'abstain' },
] as const

const tally = (counts: Record<string, number>, over: Partial<TallyInput> = {}) =>
  evaluateTally({
    options: yesNo,
    counts,
    eligibleUnits: 10,
    quorumPercent: 50,
    threshold: 'majority',
    countAbstentions: true,
    ...over,
  })

describe('next deliberation day', () => {
  it('is the 20th of this month until the 20th has passed, in Shanghai time', () => {
    expect(nextDeliberationDate(new Date('2025-03-05T00:00:00Z'))).toBe('2025-03-20')
    // 2025-03-20 23:30 in Shanghai is still the 20th
    expect(nextDeliberationDate(new Date('2025-03-20T15:30:00Z'))).toBe('2025-03-20')
    // 2025-03-21 00:30 in Shanghai (still the 20th in UTC) is already past it
    expect(nextDeliberationDate(new Date('2025-03-20T16:30:00Z'))).toBe('2025-04-20')
  })

  it('rolls over the year and honours a configured day and time zone', () => {
    expect(nextDeliberationDate(new Date('2025-12-25T04:00:00Z'))).toBe('2026-01-20')
    expect(nextDeliberationDate(new Date('2025-01-31T04:00:00Z'), 28)).toBe('2025-02-28')
    expect(nextDeliberationDate(new Date('2025-03-10T04:00:00Z'), 10)).toBe('2025-03-10')
    expect(nextDeliberationDate(new Date('2025-03-10T04:00:00Z'), 31)).toBe('2025-03-28')
    // 2025-03-10 06:00 UTC is still the 9th in Los Angeles
    expect(nextDeliberationDate(new Date('2025-03-10T06:00:00Z'), 9, 'America/Los_Angeles')).toBe(
      '2025-03-09',
    )
  })

  it('turns a local date and time into the right instant', () => {
    expect(localToInstant('2025-03-20', '19:00').toISOString()).toBe('2025-03-20T11:00:00.000Z')
  })
})

describe('topic state machine', () => {
  it('allows only the documented transitions', () => {
    expect(canTransition('proposed', 'accepted')).toBe(true)
    expect(canTransition('proposed', 'voting')).toBe(false)
    expect(canTransition('withdrawn', 'proposed')).toBe(false)
    expect(canTransition('voting', 'passed')).toBe(false)
    expect(canTransition('closing', 'passed')).toBe(true)
    expect(sourcesOf('withdrawn')).toEqual(['proposed'])
    expect(sourcesOf('done').sort()).toEqual(['implementing', 'passed'])
    expect(stageOf('opening')).toBe('scheduled')
    expect(stageOf('failed')).toBe('decided')
  })
})

describe('pass arithmetic', () => {
  it('majority needs more than half: exact half fails, one more passes', () => {
    expect(meetsThreshold(5, 10, 'majority')).toBe(false)
    expect(meetsThreshold(6, 10, 'majority')).toBe(true)
    expect(meetsThreshold(3, 5, 'majority')).toBe(true)
    expect(tally({ yes: 3, no: 3 }).passed).toBe(false)
    expect(tally({ yes: 4, no: 3 }).passed).toBe(true)
  })

  it('two-thirds passes at exactly two-thirds and fails just below', () => {
    expect(meetsThreshold(6, 9, 'twoThirds')).toBe(true)
    expect(meetsThreshold(5, 9, 'twoThirds')).toBe(false)
    expect(meetsThreshold(2, 3, 'twoThirds')).toBe(true)
    expect(meetsThreshold(66, 100, 'twoThirds')).toBe(false)
    expect(meetsThreshold(67, 100, 'twoThirds')).toBe(true)
    expect(tally({ yes: 4, no: 2 }, { threshold: 'twoThirds' }).passed).toBe(true)
    expect(tally({ yes: 4, no: 2, abstain: 1 }, { threshold: 'twoThirds' }).passed).toBe(false)
  })

  it('quorum exactly met counts; one short does not', () => {
    expect(meetsQuorum(5, 10, 50)).toBe(true)
    expect(meetsQuorum(4, 10, 50)).toBe(false)
    expect(meetsQuorum(2, 3, 67)).toBe(false)
    expect(meetsQuorum(3, 3, 100)).toBe(true)
    const met = tally({ yes: 4, no: 0, abstain: 1 })
    expect([met.ballots, met.quorumMet, met.passed, met.turnoutPercent]).toEqual([5, true, true, 50])
    const short = tally({ yes: 4 })
    expect([short.quorumMet, short.thresholdMet, short.passed]).toEqual([false, true, false])
  })

  it('abstentions count toward quorum always and toward the threshold only when set', () => {
    const counts = { yes: 3, no: 2, abstain: 2 }
    const counted = tally(counts, { countAbstentions: true })
    expect([counted.validBallots, counted.passed]).toEqual([7, false]) // 3 of 7
    const ignored = tally(counts, { countAbstentions: false })
    expect([ignored.validBallots, ignored.passed]).toEqual([5, true]) // 3 of 5
    const onlyAbstain = tally({ abstain: 6 }, { countAbstentions: false })
    expect([onlyAbstain.quorumMet, onlyAbstain.validBallots, onlyAbstain.passed]).toEqual([true, 0, false])
  })

  it('a majority against never passes, and ties among choices do not pass', () => {
    expect(tally({ yes: 1, no: 6 }).passed).toBe(false)
    expect(tally({ yes: 1, no: 6 }).leadingOption).toBe('no')
    const choices = [
      { key: 'o1', kind: 'choice' },
      { key: 'o2', kind: 'choice' },
      { key: 'o3', kind: 'abstain' },
    ] as const
    expect(tally({ o1: 4, o2: 4 }, { options: choices }).passed).toBe(false)
    const won = tally({ o1: 5, o2: 2, o3: 1 }, { options: choices })
    expect([won.leadingOption, won.passed]).toEqual(['o1', true])
  })

  it('ignores counts for unknown keys and handles no eligible units', () => {
    const r = tally({ yes: 2, bogus: 50 }, { eligibleUnits: 0 })
    expect([r.ballots, r.turnoutPercent]).toEqual([2, 0])
  })
})

describe('door QR payload', () => {
  it('round-trips the day and code, and takes a typed code as it is', () => {
    const id = 'a'.repeat(24)
    expect(parseDayCheckIn(dayCheckInPayload(id, 'K7Q29MXD3F'))).toEqual({ dayId: id, code: 'K7Q29MXD3F' })
    expect(parseDayCheckIn(' k7q2-9mxd-3f ')).toEqual({ dayId: null, code: 'k7q2-9mxd-3f' })
    expect(parseDayCheckIn('linli:day:not-an-id:X').dayId).toBeNull()
  })
})
