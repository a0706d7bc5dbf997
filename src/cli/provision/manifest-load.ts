import { serviceAccountKeyRefs } from './plan-client-credentials';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { VendorInfo } from '../../shared/contract';
import {
  ITEM_SCHEMAS,
  NAME_FIELD,
  SECTIONS,
  manifestTopSchema,
  type Manifest,
  type Section,
} from './manifest-schema';
import { checkManifest } from './manifest-checks';
import { ManifestSource, type IssuePath, type ManifestIssue } from './manifest-source';

interface LoadedManifest {
  manifest: Manifest;
  issues: ManifestIssue[];
  source: ManifestSource | null;
}

/**
 * Parses and validates the whole file before anything is changed: YAML syntax, every item's
 * fields, names used twice, references to things the file does not declare, and what each
 * vendor supports. Every problem is reported, each with its line.
 */
export function loadManifest(text: string, vendors: VendorInfo[]): LoadedManifest {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const empty: Manifest = { accounts: [], keys: [], connections: [], clients: [] };
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const at = e.linePos?.[0] ?? lines.linePos(e.pos[0]);
      return {
        line: at.line,
        column: at.col,
        field: '',
        message: e.message.split('\n')[0] ?? e.code,
      };
    });
    return { manifest: empty, issues, source: null };
  }
  const source = new ManifestSource(doc, lines);
  const data = doc.toJS() as unknown;
  if (data === null || data === undefined) {
    return {
      manifest: empty,
      issues: [source.issue([], 'the manifest is empty; see the README for its format')],
      source,
    };
  }
  const issues: ManifestIssue[] = [];
  const top = manifestTopSchema.safeParse(data);
  if (!top.success) {
    issues.push(...zodIssues(source, [], top.error));
    return { manifest: empty, issues, source };
  }
  const manifest: Manifest = { accounts: [], keys: [], connections: [], clients: [] };
  for (const section of SECTIONS) {
    (top.data[section] ?? []).forEach((raw, index) => {
      const parsed = ITEM_SCHEMAS[section].safeParse(raw);
      if (parsed.success) {
        (manifest[section] as Array<{ index: number; item: unknown }>).push({
          index,
          item: parsed.data,
        });
      } else issues.push(...zodIssues(source, [section, index], parsed.error));
    });
  }
  const declared = declaredNames(top.data);
  // A service account brings its key NAME/oauth: connections may name it.
  for (const ref of serviceAccountKeyRefs(manifest.accounts.map((a) => a.item)))
    declared.keys.add(ref);
  issues.push(...checkManifest(manifest, declared, vendors, source));
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  return { manifest, issues, source };
}

/** Names written in the file even on items with other errors, so one typo is one error. */
function declaredNames(data: Partial<Record<Section, unknown[]>>): Record<Section, Set<string>> {
  const out = {} as Record<Section, Set<string>>;
  for (const section of SECTIONS) {
    out[section] = new Set(
      (data[section] ?? [])
        .map((raw) => (raw as Record<string, unknown> | null)?.[NAME_FIELD[section]])
        .filter((v): v is string => typeof v === 'string'),
    );
  }
  return out;
}

function zodIssues(source: ManifestSource, prefix: IssuePath, error: z.ZodError): ManifestIssue[] {
  return error.issues.flatMap((i) => {
    const path = [...prefix, ...(i.path as IssuePath)];
    if (i.code === 'unrecognized_keys') {
      return i.keys.map((k) => source.issue(path, `unknown field "${k}"`, k));
    }
    const message =
      i.code === 'invalid_type' && i.message.endsWith('received undefined')
        ? 'is required'
        : i.message;
    return [source.issue(path, message)];
  });
}
