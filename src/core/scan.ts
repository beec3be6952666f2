/**
 * Support for the text scanners (Helm-template detection, DNS host extraction, value locations):
 * every scanner over file content is a hand-written loop that looks at each character a bounded
 * number of times, and counts what it looks at in {@link scanSteps}. Unit tests read the count on
 * generated pathological inputs of size n and 2n to pin that the scanners stay linear (operation
 * counts, not times); the count costs one addition per step.
 */

/** Characters examined by the scanners since the last reset (tests and the bench read it). */
export const scanSteps = { count: 0 };

/** ASCII letters, digits and `_`: what `\w` matches in a non-Unicode RegExp. */
export function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

export function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** What `\s` matches in a RegExp (ECMAScript WhiteSpace and LineTerminator). */
export function isSpace(c: number): boolean {
  return (c >= 9 && c <= 13) || c === 32 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)
    || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
