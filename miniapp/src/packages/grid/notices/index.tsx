import { formatTime } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow } from '@tarojs/taro'
import { useCallback, useEffect, useState } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { hasRole } from '../../../lib/labels'
import { usePages } from '../../../lib/use-pages'
import { useMe } from '../../../session/use-me'
import { GRID_PAGES } from '../shared'
import '../grid.css'
import { ActionButton, Chips, Page } from '../../../ui'

const publishers = ['gridWorker', 'staff', 'streetStaff', 'admin'] as const

/** 通知公告: what was sent to me, and for publishers what they sent with read/confirm counts. */
export default function NoticesPage() {
  const { me } = useMe()
  const [box, setBox] = useState<'inbox' | 'published'>('inbox')
  const fetchPage = useCallback(
    (cursor?: string) => call('listNotices', { query: { box, ...(cursor ? { cursor } : {}) } }),
    [box],
  )
  const { items, hasMore, more, reload } = usePages(fetchPage)
  // A changed filter reloads; coming back from another page refreshes.
  useEffect(() => {
    void reload()
  }, [reload])
  useDidShow(() => {
    void reload()
  })
  const publisher = hasRole(me, publishers)

  return (
    <Page className="notices">
      {publisher && (
        <>
          <Chips
            className="notice-box"
            options={[
              { value: 'inbox', label: '收到的' },
              { value: 'published', label: '我发布的' },
            ]}
            value={box}
            onChange={(v) => setBox(v as 'inbox' | 'published')}
          />
          <ActionButton className="notice-new" onTap={() => Taro.navigateTo({ url: GRID_PAGES.publish })}>
            发布通知
          </ActionButton>
        </>
      )}
      <PagedList items={items} hasMore={hasMore} more={more} empty="暂无通知">
        {(n) => (
          <View
            key={n.id}
            className="card notice-item"
            onClick={() => Taro.navigateTo({ url: `${GRID_PAGES.notice}?id=${n.id}` })}
          >
            <View className="row">
              <Text className="grid-item__title">{n.title}</Text>
              {box === 'inbox' && !n.readAt && <Text className="tag tag--wait">未读</Text>}
              {box === 'inbox' && n.requireConfirm && n.confirmedAt && (
                <Text className="tag tag--ok">已确认</Text>
              )}
            </View>
            <Text className="muted">
              {n.audienceName} · {n.publisherName} · {formatTime(n.publishedAt)}
            </Text>
            {n.counts && (
              <Text className="muted notice-counts">
                已读 {n.counts.read}/{n.counts.audience}
                {n.requireConfirm ? ` · 已确认 ${n.counts.confirmed}` : ''}
              </Text>
            )}
          </View>
        )}
      </PagedList>
    </Page>
  )
}
