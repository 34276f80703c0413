import { formatTime, needStatusLabels } from '@linli/shared-types'
import { Text, View } from '@tarojs/components'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { useCallback } from 'react'
import { call } from '../../../api'
import { PagedList } from '../../../components/paged-list'
import { usePages } from '../../../lib/use-pages'
import { GRID_PAGES } from '../shared'
import '../grid.css'
import { Page } from '../../../ui'

/** The elder's 我的反映, read by their bound family member (each request names the elder). */
export default function FamilyNeedsPage() {
  const { elder = '', name = '' } = useRouter().params
  const fetchPage = useCallback(
    (cursor?: string) => call('listMyNeeds', { query: cursor ? { cursor } : {} }, { onBehalfOf: elder }),
    [elder],
  )
  const { items, hasMore, more, reload } = usePages(fetchPage)
  useDidShow(() => {
    void reload()
  })
  return (
    <Page className="family-needs-page">
      <View className="card">
        <Text className="card__title">{decodeURIComponent(name)}的反映</Text>
        <Text className="muted">您正在代家人查看，评价和重新办理都以家人的名义提交</Text>
      </View>
      <PagedList items={items} hasMore={hasMore} more={more} empty="家人还没有反映">
        {(n) => (
          <View
            key={n.id}
            className="card family-need"
            onClick={() => Taro.navigateTo({ url: `${GRID_PAGES.need}?id=${n.id}&for=${elder}` })}
          >
            <View className="row">
              <Text className="grid-item__title">{n.title}</Text>
              <Text className="tag tag--none">{needStatusLabels[n.status]}</Text>
            </View>
            <Text className="muted">
              {n.no} · {formatTime(n.createdAt)}
            </Text>
          </View>
        )}
      </PagedList>
    </Page>
  )
}
