import { View } from '@tarojs/components'

export function Loading(props: { text?: string }) {
  return <View className="card muted center">{props.text ?? '加载中…'}</View>
}
