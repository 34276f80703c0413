import mongoose, { type mongo } from 'mongoose'

type CommandStartedEvent = mongo.CommandStartedEvent
type CommandSucceededEvent = mongo.CommandSucceededEvent

/** One database command as the driver sent it, reduced to what index use depends on. */
export interface SentQuery {
  command: string
  collection: string
  /** The filters the command selects by (an update or delete may carry several). */
  filters: Record<string, unknown>[]
  sort: Record<string, number> | null
  /** Documents the reply carried (first batch of a find or aggregate), once it arrived. */
  returned?: number
}

/** Handshakes, heartbeats and cursor paging: not round trips a handler chose to make. */
const ignored = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'endSessions',
  'getMore',
  'killCursors',
  'createIndexes',
  'listIndexes',
  'listCollections',
  'create',
])

function describe(e: CommandStartedEvent): SentQuery | null {
  if (ignored.has(e.commandName)) return null
  const c = e.command as Record<string, any>
  const collection = String(c[e.commandName])
  const one = (q: unknown) => (q ?? {}) as Record<string, unknown>
  // The driver hands sorts over as Maps.
  const order = (s: unknown) =>
    s ? ((s instanceof Map ? Object.fromEntries(s) : s) as Record<string, number>) : null
  switch (e.commandName) {
    case 'find':
      return { command: 'find', collection, filters: [one(c.filter)], sort: order(c.sort) }
    case 'count':
    case 'distinct':
      return { command: e.commandName, collection, filters: [one(c.query)], sort: null }
    case 'findAndModify':
      return { command: 'findAndModify', collection, filters: [one(c.query)], sort: order(c.sort) }
    case 'update':
      return { command: 'update', collection, filters: c.updates.map((u: any) => one(u.q)), sort: null }
    case 'delete':
      return { command: 'delete', collection, filters: c.deletes.map((d: any) => one(d.q)), sort: null }
    case 'insert':
      return { command: 'insert', collection, filters: [], sort: null }
    case 'aggregate': {
      const stages = c.pipeline as Record<string, any>[]
      const match = stages[0]?.$match
      const sortStage = stages[match ? 1 : 0]?.$sort
      return { command: 'aggregate', collection, filters: [one(match)], sort: order(sortStage) }
    }
    default:
      return { command: e.commandName, collection, filters: [], sort: null }
  }
}

/** Records every command the process-wide connection sends (needs `monitorCommands`) until stopped. */
export function captureCommands() {
  const sent: SentQuery[] = []
  const pending = new Map<number, SentQuery>()
  const client = mongoose.connection.getClient()
  const started = (e: CommandStartedEvent) => {
    const q = describe(e)
    if (!q) return
    sent.push(q)
    pending.set(e.requestId, q)
  }
  const succeeded = (e: CommandSucceededEvent) => {
    const q = pending.get(e.requestId)
    if (!q) return
    pending.delete(e.requestId)
    const batch = (e.reply as { cursor?: { firstBatch?: unknown[] } }).cursor?.firstBatch
    if (batch) q.returned = batch.length
  }
  client.on('commandStarted', started)
  client.on('commandSucceeded', succeeded)
  return {
    sent,
    stop: () => {
      client.off('commandStarted', started)
      client.off('commandSucceeded', succeeded)
    },
  }
}

/** Runs `fn` and returns the commands it sent. */
export async function commandsOf(fn: () => Promise<unknown>): Promise<SentQuery[]> {
  const capture = captureCommands()
  try {
    await fn()
  } finally {
    capture.stop()
  }
  return capture.sent
}

type IndexKeys = [string, number][]

/** Every index declared on the models, by collection (`_id` is always there). */
export function declaredIndexes(): Map<string, IndexKeys[]> {
  const byCollection = new Map<string, IndexKeys[]>()
  for (const model of Object.values(mongoose.models)) {
    const keys = model.schema
      .indexes()
      .map(([fields]) => Object.entries(fields as Record<string, number>) as IndexKeys)
    byCollection.set(model.collection.collectionName, [[['_id', 1]], ...keys])
  }
  return byCollection
}

/** Top-level fields a filter constrains; an `$or`/`$and` contributes the fields common to its branches. */
function filterFields(filter: Record<string, unknown>): Set<string> {
  const fields = new Set<string>()
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      for (const f of value as Record<string, unknown>[]) for (const x of filterFields(f)) fields.add(x)
    } else if (key === '$or') {
      const branches = (value as Record<string, unknown>[]).map(filterFields)
      for (const f of branches[0] ?? []) if (branches.every((b) => b.has(f))) fields.add(f)
    } else if (!key.startsWith('$')) fields.add(key)
  }
  return fields
}

/**
 * Why a query would be refused under MongoDB's `notablescan` or sort in memory, or null when a
 * declared index serves it: its first key is constrained by the filter (each `$or` branch alike) and,
 * with a sort, the sort keys follow the filter's fields in one index, in order or all reversed.
 */
export function indexProblem(q: SentQuery, indexes: Map<string, IndexKeys[]>): string | null {
  const declared = indexes.get(q.collection)
  if (!declared) return `collection ${q.collection} has no model`
  for (const filter of q.filters) {
    const fields = filterFields(filter)
    const usable = (keys: IndexKeys) => fields.has(keys[0]![0])
    const sortFirst = q.sort ? Object.keys(q.sort)[0] : undefined
    const served = declared.some(usable) || (!fields.size && declared.some((k) => k[0]![0] === sortFirst))
    if (!served) return `no index leads with any of {${[...fields].join(', ')}} on ${q.collection}`
    if (q.sort && !declared.some((keys) => sortServed(keys, fields, q.sort!)))
      return `sort ${JSON.stringify(q.sort)} after {${[...fields].join(', ')}} not served by an index on ${q.collection}`
  }
  return null
}

function sortServed(keys: IndexKeys, fields: Set<string>, sort: Record<string, number>): boolean {
  const wanted = Object.entries(sort)
  // Skip the filter's fields that lead the index (equalities), then the sort must follow.
  let i = 0
  while (i < keys.length && fields.has(keys[i]![0]) && keys[i]![0] !== wanted[0]![0]) i++
  const rest = keys.slice(i, i + wanted.length)
  if (rest.length < wanted.length) return false
  const same = wanted.every(([f, d], j) => rest[j]?.[0] === f && rest[j]?.[1] === d)
  const reversed = wanted.every(([f, d], j) => rest[j]?.[0] === f && rest[j]?.[1] === -d)
  return same || reversed
}
