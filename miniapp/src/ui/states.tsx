import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import { ActionButton } from './action-button'
import type { Loaded } from './use-load'

/** Grey lines where content will be, so a page never says 暂无 while it is still loading. */
export function Skeleton(props: { rows?: number; cards?: number }) {
  const cards = Array.from({ length: props.cards ?? 2 }, (_, i) => i)
  const rows = Array.from({ length: props.rows ?? 3 }, (_, i) => i)
  return (
    <View aria-busy="true" aria-label="加载中">
      {cards.map((c) => (
        <View key={c} className="card skeleton">
          {rows.map((r) => (
            <View
              key={r}
              className={r === rows.length - 1 ? 'skeleton__line skeleton__line--short' : 'skeleton__line'}
            />
          ))}
        </View>
      ))}
    </View>
  )
}

/** Nothing here yet, and what to do about it. */
export function Empty(props: { text: string; note?: string; action?: string; onAction?: () => unknown }) {
  return (
    <View className="card state state--empty">
      <View className="state__mark">空</View>
      <Text className="state__text">{props.text}</Text>
      {props.note && <Text className="state__note">{props.note}</Text>}
      {props.action && props.onAction && (
        <ActionButton kind="ghost" onTap={props.onAction}>
          {props.action}
        </ActionButton>
      )}
    </View>
  )
}

/** Loading failed: says why (offline is told apart) and offers to try again. */
export function ErrorState(props: { offline?: boolean; message?: string; retry: () => unknown }) {
  return (
    <View className="card state state--error">
      <View className="state__mark">!</View>
      <Text className="state__text">
        {props.offline ? '网络未连接，内容暂时无法加载' : (props.message ?? '加载失败')}
      </Text>
      <Text className="state__note">{props.offline ? '请检查网络后重试' : '请稍后重试'}</Text>
      <ActionButton kind="ghost" className="state-retry" onTap={props.retry}>
        重试
      </ActionButton>
    </View>
  )
}

/** A page section over `useLoad`: skeleton, then error with retry, then the content. */
export function Loadable<T>(props: {
  load: Loaded<T>
  skeleton?: ReactNode
  children: (data: T) => ReactNode
}) {
  const { load } = props
  if (load.error)
    return <ErrorState offline={load.error.offline} message={load.error.message} retry={load.reload} />
  if (load.data === null) return <>{props.skeleton ?? <Skeleton />}</>
  return <>{props.children(load.data)}</>
}
