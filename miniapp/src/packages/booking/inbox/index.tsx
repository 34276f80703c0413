import type { Notification } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../../api'
import { ActionButton } from '../../../components/action-button'
import { Loading } from '../../../components/loading'
import { formatDateTime } from '../../../lib/time'
import { usePages } from '../use-pages'
import '../booking.css'

export default function Inbox() {
  const fetchPage = useCallback(
    (cursor: string | undefined) => call('listNotifications', { query: { limit: 20, cursor } }),
    [],
  )
  const { items, hasMore, reload, more } = usePages<Notification>(fetchPage)
  useDidShow(() => {
    void reload()
  })
  const readAll = async () => {
    await call('markNotificationsRead', { body: {} })
    await reload()
  }
  return (
    <View className="page">
      {items?.some((n) => !n.read) && (
        <ActionButton className="read-all" kind="ghost" onTap={readAll}>
          全部标为已读
        </ActionButton>
      )}
      {!items && <Loading />}
      {items?.length === 0 && <View className="card muted center">暂无消息</View>}
      {items?.map((n) => (
        <View key={n.id} className={`card inbox-item${n.read ? '' : ' inbox-item--unread'}`}>
          <Text className="inbox-item__title">{n.title}</Text>
          <Text className="inbox-item__body">{n.body}</Text>
          <Text className="muted">{formatDateTime(n.createdAt)}</Text>
        </View>
      ))}
      {hasMore && (
        <ActionButton kind="ghost" onTap={more}>
          加载更多
        </ActionButton>
      )}
    </View>
  )
}
