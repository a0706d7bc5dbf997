/**
 * The one contract, in src/shared/contract/: field schemas (fields.ts), view types (views.ts),
 * the operations table grouped by noun (operations.ts, ops-*.ts), events (events.ts), and the
 * zod-free name lists (names.ts) for code that must not bundle zod. Import from here unless you
 * need only names.
 */
export * from './contract/fields';
export * from './contract/views';
export * from './contract/names';
export * from './contract/operations';
export * from './contract/events';
export * from './contract/ops-oauth';
