// Folds the scan's event stream into what the scanning screen shows. Pure: no timers, no IPC.
import type { FolderRole, SyncEvent } from "../../ipc/types";

export interface FolderProgress {
  name: string;
  displayName: string;
  role: FolderRole;
  roleText: string;
  done: number;
  total: number;
  finished: boolean;
}

export interface ScanSummary {
  folders: number;
  messages: number;
  seconds: number;
  cancelled: boolean;
}

export interface ScanState {
  /** False until the server's folder list arrived. */
  listed: boolean;
  folders: FolderProgress[];
  summary: ScanSummary | null;
}

export function initialScan(): ScanState {
  return { listed: false, folders: [], summary: null };
}

function update(state: ScanState, name: string, change: (f: FolderProgress) => FolderProgress): ScanState {
  const known = state.folders.some((f) => f.name === name);
  // A folder the list did not mention still gets a row rather than being silently dropped.
  const folders = known
    ? state.folders
    : [...state.folders, { name, displayName: name, role: "other" as const, roleText: "", done: 0, total: 0, finished: false }];
  return { ...state, folders: folders.map((f) => (f.name === name ? change(f) : f)) };
}

export function applyEvent(state: ScanState, event: SyncEvent): ScanState {
  switch (event.kind) {
    case "foldersListed":
      return {
        ...state,
        listed: true,
        folders: event.folders.map((f) => ({
          name: f.name,
          displayName: f.displayName,
          role: f.role,
          roleText: f.roleText,
          done: 0,
          total: f.total,
          finished: false,
        })),
      };
    case "folderProgress":
      return update(state, event.folder, (f) => ({ ...f, done: event.done, total: event.total }));
    case "folderDone":
      return update(state, event.folder, (f) => ({ ...f, done: event.messages, total: event.messages, finished: true }));
    case "finished":
      return {
        ...state,
        summary: { folders: event.folders, messages: event.messages, seconds: event.seconds, cancelled: event.cancelled },
      };
  }
}

/** Messages read and expected across all folders. */
export function overall(state: ScanState): { done: number; total: number } {
  let done = 0;
  let total = 0;
  for (const f of state.folders) {
    done += Math.min(f.done, f.total);
    total += f.total;
  }
  return { done, total };
}

/**
 * A summary made from what was seen, for when the command returned without a `finished` event
 * (channel messages and the command's reply are not ordered with respect to each other).
 */
export function summaryFromProgress(state: ScanState, cancelled: boolean, seconds: number): ScanSummary {
  return {
    folders: state.folders.filter((f) => f.finished).length,
    messages: overall(state).done,
    seconds,
    cancelled,
  };
}
