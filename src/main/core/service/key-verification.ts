import type { StepResult } from '../../../shared/contract';
import type { Account } from '../../../shared/domain';
import { probeMcp } from '../vendors/mcp-probe';
import { timed } from './key-versions';
import { endpointFor, vendorCall } from './vendor-calls';
import type { ServiceContext } from './service-context';

/**
 * Proves a key before Keyway relies on it: the vendor's own verify call, then an MCP
 * `initialize` (DESIGN: "its verify call and an MCP initialize"), each a timed step.
 */
export async function verifyKey(
  ctx: ServiceContext,
  account: Account,
  secret: string,
  steps: StepResult[],
): Promise<string[]> {
  const adapter = ctx.vendor(account.vendor);
  const ep = endpointFor(ctx, account);
  const result = await timed(steps, 'verify', () => vendorCall(() => adapter.verify(ep, secret)));
  // Always, even where verify already was an initialize: an adapter's verify may accept a key
  // that authenticates but that MCP refuses (Specivo without `mcp`), which Keyway must not keep.
  await timed(steps, 'mcp', () =>
    vendorCall(() => probeMcp(ep, secret, undefined, account.vendor)),
  );
  return result.warnings;
}
