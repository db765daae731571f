// The findings `Engine.check` returns, built from what the wasm side packed (`Packed` in
// src/report.rs): the same objects, key for key, as the JSON of `Report::json` with UTF-16
// spans, without a `JSON.parse` of that JSON (which cost more than the check itself).
//
// `strings` holds the strings end to end; `numbers` (a view of wasm memory, read
// before this returns) holds per finding: start, end, then string references for rule,
// kind, severity, mode, message, link and text, the number of suggestions and each one's
// start, end and replacement, then the number of `also` ids and a reference per id. A
// reference is a start and a length in `strings` (UTF-16 units); a start of 0xFFFFFFFF is
// null.

const NONE = 0xffffffff;

/**
 * @param {string} strings
 * @param {Uint32Array} numbers
 */
export function unpack(strings, numbers) {
  const out = [];
  let i = 0;
  const str = () => {
    const at = numbers[i];
    const len = numbers[i + 1];
    i += 2;
    return at === NONE ? null : strings.slice(at, at + len);
  };
  while (i < numbers.length) {
    const start = numbers[i];
    const end = numbers[i + 1];
    i += 2;
    const rule = str();
    const kind = str();
    const severity = str();
    const mode = str();
    const message = str();
    const link = str();
    const text = str();
    const suggestions = [];
    for (let n = numbers[i++]; n > 0; n--) {
      const s = numbers[i];
      const e = numbers[i + 1];
      i += 2;
      suggestions.push({ start: s, end: e, replacement: str() });
    }
    const also = [];
    for (let n = numbers[i++]; n > 0; n--) also.push(str());
    out.push({ rule, kind, severity, mode, message, link, start, end, text, suggestions, also });
  }
  return out;
}
