import { describe, expect, it } from 'vitest';
import { CLIENT_KINDS, defaultConfigPath } from './registry';

const linux = { platform: 'linux', home: '/home/ada' };
const mac = { platform: 'darwin', home: '/Users/ada' };
const win = {
  platform: 'win32',
  home: 'C:\\Users\\ada',
  appData: 'C:\\Users\\ada\\AppData\\Roaming',
};

describe('default config paths, as each client documents them', () => {
  const cases: Record<string, [string, string, string]> = {
    'claude-desktop': [
      '/home/ada/.config/Claude/claude_desktop_config.json',
      '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json',
      'C:\\Users\\ada\\AppData\\Roaming\\Claude\\claude_desktop_config.json',
    ],
    cursor: [
      '/home/ada/.cursor/mcp.json',
      '/Users/ada/.cursor/mcp.json',
      'C:\\Users\\ada\\.cursor\\mcp.json',
    ],
    vscode: [
      '/home/ada/.config/Code/User/mcp.json',
      '/Users/ada/Library/Application Support/Code/User/mcp.json',
      'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\mcp.json',
    ],
    'claude-code': [
      '/home/ada/.claude.json',
      '/Users/ada/.claude.json',
      'C:\\Users\\ada\\.claude.json',
    ],
    codex: [
      '/home/ada/.codex/config.toml',
      '/Users/ada/.codex/config.toml',
      'C:\\Users\\ada\\.codex\\config.toml',
    ],
    windsurf: [
      '/home/ada/.codeium/windsurf/mcp_config.json',
      '/Users/ada/.codeium/windsurf/mcp_config.json',
      'C:\\Users\\ada\\.codeium\\windsurf\\mcp_config.json',
    ],
    zed: [
      '/home/ada/.config/zed/settings.json',
      '/Users/ada/.config/zed/settings.json',
      'C:\\Users\\ada\\AppData\\Roaming\\Zed\\settings.json',
    ],
    'gemini-cli': [
      '/home/ada/.gemini/settings.json',
      '/Users/ada/.gemini/settings.json',
      'C:\\Users\\ada\\.gemini\\settings.json',
    ],
    goose: [
      '/home/ada/.config/goose/config.yaml',
      '/Users/ada/.config/goose/config.yaml',
      'C:\\Users\\ada\\AppData\\Roaming\\Block\\goose\\config\\config.yaml',
    ],
    cline: [
      '/home/ada/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      '/Users/ada/Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json',
      'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\globalStorage\\saoudrizwan.claude-dev\\settings\\cline_mcp_settings.json',
    ],
    continue: [
      '/home/ada/.continue/mcpServers/qyvo.yaml',
      '/Users/ada/.continue/mcpServers/qyvo.yaml',
      'C:\\Users\\ada\\.continue\\mcpServers\\qyvo.yaml',
    ],
  };

  it('has a case for every client', () => {
    expect(Object.keys(cases).sort()).toEqual(CLIENT_KINDS.map((c) => c.kind).sort());
  });

  for (const { kind } of CLIENT_KINDS) {
    it(kind, () => {
      const [l, m, w] = cases[kind]!;
      expect(defaultConfigPath(kind, linux, 'qyvo')).toBe(l);
      expect(defaultConfigPath(kind, mac, 'qyvo')).toBe(m);
      expect(defaultConfigPath(kind, win, 'qyvo')).toBe(w);
    });
  }

  it('follows $XDG_CONFIG_HOME on Linux', () => {
    const facts = { ...linux, xdgConfigHome: '/xdg' };
    expect(defaultConfigPath('goose', facts)).toBe('/xdg/goose/config.yaml');
    expect(defaultConfigPath('zed', facts)).toBe('/xdg/zed/settings.json');
  });
});
