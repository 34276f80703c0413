import type { CommunitySummary, Me } from '@linli/shared-types'
import { useEffect, useState } from 'react'
import { call } from '../api'
import { Chips } from '../ui'
import { staffRoles } from './labels'

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
