import type { Account } from '../../../shared/domain';
import { probeMcp } from '../vendors/mcp-probe';
import type { RotationContext } from './rotation-context';
import type { StepRunner } from './rotation-steps';
import { endpointFor, vendorCall } from './vendor-calls';

/**
 * Proves a key before Keyway relies on it: the vendor's own verify call, then an MCP
 * `initialize` (DESIGN: "its verify call and an MCP initialize"). With a runner each is a step
 * of its own ("verify", "mcp"); without one the caller times both as one step. Returns the
 * vendor's warnings and the scopes its answers proved (the adapter's always-proven ones and what
 * this verify call showed).
 */
export async function verifyKey(
  ctx: RotationContext,
  account: Account,
  secret: string,
  runner: StepRunner | null,
): Promise<{ warnings: string[]; proven: string[] }> {
  const adapter = ctx.vendor(account.vendor);
  const ep = endpointFor(ctx, account);
  const step = <T>(name: string, work: () => Promise<T>) =>
    runner ? runner.run(name, work) : work();
  const result = await step('verify', () => vendorCall(() => adapter.verify(ep, secret)));
  // Always, even where verify already was an initialize: an adapter's verify may accept a key
  // that authenticates but that MCP refuses (Specivo without `mcp`), which Keyway must not keep.
  await step('mcp', () =>
    vendorCall(() =>
      adapter.probeMcp
        ? adapter.probeMcp(ep, secret)
        : probeMcp(ep, secret, undefined, account.vendor),
    ),
  );
  return {
    warnings: result.warnings,
    proven: [...(adapter.provenScopes ?? []), ...(result.proven ?? [])],
  };
}
