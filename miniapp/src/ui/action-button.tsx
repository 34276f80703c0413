import { View } from '@tarojs/components'
import { useState } from 'react'
import { confirmAction } from './feedback'

export interface Confirm {
  title: string
  content?: string
  confirmText?: string
}

/**
 * A button that ignores taps while its action runs, so a double tap cannot submit twice. With
 * `confirm` it asks first (every destructive or irreversible action does); `danger` colours it red.
 */
export function ActionButton(props: {
  children: string
  onTap: () => Promise<unknown> | unknown
  kind?: 'primary' | 'ghost' | 'danger'
  confirm?: Confirm
  className?: string
}) {
  const [busy, setBusy] = useState(false)
  const kind = props.kind && props.kind !== 'primary' ? ` btn--${props.kind}` : ''
  const tap = async () => {
    if (busy) return
    if (props.confirm && !(await confirmAction({ ...props.confirm, danger: props.kind === 'danger' }))) return
    setBusy(true)
    try {
      await props.onTap()
    } catch {
      // The API client or the form has already shown the problem.
    } finally {
      setBusy(false)
    }
  }
  return (
    <View
      className={`btn${kind}${busy ? ' btn--busy' : ''} ${props.className ?? ''}`}
      role="button"
      aria-disabled={busy}
      onClick={tap}
    >
      {busy ? '请稍候…' : props.children}
    </View>
  )
}
