/**
 * `npm run build:server`: bundles `npm start` (the BFF, the contract from shared-types, the engine
 * launcher and the demo seed) into plain JavaScript at dist/server/start.js, so production runs
 * without a TypeScript loader. npm packages stay external (loaded from node_modules); the workspace
 * packages, which ship TypeScript sources, are bundled in.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { repoRoot } from './engine/paths'

const dependencies = ['package.json', 'bff/package.json', 'shared-types/package.json'].flatMap((file) =>
  Object.keys(
    (JSON.parse(readFileSync(join(repoRoot, file), 'utf8')) as { dependencies?: Record<string, string> })
      .dependencies ?? {},
  ),
)

const started = performance.now()
const result = await build({
  entryPoints: [join(repoRoot, 'scripts', 'start.ts')],
  // Two levels below the repository, like scripts/engine/paths.ts, so paths computed from
  // import.meta.url still land at the repository root.
  outfile: join(repoRoot, 'dist', 'server', 'start.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: dependencies.filter((name) => !name.startsWith('@linli/')),
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
})
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0)
console.log(
  `[build] dist/server/start.js: ${Math.round(bytes / 1024)} KB with its source map, in ${Math.round(performance.now() - started)} ms`,
)
