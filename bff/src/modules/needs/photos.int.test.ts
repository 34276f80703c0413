import mongoose from 'mongoose'
import { describe, expect, it } from 'vitest'
import { startTestApp } from '../../../test/harness'
import { images } from '../../../test/images'
import { PHOTO_LIMITS, PhotoSlot } from './needs.photos'
import { needPhotosSweeper } from './photos.sweeper'

const app = await startTestApp()
const files = () => mongoose.connection.collection('needPhotos.files')
const chunks = () => mongoose.connection.collection('needPhotos.chunks')

async function upload(token: string, data: Buffer, type = 'image/png') {
  const res = await fetch(`${app.url}/api/v1/need-photos`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body: new Uint8Array(data),
  })
  return { status: res.status, headers: res.headers, body: (await res.json()) as any }
}

/** Moves a person's photos (and their burst slots) back in time, as if uploaded `ms` earlier. */
async function age(ms: number, filter: Record<string, unknown>) {
  const docs = await files().find(filter).toArray()
  for (const d of docs)
    await files().updateOne({ _id: d._id }, { $set: { uploadDate: new Date(d.uploadDate.getTime() - ms) } })
  const owner = filter['metadata.ownerId']
  if (owner)
    for (const slot of await PhotoSlot.find({ ownerId: owner }).lean())
      await PhotoSlot.updateOne({ _id: slot._id }, { $set: { until: new Date(slot.until!.getTime() - ms) } })
}

describe('need photo uploads', () => {
  it('accepts only images whose header declares a real picture, not just the right first bytes', async () => {
    const token = await app.login('resident', { handle: 'photo-checker' })
    for (const [type, data] of Object.entries(images)) {
      const res = await upload(token, data, `image/${type}`)
      expect([res.status, res.body.contentType], type).toEqual([201, `image/${type}`])
    }
    const fakes: [string, Buffer][] = [
      ['png magic, no IHDR', Buffer.concat([images.png.subarray(0, 8), Buffer.alloc(200, 7)])],
      ['png of 0×0', Buffer.concat([images.png.subarray(0, 16), Buffer.alloc(8), images.png.subarray(24)])],
      [
        'png of 100000×100000',
        Buffer.concat([
          images.png.subarray(0, 16),
          Buffer.from('000186a0000186a0', 'hex'),
          images.png.subarray(24),
        ]),
      ],
      ['jpeg magic only', Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300)])],
      [
        'webp magic only',
        Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(50)]),
      ],
    ]
    for (const [name, data] of fakes) {
      const res = await upload(token, data)
      expect([res.status, res.body.code], name).toEqual([422, 'NEED_PHOTO_NOT_IMAGE'])
    }
  })

  it('limits each person’s uploads: a burst rate with Retry-After, then a quota of unused photos', async () => {
    const token = await app.login('resident', { handle: 'photo-flood' })
    const me = (await app.call('getMe', {}, { token })).body.id as string
    // A flood of concurrent uploads gets exactly the burst through, not one more.
    const flood = await Promise.all(
      Array.from({ length: PHOTO_LIMITS.burst + 11 }, () => upload(token, images.jpeg, 'image/jpeg')),
    )
    const statuses = flood.map((r) => r.status).sort()
    expect(statuses).toEqual([...Array(PHOTO_LIMITS.burst).fill(201), ...Array(11).fill(429)])
    expect(await files().countDocuments({ 'metadata.ownerId': me })).toBe(PHOTO_LIMITS.burst)
    const tooFast = await upload(token, images.jpeg, 'image/jpeg')
    expect([tooFast.status, tooFast.body.code]).toEqual([429, 'RATE_LIMITED'])
    expect(Number(tooFast.headers.get('retry-after'))).toBeGreaterThan(500)
    // Another person is not affected.
    const other = await app.login('resident', { handle: 'photo-calm' })
    expect((await upload(other, images.png)).status).toBe(201)

    // Eleven minutes later the burst is over, but unused photos stop at the quota.
    await age(11 * 60_000, { 'metadata.ownerId': me })
    for (let i = 0; i < PHOTO_LIMITS.unattached - PHOTO_LIMITS.burst; i++)
      expect((await upload(token, images.png)).status).toBe(201)
    await age(11 * 60_000, { 'metadata.ownerId': me })
    const over = await upload(token, images.png)
    expect([over.status, over.body.code]).toEqual([429, 'NEED_PHOTO_QUOTA'])
    expect(await files().countDocuments({ 'metadata.ownerId': me })).toBe(PHOTO_LIMITS.unattached)
  })

  it('deletes photos never attached to a need after a day, with their chunks; attached ones stay', async () => {
    const token = await app.login('resident', { handle: 'photo-forgetful' })
    const me = (await app.call('getMe', {}, { token })).body.id as string
    const free = (await upload(token, images.png)).body.id as string
    const used = (await upload(token, images.png)).body.id as string
    const fresh = (await upload(token, images.png)).body.id as string
    const oid = (id: string) => new mongoose.Types.ObjectId(id)
    await files().updateOne({ _id: oid(used) }, { $set: { 'metadata.needId': '0123456789abcdef01234567' } })
    await age(25 * 3_600_000, { _id: { $in: [oid(free), oid(used)] } })

    expect(await needPhotosSweeper.run(app.deps, new Date())).toBe(1)
    const left = (await files().find({ 'metadata.ownerId': me }).toArray()).map((f) => String(f._id))
    expect(left.sort()).toEqual([used, fresh].sort())
    expect(await chunks().countDocuments({ files_id: oid(free) })).toBe(0)
    expect(await chunks().countDocuments({ files_id: oid(used) })).toBe(1)
    expect(await needPhotosSweeper.run(app.deps, new Date())).toBe(0)
  })
})
