// Reading a playbook's JSON text the way an admin means it: a byte-order mark (Notepad's UTF-8) is not a character
// of the document, a key written twice is a mistake to name (JSON.parse keeps the last silently), and the size and
// depth are capped before anything walks the value (a 3.6 MB playbook grew an org by 850 MB; 1,000 nested rules
// threw past every fallback).

export const PLAYBOOK_LIMITS = {
  /** Characters of JSON: the default playbook is about 9 KB; a hundred gates fit. */
  chars: 256 * 1024,
  /** Nesting of arrays and objects. A milestone's rule sits at depth 9; `all`/`any` add two levels each. */
  depth: 40,
  /** all/any combinations nested in one rule. */
  ruleDepth: 8,
} as const;

export type JsonTextResult = { ok: true; value: unknown } | { ok: false; path: string; message: string };

const pathText = (path: readonly (string | number)[]): string =>
  path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? (out ? `${out}.${p}` : p) : `${out}[${JSON.stringify(p)}]`), '');

/**
 * Parses JSON text strictly: BOM dropped, size and depth capped, duplicate keys refused with their path. Never
 * throws; the error is one line.
 */
export const parseJsonText = (input: string, limits: { chars: number; depth: number } = PLAYBOOK_LIMITS): JsonTextResult => {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (text.length > limits.chars) return { ok: false, path: '', message: `is ${text.length.toLocaleString('en-US')} characters; a playbook may have at most ${limits.chars.toLocaleString('en-US')}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, path: '', message: `is not valid JSON: ${(error as Error).message}` };
  }
  // The text is valid JSON now: one pass over its tokens finds duplicate keys and the depth, with their paths.
  const frames: { kind: 'object' | 'array'; keys: Set<string>; index: number; key: string | null }[] = [];
  const path = (): (string | number)[] => frames.flatMap((f): (string | number)[] => (f.kind === 'array' ? [f.index] : f.key === null ? [] : [f.key]));
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const frame = frames.at(-1);
      if (expectKey && frame?.kind === 'object') {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (frame.keys.has(key)) {
          frame.key = key;
          return { ok: false, path: pathText(path()), message: `the key "${key}" appears twice in the same object` };
        }
        frame.keys.add(key);
        frame.key = key;
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      if (frames.length >= limits.depth) return { ok: false, path: pathText(path()), message: `nests deeper than ${limits.depth} levels` };
      frames.push({ kind: c === '{' ? 'object' : 'array', keys: new Set(), index: 0, key: null });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      frames.pop();
    } else if (c === ',') {
      const frame = frames.at(-1)!;
      if (frame.kind === 'array') frame.index++;
      else expectKey = true;
    }
  }
  return { ok: true, value };
};

/**
 * The same caps for a value that arrived already parsed (the HTTP body): its size as JSON, its depth. Iterative, so
 * a hostile value cannot overflow the stack here.
 */
export const checkJsonValue = (value: unknown, limits: { chars: number; depth: number } = PLAYBOOK_LIMITS): { path: string; message: string } | null => {
  const stack: { v: unknown; depth: number; path: (string | number)[] }[] = [{ v: value, depth: 0, path: [] }];
  let chars = 0;
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (typeof v === 'string') chars += v.length + 2;
    else if (v === null || typeof v !== 'object') chars += String(v).length;
    else {
      if (depth >= limits.depth) return { path: pathText(path), message: `nests deeper than ${limits.depth} levels` };
      const entries = Array.isArray(v) ? v.map((x, i) => [i, x] as const) : Object.entries(v);
      for (const [k, x] of entries) {
        chars += typeof k === 'string' ? k.length + 4 : 1;
        stack.push({ v: x, depth: depth + 1, path: [...path, k] });
      }
      chars += 2;
    }
    if (chars > limits.chars) return { path: '', message: `is more than ${limits.chars.toLocaleString('en-US')} characters as JSON; a playbook may have at most ${limits.chars.toLocaleString('en-US')}` };
  }
  return null;
};
