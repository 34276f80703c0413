import { View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { ActionButton, Skeleton } from '../ui'

/**
 * The body of a `usePages` list (lib/use-pages): 加载中 until the first page, `empty` when there is
 * nothing, each item as `children` renders it (with its key), and 加载更多 while a page is left.
 */
export function PagedList<T>(props: {
  items: T[] | null
  hasMore: boolean
  more: () => Promise<unknown>
  empty: ReactNode
  children: (item: T) => ReactNode
}) {
  const { items, hasMore, more, empty, children: render } = props
  return (
    <>
      {!items && <Skeleton />}
      {items?.length === 0 && <View className="card muted center">{empty}</View>}
      {items?.map((item) => render(item))}
      {hasMore && (
        <ActionButton kind="ghost" onTap={more}>
          加载更多
        </ActionButton>
      )}
    </>
  )
}
