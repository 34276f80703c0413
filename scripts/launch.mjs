// `npm start`: in production the compiled JavaScript `npm run build:server` emits (no TypeScript
// loader at run time); otherwise the TypeScript sources through tsx, in this same process.
import { existsSync } from 'node:fs'

if (process.env.NODE_ENV === 'production') {
  const compiled = new URL('../dist/server/start.js', import.meta.url)
  if (!existsSync(compiled)) {
    console.error('dist/server/start.js is missing: run `npm run build:server` first')
    process.exit(1)
  }
  await import(compiled.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  await import('./start.ts')
}
