import { isDuplicateKey } from '../../platform/http/problem'
import { NeedClaim } from './need.model'

/** A claim left by a crashed writer is taken over after this long. */
const STALE_MS = 30_000

/**
 * Claims a one-off key; true for exactly one caller, however many race (unique `_id`). A claim
 * older than 30 s on a revision nobody moved past is presumed abandoned and may be taken over.
 */
export async function claim(key: string, now = new Date()): Promise<boolean> {
  try {
    await NeedClaim.create({ _id: key, at: now })
    return true
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
  return false
}

/** Frees a revision claim whose writer died before writing (the need is still at that revision). */
export async function releaseIfStale(key: string, now = new Date()): Promise<void> {
  const old = await NeedClaim.findById(key).lean()
  if (old && now.getTime() - old.at.getTime() > STALE_MS) await NeedClaim.deleteOne({ _id: key, at: old.at })
}

export const statKeys = [
  'counted',
  'acceptedOnTime',
  'resolvedKept',
  'rated',
  'satisfied',
  'acceptCount',
  'acceptMinutes',
  'resolveCount',
  'resolveMinutes',
] as const
export type StatKey = (typeof statKeys)[number]

/** Folds `stat.x` keys of a $set into the whole `stat` object. */
export function withStats(
  current: Partial<Record<StatKey, number>> | null | undefined,
  set: Record<string, unknown>,
): Record<string, unknown> {
  const stat: Record<string, number> = { ...defaults(), ...(current ?? {}) }
  const rest: Record<string, unknown> = {}
  let touched = false
  for (const [key, value] of Object.entries(set)) {
    if (key.startsWith('stat.')) {
      stat[key.slice(5)] = value as number
      touched = true
    } else rest[key] = value
  }
  return touched ? { ...rest, stat } : rest
}

const defaults = () => Object.fromEntries(statKeys.map((k) => [k, k === 'counted' ? 1 : 0]))
