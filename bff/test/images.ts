/** Tiny real images for upload tests: each has a header that declares its size (1×1). */
export const images = {
  png: Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
  // SOI, APP0 (JFIF), SOF0 1×1 with three components, EOI: the header a decoder reads first.
  jpeg: Buffer.from(
    'ffd8ffe000104a46494600010100000100010000ffc0001108000100010301220002110103110100ffd9',
    'hex',
  ),
  webp: Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
}
