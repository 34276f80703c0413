import { Text, View } from '@tarojs/components'
import './coming-soon.css'

/** The placeholder card of a tab whose domain is not open yet. */
export function ComingSoon(props: { mark: string; title: string; description: string; points: string[] }) {
  return (
    <View className="page">
      <View className="card soon">
        <View className="soon__mark">{props.mark}</View>
        <Text className="soon__title">{props.title}</Text>
        <Text className="tag tag--wait">即将开放</Text>
        <Text className="soon__desc">{props.description}</Text>
        <View className="soon__points">
          {props.points.map((p) => (
            <Text key={p} className="soon__point">
              {p}
            </Text>
          ))}
        </View>
        <Text className="muted">我们正在加紧建设，敬请期待</Text>
      </View>
    </View>
  )
}
