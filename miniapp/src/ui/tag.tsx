import { Text, View } from '@tarojs/components'

export type Tone = 'ok' | 'wait' | 'bad' | 'none'

export function Tag(props: { tone: Tone; children: string }) {
  return <Text className={`tag tag--${props.tone}`}>{props.children}</Text>
}

export interface Choice {
  value: string
  label: string
}

/** A one-of choice shown as tappable chips; easier to use (and to test) than a picker for short lists. */
export function Chips(props: {
  options: Choice[]
  value: string
  onChange: (value: string) => void
  className?: string
}) {
  return (
    <View className={props.className ? `chips ${props.className}` : 'chips'} role="radiogroup">
      {props.options.map((o) => (
        <View
          key={o.value}
          className={o.value === props.value ? 'chip chip--on' : 'chip'}
          role="radio"
          aria-checked={o.value === props.value}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </View>
      ))}
    </View>
  )
}
