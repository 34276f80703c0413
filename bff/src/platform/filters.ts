/**
 * The conjunction of filters as one flat filter where their fields do not collide (`{a, b, $or}`
 * rather than `{$and: [{a}, {b, $or}]}`); what collides goes under `$and`. Same documents on any
 * engine, but FerretDB v1 pushes only top-level equalities down to its backend: under a top-level
 * `$and` it fetches and decodes the whole collection for every query.
 */
export function allOf(...filters: Record<string, unknown>[]): Record<string, unknown> {
  const flat: Record<string, unknown> = {}
  const rest: Record<string, unknown>[] = []
  for (const filter of filters)
    for (const [key, value] of Object.entries(filter)) {
      if (key === '$and') rest.push(...(value as Record<string, unknown>[]))
      else if (key in flat) rest.push({ [key]: value })
      else flat[key] = value
    }
  if (rest.length) flat.$and = rest
  return flat
}

/**
 * Documents by `_id`, one equality read each, in parallel (missing ones left out). For the few ids
 * a request names: FerretDB v1 does not push `{_id: {$in}}` down and reads the whole collection.
 */
export async function findByIds<T>(
  model: { findById(id: unknown, projection?: unknown): { lean(): PromiseLike<unknown> } },
  ids: unknown[],
  projection?: Record<string, 0 | 1>,
): Promise<T[]> {
  const unique = [...new Set(ids.map(String))]
  const rows = await Promise.all(unique.map((id) => model.findById(id, projection).lean()))
  return rows.filter((r) => r !== null) as T[]
}
