// Identity and current place of a search hit. Shared by the results list and the actions.
import type { Hit, MessageRef, Restored } from "../ipc/types";

/** IMAP's name for the inbox (RFC 3501 §5.1: "INBOX", case-insensitive). */
export const INBOX = "INBOX";

/** A message is (account, folder, UIDVALIDITY, UID); this is that tuple as a map key. */
export function hitKey(ref: MessageRef): string {
  return JSON.stringify([ref.accountId, ref.folder, ref.uidvalidity, ref.uid]);
}

export interface Location {
  /** The folder's server name, e.g. "INBOX". */
  folder: string;
  /** Where it is, in plain words. */
  whereText: string;
}

export function isInInbox(hit: Hit): boolean {
  return hit.folderRole === "inbox" || hit.ref.folder.toUpperCase() === INBOX;
}

/** Where a hit is after it was put back, for the results list. */
export function locationAfterRestore(hit: Hit, restored: Restored): Location {
  return {
    folder: INBOX,
    whereText: restored.originalKept
      ? `In your Inbox now (a copy); the original is still in ${hit.folderDisplay}`
      : "In your Inbox: you put it back",
  };
}
