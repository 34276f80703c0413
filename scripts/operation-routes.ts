/**
 * Prints the route of every operation (method, path, access, idempotent) as JSON. The mini-program's
 * build (miniapp/config/index.ts) runs it and hands the table to the API client as LINLI_ROUTES, so
 * the client knows every route without loading the contract's schemas (zod) at start-up.
 */
import { operations, routesOf } from '../shared-types/src/index'

process.stdout.write(JSON.stringify(routesOf(operations)))
