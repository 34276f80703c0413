import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'

/** A white group of cells, optionally titled. */
export function CellGroup(props: { title?: string; className?: string; children: ReactNode }) {
  return (
    <View className={`cell-group ${props.className ?? ''}`}>
      {props.title && <Text className="cell-group__title">{props.title}</Text>}
      {props.children}
    </View>
  )
}

/**
 * One row: a title with an optional note under it, a value or any `extra` on the right, a badge, and
 * an arrow when it leads somewhere. At least one tap target high.
 */
export function Cell(props: {
  title: string
  note?: string | null
  value?: string | number | null
  extra?: ReactNode
  badge?: number
  onClick?: () => void
  className?: string
}) {
  return (
    <View
      className={`cell ${props.className ?? ''}`}
      onClick={props.onClick}
      role={props.onClick ? 'link' : undefined}
    >
      <View className="cell__main">
        <Text className="cell__title">{props.title}</Text>
        {props.note && <Text className="cell__note">{props.note}</Text>}
      </View>
      {props.value !== undefined && props.value !== null && (
        <Text className="cell__value">{props.value}</Text>
      )}
      {props.extra}
      {!!props.badge && <Badge count={props.badge} />}
      {props.onClick && <Text className="cell__arrow">›</Text>}
    </View>
  )
}

/** An unread count; 99+ beyond that. */
export function Badge(props: { count: number }) {
  return <Text className="badge">{props.count > 99 ? '99+' : props.count}</Text>
}

/** The progress of a case: each step done up to `at`. */
export function Steps(props: { steps: string[]; at: number; className?: string }) {
  return (
    <View className={`steps ${props.className ?? ''}`}>
      {props.steps.map((s, i) => (
        <View key={s} className={i <= props.at ? 'step step--done' : 'step'}>
          <View className="step__dot" />
          <Text>{s}</Text>
        </View>
      ))}
    </View>
  )
}
