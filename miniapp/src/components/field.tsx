import { Input, Text, View } from '@tarojs/components'

type InputType = 'text' | 'number' | 'idcard' | 'digit'

/** A labelled single-line input; `className` marks the wrapper so tests can find the field. */
export function Field(props: {
  className: string
  label: string
  value: string
  onInput: (value: string) => void
  placeholder?: string
  type?: InputType
  maxlength?: number
}) {
  return (
    <View className={`field ${props.className}`}>
      <Text className="field__label">{props.label}</Text>
      <Input
        className="field__input"
        value={props.value}
        type={props.type ?? 'text'}
        maxlength={props.maxlength ?? 20}
        placeholder={props.placeholder}
        placeholderStyle="color:#c0c4cc"
        onInput={(e) => props.onInput(e.detail.value)}
      />
    </View>
  )
}
