import { Text } from '@tarojs/components'

export function Tag(props: { tone: 'ok' | 'wait' | 'bad' | 'none'; children: string }) {
  return <Text className={`tag tag--${props.tone}`}>{props.children}</Text>
}
