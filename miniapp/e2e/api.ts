import { PRIVACY_NOTICE_VERSION } from '@linli/shared-types'
import { expect, inject } from 'vitest'

/** Calls the BFF directly, to set a scene up faster than through the pages under test. */
export async function api<T = any>(method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${inject('baseUrl')}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json().catch(() => null)) as T }
}

/** A dev-login access token (the same handle is the same person every time). */
export const tokenOf = async (body: Record<string, unknown>) =>
  (await api<{ accessToken: string }>('POST', '/api/v1/auth/dev', body)).body.accessToken

export interface Neighbour {
  handle: string
  realName: string
  phone: string
  unit: string
  room: string
}

/**
 * A resident of the demo community A verified the way staff verify anyone: a residency claim,
 * approved by `staffToken`. The people picker finds residents by their claim's name and phone.
 */
export async function verifiedNeighbour(n: Neighbour, staffToken: string): Promise<string> {
  const { communityA } = inject('demo')
  const token = await tokenOf({ role: 'resident', handle: n.handle })
  const claim = await api<{ id: string }>(
    'POST',
    '/api/v1/me/residency-claims',
    {
      communityId: communityA.id,
      courtyardId: communityA.courtyardIds[0],
      buildingId: communityA.buildingIds[0],
      unit: n.unit,
      room: n.room,
      consentVersion: PRIVACY_NOTICE_VERSION,
      realName: n.realName,
      phone: n.phone,
    },
    token,
  )
  expect(claim.status).toBe(201)
  const review = await api(
    'POST',
    `/api/v1/residency-claims/${claim.body.id}/review`,
    { decision: 'approve' },
    staffToken,
  )
  expect(review.status).toBe(200)
  return token
}
