import { Input, Picker, Text, Textarea, View } from '@tarojs/components'
import type { ReactNode } from 'react'

type InputType = 'text' | 'number' | 'idcard' | 'digit'

interface FieldFrame {
  /** Marks the wrapper so tests (and error scrolling) can find the field. */
  className: string
  label: string
  /** Stated before typing: lengths and formats, e.g. 「4–40 个字」. */
  hint?: string
  /** This field's own error, from the form's check or the server's problem+json. */
  error?: string | undefined
}

function Frame(props: FieldFrame & { children: ReactNode }) {
  return (
    <View className={`field ${props.className}${props.error ? ' field--error' : ''}`}>
      <Text className="field__label">{props.label}</Text>
      {props.hint && <Text className="field__hint">{props.hint}</Text>}
      {props.children}
      {props.error && <Text className="error-text field__error">{props.error}</Text>}
    </View>
  )
}

/** A labelled single-line input. */
export function Field(
  props: FieldFrame & {
    value: string
    onInput: (value: string) => void
    placeholder?: string
    type?: InputType
    maxlength?: number
  },
) {
  return (
    <Frame {...props}>
      <Input
        className="field__input"
        value={props.value}
        type={props.type ?? 'text'}
        maxlength={props.maxlength ?? 20}
        placeholder={props.placeholder}
        placeholderClass="field__placeholder"
        aria-label={props.label}
        onInput={(e) => props.onInput(e.detail.value)}
      />
    </Frame>
  )
}

/** A labelled multi-line input with a live count against its limit. */
export function TextField(
  props: FieldFrame & {
    value: string
    onInput: (value: string) => void
    placeholder?: string
    maxlength: number
  },
) {
  return (
    <Frame {...props}>
      <Textarea
        className="field__textarea"
        value={props.value}
        maxlength={props.maxlength}
        placeholder={props.placeholder}
        placeholderClass="field__placeholder"
        aria-label={props.label}
        onInput={(e) => props.onInput(e.detail.value)}
      />
      <Text className="field__count">
        {props.value.length}/{props.maxlength}
      </Text>
    </Frame>
  )
}

/** WeChat's native date or time picker as a field; `value` is 'YYYY-MM-DD' or 'HH:mm'. */
export function PickerField(
  props: FieldFrame & {
    mode: 'date' | 'time'
    value: string
    onChange: (value: string) => void
    start?: string
    end?: string
  },
) {
  return (
    <Frame {...props}>
      <Picker
        mode={props.mode}
        value={props.value}
        start={props.start}
        end={props.end}
        onChange={(e) => props.onChange(String(e.detail.value))}
      >
        <View className="field__picker" role="button">
          {props.value || (
            <Text className="field__placeholder">{props.mode === 'date' ? '选择日期' : '选择时间'}</Text>
          )}
        </View>
      </Picker>
    </Frame>
  )
}
