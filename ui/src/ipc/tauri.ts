// The only module that imports @tauri-apps/*. It maps each Backend method onto its command.
// Argument keys are camelCase; Tauri maps them onto the Rust commands' snake_case parameters.
import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type { Backend } from "./backend";
import { toUserError } from "./errors";
import type { SyncEvent } from "./types";

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toUserError(raw);
  }
}

export function createTauriBackend(): Backend {
  return {
    suggestServer: (email) => call("suggest_server", { email }),
    addAccount: ({ email, password, settings, caFile }) =>
      call("add_account", { email, password, settings, caFile }),
    openDemo: () => call("open_demo"),
    savedAccounts: () => call("saved_accounts"),
    syncAccount: async (accountId, onEvent) => {
      // The handler is attached before the channel is sent, so no event can be missed.
      const channel = new Channel<SyncEvent>(onEvent);
      await call<null>("sync_account", { accountId, onEvent: channel });
    },
    cancelSync: async (accountId) => {
      await call<null>("cancel_sync", { accountId });
    },
    hunt: (query) => call("hunt", { query }),
    exportMessage: (message) => call("export_message", { message }),
    restoreMessage: (message) => call("restore_message", { message }),
  };
}
