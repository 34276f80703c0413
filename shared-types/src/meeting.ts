import { z } from 'zod'
import { Id, IdParams, Instant } from './common'
import { DeliberationDay, TopicResult, TopicStatus } from './deliberation'
import { op } from './http'

// ---- vote receipts (可核验回执) -------------------------------------------------------------------

/** Receipt codes look like `K7Q2-9MXD-3F`: Crockford base32, no I/L/O/U, 50 bits. */
export const ReceiptCode = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}$/)

export const MyVoteReceipt = z.object({
  topicId: Id,
  /** Null when the caller (or their household) has no ballot on this topic. */
  code: ReceiptCode.nullable(),
  /** After the close: whether the ballot is among the counted ones; null before. */
  counted: z.boolean().nullable(),
})
export type MyVoteReceipt = z.infer<typeof MyVoteReceipt>

export const VoteReceipts = z.object({
  topicId: Id,
  /** Every counted ballot's receipt code, sorted; no choices, no names. */
  codes: z.array(ReceiptCode),
  /** Equals `codes.length` and the result's ballot count. */
  count: z.number().int(),
  publishedAt: Instant,
})
export type VoteReceipts = z.infer<typeof VoteReceipts>

// ---- the meeting board (大屏) ----------------------------------------------------------------------

export const BoardTopic = z.object({
  id: Id,
  title: z.string(),
  status: TopicStatus,
  /** Units that have cast a ballot so far (online and paper); never who or what. */
  ballotsCast: z.number().int(),
  eligibleUnits: z.number().int().nullable(),
  votingOpensAt: Instant.nullable(),
  votingClosesAt: Instant.nullable(),
  /** Only once the vote is closed. */
  result: TopicResult.nullable(),
})
export type BoardTopic = z.infer<typeof BoardTopic>

export const MeetingBoard = z.object({
  day: DeliberationDay.omit({ checkInCode: true, checkedIn: true }),
  communityName: z.string(),
  agenda: z.array(BoardTopic),
  generatedAt: Instant,
})
export type MeetingBoard = z.infer<typeof MeetingBoard>

export const meetingOps = {
  getMyVoteReceipt: op({
    method: 'get',
    path: '/api/v1/topics/:id/my-receipt',
    summary: '我的投票回执码（由选票的匿名编号派生，不含选择）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member' },
    params: IdParams,
    response: MyVoteReceipt,
  }),
  getVoteReceipts: op({
    method: 'get',
    path: '/api/v1/topics/:id/receipts',
    summary: '计票回执码清单（结束投票后公布；只有回执码，没有选择和姓名）',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'topic', reach: 'member' },
    params: IdParams,
    response: VoteReceipts,
  }),
  getMeetingBoard: op({
    method: 'get',
    path: '/api/v1/deliberation-days/:id/board',
    summary: '议事日大屏：议程、签到人数、各议题已投票数（结束前不含选择）与结果',
    tag: 'deliberation',
    access: 'user',
    scope: { kind: 'record', record: 'deliberationDay', reach: 'member' },
    params: IdParams,
    response: MeetingBoard,
  }),
}

// ---- the door QR ----------------------------------------------------------------------------------

const DOOR_PREFIX = 'linli:day:'

/** What the door QR holds: the day and its check-in code, so one scan signs a resident in. */
export const dayCheckInPayload = (dayId: string, code: string) => `${DOOR_PREFIX}${dayId}:${code}`

/** A scanned door QR as `{dayId, code}`; a bare typed code gives `{dayId: null, code}`. */
export function parseDayCheckIn(scanned: string): { dayId: string | null; code: string } {
  const text = scanned.trim()
  if (!text.startsWith(DOOR_PREFIX)) return { dayId: null, code: text }
  const [dayId = '', code = ''] = text.slice(DOOR_PREFIX.length).split(':')
  return { dayId: /^[0-9a-f]{24}$/.test(dayId) ? dayId : null, code }
}
