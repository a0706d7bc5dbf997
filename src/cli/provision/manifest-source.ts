import { isMap, isNode, isScalar, type Document, type LineCounter } from 'yaml';

export type IssuePath = Array<string | number>;

/** One thing wrong with the manifest, where it is, in the user's terms. */
export interface ManifestIssue {
  line: number;
  column: number;
  /** e.g. `keys[2].scopes[0]` */
  field: string;
  message: string;
}

/** Points issues at lines: the deepest node of a path that exists in the file. */
export class ManifestSource {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  issue(path: IssuePath, message: string, key?: string): ManifestIssue {
    const at = this.locate(path, key);
    const field = formatField(key === undefined ? path : [...path, key]);
    return { line: at.line, column: at.col, field, message };
  }

  private locate(path: IssuePath, key?: string): { line: number; col: number } {
    if (key !== undefined) {
      const map = this.doc.getIn(path, true);
      if (isMap(map)) {
        const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
        if (pair && isNode(pair.key) && pair.key.range)
          return this.lines.linePos(pair.key.range[0]);
      }
    }
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return this.lines.linePos(node.range[0]);
    }
    return { line: 1, col: 1 };
  }
}

function formatField(path: IssuePath): string {
  return path.reduce<string>(
    (s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${p}` : p),
    '',
  );
}
