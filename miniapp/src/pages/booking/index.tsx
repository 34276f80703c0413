import { type SpaceSummary, spaceTypeLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useState } from 'react'
import { call } from '../../api'
import { RESIDENCY_PAGE } from '../../session/routes'
import { useMe } from '../../session/use-me'
import './index.css'
import { Empty, Loadable, Page, Tag, useLoad } from '../../ui'

const SPACE_PAGE = '/packages/booking/space/index'
const MY_BOOKINGS_PAGE = '/packages/booking/mine/index'
const INBOX_PAGE = '/packages/booking/inbox/index'

export default function BookingTab() {
  const { me } = useMe()
  const spaces = useLoad(
    useCallback(() => call('listSpaces', { query: {} }, { quiet: true }).then((r) => r.items), []),
  )
  const [unread, setUnread] = useState(0)

  useDidShow(() => {
    call('listNotifications', { query: { limit: 1 } }, { quiet: true }).then(
      (r) => setUnread(r.unread),
      () => setUnread(0),
    )
  })
  const go = (url: string) => () => Taro.navigateTo({ url })

  return (
    <Page>
      <View className="booking-links">
        <View className="btn btn--ghost my-bookings-link" onClick={go(MY_BOOKINGS_PAGE)}>
          我的预约
        </View>
        <View className="btn btn--ghost inbox-link" onClick={go(INBOX_PAGE)}>
          {unread ? `我的消息（${unread}）` : '我的消息'}
        </View>
      </View>
      {me && me.residencyStatus !== 'verified' && (
        <View className="card" onClick={go(RESIDENCY_PAGE)}>
          <Text className="card__title">完成居民认证后即可预约空间</Text>
          <Text className="link">去认证 ›</Text>
        </View>
      )}
      <Text className="section-label">社区共享空间 · 免费预约</Text>
      <Loadable load={spaces}>
        {(items) =>
          items.length === 0 ? (
            <Empty text="本社区暂无可预约的空间" note="社区开放空间后会在这里显示" />
          ) : (
            items.map((s: SpaceSummary) => (
              <View key={s.id} className="card space-card" onClick={go(`${SPACE_PAGE}?id=${s.id}`)}>
                <View className="row">
                  <Text className="space-card__name">{s.name}</Text>
                  <Tag tone={s.enabled ? 'ok' : 'none'}>{s.enabled ? spaceTypeLabels[s.type] : '已停用'}</Tag>
                </View>
                <Text className="space-card__meta">
                  {s.location} · 可容纳{s.capacity}人
                </Text>
                <Text className="muted">
                  {s.facilities.join('、') || '—'} · {s.requiresApproval ? '需社区审核' : '预约即成功'}
                </Text>
              </View>
            ))
          )
        }
      </Loadable>
    </Page>
  )
}
