import { describe, expect, it } from 'vitest';
import { editYamlEntry, parseYamlConfig } from './yaml-config-file';

const GOOSE = `# goose
extensions:
  github:   # gh
    cmd: gh
    args: [mcp, "--x"]
    description: "a very long description that goes on and on and on and on and on and on and on and past eighty columns"
  kw:
    uri: http://old
# end
`;
const CONTINUE = `name: mine
version: 0.0.1
schema: v1
mcpServers:
  - name: github   # gh
    command: gh
    args: [mcp]
  - name: kw
    url: http://old
`;

describe('editing one entry of a YAML client config', () => {
  const goose = parseYamlConfig('c.yaml', GOOSE, false, undefined);
  it('adding an entry leaves every other line as written', () => {
    const next = editYamlEntry(goose, ['extensions', 'new'], { uri: 'http://x', enabled: true });
    expect(next).toBe(
      GOOSE.replace(
        '    uri: http://old\n',
        '    uri: http://old\n  new:\n    uri: http://x\n    enabled: true\n',
      ),
    );
  });
  it('replacing and removing touch only that entry', () => {
    expect(editYamlEntry(goose, ['extensions', 'kw'], { uri: 'http://new' })).toBe(
      GOOSE.replace('http://old', 'http://new'),
    );
    expect(editYamlEntry(goose, ['extensions', 'kw'], undefined)).toBe(
      GOOSE.replace('  kw:\n    uri: http://old\n', ''),
    );
  });
  it("Continue's list of named servers: the same", () => {
    const cont = parseYamlConfig('c.yaml', CONTINUE, true, undefined);
    expect(editYamlEntry(cont, ['mcpServers', 'kw'], { name: 'kw', url: 'http://new' })).toBe(
      CONTINUE.replace('http://old', 'http://new'),
    );
    expect(editYamlEntry(cont, ['mcpServers', 'n'], { name: 'n', url: 'u' })).toBe(
      `${CONTINUE}  - name: n\n    url: u\n`,
    );
    expect(editYamlEntry(cont, ['mcpServers', 'kw'], undefined)).toBe(
      CONTINUE.replace('  - name: kw\n    url: http://old\n', ''),
    );
  });
});
