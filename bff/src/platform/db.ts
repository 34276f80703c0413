import mongoose from 'mongoose'

mongoose.set('strictQuery', true)
// Operator injection is stopped at the edge instead of by sanitizeFilter (which also rewrites our own
// `$in`/`$gt` filters unless each is wrapped in trusted()): every input is parsed by a strict zod
// schema and any `$`-prefixed key anywhere in a request is refused (see http/validate.ts).

export interface DbInfo {
  engine: 'mongodb' | 'ferretdb'
  version: string
}

/** Connects the process-wide mongoose connection and builds every model's indexes. */
export async function connectDb(
  uri: string,
  dbName?: string,
  /** Emit the driver's command events (tests that count round trips and check indexes). */
  monitorCommands = false,
): Promise<DbInfo> {
  await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 10_000, monitorCommands })
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()))
  return describeDb()
}

/** Names the engine behind the connection: FerretDB adds `ferretdbVersion` to buildInfo. */
export async function describeDb(): Promise<DbInfo> {
  const info = await mongoose.connection.db!.admin().command({ buildInfo: 1 })
  return info.ferretdbVersion
    ? { engine: 'ferretdb', version: String(info.ferretdbVersion) }
    : { engine: 'mongodb', version: String(info.version) }
}

/**
 * Whether the database answers a ping within `timeoutMs`. Bounded, because with the server gone the
 * driver would wait its whole server-selection timeout, longer than any health probe waits.
 */
export async function pingDb(timeoutMs = 2_000): Promise<boolean> {
  if (mongoose.connection.readyState !== mongoose.ConnectionStates.connected) return false
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([
      mongoose.connection
        .db!.admin()
        .command({ ping: 1 })
        .then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs)
      }),
    ])
  } catch {
    return false
  } finally {
    clearTimeout(timer)
  }
}
