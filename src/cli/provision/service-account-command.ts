import type { Command } from '../command';
import { list, str } from '../cli-input';
import { json } from '../output';
import { KeywayError } from '../../shared/errors';
import { findAccount } from '../../main/core/store/lookups';
import type { ServiceAccountInfo } from '../../shared/domain';
import { serviceAccountChecklist } from './service-account';

/**
 * `keyway account service NAME`: records that an account is a dedicated service account (the
 * role and projects the user states) and prints the vendor's checklist, with a warning for each
 * of its keys that could not work (e.g. a Specivo key without the mcp scope).
 */
export const accountService: Command = {
  name: 'account service',
  args: 'NAME',
  summary:
    "Mark an account as a dedicated service account (role, projects) and print the vendor's checklist",
  details:
    "Specivo's advice is a separate user with the Agent role on the right projects:\n" +
    '  keyway account service agents --role Agent --project billing --project docs\n' +
    'Keyway records what you state (it cannot read Specivo’s roles) and warns about keys without mcp.',
  positionals: 1,
  options: {
    role: { type: 'string', help: 'the role the service account has, e.g. Agent', arg: 'ROLE' },
    project: {
      type: 'string',
      multiple: true,
      help: 'a project the service account is a member of (repeat)',
      arg: 'P',
    },
  },
  async run(ctx) {
    const name = ctx.positionals[0]!;
    const api = await ctx.api();
    const account = findAccount({ accounts: await api['account.list']({}) }, name);
    const role = str(ctx.values, 'role');
    const projects = list(ctx.values, 'project');
    const info: ServiceAccountInfo = {
      ...(account.serviceAccountInfo ?? {}),
      ...(role !== undefined ? { role } : {}),
      ...(projects !== undefined ? { projects } : {}),
    };
    const updated = await api['account.update']({
      name,
      serviceAccount: true,
      serviceAccountInfo: info,
    });
    const vendor = (await api['vendor.list']({})).find((v) => v.id === updated.vendor);
    if (!vendor) throw new KeywayError('internal', `unknown vendor ${updated.vendor}`);
    const keys = (await api['key.list']({})).filter((k) => k.account === name);
    const warnings: string[] = [];
    let guided = vendor.guided;
    for (const k of keys) {
      const report = await api['scope.check']({ account: name, scopes: k.scopes });
      guided = report.guided ?? guided;
      warnings.push(...report.warnings.map((w) => `${k.ref}: ${w}`));
    }
    if (keys.length === 0)
      guided = (await api['scope.check']({ account: name, scopes: [] })).guided;
    const checklist = serviceAccountChecklist(updated, vendor, guided);
    if (ctx.json)
      return ctx.out(
        json({ account: updated, note: vendor.serviceAccountNote, checklist, warnings }),
      );
    const facts = [
      info.role ? `role ${info.role}` : null,
      info.projects?.length ? `projects ${info.projects.join(', ')}` : null,
    ].filter(Boolean);
    ctx.out(
      [
        `${name} is a service account${facts.length ? ` (${facts.join('; ')})` : ''}`,
        vendor.serviceAccountNote,
        '',
        'Checklist:',
        ...checklist.map((s, i) => `  ${i + 1}. ${s}`),
        '',
      ].join('\n'),
    );
    for (const w of warnings) ctx.err(`warning: ${w}\n`);
  },
};
