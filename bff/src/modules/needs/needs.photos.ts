import type { Context } from 'koa'
import mongoose, { Schema } from 'mongoose'
import { AppError, fail } from '../../platform/errors'
import { isDuplicateKey } from '../../platform/http/problem'
import type { Actor } from '../../platform/policy'
import { imageDimensions } from './image-header'

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024
/** Room for multipart framing around one 5 MB file. */
const MAX_BODY_BYTES = MAX_PHOTO_BYTES + 64 * 1024

/** Per person: a need takes up to 9 photos, so 9 per 10 minutes and 18 unused at once are plenty. */
export const PHOTO_LIMITS = {
  burst: 9,
  burstMs: 10 * 60_000,
  unattached: 18,
  perDay: 30,
  bytesPerDay: 60 * 1024 * 1024,
}
/** Photos never attached to a need are deleted after this long. */
export const UNATTACHED_TTL_MS = 86_400_000
const DAY_MS = 86_400_000

const bucket = () => {
  const db = mongoose.connection.db
  if (!db) throw new Error('database not connected')
  return new mongoose.mongo.GridFSBucket(db, { bucketName: 'needPhotos' })
}

/** GridFS's files collection, declared as a model so its query indexes are built with the others. */
const photoFileSchema = new Schema(
  {
    length: Number,
    uploadDate: Date,
    metadata: { ownerId: String, needId: { type: String, default: null }, contentType: String },
  },
  { strict: false, versionKey: false },
)
photoFileSchema.index({ 'metadata.ownerId': 1, uploadDate: -1 })
photoFileSchema.index({ 'metadata.needId': 1, uploadDate: 1 })
const PhotoFile = mongoose.model('NeedPhotoFile', photoFileSchema, 'needPhotos.files')
const files = () => PhotoFile.collection

/**
 * The burst limit as slots: `<ownerId>:<n>` for n below the burst, each held by one upload for the
 * burst window. A slot is taken by an upsert guarded on its expiry; its unique `_id` makes two
 * concurrent takers of one slot collide, so a flood gets exactly `burst` uploads, on every instance.
 * At most `burst` documents per uploader, reused forever: nothing to sweep.
 */
const slotSchema = new Schema(
  { _id: { type: String, required: true }, ownerId: String, until: Date },
  { versionKey: false },
)
slotSchema.index({ ownerId: 1 })
export const PhotoSlot = mongoose.model('NeedPhotoSlot', slotSchema, 'needPhotos.slots')

async function takeSlot(ownerId: string, now: number): Promise<void> {
  const held = await PhotoSlot.find({ ownerId, until: { $gt: new Date(now) } }, { until: 1 }).lean()
  const busy = new Set(held.map((h) => h._id))
  for (let n = 0; n < PHOTO_LIMITS.burst; n++) {
    const _id = `${ownerId}:${n}`
    if (busy.has(_id)) continue
    try {
      const taken = await PhotoSlot.updateOne(
        { _id, until: { $lte: new Date(now) } },
        { $set: { ownerId, until: new Date(now + PHOTO_LIMITS.burstMs) } },
        { upsert: true },
      )
      if (taken.modifiedCount || taken.upsertedCount) return
    } catch (error) {
      // Another upload took this slot a moment ago.
      if (!isDuplicateKey(error)) throw error
    }
  }
  const freed = Math.min(now + PHOTO_LIMITS.burstMs, ...held.map((h) => h.until!.getTime()))
  const seconds = Math.max(1, Math.ceil((freed - now) / 1000))
  throw new AppError('RATE_LIMITED', `请在 ${seconds} 秒后再上传`, undefined, seconds)
}

/**
 * Refuses an upload over the uploader's limits, before its body is read: a burst slot, then one
 * indexed read of their last day's photos. Kept in the database, so every instance applies them.
 */
async function checkQuota(ownerId: string, incoming: number, now = Date.now()): Promise<void> {
  await takeSlot(ownerId, now)
  const recent = await PhotoFile.find(
    { 'metadata.ownerId': ownerId, uploadDate: { $gt: new Date(now - DAY_MS) } },
    { length: 1, 'metadata.needId': 1 },
  ).lean()
  const bytes = recent.reduce((sum, f) => sum + (f.length ?? 0), 0) + incoming
  const free = recent.filter((f) => !f.metadata?.needId).length
  if (
    free >= PHOTO_LIMITS.unattached ||
    recent.length >= PHOTO_LIMITS.perDay ||
    bytes > PHOTO_LIMITS.bytesPerDay
  )
    fail('NEED_PHOTO_QUOTA')
}

/** The image type by its first bytes (never by the name or the declared content type). */
export function sniffImage(buf: Buffer): 'image/jpeg' | 'image/png' | 'image/webp' | null {
  if (buf.length >= 3 && buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'image/jpeg'
  if (
    buf.length >= 8 &&
    buf.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
  )
    return 'image/png'
  if (buf.length >= 12 && buf.toString('latin1', 0, 4) === 'RIFF' && buf.toString('latin1', 8, 12) === 'WEBP')
    return 'image/webp'
  return null
}

/** Reads the request body up to `limit` bytes; more answers NEED_PHOTO_TOO_LARGE without buffering it. */
async function readBody(ctx: Context, limit: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length') || 0)
  if (declared > limit) fail('NEED_PHOTO_TOO_LARGE')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > limit) fail('NEED_PHOTO_TOO_LARGE')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** The first file part of a multipart/form-data body (what wx.uploadFile sends). */
export function firstMultipartFile(body: Buffer, contentType: string): Buffer | null {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType)
  const b = boundary?.[1] ?? boundary?.[2]
  if (!b) return null
  const delimiter = Buffer.from(`--${b}`)
  let at = body.indexOf(delimiter)
  while (at !== -1) {
    const headerStart = at + delimiter.length + 2
    const headerEnd = body.indexOf('\r\n\r\n', headerStart)
    if (headerEnd === -1) return null
    const headers = body.toString('utf8', headerStart, headerEnd)
    const next = body.indexOf(delimiter, headerEnd + 4)
    if (next === -1) return null
    if (/filename=/i.test(headers)) return body.subarray(headerEnd + 4, next - 2)
    at = next
  }
  return null
}

/** Stores one uploaded photo in GridFS, owned by the uploader and not yet attached to a need. */
export async function uploadPhoto(actor: Actor, ctx: Context) {
  const type = ctx.get('content-type')
  await checkQuota(actor.userId, Number(ctx.get('content-length') || 0))
  const raw = await readBody(ctx, MAX_BODY_BYTES)
  const data = /^multipart\/form-data/i.test(type) ? firstMultipartFile(raw, type) : raw
  if (!data || !data.length) fail('NEED_PHOTO_NOT_IMAGE')
  if (data!.length > MAX_PHOTO_BYTES) fail('NEED_PHOTO_TOO_LARGE')
  const contentType = sniffImage(data!)
  // The first bytes name a format; its header must also describe a real picture.
  if (!contentType || !imageDimensions(data!, contentType)) fail('NEED_PHOTO_NOT_IMAGE')
  const id = new mongoose.Types.ObjectId()
  await new Promise<void>((resolve, reject) => {
    const stream = bucket().openUploadStreamWithId(id, `${id}`, {
      metadata: { ownerId: actor.userId, needId: null, contentType },
    })
    stream.once('finish', () => resolve())
    stream.once('error', reject)
    stream.end(data)
  })
  return { id: String(id), contentType: contentType!, size: data!.length }
}

/** Photos the actor uploaded and has not used yet; anything else is refused. */
export async function assertOwnFreePhotos(actor: Actor, ids: string[]): Promise<void> {
  if (!ids.length) return
  const unique = [...new Set(ids)]
  const count = await files().countDocuments({
    _id: { $in: unique.map((i) => new mongoose.Types.ObjectId(i)) },
    'metadata.ownerId': actor.userId,
    'metadata.needId': null,
  })
  if (count !== unique.length || unique.length !== ids.length) fail('NEED_PHOTO_INVALID')
}

export async function attachPhotos(ids: string[], needId: string): Promise<void> {
  if (!ids.length) return
  await files().updateMany(
    { _id: { $in: ids.map((i) => new mongoose.Types.ObjectId(i)) }, 'metadata.needId': null },
    { $set: { 'metadata.needId': needId } },
  )
}

/** Streams a photo of a need; the caller has already checked the need is visible to the actor. */
export async function sendPhoto(ctx: Context, needId: string, photoId: string): Promise<void> {
  const file = await files().findOne({ _id: new mongoose.Types.ObjectId(photoId), 'metadata.needId': needId })
  if (!file) throw new AppError('NOT_FOUND')
  ctx.type = String(file.metadata?.contentType ?? 'application/octet-stream')
  ctx.set('Cache-Control', 'private, max-age=3600')
  ctx.set('Content-Length', String(file.length))
  ctx.body = bucket().openDownloadStream(file._id)
}

const PURGING = 'purging'

/**
 * Deletes photos never attached to a need once a day old. Each is first marked (so it can no longer
 * be attached; a mark left by a crash is picked up again), then removed with its chunks. Returns how
 * many were deleted.
 */
export async function purgeUnattachedPhotos(now: Date): Promise<number> {
  const stale = await files()
    .find(
      {
        'metadata.needId': { $in: [null, PURGING] },
        uploadDate: { $lt: new Date(now.getTime() - UNATTACHED_TTL_MS) },
      },
      { projection: { _id: 1 } },
    )
    .limit(500)
    .toArray()
  let purged = 0
  for (const { _id } of stale) {
    await files().updateOne({ _id, 'metadata.needId': null }, { $set: { 'metadata.needId': PURGING } })
    try {
      await bucket().delete(_id)
      purged++
    } catch (error) {
      // Another instance deleted it first.
      if (!(error instanceof mongoose.mongo.MongoRuntimeError)) throw error
    }
  }
  return purged
}
