import { createStore, type StoreApi } from 'zustand/vanilla';
import type { OpInput } from '../../shared/contract';
import type { Account } from '../../shared/domain';
import type { KeywayClient } from '../api/keyway-client';
import { loadLatest } from './load-latest';

export interface AccountsState {
  accounts: Account[];
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  /** The credential in `input` goes straight to the service; only the Account comes back. */
  add(input: OpInput<'account.add'>): Promise<Account>;
  update(input: OpInput<'account.update'>): Promise<Account>;
  /** The credential goes straight to the keychain through the service; only the Account returns. */
  setCredential(input: OpInput<'account.setCredential'>): Promise<Account>;
  remove(name: string): Promise<void>;
}

export type AccountsStore = StoreApi<AccountsState>;

export function createAccountsStore(api: KeywayClient): AccountsStore {
  return createStore<AccountsState>()((set, get) => {
    const keep = (account: Account): Account => {
      set({ accounts: get().accounts.map((a) => (a.name === account.name ? account : a)) });
      return account;
    };
    return {
      accounts: [],
      loaded: false,
      error: null,
      load: loadLatest(
        () => api['account.list']({}),
        (accounts) => set({ accounts, loaded: true, error: null }),
        (error) => set({ error, loaded: true }),
      ),
      async add(input) {
        const account = await api['account.add'](input);
        set({ accounts: [...get().accounts.filter((a) => a.name !== account.name), account] });
        return account;
      },
      async update(input) {
        return keep(await api['account.update'](input));
      },
      async setCredential(input) {
        return keep(await api['account.setCredential'](input));
      },
      async remove(name) {
        await api['account.remove']({ name });
        await get().load();
      },
    };
  });
}
