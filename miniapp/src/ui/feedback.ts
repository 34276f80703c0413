import Taro from '@tarojs/taro'

/**
 * WeChat's own modal and toast (native on weapp; drawn by Taro on H5 and styled by kit-h5.css).
 * Every destructive or irreversible action asks first, naming what will happen.
 */
export async function confirmAction(options: {
  title: string
  content?: string
  confirmText?: string
  danger?: boolean
}): Promise<boolean> {
  const { confirm } = await Taro.showModal({
    title: options.title,
    content: options.content ?? '',
    confirmText: options.confirmText ?? '确定',
    cancelText: '取消',
    confirmColor: options.danger ? '#c0262d' : '#0b7a57',
  })
  return confirm
}

export const toast = {
  /** A short success note with a tick. */
  ok: (title: string) => void Taro.showToast({ title, icon: 'success', duration: 1800 }),
  /** A message without an icon (WeChat's icon toasts cut text after 7 characters). */
  say: (title: string) => void Taro.showToast({ title, icon: 'none', duration: 2500 }),
}
