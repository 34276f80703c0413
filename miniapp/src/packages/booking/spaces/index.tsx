import { type SpaceSummary, spaceTypeLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { StaffOnly } from '../../../components/staff-only'
import { useManagedCommunities } from '../../../lib/use-managed-communities'
import { useMe } from '../../../session/use-me'
import { BLACKOUTS_PAGE, SPACE_EDIT_PAGE } from '../admin'
import { SCHEDULE_PAGE, SPACE_PAGE } from '../shared'
import '../booking.css'
import { Page, Skeleton, Tag } from '../../../ui'

const go = (url: string) => Taro.navigateTo({ url })

/** Staff: the spaces of a community (disabled ones too), with links to edit, book and blackouts. */
export default function Spaces() {
  const { me } = useMe()
  const { communityId, picker } = useManagedCommunities(me)
  const [spaces, setSpaces] = useState<SpaceSummary[] | null>(null)

  const load = useCallback(() => {
    if (!communityId) return
    call('listSpaces', { query: { communityId } }).then(
      (r) => setSpaces(r.items),
      () => setSpaces([]),
    )
  }, [communityId])
  useEffect(() => load(), [load])
  // Back from the edit page: show what was saved.
  useDidShow(() => load())

  return (
    <StaffOnly me={me} what="空间管理">
      <Page>
        {picker}
        <View className="btn-row">
          <View className="btn space-new" onClick={() => go(`${SPACE_EDIT_PAGE}?communityId=${communityId}`)}>
            新建空间
          </View>
          <View className="btn btn--ghost blackouts-link" onClick={() => go(BLACKOUTS_PAGE)}>
            暂停开放
          </View>
        </View>
        <View className="btn btn--ghost schedule-link" onClick={() => go(SCHEDULE_PAGE)}>
          空间日程
        </View>
        {!spaces && <Skeleton />}
        {spaces?.length === 0 && <View className="card muted center">还没有空间，点“新建空间”添加</View>}
        {spaces?.map((s) => (
          <View key={s.id} className="card admin-space">
            <View className="row">
              <Text className="booking-card__space">{s.name}</Text>
              <Tag tone={s.enabled ? 'ok' : 'none'}>{s.enabled ? '开放中' : '已停用'}</Tag>
            </View>
            <Text className="space-card__meta">
              {spaceTypeLabels[s.type]} · {s.location} · 可容纳{s.capacity}人 ·{' '}
              {s.requiresApproval ? '需审核' : '无需审核'}
            </Text>
            <View className="btn-row">
              <View className="btn btn--ghost space-edit" onClick={() => go(`${SPACE_EDIT_PAGE}?id=${s.id}`)}>
                编辑
              </View>
              <View
                className="btn btn--ghost space-blackouts"
                onClick={() => go(`${BLACKOUTS_PAGE}?spaceId=${s.id}`)}
              >
                暂停开放
              </View>
              <View className="btn btn--ghost space-book" onClick={() => go(`${SPACE_PAGE}?id=${s.id}`)}>
                代社区预约
              </View>
            </View>
          </View>
        ))}
      </Page>
    </StaffOnly>
  )
}
