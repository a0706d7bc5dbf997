import { describe, expect, it } from 'vitest';
import { COMMANDS } from '.';

describe('the command table', () => {
  it('names each command once, and each row loads the command it names and summarises', async () => {
    const names = COMMANDS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const row of COMMANDS) {
      const command = await row.load();
      expect({ name: command.name, summary: command.summary }).toEqual({
        name: row.name,
        summary: row.summary,
      });
    }
  });
});
