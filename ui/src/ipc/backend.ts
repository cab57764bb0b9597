import type {
  Account,
  Exported,
  Hit,
  HuntQuery,
  MessageRef,
  NewAccount,
  Restored,
  SavedAccount,
  ServerSettings,
  SyncEvent,
} from "./types";

/**
 * Everything the UI can ask of the backend: one method per Tauri command.
 * Every method rejects with a `UserError` (see errors.ts), never with anything else.
 */
export interface Backend {
  /** `suggest_server`: server settings guessed from the address's domain. */
  suggestServer(email: string): Promise<ServerSettings>;
  /** `add_account`: logs in to verify, then remembers the account. */
  addAccount(input: NewAccount): Promise<Account>;
  /** `open_demo`: a built-in demo mailbox, no network needed. */
  openDemo(): Promise<Account>;
  /** `saved_accounts`: accounts scanned before on this computer, to continue with. */
  savedAccounts(): Promise<SavedAccount[]>;
  /**
   * `sync_account`: reads every folder's headers. Progress arrives through `onEvent`;
   * resolves when the scan finished or was cancelled.
   */
  syncAccount(accountId: string, onEvent: (event: SyncEvent) => void): Promise<void>;
  /** `cancel_sync`: asks a running scan to stop; what was read is kept. */
  cancelSync(accountId: string): Promise<void>;
  /** `hunt`: fuzzy search over the cached headers, best first. */
  hunt(query: HuntQuery): Promise<Hit[]>;
  /** `export_message`: Rust asks where to save; null when the person closed that window. */
  exportMessage(message: MessageRef): Promise<Exported | null>;
  /** `restore_message`: puts the message back in the Inbox. */
  restoreMessage(message: MessageRef): Promise<Restored>;
}
