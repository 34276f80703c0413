/** One page of the handling queue (listNeedsForHandling): by day buckets of the entries, else whole. */
import { type NeedLevel, type NeedStatus, openNeedStatuses } from '@linli/shared-types'
import { allOf } from '../../platform/filters'
import { decodeCursor, encodeCursor } from '../../platform/pagination'
import type { Actor } from '../../platform/policy'
import { Need, type NeedDoc } from './need.model'
import { handlerFilter } from './needs.policy'
import { type Branch, isOpenStatus, NeedQueue, queueDaysReady, queueReady, readQueue } from './needs.queue'
import { toSummary } from './needs.service'

/** `{$or: [branch]}` as the branch itself, and `{$in: [x]}` as x: the same filter, flatter. */
function single(filter: Record<string, unknown>): Record<string, unknown> {
  const or = filter.$or as Record<string, unknown>[] | undefined
  if (!or || or.length !== 1 || Object.keys(filter).length !== 1) return filter
  return Object.fromEntries(
    Object.entries(or[0]!).map(([k, v]) => {
      const list = (v as { $in?: unknown[] } | null)?.$in
      return [
        k,
        Array.isArray(list) && list.length === 1 && Object.keys(v as object).length === 1 ? list[0] : v,
      ]
    }),
  )
}

/** The scope as equality branches of one community each; null for everything (an admin). */
function branchesOf(scope: Record<string, unknown>): Branch[] | null {
  const or = scope.$or as Record<string, unknown>[] | undefined
  if (!or) return null
  return or.flatMap(({ communityId, ...rest }) =>
    (communityId as { $in: string[] }).$in.map((c) => ({ ...rest, communityId: c })),
  )
}

/**
 * The first page of a scope with no day buckets to go by (everything, or a database whose entries
 * are not yet bucketed): every entry of the scope, or needs (one query per status, each an equality:
 * FerretDB v1 pushes top-level equalities down and nothing else, so the open queue never decodes
 * closed needs).
 */
function readWhole(
  scope: Record<string, unknown>,
  statuses: NeedStatus[],
  fromQueue: boolean,
  query: { limit: number; status: NeedStatus | 'open'; level?: NeedLevel | undefined },
  after: { at: Date; id: string } | null,
): Promise<NeedDoc[][]> {
  const filter: Record<string, unknown>[] = [single(scope)]
  if (query.level) filter.push({ level: query.level })
  if (after)
    filter.push({ $or: [{ queueAt: { $gt: after.at } }, { queueAt: after.at, _id: { $gt: after.id } }] })
  // The queue holds open needs only: the open queue is one read of the scope's entries.
  const byStatus = fromQueue && query.status === 'open' ? [null] : statuses
  return Promise.all(
    byStatus.map((status) => {
      const find = allOf(...filter, status ? { status } : {})
      const rows = fromQueue
        ? NeedQueue.find(find)
        : // A summary shows neither timeline nor description: they are most of a need's bytes.
          Need.find(find, { timeline: 0, description: 0 })
      return rows
        .sort({ queueAt: 1, _id: 1 })
        .limit(query.limit + 1)
        .lean() as unknown as Promise<NeedDoc[]>
    }),
  )
}

/** The handling queue: needs in the actor's reach, nearest deadline first, keyset on (queueAt, _id). */
export async function listForHandling(
  actor: Actor,
  query: {
    limit: number
    cursor?: string | undefined
    status: NeedStatus | 'open'
    level?: NeedLevel | undefined
  },
) {
  const scope = handlerFilter(actor)
  if (!scope) return { items: [], nextCursor: null }
  const after = query.cursor ? decodeCursor(query.cursor) : null
  // Open needs from their compact queue entries (needs.queue.ts) once every open need has one.
  const statuses = query.status === 'open' ? [...openNeedStatuses] : [query.status]
  const fromQueue = statuses.every(isOpenStatus) && (await queueReady())
  const branches = fromQueue && (await queueDaysReady()) ? branchesOf(scope) : null
  const pages = branches
    ? // By day buckets, per community of the scope.
      await Promise.all(
        branches.map((b) =>
          readQueue(
            {
              ...b,
              ...(query.status !== 'open' && { status: query.status }),
              ...(query.level && { level: query.level }),
            },
            after,
            query.limit + 1,
          ),
        ),
      )
    : await readWhole(scope, statuses, fromQueue, query, after)
  const seen = new Set<string>()
  const rows = pages
    .flat()
    .filter((n) => !seen.has(String(n._id)) && !!seen.add(String(n._id)))
    .sort((a, b) => a.queueAt.getTime() - b.queueAt.getTime() || (String(a._id) < String(b._id) ? -1 : 1))
    .slice(0, query.limit + 1)
  const items = rows.slice(0, query.limit)
  const last = items.at(-1)
  const now = new Date()
  return {
    items: items.map((n) => toSummary(n, actor, now)),
    nextCursor: rows.length > query.limit && last ? encodeCursor(last.queueAt, last._id) : null,
  }
}
