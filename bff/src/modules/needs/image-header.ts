/** Pixel dimensions read from an image's header; null when the header does not describe an image. */
export interface Dimensions {
  width: number
  height: number
}

/** Larger than any phone photo; refuses decompression bombs that declare huge canvases. */
export const MAX_PIXELS = 50_000_000

function png(buf: Buffer): Dimensions | null {
  // Signature, then the IHDR chunk: length 13, type, width, height.
  if (buf.length < 24 || buf.readUInt32BE(8) !== 13 || buf.toString('latin1', 12, 16) !== 'IHDR') return null
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) }
}

function jpeg(buf: Buffer): Dimensions | null {
  let at = 2
  while (at + 9 < buf.length) {
    if (buf[at] !== 0xff) return null
    const marker = buf[at + 1]!
    if (marker === 0xff) {
      at++
      continue
    }
    // SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: buf.readUInt16BE(at + 5), width: buf.readUInt16BE(at + 7) }
    if (marker === 0xd9 || marker === 0xda) return null // end of image or scan data before any frame
    at += 2 + buf.readUInt16BE(at + 2)
  }
  return null
}

function webp(buf: Buffer): Dimensions | null {
  if (buf.length < 30) return null
  const chunk = buf.toString('latin1', 12, 16)
  if (chunk === 'VP8 ' && buf[23] === 0x9d && buf[24] === 0x01 && buf[25] === 0x2a)
    return { width: buf.readUInt16LE(26) & 0x3fff, height: buf.readUInt16LE(28) & 0x3fff }
  if (chunk === 'VP8L' && buf[20] === 0x2f) {
    const bits = buf.readUInt32LE(21)
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 }
  }
  if (chunk === 'VP8X') return { width: 1 + buf.readUIntLE(24, 3), height: 1 + buf.readUIntLE(27, 3) }
  return null
}

/** The dimensions an image of `type` declares, if they are those of a plausible picture. */
export function imageDimensions(
  buf: Buffer,
  type: 'image/jpeg' | 'image/png' | 'image/webp',
): Dimensions | null {
  const size = type === 'image/png' ? png(buf) : type === 'image/jpeg' ? jpeg(buf) : webp(buf)
  if (!size || size.width < 1 || size.height < 1 || size.width * size.height > MAX_PIXELS) return null
  return size
}
