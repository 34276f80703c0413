import { operations } from '@linli/shared-types'
import Taro from '@tarojs/taro'
import { api } from '../../../api'

/**
 * The privacy operations (listMyConsents, exportMyData, deleteMyAccount) are declared by the privacy
 * work in shared-types; until they are there this page calls them by id and says they are not open yet.
 */
type Loose = (id: string, input?: unknown) => Promise<unknown>
const loose = api.call as unknown as Loose

export const privacyOpen = (id: string): boolean => id in operations

export async function privacyCall<T>(id: string, input?: unknown): Promise<T> {
  if (!privacyOpen(id)) {
    await Taro.showToast({ title: '该功能即将开放', icon: 'none' })
    throw new Error('not open yet')
  }
  return (await loose(id, input)) as T
}

/** Hands the export to the resident as a file: a download on H5, a file to send to a chat on weapp. */
export async function saveExport(data: unknown): Promise<void> {
  const name = `linli-my-data-${new Date().toISOString().slice(0, 10)}.json`
  const text = JSON.stringify(data, null, 2)
  if (process.env.TARO_ENV === 'h5') {
    const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }))
    const a = document.createElement('a')
    a.href = url
    a.download = name
    a.click()
    setTimeout(() => URL.revokeObjectURL(url), 10_000)
    return
  }
  const path = `${Taro.env.USER_DATA_PATH}/${name}`
  Taro.getFileSystemManager().writeFileSync(path, text, 'utf8')
  await Taro.shareFileMessage({ filePath: path, fileName: name })
}
