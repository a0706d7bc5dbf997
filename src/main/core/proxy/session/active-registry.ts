import type { CutReason, Cuttable } from './proxy-session';

/** What each client has running, so revoking its token can cut it at once. */
export class ActiveRegistry {
  private readonly byClient = new Map<string, Set<Cuttable>>();

  add(client: string, item: Cuttable): () => void {
    let set = this.byClient.get(client);
    if (!set) {
      set = new Set();
      this.byClient.set(client, set);
    }
    set.add(item);
    return () => {
      set.delete(item);
      if (set.size === 0 && this.byClient.get(client) === set) this.byClient.delete(client);
    };
  }

  cutClient(client: string, why: CutReason): void {
    const set = this.byClient.get(client);
    this.byClient.delete(client);
    set?.forEach((item) => item.cut(why));
  }

  cutAll(why: CutReason): void {
    for (const client of [...this.byClient.keys()]) this.cutClient(client, why);
  }
}
