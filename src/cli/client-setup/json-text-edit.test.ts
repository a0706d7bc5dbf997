import { describe, expect, it } from 'vitest';
import { editJsonEntry, parseJsonConfig } from './json-config-file';

const FILE = `{
  "mcpServers": {
    // the github server
    "github": { "command": "gh",   "args": ["mcp"] },
    // keyway's
    "kw": {
      "url": "http://old"
    },
    "zz": {"url": "x"} // about zz
  }
}
`;
const edit = (text: string, path: string[], value: Record<string, unknown> | undefined) =>
  editJsonEntry(
    parseJsonConfig('f.json', text, { comments: true, trailingCommas: true }),
    path,
    value as never,
  );

describe('editing one entry of a JSON/JSONC client config', () => {
  it('adding an entry leaves the others byte for byte, the last one and its comment included', () => {
    const next = edit(FILE, ['mcpServers', 'new'], { url: 'http://new' });
    expect(next).toBe(
      FILE.replace(
        '"zz": {"url": "x"} // about zz\n',
        '"zz": {"url": "x"}, // about zz\n    "new": {\n      "url": "http://new"\n    }\n',
      ),
    );
  });

  it('removing the last entry takes its trailing comment, not onto the one before', () => {
    const next = edit(FILE, ['mcpServers', 'zz'], undefined);
    expect(next).toBe(FILE.replace(',\n    "zz": {"url": "x"} // about zz\n', '\n'));
  });

  it('removing an entry in the middle takes its comment line and leaves its neighbours as written', () => {
    const next = edit(FILE, ['mcpServers', 'kw'], undefined);
    expect(next).toBe(
      FILE.replace('    // keyway\'s\n    "kw": {\n      "url": "http://old"\n    },\n', ''),
    );
  });

  it('replacing an entry changes only its value', () => {
    const next = edit(FILE, ['mcpServers', 'kw'], { url: 'http://new' });
    expect(next).toBe(FILE.replace('"url": "http://old"', '"url": "http://new"'));
  });

  it('adds the container to a file without one, and into an empty or one-line object', () => {
    expect(edit('{\n\t"theme": "dark"\n}\n', ['mcpServers', 'a'], { url: 'u' })).toBe(
      '{\n\t"theme": "dark",\n\t"mcpServers": {\n\t\t"a": {\n\t\t\t"url": "u"\n\t\t}\n\t}\n}\n',
    );
    expect(edit('{ "mcpServers": {} }', ['mcpServers', 'a'], { url: 'u' })).toBe(
      '{ "mcpServers": {\n  "a": {\n    "url": "u"\n  }\n} }',
    );
    expect(edit('{"mcpServers": {"b": {"url": "v"}}}', ['mcpServers', 'a'], { url: 'u' })).toBe(
      '{"mcpServers": {"b": {"url": "v"}, "a": {"url":"u"}}}',
    );
  });
});

describe('a JSONC file with trailing commas', () => {
  it('keeps its style: the new entry ends with a comma too', () => {
    const text = '{\n  "s": {\n    "a": 1,\n  },\n}\n';
    expect(edit(text, ['s', 'b'], { u: 1 })).toBe(
      '{\n  "s": {\n    "a": 1,\n    "b": {\n      "u": 1\n    },\n  },\n}\n',
    );
  });
});
