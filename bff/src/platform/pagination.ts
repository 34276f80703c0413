import type { FilterQuery, Model, Types } from 'mongoose'
import { AppError } from './errors'
import { allOf } from './filters'

interface Cursor {
  at: Date
  id: string
}

/** `<ms>_<id>`, the pattern `Cursor` of the shared types declares. */
export const encodeCursor = (at: Date, id: unknown): string => `${at.getTime()}_${String(id)}`

/** Reads a cursor the query schema already checked against `Cursor`'s pattern. */
export function decodeCursor(cursor: string): Cursor {
  const m = /^(\d{1,15})_([0-9a-f]{24})$/.exec(cursor)
  const date = new Date(Number(m?.[1]))
  if (!m || Number.isNaN(date.getTime())) throw new AppError('VALIDATION_FAILED', 'cursor 无效')
  return { at: date, id: m[2]! }
}

const encode = ({ at, id }: Cursor) => encodeCursor(at, id)
const decode = decodeCursor

/**
 * Keyset pagination over (createdAt, _id): stable under inserts, no skip. Fetches one extra row to
 * know whether a next page exists.
 */
export async function paginate<T extends { createdAt: Date }>(
  model: Model<T>,
  filter: FilterQuery<T>,
  {
    limit,
    cursor,
    order = 'asc',
    projection,
  }: {
    limit: number
    cursor?: string | undefined
    order?: 'asc' | 'desc'
    /** Fields to leave out or keep, as in `find` (e.g. large arrays the page does not show). */
    projection?: Record<string, 0 | 1>
  },
): Promise<{ items: (T & { _id: Types.ObjectId })[]; nextCursor: string | null }> {
  const dir = order === 'asc' ? 1 : -1
  const cmp = order === 'asc' ? '$gt' : '$lt'
  const after = cursor ? decode(cursor) : null
  const keyset = after
    ? { $or: [{ createdAt: { [cmp]: after.at } }, { createdAt: after.at, _id: { [cmp]: after.id } }] }
    : {}
  const rows = (await model
    .find(allOf(filter as Record<string, unknown>, keyset) as FilterQuery<T>, projection)
    .sort({ createdAt: dir, _id: dir })
    .limit(limit + 1)
    .lean()) as (T & { _id: Types.ObjectId })[]
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return {
    items,
    nextCursor: rows.length > limit && last ? encode({ at: last.createdAt, id: String(last._id) }) : null,
  }
}
