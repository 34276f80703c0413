import type { Notification } from '@linli/shared-types'
import { formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import { useDidShow } from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { usePages } from '../../../lib/use-pages'
import '../booking.css'
import { ActionButton, Page } from '../../../ui'

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
    <Page>
      {items?.some((n) => !n.read) && (
        <ActionButton className="read-all" kind="ghost" onTap={readAll}>
          全部标为已读
        </ActionButton>
      )}
      <PagedList items={items} hasMore={hasMore} more={more} empty="暂无消息">
        {(n) => (
          <View key={n.id} className={`card inbox-item${n.read ? '' : ' inbox-item--unread'}`}>
            <Text className="inbox-item__title">{n.title}</Text>
            <Text className="inbox-item__body">{n.body}</Text>
            <Text className="muted">{formatTime(n.createdAt)}</Text>
          </View>
        )}
      </PagedList>
    </Page>
  )
}
