import type { CommunitySummary, Me } from '@linli/shared-types'
import Taro from '@tarojs/taro'
import { useEffect, useState } from 'react'
import { call } from '../../api'
import { Chips } from '../../components/chips'
import { staffRoles } from '../../lib/labels'

/** Staff pages of space booking: space management, blackouts (booking on behalf is on the space page). */
export const SPACES_PAGE = '/packages/booking/spaces/index'
export const SPACE_EDIT_PAGE = '/packages/booking/space-edit/index'
export const BLACKOUTS_PAGE = '/packages/booking/blackouts/index'

export const toast = (title: string, icon: 'none' | 'success' = 'none') =>
  Taro.showToast({ title, icon, duration: 2500 })

/** '' → undefined (left to the default or unchanged), digits → the number, anything else → NaN. */
export const intOf = (s: string): number | undefined =>
  s.trim() === '' ? undefined : /^\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN

/** The instant `minutes` after local midnight of `date` (YYYY-MM-DD) in China time (UTC+8 all year). */
export function chinaInstant(date: string, minutes: number): string {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + minutes * 60_000).toISOString()
}

/** The communities a staff member manages (theirs, their street's, or all for admins) and a picker. */
export function useManagedCommunities(me: Me | null) {
  const [all, setAll] = useState<CommunitySummary[]>([])
  const [picked, setPicked] = useState('')
  useEffect(() => {
    call('listCommunities', { query: {} }).then(
      (r) => setAll(r.items),
      () => {},
    )
  }, [])
  const roles = me?.roles.filter((m) => staffRoles.includes(m.role)) ?? []
  const communities = all.filter((c) =>
    roles.some(
      (m) =>
        m.role === 'admin' ||
        (m.scopeType === 'community' && m.scopeId === c.id) ||
        (m.scopeType === 'street' && m.scopeId === c.streetId),
    ),
  )
  const communityId = communities.find((c) => c.id === picked)?.id ?? communities[0]?.id ?? ''
  const picker =
    communities.length > 1 ? (
      <Chips
        className="pick-community"
        options={communities.map((c) => ({ value: c.id, label: c.name }))}
        value={communityId}
        onChange={setPicked}
      />
    ) : null
  return { communityId, picker }
}
