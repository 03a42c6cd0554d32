/**
 * Keyed records and the ids that key them.
 *
 * The state keeps its records (tickets, counters, services, appointments…) as plain JSON objects, so
 * that a snapshot travels and folds again as it is. But an id can come from outside — a request, a
 * keypad, a log — and a plain object answers `rec['constructor']` or `rec['toString']` with a member
 * of `Object.prototype`, a truthy value with none of a record's fields. One such lookup once let a
 * single request put a field-less record into the state and stop every device from syncing (issue
 * 15). So every lookup by id goes through {@link own} (own properties only), and every write through
 * {@link put} or a spread with a computed key, which define an own property even for `__proto__`
 * (plain assignment to `rec['__proto__']` would replace the prototype instead).
 */

/** The record under `id`, or undefined: never an inherited member of `Object.prototype`. */
export function own<T>(record: Readonly<Record<string, T>>, id: string): T | undefined {
  return Object.hasOwn(record, id) ? record[id] : undefined;
}

/** Whether `record` holds an entry of its own under `id`. */
export function has(record: Readonly<Record<string, unknown>>, id: string): boolean {
  return Object.hasOwn(record, id);
}

/** Sets `record[id] = value` as an own, enumerable property, whatever `id` is (`__proto__` included). */
export function put<T>(record: Record<string, T>, id: string, value: NoInfer<T>): void {
  if (id === '__proto__')
    Object.defineProperty(record, id, { value, writable: true, enumerable: true, configurable: true });
  else record[id] = value;
}

/**
 * What an id may look like, wherever it comes from: 1–64 letters, digits, `_ . : -`, and not
 * `__proto__` — the one name a plain JSON object cannot reliably carry as an ordinary key (schema
 * libraries drop it, assignment replaces the prototype), so it is no id at all. Names such as
 * `constructor` are valid ids: every lookup is an own-property lookup.
 */
export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;

export function isId(value: string): boolean {
  return ID_PATTERN.test(value) && value !== '__proto__';
}
