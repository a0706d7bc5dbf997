/** A connection slug from a key ref: lowercase letters, digits and "-" (the contract's rule). */
export function slugFor(ref: string): string {
  const slug = ref
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return slug || 'connection';
}

/** A client name from a kind and the clients already there: cursor, cursor-2, … */
export function clientNameFor(kind: string, taken: ReadonlyArray<string>): string {
  if (!taken.includes(kind)) return kind;
  for (let i = 2; ; i++) if (!taken.includes(`${kind}-${i}`)) return `${kind}-${i}`;
}
