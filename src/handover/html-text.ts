// Support replies arrive as HTML (Intercom's part bodies); the app shows plain text. html-to-text
// (maintained, built on htmlparser2) decodes entities and turns paragraphs, line breaks and lists
// into lines; a link keeps its address after its text unless they are the same, an inline image
// shows as its alt text and address.
import { convert } from "html-to-text";

/** Longer than any support reply; a part beyond it is cut rather than stored whole. */
export const SUPPORT_REPLY_MAX_CHARS = 20_000;

const OPTIONS = {
  wordwrap: false as const,
  selectors: [{ selector: "a", options: { hideLinkHrefIfSameAsText: true } }],
};

export function htmlToPlainText(html: string): string {
  const text = convert(html, OPTIONS)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  const chars = Array.from(text);
  return chars.length <= SUPPORT_REPLY_MAX_CHARS
    ? text
    : `${chars.slice(0, SUPPORT_REPLY_MAX_CHARS - 1).join("")}…`;
}
