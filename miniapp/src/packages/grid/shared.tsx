import { Text, Textarea, View } from '@tarojs/components'
import { useState } from 'react'
import { ActionButton, confirmAction, problemIssues } from '../../ui'

export const GRID_PAGES = {
  deptQueue: '/packages/grid/dept-queue/index',
  day: '/packages/grid/day/index',
  file: '/packages/grid/file/index',
  visits: '/packages/grid/visits/index',
  notices: '/packages/grid/notices/index',
  notice: '/packages/grid/notice/index',
  publish: '/packages/grid/publish/index',
  family: '/packages/grid/family/index',
  familyNeeds: '/packages/grid/family-needs/index',
  cockpit: '/packages/grid/cockpit/index',
  need: '/packages/needs/detail/index',
}

/** "剩余 1小时20分" / "已超时 15分"; empty without a deadline. */
export function formatLeft(seconds: number | null): string {
  if (seconds === null) return ''
  const m = Math.floor(Math.abs(seconds) / 60)
  const text = m >= 60 ? `${Math.floor(m / 60)}小时${m % 60}分` : `${m}分`
  return seconds < 0 ? `已超时 ${text}` : `剩余 ${text}`
}

export const percent = (v: number | null) => (v === null ? '—' : `${Math.round(v * 1000) / 10}%`)

/** Asks before an irreversible step (the kit's native modal); resolves true when confirmed. */
export const confirm = (title: string, content: string) => confirmAction({ title, content })

/** A text box with a submit and a cancel; the field-level error shows under the box. */
export function TextPanel(props: {
  className: string
  label: string
  placeholder: string
  submitText: string
  onSubmit: (text: string) => Promise<unknown>
  onCancel: () => void
}) {
  const [text, setText] = useState('')
  const [error, setError] = useState('')
  return (
    <View className={`card grid-panel ${props.className}`}>
      <Text className="section-label">{props.label}</Text>
      <Textarea
        className="grid-textarea"
        value={text}
        maxlength={500}
        placeholder={props.placeholder}
        onInput={(e) => {
          setText(e.detail.value)
          setError('')
        }}
      />
      <Text className="field__hint">最多500个字</Text>
      {error && <Text className="error-text">{error}</Text>}
      <View className="btn-row">
        <ActionButton
          className="grid-panel__submit"
          onTap={async () => {
            if (!text.trim()) return setError('请填写内容')
            setError('')
            try {
              await props.onSubmit(text.trim())
            } catch (e) {
              // The server's message for the text shows under the box (the client toasted it too).
              const issue = problemIssues(e)[0]
              if (!issue) throw e
              setError(issue.message)
            }
          }}
        >
          {props.submitText}
        </ActionButton>
        <ActionButton kind="ghost" onTap={props.onCancel}>
          取消
        </ActionButton>
      </View>
    </View>
  )
}
