import { own } from './records.ts';
import type { Bilingual, Lang } from './types.ts';

/**
 * The one format of every bilingual word table in Nextup (the consoles, the kiosk, the TV, the device
 * agents, the domain's refusals): a record of entries, each a `Bilingual` text. A templated entry marks
 * a value filled in at run time with `{name}` (letters, digits, `_`), in both languages, and is filled
 * by `fill` (one language) or `fillBoth` (both). Pure and browser-safe.
 *
 * Declare a catalogue `as const satisfies Catalogue` so that its entries keep their literal texts:
 * then `fill`, `say` and `fillBoth` know each entry's placeholders, and a value left out (or one with
 * a misspelt name) is a type error.
 */
export type Catalogue = Record<string, Bilingual>;

/** A value for a placeholder. A bilingual value (a service's name) is taken in the language filled. */
export type FillValue = string | number | Bilingual;

/** The placeholder names of a template literal type (`'{n} waiting'` → `'n'`); `string` when unknown. */
export type Placeholders<T extends string> = string extends T
  ? string
  : T extends `${string}{${infer Name}}${infer Rest}`
    ? Name | Placeholders<Rest>
    : never;

/** The values a template needs: none for plain text, one per placeholder otherwise. */
type Values<T extends string> = Record<Placeholders<T>, FillValue>;
type NoValues = Record<string, never>;
type ValuesArg<T extends string> = [Placeholders<T>] extends [never]
  ? [values?: NoValues]
  : [values: Values<T>];
type FillArgs<T extends string> = [Placeholders<T>] extends [never]
  ? [values?: NoValues, lang?: Lang]
  : [values: Values<T>, lang?: Lang];
type Untyped = [values?: Record<string, FillValue>, lang?: Lang];

const PLACEHOLDER = /\{(\w+)\}/g;

function fillIn(template: string, values: Record<string, FillValue> | undefined, lang: Lang): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    const value = values === undefined ? undefined : own(values, name);
    if (value === undefined) return '';
    return typeof value === 'object' ? value[lang] : String(value);
  });
}

/** The placeholder names in a template, in order (`'{a} and {b}'` → `['a', 'b']`). */
export function placeholderNames(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/**
 * A template with its `{name}` placeholders filled, in one language (`lang`, which picks the half of
 * a bilingual value; default zh). A placeholder with no value is left empty rather than shown raw:
 * the type of `values` rules that out for a literal template, and a template that is only known at
 * run time (a domain error from the wire) should not show a customer `{opens}`.
 */
export function fill<T extends string>(template: T, ...args: FillArgs<T>): string {
  const [values, lang] = args as Untyped;
  return fillIn(template, values, lang ?? 'zh');
}

/** Both languages of a templated entry filled (`{ zh: '欢迎光临{branch}', … }` → both texts). */
export function fillBoth<E extends Bilingual>(entry: E, ...args: ValuesArg<E['zh'] | E['en']>): Bilingual {
  const [values] = args as Untyped;
  return { zh: fillIn(entry.zh, values, 'zh'), en: fillIn(entry.en, values, 'en') };
}

/** One entry of a catalogue in one language, its placeholders filled. */
export function say<C extends Catalogue, K extends keyof C & string>(
  catalogue: C,
  key: K,
  lang: Lang,
  ...args: ValuesArg<C[K]['zh'] | C[K]['en']>
): string {
  const [values] = args as Untyped;
  const entry = catalogue[key] as Bilingual;
  return fillIn(entry[lang], values, lang);
}
