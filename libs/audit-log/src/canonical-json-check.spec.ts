import fc from 'fast-check';
import { utf8Bytes } from './bytes';
import { canonicalJson, canonicalJsonBytes, type JsonValue } from './canonical-json';
import { isCanonicalJsonBytes, TopLevelMembers } from './canonical-json-check';

// The definition the checker must agree with: strict UTF-8, JSON, and re-serializing
// gives the same text back.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function isCanonicalByReserializing(bytes: Uint8Array): boolean {
  try {
    const text = strictUtf8.decode(bytes);
    return canonicalJson(JSON.parse(text)) === text;
  } catch {
    return false;
  }
}

const accepts = (text: string) => isCanonicalJsonBytes(utf8Bytes(text));

// Every code point (controls, astral characters, U+2028) in strings and keys.
const jsonValues = fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 }) as fc.Arbitrary<JsonValue>;

describe('isCanonicalJsonBytes', () => {
  it('accepts the canonical form of any JSON value', () => {
    fc.assert(
      fc.property(jsonValues, (value) => {
        expect(isCanonicalJsonBytes(canonicalJsonBytes(value))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every non-canonical spelling of a JSON value: reordered keys, whitespace, other numbers, other escapes', () => {
    fc.assert(
      fc.property(
        jsonValues.chain((value) => fc.tuple(fc.constant(value), fc.constantFrom(...nonCanonicalVariants(value)))),
        ([value, variant]) => {
          expect(canonicalJson(JSON.parse(variant))).toBe(canonicalJson(value)); // the same value, spelled differently
          expect(accepts(variant)).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees with re-serializing on arbitrary byte edits of canonical text', () => {
    const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('insert', 'delete', 'replace'));
    fc.assert(
      fc.property(jsonValues, fc.array(edit, { minLength: 1, maxLength: 3 }), (value, edits) => {
        const bytes = Array.from(canonicalJsonBytes(value));
        for (const [at, byte, kind] of edits) {
          const i = at % (bytes.length + 1);
          if (kind === 'insert') bytes.splice(i, 0, byte);
          else if (kind === 'delete') bytes.splice(i, 1);
          else bytes[i] = byte;
        }
        const edited = Uint8Array.from(bytes);
        expect(isCanonicalJsonBytes(edited)).toBe(isCanonicalByReserializing(edited));
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['RFC 8785 §3.2.2', '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,0.000001],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'],
    [
      'RFC 8785 §3.2.3 (UTF-16 order: U+1F600 before U+FB33)',
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    ],
    [
      'RFC 8785 Appendix B numbers',
      '[0,5e-324,-1.7976931348623157e+308,9007199254740992,295147905179352830000,9.999999999999997e+22,1e+23,1e+21,9.999999999999997e-7,0.000001,-0.0000033333333333333333]',
    ],
    ['empty containers', '{"":[],"a":{}}'],
    ['a "__proto__" key', '{"__proto__":1}'],
    ['U+2028 and DEL unescaped', '"\u2028\u007f"'],
    ['256 nested containers', '['.repeat(256) + ']'.repeat(256)],
  ])('accepts %s', (_name, text) => {
    expect(accepts(text)).toBe(true);
  });

  it.each([
    ['keys in code point order instead of UTF-16 order', '{"\ufb33":1,"\ud83d\ude00":2}'],
    ['a duplicate key', '{"a":1,"a":1}'],
    ['an upper-case \\u escape', '"\\u001F"'],
    ['\\u000a instead of \\n', '"\\u000a"'],
    ['an escaped slash', '"\\/"'],
    ['an escaped lone surrogate', '"\\ud800"'],
    ['a raw control character', '"a\tb"'],
    ['-0', '-0'],
    ['1.0', '1.0'],
    ['1E+30', '1E+30'],
    ['1e21 without the sign', '1e21'],
    ['a leading zero', '01'],
    ['a number too large for a double', '1e400'],
    ['an integer beyond 2^53 spelled exactly', '9007199254740993'],
    ['a byte order mark', '\ufeff{}'],
    ['leading whitespace', ' {}'],
    ['a trailing newline', '{}\n'],
    ['two values', '{}{}'],
    ['nothing', ''],
    ['257 nested containers', '['.repeat(257) + ']'.repeat(257)],
    ['a literal cut short', 'tru'],
    ['an unterminated string', '"abc'],
  ])('refuses %s', (_name, text) => {
    expect(accepts(text)).toBe(false);
    expect(isCanonicalByReserializing(utf8Bytes(text))).toBe(false);
  });

  it.each([
    ['an overlong encoding', [0x22, 0xc0, 0xaf, 0x22]],
    ['an encoded surrogate', [0x22, 0xed, 0xa0, 0x80, 0x22]],
    ['a code point above U+10FFFF', [0x22, 0xf4, 0x90, 0x80, 0x80, 0x22]],
    ['a truncated sequence', [0x22, 0xe2, 0x82, 0x22]],
    ['a stray continuation byte', [0x22, 0x80, 0x22]],
  ])('refuses invalid UTF-8: %s', (_name, bytes) => {
    expect(isCanonicalJsonBytes(Uint8Array.from(bytes))).toBe(false);
  });

  it('reports where the top-level members are', () => {
    const text = '{"a":[1,{"b":2}],"c":"x"}';
    const members = new TopLevelMembers();
    expect(isCanonicalJsonBytes(utf8Bytes(text), members)).toBe(true);
    const spans = Array.from({ length: members.count }, (_, i) => [
      text.slice(members.keyStart[i], members.keyEnd[i]),
      text.slice(members.valueStart[i], members.valueEnd[i]),
    ]);
    expect(spans).toEqual([
      ['a', '[1,{"b":2}]'],
      ['c', '"x"'],
    ]);
  });
});

/** Texts that JSON.parse reads as `value` but that are not its canonical form. */
function nonCanonicalVariants(value: JsonValue): string[] {
  const canonical = canonicalJson(value);
  const variants = [` ${canonical}`, `${canonical}\n`];
  // Whitespace inside: after the first structural character.
  const structural = canonical.search(/[[{:,]/);
  if (structural >= 0 && !insideString(canonical, structural)) variants.push(`${canonical.slice(0, structural + 1)}\t${canonical.slice(structural + 1)}`);
  collect(value, (respelled) => variants.push(respelled));
  return variants;

  // Calls `found` with the whole text once for each way one node can be respelled.
  function collect(node: JsonValue, found: (text: string) => void): void {
    respellings(node).forEach((spelling) => found(replaceNode(value, node, spelling)));
    if (Array.isArray(node)) node.forEach((child) => collect(child, found));
    else if (node !== null && typeof node === 'object') Object.values(node).forEach((child) => collect(child, found));
  }
}

function respellings(node: JsonValue): string[] {
  if (typeof node === 'number') {
    const shortest = JSON.stringify(node);
    if (shortest.includes('e')) return [shortest.replace('e', 'E'), shortest.replace('e+', 'e')].filter((spelling) => spelling !== shortest);
    const out = [shortest.includes('.') ? `${shortest}0` : `${shortest}.0`, `${shortest}e0`];
    if (node === 0) out.push('-0');
    return out;
  }
  if (typeof node === 'string') return stringRespellings(node).map((inner) => `"${inner}"`);
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    const keys = Object.keys(node).sort();
    const member = (key: string, spelledKey = canonicalJson(key)) => `${spelledKey}:${canonicalJson(node[key])}`;
    const out = keys
      .slice(0, 1)
      .flatMap((first) =>
        stringRespellings(first).map((spelled) => `{${[member(first, `"${spelled}"`), ...keys.slice(1).map((key) => member(key))].join(',')}}`),
      );
    if (keys.length >= 2) out.push(`{${[keys[1], keys[0], ...keys.slice(2)].map((key) => member(key)).join(',')}}`);
    return out;
  }
  return [];
}

/** Other escapes for the first character of the string that has one (inside the quotes). */
function stringRespellings(text: string): string[] {
  const inner = canonicalJson(text).slice(1, -1);
  const out: string[] = [];
  const code = text.codePointAt(0);
  if (code === undefined) return out;
  const char = String.fromCodePoint(code);
  const rest = canonicalJson(text.slice(char.length)).slice(1, -1);
  const hex = (unit: number) => unit.toString(16).padStart(4, '0');
  const unicodeEscape = [...char]
    .flatMap((c) => (c.length === 2 ? [c.charCodeAt(0), c.charCodeAt(1)] : [c.charCodeAt(0)]))
    .map((unit) => `\\u${hex(unit)}`)
    .join('');
  if (code >= 0x20) out.push(`${unicodeEscape}${rest}`);
  else out.push(`\\u${hex(code).toUpperCase()}${rest}`);
  if (['\b', '\t', '\n', '\f', '\r'].includes(char)) out.push(`\\u${hex(code)}${rest}`);
  if (char === '/') out.push(`\\/${rest}`);
  return out.filter((spelling) => spelling !== inner);
}

/** The canonical text of `root` with the first occurrence of `node` (by identity) written as `spelling`. */
function replaceNode(root: JsonValue, node: JsonValue, spelling: string): string {
  let replaced = false;
  const write = (current: JsonValue): string => {
    if (!replaced && current === node) {
      replaced = true;
      return spelling;
    }
    if (Array.isArray(current)) return `[${current.map(write).join(',')}]`;
    if (current !== null && typeof current === 'object') {
      return `{${Object.keys(current)
        .sort()
        .map((key) => `${canonicalJson(key)}:${write(current[key])}`)
        .join(',')}}`;
    }
    return canonicalJson(current);
  };
  return write(root);
}

function insideString(text: string, at: number): boolean {
  let inside = false;
  for (let i = 0; i < at; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}
