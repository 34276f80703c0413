import { Text, View } from '@tarojs/components'

/**
 * Charts drawn with plain views (flex boxes sized in %): identical in weapp and H5, no canvas, no
 * library — the whole chart code is this file.
 */
export function VBars(props: {
  className: string
  columns: { label: string; value: number; text: string }[]
  max?: number
  tone?: 'a' | 'b' | 'c'
}) {
  const max = props.max ?? Math.max(1, ...props.columns.map((c) => c.value))
  const tone = props.tone && props.tone !== 'a' ? ` bars__bar--${props.tone}` : ''
  return (
    <View className={props.className}>
      <View className="bars">
        {props.columns.map((c) => (
          <View key={c.label} className="bars__col">
            <Text className="bars__value">{c.text}</Text>
            <View className={`bars__bar${tone}`} style={{ height: `${Math.round((c.value / max) * 80)}%` }} />
          </View>
        ))}
      </View>
      <View className="bars__labels">
        {props.columns.map((c) => (
          <Text key={c.label} className="bars__label">
            {c.label}
          </Text>
        ))}
      </View>
    </View>
  )
}

export function HBar(props: { label: string; value: number | null; text: string }) {
  return (
    <View className="hbar">
      <View className="row">
        <Text>{props.label}</Text>
        <Text className="muted">{props.text}</Text>
      </View>
      <View className="hbar__track">
        <View className="hbar__fill" style={{ width: `${Math.round((props.value ?? 0) * 100)}%` }} />
      </View>
    </View>
  )
}
