/**
 * Text from outside (tag values, group names, IDs as the user typed them) as
 * it may appear in a message or in a comment of the code adopt writes: as is
 * when it is plain printable ASCII, else JSON-quoted with every character
 * outside printable ASCII escaped, so that no newline, line separator or
 * control character can end a comment early or forge a line of code.
 */
export function displayText(text: string): string {
  if (/^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(text) && !text.includes('"')) return text;
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * One line of a comment in the code adopt writes: characters that could end
 * the line (or the comment) or garble a terminal, the Unicode line and
 * paragraph separators included, are escaped; other text stays readable.
 */
export function commentText(text: string): string {
  let out = "";
  for (const c of text) {
    const code = c.charCodeAt(0);
    const unsafe = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    out += unsafe ? `\\u${code.toString(16).padStart(4, "0")}` : c;
  }
  return out;
}
