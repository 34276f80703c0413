import { createHash, createSecretKey, type KeyObject, randomBytes, randomUUID } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { z } from 'zod'
import type { Config } from '../../platform/config'
import { AppError } from '../../platform/errors'
import { RefreshToken } from './refresh-token.model'
import { User } from './user.model'

const ISSUER = 'linli'
const AUDIENCE = 'linli-api'

/** Every claim an access token must carry; anything else about it is refused as TOKEN_INVALID. */
const AccessClaims = z.object({
  sub: z.string().regex(/^[0-9a-f]{24}$/),
  fam: z.string().min(1).max(64),
  iss: z.literal(ISSUER),
  aud: z.literal(AUDIENCE),
  iat: z.number().int(),
  exp: z.number().int(),
})

export interface AccessToken {
  userId: string
  familyId: string
}

/** Tokens this process verified under one secret, with their expiry (seconds), oldest first. */
type Verified = Map<string, AccessToken & { exp: number }>
/** Enough for every client active within a token's lifetime on one instance; the oldest go first. */
const MAX_VERIFIED = 20_000

/**
 * The signing key as a KeyObject, made once per secret: given the string, jsonwebtoken first tries
 * to parse it as a public key on every call (3 % of a write's CPU in `npm run bench:writes`).
 */
const keys = new Map<string, { key: KeyObject; verified: Verified }>()
function keyOf(secret: string): { key: KeyObject; verified: Verified } {
  let entry = keys.get(secret)
  if (!entry) {
    entry = { key: createSecretKey(Buffer.from(secret, 'utf8')), verified: new Map() }
    keys.set(secret, entry)
  }
  return entry
}

export function signAccessToken(config: Config, userId: string, familyId: string): string {
  return jwt.sign({ fam: familyId }, keyOf(config.JWT_SECRET).key, {
    subject: userId,
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithm: 'HS256',
    expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
  })
}

/**
 * Verifies an access token's signature and every claim; expired and forged tokens get distinct codes.
 * A token's signature and claims never change, so a token verified before is only checked for
 * expiry (verifying every request was 5 % of getMe's CPU); revocation is the user document's, read
 * on every request (`loadActor`).
 */
export function verifyAccessToken(config: Config, token: string): AccessToken {
  const { key, verified } = keyOf(config.JWT_SECRET)
  const known = verified.get(token)
  if (known && Date.now() < known.exp * 1000) return { userId: known.userId, familyId: known.familyId }
  let payload: unknown
  try {
    payload = jwt.verify(token, key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    })
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED')
    throw new AppError('TOKEN_INVALID')
  }
  const claims = AccessClaims.safeParse(payload)
  if (!claims.success) throw new AppError('TOKEN_INVALID')
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value!)
  verified.set(token, { userId: claims.data.sub, familyId: claims.data.fam, exp: claims.data.exp })
  return { userId: claims.data.sub, familyId: claims.data.fam }
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex')

export async function issueRefreshToken(
  config: Config,
  userId: string,
  familyId: string = randomUUID(),
): Promise<{ token: string; familyId: string }> {
  const token = randomBytes(32).toString('base64url')
  await RefreshToken.create({
    _id: hash(token),
    familyId,
    userId,
    expiresAt: new Date(Date.now() + config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
  })
  return { token, familyId }
}

/**
 * Marks a refresh token used and returns its user and family. The guard in the filter makes the
 * rotation atomic: of two concurrent refreshes with one token, one wins and the other is a reuse.
 */
export async function rotateRefreshToken(
  config: Config,
  token: string,
): Promise<{ userId: string; familyId: string }> {
  const now = new Date()
  const used = await RefreshToken.findOneAndUpdate(
    { _id: hash(token), rotatedAt: null, revokedAt: null, expiresAt: { $gt: now } },
    { $set: { rotatedAt: now } },
  ).lean()
  if (used) return { userId: String(used.userId), familyId: used.familyId }

  const known = await RefreshToken.findById(hash(token)).lean()
  if (!known) throw new AppError('TOKEN_INVALID')
  if (known.revokedAt) throw new AppError('REFRESH_TOKEN_REUSED')
  if (known.rotatedAt) {
    await revokeFamily(config, known.familyId, String(known.userId))
    throw new AppError('REFRESH_TOKEN_REUSED')
  }
  throw new AppError('TOKEN_EXPIRED')
}

/**
 * Revokes a family's refresh tokens and, at once, its access tokens: the family is listed on the
 * user document (read on every request anyway, so every instance sees it) as `<family>|<until ms>`
 * until its last access token has expired. Plain strings, because FerretDB ignores a conditional
 * `$pull`; expired entries are dropped by value at each revocation.
 */
export async function revokeFamily(config: Config, familyId: string, userId: string): Promise<void> {
  const now = Date.now()
  await RefreshToken.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date(now) } })
  const until = now + config.ACCESS_TOKEN_TTL_SECONDS * 1000 + 60_000
  const user = await User.findByIdAndUpdate(
    userId,
    { $addToSet: { revokedFamilies: `${familyId}|${until}` } },
    { new: true },
  ).lean()
  const expired = (user?.revokedFamilies ?? []).filter((e) => Number(e.split('|')[1]) < now)
  if (expired.length) await User.updateOne({ _id: userId }, { $pullAll: { revokedFamilies: expired } })
}

/** Whether a family is on the user's revocation list (see `revokeFamily`). */
export const isRevoked = (revoked: string[] | undefined, familyId: string): boolean =>
  !!revoked?.some((e) => e.slice(0, e.lastIndexOf('|')) === familyId)

export async function familyOf(token: string): Promise<{ familyId: string; userId: string } | null> {
  const known = await RefreshToken.findById(hash(token), { familyId: 1, userId: 1 }).lean()
  return known ? { familyId: known.familyId, userId: String(known.userId) } : null
}
