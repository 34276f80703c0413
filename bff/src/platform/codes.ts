import { randomBytes } from 'node:crypto'

/** Crockford base32: no I, L, O or U, so a code read aloud or typed from paper is not mistyped. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** The first `chars` × 5 bits of `bytes` (≤ 12 chars) in Crockford base32. */
export function crockford(bytes: Buffer, chars: number): string {
  const bits = bytes.readBigUInt64BE(0)
  let code = ''
  for (let i = 0; i < chars; i++) {
    code += CROCKFORD[Number((bits >> BigInt(64 - 5 * (i + 1))) & 31n)]
  }
  return code
}

/** A random code of `chars` Crockford characters (5 bits each). */
export const randomCode = (chars: number) => crockford(randomBytes(8), chars)

/** What a person typed, as the code it means: case, spaces and dashes ignored; I/L → 1, O → 0. */
export const normalizeCode = (typed: string) =>
  typed.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
