// Intercom's webhook signature: `X-Hub-Signature: sha1=<hex>`, the HMAC-SHA1 of the raw request body
// keyed with the app's client secret. Checked on the exact bytes received, before anything parses
// them, and compared in constant time.
import { createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE = /^sha1=([0-9a-fA-F]{40})$/;

export function signIntercomBody(body: Uint8Array | string, clientSecret: string): string {
  return `sha1=${createHmac("sha1", clientSecret).update(body).digest("hex")}`;
}

/** True only for a well-formed header whose digest matches the body. */
export function verifyIntercomSignature(
  body: Uint8Array,
  header: string | null,
  clientSecret: string,
): boolean {
  const hex = header === null ? undefined : SIGNATURE.exec(header.trim())?.[1];
  if (hex === undefined) return false;
  const expected = createHmac("sha1", clientSecret).update(body).digest();
  // Both are 20 bytes (the pattern fixes the length), as timingSafeEqual requires.
  return timingSafeEqual(Buffer.from(hex, "hex"), expected);
}
