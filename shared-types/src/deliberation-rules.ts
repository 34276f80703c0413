/**
 * Pure rules of 爱邻议事日: the topic state machine, the next deliberation day in a community's
 * time zone, and the pass arithmetic (quorum + threshold). No I/O; used by the BFF and the app.
 */
import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import { timeZone } from './time-format'

dayjs.extend(utc)
dayjs.extend(timezone)

export const DEFAULT_TIMEZONE = 'Asia/Shanghai'
export const DEFAULT_DELIBERATION_DAY = 20

// ---- topic state machine -------------------------------------------------------------------------

export const topicStatuses = [
  'proposed', // 征集中: awaiting screening, open for 附议
  'accepted', // 已受理: passed screening, not yet on a day
  'refused', // 不予受理 (cites a 不议 rule)
  'merged', // 已合并到另一议题
  'withdrawn', // 提议人撤回
  'scheduled', // 已排期: on a day, voting configured
  'opening', // internal: eligibility snapshot in progress
  'voting', // 投票中
  'closing', // internal: ballots being sealed and counted
  'passed', // 已决议 (通过)
  'failed', // 已决议 (未通过)
  'implementing', // 落实中
  'done', // 已落实, open for 民评
] as const
export type TopicStatus = (typeof topicStatuses)[number]

export const topicTransitions: Record<TopicStatus, readonly TopicStatus[]> = {
  proposed: ['accepted', 'refused', 'merged', 'withdrawn'],
  accepted: ['scheduled'],
  refused: [],
  merged: [],
  withdrawn: [],
  scheduled: ['scheduled', 'opening'],
  opening: ['voting'],
  voting: ['closing'],
  closing: ['passed', 'failed'],
  passed: ['implementing', 'done'],
  failed: [],
  implementing: ['implementing', 'done'],
  done: [],
}

export const canTransition = (from: TopicStatus, to: TopicStatus): boolean =>
  topicTransitions[from].includes(to)

/** The statuses a transition to `to` may start from: the guard of the atomic update. */
export const sourcesOf = (to: TopicStatus): TopicStatus[] =>
  topicStatuses.filter((from) => topicTransitions[from].includes(to))

/** The list filters of the app (征集中 / 已排期 / 投票中 / 已决议 / 落实中 / 已结束). */
export const topicStages = ['collecting', 'scheduled', 'voting', 'decided', 'implementing', 'closed'] as const
export type TopicStage = (typeof topicStages)[number]

export const stageStatuses: Record<TopicStage, readonly TopicStatus[]> = {
  collecting: ['proposed', 'accepted'],
  scheduled: ['scheduled', 'opening'],
  voting: ['voting', 'closing'],
  decided: ['passed', 'failed'],
  implementing: ['implementing', 'done'],
  closed: ['refused', 'merged', 'withdrawn'],
}

export const stageOf = (status: TopicStatus): TopicStage =>
  (Object.keys(stageStatuses) as TopicStage[]).find((s) => stageStatuses[s].includes(status)) ?? 'closed'

export const stageLabels: Record<TopicStage, string> = {
  collecting: '征集中',
  scheduled: '已排期',
  voting: '投票中',
  decided: '已决议',
  implementing: '落实中',
  closed: '已结束',
}

export const topicStatusLabels: Record<TopicStatus, string> = {
  proposed: '征集中',
  accepted: '已受理',
  refused: '不予受理',
  merged: '已合并',
  withdrawn: '已撤回',
  scheduled: '已排期',
  opening: '即将投票',
  voting: '投票中',
  closing: '计票中',
  passed: '已通过',
  failed: '未通过',
  implementing: '落实中',
  done: '已落实',
}

// ---- the deliberation day ------------------------------------------------------------------------

/**
 * The next deliberation day on or after `now`, as a local date `YYYY-MM-DD` in the community's zone.
 * Today counts while it is the day itself. `dayOfMonth` is clamped to 1–28 so every month has it.
 */
export function nextDeliberationDate(
  now: Date,
  dayOfMonth: number = DEFAULT_DELIBERATION_DAY,
  tz: string = DEFAULT_TIMEZONE,
): string {
  const day = Math.min(28, Math.max(1, Math.trunc(dayOfMonth)))
  const local = dayjs(now).tz(tz)
  const thisMonth = local.date(day)
  const target = local.date() <= day ? thisMonth : thisMonth.add(1, 'month').date(day)
  return target.format('YYYY-MM-DD')
}

/** A local wall-clock time (`YYYY-MM-DD`, `HH:mm`) in `tz` as a UTC instant. */
export function localToInstant(date: string, time: string, tz: string = timeZone()): Date {
  return dayjs.tz(`${date} ${time}`, 'YYYY-MM-DD HH:mm', tz).toDate()
}

/** The local date of an instant in `tz`, `YYYY-MM-DD`. */
export function localDate(at: Date, tz: string = timeZone()): string {
  return dayjs(at).tz(tz).format('YYYY-MM-DD')
}

// ---- voting arithmetic ---------------------------------------------------------------------------

export type OptionKind = 'for' | 'against' | 'abstain' | 'choice'
export type Threshold = 'majority' | 'twoThirds'

export interface TallyInput {
  options: readonly { key: string; kind: OptionKind }[]
  /** Ballots per option key. */
  counts: Readonly<Record<string, number>>
  /** Eligible units snapshotted when voting opened. */
  eligibleUnits: number
  /** Share of eligible units that must vote, in percent (0–100); abstentions count as voting. */
  quorumPercent: number
  threshold: Threshold
  /** Whether abstentions are valid ballots (in the denominator of the threshold). */
  countAbstentions: boolean
}

export interface TallyOutcome {
  ballots: number
  validBallots: number
  /** Ballots / eligible units in percent, one decimal. */
  turnoutPercent: number
  quorumMet: boolean
  /** The leading non-abstain option if it is alone at the top, else null. */
  leadingOption: string | null
  thresholdMet: boolean
  passed: boolean
}

/** Whether `votes` out of `valid` clears the threshold: more than half, or at least two-thirds. */
export function meetsThreshold(votes: number, valid: number, threshold: Threshold): boolean {
  if (valid <= 0) return false
  return threshold === 'majority' ? votes * 2 > valid : votes * 3 >= valid * 2
}

/** Whether `ballots` out of `eligible` meets a quorum of `percent` % (exactly meeting it counts). */
export function meetsQuorum(ballots: number, eligible: number, percent: number): boolean {
  return ballots * 100 >= eligible * percent
}

/**
 * Evaluates a closed vote. Passed when the quorum is met and the leading option is a `for` or a
 * `choice` option, alone at the top, holding more than half (or at least two-thirds) of valid
 * ballots. Integer arithmetic only, so the edges (exact half, exact two-thirds) are exact.
 */
export function evaluateTally(input: TallyInput): TallyOutcome {
  const count = (key: string) => Math.max(0, Math.trunc(input.counts[key] ?? 0))
  const ballots = input.options.reduce((sum, o) => sum + count(o.key), 0)
  const abstentions = input.options.filter((o) => o.kind === 'abstain').reduce((s, o) => s + count(o.key), 0)
  const validBallots = input.countAbstentions ? ballots : ballots - abstentions
  const quorumMet = meetsQuorum(ballots, input.eligibleUnits, input.quorumPercent)
  const ranked = input.options
    .filter((o) => o.kind !== 'abstain')
    .map((o) => ({ ...o, votes: count(o.key) }))
    .sort((a, b) => b.votes - a.votes)
  const [first, second] = ranked
  const leading = first && first.votes > 0 && (!second || first.votes > second.votes) ? first : null
  const thresholdMet = leading ? meetsThreshold(leading.votes, validBallots, input.threshold) : false
  return {
    ballots,
    validBallots,
    turnoutPercent: input.eligibleUnits > 0 ? Math.round((ballots * 1000) / input.eligibleUnits) / 10 : 0,
    quorumMet,
    leadingOption: leading?.key ?? null,
    thresholdMet,
    passed: quorumMet && thresholdMet && leading !== null && leading.kind !== 'against',
  }
}
