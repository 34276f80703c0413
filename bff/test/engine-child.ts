/**
 * A parent for the engine lifecycle test: starts the embedded engine on the data dir given as argv[2],
 * prints `{ uri, pid, backend }` as one JSON line, and waits to be killed.
 */
import { startEngine } from '../../scripts/engine/index'

const engine = await startEngine({ dataDir: process.argv[2]!, log: () => {} })
console.log(JSON.stringify({ uri: engine.uri, pid: engine.pid?.(), backend: engine.backend }))
setInterval(() => {}, 60_000)
