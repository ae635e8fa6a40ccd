/** The placeholders masking writes in place of values, and their two spellings. */

/** Placeholder kinds masking emits, plus `*` for a position mined as variable. */
export const PLACEHOLDERS = [
  '*',
  'num',
  'hex',
  'uuid',
  'ip',
  'host',
  'path',
  'url',
  'email',
  'str',
  'ts',
  'duration',
  'size',
  'bool',
  'id',
] as const;

/** One placeholder kind; see {@link PLACEHOLDERS}. */
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** How each placeholder kind is written in a masked message. */
export type Spelling = Readonly<Record<Placeholder, string>>;

/** `<num>`, `<ip>`…: the kind stays visible, for people reading a template. */
export const TYPED = Object.fromEntries(PLACEHOLDERS.map((p) => [p, `<${p}>`])) as Spelling;
/** Every kind as `<*>`: for grouping a value is a value, so `lock=<num>` and `lock=<hex>` agree. */
export const UNTYPED = Object.fromEntries(PLACEHOLDERS.map((p) => [p, '<*>'])) as Spelling;

/** Matches any placeholder in a masked token. */
export const PLACEHOLDER_RE = new RegExp(
  `<(?:${PLACEHOLDERS.map((p) => p.replace('*', '\\*')).join('|')})>`,
  'g',
);
