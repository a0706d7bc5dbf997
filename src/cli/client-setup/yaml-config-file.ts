import { isMap, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import { canonical, isObject, type JsonObject } from '../../shared/client-config';
import { KeywayError } from '../../shared/errors';
import { malformedConfig } from './config-file-error';
import { yamlLineEdit } from './yaml-text-edit';

/**
 * A YAML client config (Goose's config.yaml, Continue's block files), edited through the `yaml`
 * package's Document API so comments and the rest of the file stay; the result is parsed again
 * to prove only Keyway's entry moved. Continue lists servers as an array of named entries.
 */
export interface YamlConfig {
  file: string;
  text: string;
  doc: Document;
  list: boolean;
  /** Top-level keys a new file starts with (Continue's block header). */
  scaffold: JsonObject | undefined;
}

export function parseYamlConfig(
  file: string,
  text: string,
  list: boolean,
  scaffold: JsonObject | undefined,
): YamlConfig {
  const doc = parseDocument(text, { keepSourceTokens: false });
  const first = doc.errors[0];
  if (first) {
    const at = first.linePos?.[0] ?? { line: 1, col: 1 };
    throw malformedConfig(
      file,
      at.line,
      at.col,
      `not valid YAML (${first.message.split('\n')[0]})`,
    );
  }
  if (doc.contents !== null && !isMap(doc.contents))
    throw malformedConfig(file, 1, 1, 'the file is not a YAML mapping');
  return { file, text, doc, list, scaffold };
}

function plain(config: YamlConfig): Record<string, unknown> {
  const v = config.doc.toJS() as unknown;
  return isObject(v) ? v : {};
}

export function readYamlEntry(config: YamlConfig, path: [string, string]): unknown {
  const container = plain(config)[path[0]];
  if (container === undefined || container === null) return undefined;
  if (config.list) {
    if (!Array.isArray(container))
      throw new KeywayError(
        'bad_input',
        `${config.file}: ${path[0]} is not a list; Keyway left the file untouched`,
      );
    return container.find((e) => isObject(e) && e.name === path[1]);
  }
  if (!isObject(container))
    throw new KeywayError(
      'bad_input',
      `${config.file}: ${path[0]} is not a mapping; Keyway left the file untouched`,
    );
  return container[path[1]];
}

/** The text with the entry set (entry) or removed (undefined). */
export function editYamlEntry(
  config: YamlConfig,
  path: [string, string],
  entry: JsonObject | undefined,
): string {
  const lines = yamlLineEdit(config.text, config.doc, path, entry, config.list);
  if (lines !== undefined) {
    try {
      assertOnlyEntryChanged(config, lines, path, entry);
      return lines;
    } catch {
      // A shape the line edit got wrong: the Document API below is correct, if less tidy.
    }
  }
  const doc = config.doc.clone();
  if (doc.contents === null) doc.contents = doc.createNode(config.scaffold ?? {});
  const root = doc.contents as YAMLMap;
  let container: unknown = root.get(path[0], true);
  if (container === undefined || container === null) {
    if (!entry) return config.text;
    container = doc.createNode(config.list ? [] : {});
    root.set(path[0], container);
  }
  if (config.list && isSeq(container)) {
    const i = container.items.findIndex((n) => isMap(n) && n.get('name') === path[1]);
    if (entry && i >= 0) container.items[i] = doc.createNode(entry);
    else if (entry) container.items.push(doc.createNode(entry));
    else if (i >= 0) container.items.splice(i, 1);
  } else if (isMap(container)) {
    if (entry) container.set(path[1], doc.createNode(entry));
    else container.delete(path[1]);
  }
  const next = doc.toString();
  assertOnlyEntryChanged(config, next, path, entry);
  return next;
}

function assertOnlyEntryChanged(
  config: YamlConfig,
  next: string,
  path: [string, string],
  entry: JsonObject | undefined,
): void {
  const after = parseYamlConfig(config.file, next, config.list, config.scaffold);
  const got = readYamlEntry(after, path);
  const entryOk = entry === undefined ? got === undefined : canonical(got) === canonical(entry);
  const before = without(plain(config), path, config);
  const now = without(plain(after), path, config);
  if (!entryOk || canonical(before) !== canonical(now)) {
    throw new KeywayError(
      'internal',
      `editing ${config.file} would have changed more than Keyway's entry; the file was left untouched`,
    );
  }
}

/** A copy without the entry, its container if that leaves it empty, and a new file's scaffold. */
function without(
  doc: Record<string, unknown>,
  path: [string, string],
  config: YamlConfig,
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...doc };
  const container = copy[path[0]];
  if (Array.isArray(container)) {
    const rest = container.filter((e) => !(isObject(e) && e.name === path[1]));
    if (rest.length) copy[path[0]] = rest;
    else delete copy[path[0]];
  } else if (isObject(container)) {
    const rest = { ...container };
    delete rest[path[1]];
    if (Object.keys(rest).length) copy[path[0]] = rest;
    else delete copy[path[0]];
  }
  // A file Keyway created starts with the scaffold; it is not "something else that changed".
  if (config.text.trim() === '' && config.scaffold)
    for (const k of Object.keys(config.scaffold)) delete copy[k];
  return copy;
}
