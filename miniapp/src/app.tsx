import type { PropsWithChildren } from 'react'
import { fitRootFontSize } from './lib/h5-rem'
import './app.css'

if (process.env.TARO_ENV === 'h5') fitRootFontSize()

export default function App({ children }: PropsWithChildren) {
  return <>{children}</>
}
