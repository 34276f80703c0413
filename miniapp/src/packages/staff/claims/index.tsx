import { type ClaimStatus, formatTime, maskName, maskPhone, type ResidencyClaim } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { StaffOnly } from '../../../components/staff-only'
import { claimStatusLabels, statusTone } from '../../../lib/labels'
import { usePages } from '../../../lib/use-pages'
import { CLAIM_PAGE } from '../../../session/routes'
import { useMe } from '../../../session/use-me'
import './index.css'
import { Chips, Page, Tag } from '../../../ui'

const filters = (['pending', 'approved', 'rejected'] as const).map((s) => ({
  value: s,
  label: claimStatusLabels[s],
}))

export default function Claims() {
  const { me } = useMe()
  const [status, setStatus] = useState<ClaimStatus>('pending')
  const fetchPage = useCallback(
    (cursor: string | undefined) => call('listResidencyClaims', { query: { status, limit: 20, cursor } }),
    [status],
  )
  const { items, hasMore, reload, more } = usePages(fetchPage)

  useEffect(() => {
    void reload()
  }, [reload])
  // Back from a review: the queue has changed.
  useDidShow(() => {
    if (items) void reload()
  })

  return (
    <StaffOnly me={me} what="工作台">
      <Page>
        <Chips
          className="claim-filter"
          options={filters}
          value={status}
          onChange={(v) => setStatus(v as ClaimStatus)}
        />
        <Text className="section-label">
          {status === 'pending' ? '最早提交的在前，请按顺序处理' : '审核记录'}
        </Text>
        <PagedList
          items={items}
          hasMore={hasMore}
          more={more}
          empty={<>暂无{claimStatusLabels[status]}的申请</>}
        >
          {(c) => <ClaimItem key={c.id} claim={c} />}
        </PagedList>
      </Page>
    </StaffOnly>
  )
}

/** Names and phones stay masked in the list; the detail page shows them in full (and logs the view). */
function ClaimItem({ claim }: { claim: ResidencyClaim }) {
  return (
    <View
      className="card claim-item"
      onClick={() => Taro.navigateTo({ url: `${CLAIM_PAGE}?id=${claim.id}` })}
    >
      <View className="claim-item__head">
        <Text className="claim-item__who">
          {maskName(claim.realName)} · {maskPhone(claim.phone)}
        </Text>
        <Tag tone={statusTone(claim.status)}>{claimStatusLabels[claim.status]}</Tag>
      </View>
      <Text className="claim-item__addr">
        {claim.courtyardName} {claim.buildingName} {claim.unit}单元 {claim.room}
      </Text>
      <Text className="muted">
        {claim.communityName} · 提交于 {formatTime(claim.createdAt)}
      </Text>
    </View>
  )
}
