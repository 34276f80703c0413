import { createHash, randomBytes, randomUUID } from 'node:crypto'
import jwt from 'jsonwebtoken'
import type { Config } from '../../platform/config'
import { AppError } from '../../platform/errors'
import { RefreshToken } from './refresh-token.model'

const ISSUER = 'linli'

export function signAccessToken(config: Config, userId: string, familyId: string): string {
  return jwt.sign({ fam: familyId }, config.JWT_SECRET, {
    subject: userId,
    issuer: ISSUER,
    algorithm: 'HS256',
    expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
  })
}

/** Verifies an access token and returns its user id; expired and forged tokens get distinct codes. */
export function verifyAccessToken(config: Config, token: string): string {
  try {
    const payload = jwt.verify(token, config.JWT_SECRET, { issuer: ISSUER, algorithms: ['HS256'] })
    if (typeof payload === 'string' || !payload.sub) throw new AppError('TOKEN_INVALID')
    return payload.sub
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new AppError('TOKEN_EXPIRED')
    throw new AppError('TOKEN_INVALID')
  }
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
export async function rotateRefreshToken(token: string): Promise<{ userId: string; familyId: string }> {
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
    await revokeFamily(known.familyId)
    throw new AppError('REFRESH_TOKEN_REUSED')
  }
  throw new AppError('TOKEN_EXPIRED')
}

export async function revokeFamily(familyId: string): Promise<void> {
  await RefreshToken.updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: new Date() } })
}

export async function familyOf(token: string): Promise<string | null> {
  const known = await RefreshToken.findById(hash(token), { familyId: 1 }).lean()
  return known?.familyId ?? null
}
