import mongoose, { Schema } from 'mongoose'
import { isDuplicateKey } from './http/problem'

/**
 * How far a sweeper has looked, kept in the database so a restart (or another instance) goes on
 * from there instead of reading everything again.
 */
const checkpointSchema = new Schema({ _id: { type: String }, at: { type: Date, required: true } })
export const Checkpoint = mongoose.model('SweeperCheckpoint', checkpointSchema, 'sweeper_checkpoints')

export async function readCheckpoint(name: string): Promise<Date | null> {
  return (await Checkpoint.findById(name).lean())?.at ?? null
}

/** Databases (by name) and the one-off checkpoints they have reached: those never come undone. */
const reached = new Set<string>()

/**
 * Whether a one-off checkpoint (a backfill's "done") exists; once it does, this process never reads
 * it again for that database.
 */
export async function checkpointReached(name: string): Promise<boolean> {
  const key = `${mongoose.connection.name}:${name}`
  if (reached.has(key)) return true
  if ((await readCheckpoint(name)) === null) return false
  reached.add(key)
  return true
}

/** Moves a checkpoint forward (never back: instances racing keep the furthest). */
export async function advanceCheckpoint(name: string, at: Date): Promise<void> {
  try {
    await Checkpoint.updateOne({ _id: name }, { $max: { at } }, { upsert: true })
  } catch (error) {
    // Two first passes upserting at once: the other one created it; move it from there.
    if (!isDuplicateKey(error)) throw error
    await Checkpoint.updateOne({ _id: name }, { $max: { at } })
  }
}
