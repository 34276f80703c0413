import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'

/** The end of a task: a large ✓ (or ✕), what happened, and what to do next (`children`, buttons). */
export function Result(props: { ok?: boolean; title: string; text?: string; children?: ReactNode }) {
  const ok = props.ok ?? true
  return (
    <View className="card result">
      <View className={ok ? 'result__mark' : 'result__mark result__mark--fail'} aria-hidden="true">
        {ok ? '✓' : '✕'}
      </View>
      <Text className="result__title">{props.title}</Text>
      {props.text && <Text className="result__text">{props.text}</Text>}
      <View className="result__actions">{props.children}</View>
    </View>
  )
}
