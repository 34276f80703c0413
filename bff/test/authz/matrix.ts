/**
 * The authorization matrix: every operation of `operations` (shared-types) called by every role
 * against the records of its own community (A) and of the foreign one (B, same street).
 *
 * ROW FORMAT (one row per operationId, in `rows/<domain>.ts`; `rows/index.ts` joins them and the
 * test fails for an operation without a row):
 *
 *   myOperation: {
 *     // Builds the call against the records of `side` (`own` = community A, `foreign` = community B).
 *     // `fx` holds the records of both sides (`fx[side].topicId`…), and `fx.fresh` makes a new one
 *     // for destructive calls (each cell then acts on its own record). May be async.
 *     req: (fx, side, role) => ({ params: { id: fx[side].topicId }, body: { … } }),
 *     // Expected outcome per role: one value for both sides, or [own, foreign].
 *     expect: { resident: ['ok', 404], staff: ['ok', 404], street: 'ok' },
 *     // Optional: kinds of B's records that may legitimately appear in replies (public catalogues).
 *     shows: ['need'],
 *   },
 *
 * Outcomes: 'ok' = the operation's success status; 'pass' = the policy let the call through (any
 * status but 401/403/404, below 500: a state conflict such as 409 is fine); or an exact status.
 * A role not listed expects: 401 when anonymous (unless the operation is public), 403 when its roles
 * are not in the operation's `access`, 404 otherwise (the record is invisible to it).
 * Roles: anon, newcomer (signed in, not verified), resident (verified in A), staff (of A), grid
 * (grid worker of A's second grid, where A's records are not), merchant (A's merchant: own records
 * on side A, another merchant's in B), street (street staff of A and B's street).
 *
 * Every cell also checks that no id or name of B's non-public records appears in the reply, unless
 * the role is street staff (who reach B) or the kind is listed in `shows`.
 */
import type { OperationId } from '@linli/shared-types'

export const roleNames = ['anon', 'newcomer', 'resident', 'staff', 'grid', 'merchant', 'street'] as const
export type RoleName = (typeof roleNames)[number]
export type Side = 'own' | 'foreign'
export const sides: readonly Side[] = ['own', 'foreign']

export type Outcome = 'ok' | 'pass' | 401 | 403 | 404 | 400 | 409 | 422

/** The records of one community (A for `own`, B for `foreign`). */
export interface SideRecords {
  communityId: string
  gridId: string
  courtyardId: string
  buildingId: string
  /** The verified resident who owns this side's records (on side A: the matrix's `resident`). */
  residentId: string
  topicId: string
  dayId: string
  needId: string
  /** A need escalated (吹哨) by its community's staff, and that whistle. */
  whistledNeedId: string
  whistleId: string
  /** A department of the community (物业), the one the whistle went to. */
  departmentId: string
  /** A notice to the whole community, asking for confirmation. */
  noticeId: string
  /** A planned home visit in the community's first grid. */
  homeVisitId: string
  /** A pending family binding requested by the side's resident (as the elder). */
  bindingId: string
  spaceId: string
  /** A disabled space: only its community's staff see it. */
  hiddenSpaceId: string
  bookingId: string
  blackoutId: string
  claimId: string
  hoursId: string
  merchantId: string
  rewardId: string
  /** An inactive reward: only its merchant and its community's staff see it. */
  hiddenRewardId: string
  voucherId: string
  voucherCode: string
  categoryId: string
  activityId: string
  /** A session of that activity, a month ahead. */
  sessionId: string
  /** The side's resident's sign-up for it. */
  signUpId: string
  itemId: string
  /** The side's resident's loan of that item, not yet picked up. */
  loanId: string
  loanCode: string
}

/** Makes a new record of a side, for calls that consume or delete what they act on. */
export interface Fresh {
  topic(side: Side): Promise<string>
  need(side: Side): Promise<string>
  booking(side: Side): Promise<string>
  blackout(side: Side): Promise<string>
  claim(side: Side): Promise<string>
  /** A new verified resident of the side's community (their user id). */
  resident(side: Side): Promise<string>
  hours(side: Side): Promise<string>
  voucher(side: Side): Promise<{ id: string; code: string }>
  signUp(side: Side): Promise<string>
  loan(side: Side): Promise<{ id: string; code: string }>
}

export interface Fixtures {
  own: SideRecords
  foreign: SideRecords
  streetId: string
  fresh: Fresh
}

export interface CallInput {
  params?: Record<string, string>
  query?: Record<string, string>
  body?: unknown
  headers?: Record<string, string>
}

/** Kinds of records whose ids and names are checked for in replies. */
export type MarkerKind =
  | 'topic'
  | 'day'
  | 'need'
  | 'space'
  | 'booking'
  | 'blackout'
  | 'claim'
  | 'hours'
  | 'reward'
  | 'voucher'
  | 'activity'
  | 'loan'
  | 'resident'
  | 'department'
  | 'notice'
  | 'visit'
  | 'binding'

export interface Row {
  req: (fx: Fixtures, side: Side, role: RoleName) => CallInput | Promise<CallInput>
  expect: Partial<Record<RoleName, Outcome | readonly [Outcome, Outcome]>>
  shows?: readonly MarkerKind[]
}

export type Rows = Record<OperationId, Row>
export type DomainRows = Partial<Rows>

/** Shorthand: allowed on the own community only. */
export const ownOnly = ['ok', 404] as const
/** Shorthand: the policy lets it through on the own community only (state may refuse it). */
export const passOwn = ['pass', 404] as const
