// An in-memory Backend: a small demo mailbox that behaves like the real one, for Vitest,
// for `npm run dev` in a plain browser and for Playwright against the built UI.
// It must not import anything from Tauri.
import type { Backend } from "./backend";
import { UserError } from "./errors";
import type {
  Account,
  ErrorCode,
  Exported,
  FolderRole,
  FolderSummary,
  Hit,
  HuntQuery,
  MessageRef,
  NewAccount,
  Restored,
  SavedAccount,
  ServerSettings,
  SyncEvent,
} from "./types";

export type Command = keyof Backend;

export interface FakeOptions {
  /** Milliseconds between two progress events of a scan. */
  tickMs: number;
  /** Messages read per progress event. */
  batch: number;
  /** Latency of every other command, in milliseconds. */
  delayMs: number;
  /** Make a command reject with this code (e.g. `{ addAccount: "auth" }` for a wrong password). */
  fail: Partial<Record<Command, ErrorCode>>;
  /** What the person does in the native save window. */
  saveDialog: "save" | "cancel";
}

export interface FakeBackend extends Backend {
  /** Change behaviour mid-test. */
  readonly options: FakeOptions;
  /** Every call, in order, with its arguments. */
  readonly calls: { command: Command; args: unknown[] }[];
  /** Where a demo message (by subject) is now, e.g. "INBOX". */
  folderOf(subject: string): string | undefined;
}

interface FakeMessage {
  uid: number;
  messageId: string;
  fromName: string;
  fromAddress: string;
  subject: string;
  date: string;
}

interface FakeFolder {
  summary: Omit<FolderSummary, "total">;
  uidvalidity: number;
  nextUid: number;
  messages: FakeMessage[];
  /** How many messages a scan has read so far; only these can be found. */
  scanned: number;
}

interface Mailbox {
  account: Account;
  folders: FakeFolder[];
  cancelRequested: boolean;
  syncing: boolean;
  /** Old location key -> message, so a message can still be saved after it was moved. */
  moved: Map<string, FakeMessage>;
}

const WHERE: Record<FolderRole, string> = {
  inbox: "In your Inbox",
  junk: "In Junk: your spam filter put it there",
  trash: "In Trash: it was deleted, but the bin was not emptied yet",
  archive: "In Archive: it was filed away",
  all: "In All Mail: it is kept there but not shown in the Inbox",
  sent: "In Sent: you sent it yourself",
  drafts: "In Drafts: it was never sent",
  backup: "In a backup folder",
  other: "In a folder of its own",
};

// The messages the demo is about; the rest is filler so that scans take a few moments.
const NOTABLE: Record<string, Omit<FakeMessage, "uid" | "messageId">[]> = {
  INBOX: [
    {
      fromName: "Anna Keller",
      fromAddress: "anna.keller@keller-design.example",
      subject: "Re: Website kickoff meeting",
      date: "2025-02-10T15:40:00Z",
    },
  ],
  Junk: [
    {
      fromName: "Anna Keller",
      fromAddress: "anna.keller@keller-design.example",
      subject: "Invoice 2025-031 for the March website work",
      date: "2025-03-14T09:12:00Z",
    },
    {
      fromName: "Parcel Service",
      fromAddress: "noreply@parcel-track.example",
      subject: "Your parcel could not be delivered",
      date: "2025-03-12T06:02:00Z",
    },
  ],
  Trash: [
    {
      fromName: "Dr. Martin Ortega",
      fromAddress: "m.ortega@clinic.example",
      subject: "Your test results and next appointment",
      date: "2025-02-03T11:20:00Z",
    },
  ],
  Archive: [
    {
      fromName: "Peter Brandt",
      fromAddress: "p.brandt@property-management.example",
      subject: "Deposit returned (flat 3B)",
      date: "2024-11-20T08:45:00Z",
    },
  ],
};

const FOLDERS: { summary: Omit<FolderSummary, "total">; filler: number }[] = [
  { summary: { name: "INBOX", displayName: "Inbox", role: "inbox", roleText: "your main inbox" }, filler: 23 },
  { summary: { name: "Junk", displayName: "Junk", role: "junk", roleText: "where your spam filter puts mail" }, filler: 9 },
  { summary: { name: "Trash", displayName: "Trash", role: "trash", roleText: "deleted mail, not emptied yet" }, filler: 11 },
  { summary: { name: "Archive", displayName: "Archive", role: "archive", roleText: "mail you filed away" }, filler: 16 },
];

const FILLER_SENDERS = [
  ["News Digest", "digest@news.example", "Weekly digest"],
  ["City Library", "loans@library.example", "Reminder: books due soon"],
  ["Sports Club", "info@club.example", "Training times update"],
  ["Online Shop", "orders@shop.example", "Your order has shipped"],
] as const;

function demoFolders(): FakeFolder[] {
  return FOLDERS.map(({ summary, filler }, f) => {
    const messages: FakeMessage[] = [];
    for (let i = 0; i < filler; i++) {
      const [fromName, fromAddress, subject] = FILLER_SENDERS[(i + f) % FILLER_SENDERS.length];
      const day = new Date(Date.UTC(2024, 9, 1) + (i * 7 + f * 3) * 86_400_000);
      messages.push({ uid: 0, messageId: "", fromName, fromAddress, subject: `${subject} #${i + 1}`, date: day.toISOString() });
    }
    for (const m of NOTABLE[summary.name] ?? []) messages.splice(Math.floor(messages.length / 2), 0, { ...m, uid: 0, messageId: "" });
    messages.forEach((m, i) => {
      m.uid = i + 1;
      m.messageId = `<demo-${summary.name.toLowerCase()}-${i + 1}@mailhound.example>`;
    });
    return { summary, uidvalidity: 1700000000 + f, nextUid: messages.length + 1, messages, scanned: 0 };
  });
}

const DEFAULTS: FakeOptions = { tickMs: 120, batch: 4, delayMs: 250, fail: {}, saveDialog: "save" };

const KNOWN_SERVERS: Record<string, ServerSettings> = {
  "gmail.com": { host: "imap.gmail.com", port: 993, security: "tls" },
  "googlemail.com": { host: "imap.gmail.com", port: 993, security: "tls" },
  "outlook.com": { host: "outlook.office365.com", port: 993, security: "tls" },
  "hotmail.com": { host: "outlook.office365.com", port: 993, security: "tls" },
  "icloud.com": { host: "imap.mail.me.com", port: 993, security: "tls" },
  "yahoo.com": { host: "imap.mail.yahoo.com", port: 993, security: "tls" },
  "gmx.net": { host: "imap.gmx.net", port: 993, security: "tls" },
};

export function createFakeBackend(overrides: Partial<FakeOptions> = {}): FakeBackend {
  const options: FakeOptions = { ...DEFAULTS, ...overrides, fail: { ...overrides.fail } };
  const calls: FakeBackend["calls"] = [];
  const mailboxes = new Map<string, Mailbox>();

  // Arguments may be Svelte state proxies, which structuredClone refuses; JSON is what IPC does anyway.
  const copy = <T,>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  /** Logs the call, waits like a real backend would, then fails if told to. */
  async function enter(command: Command, args: unknown[]): Promise<void> {
    calls.push({ command, args });
    await sleep(options.delayMs);
    const code = options.fail[command];
    if (code) throw new UserError(code, `fake: ${command} was told to fail with ${code}`);
  }

  function mailbox(accountId: string): Mailbox {
    const found = mailboxes.get(accountId);
    if (!found) throw new UserError("not_found", `no account ${accountId}`);
    return found;
  }

  function open(account: Account): Account {
    if (!mailboxes.has(account.id)) {
      mailboxes.set(account.id, { account, folders: demoFolders(), cancelRequested: false, syncing: false, moved: new Map() });
    }
    return account;
  }

  const key = (r: MessageRef) => `${r.folder}\u0000${r.uidvalidity}\u0000${r.uid}`;

  function locate(ref: MessageRef): { box: Mailbox; folder?: FakeFolder; message: FakeMessage } {
    const box = mailbox(ref.accountId);
    const folder = box.folders.find((f) => f.summary.name === ref.folder && f.uidvalidity === ref.uidvalidity);
    const message = folder?.messages.find((m) => m.uid === ref.uid);
    if (folder && message) return { box, folder, message };
    const moved = box.moved.get(key(ref));
    if (moved) return { box, message: moved };
    throw new UserError("not_found", `no message at ${ref.folder}/${ref.uid}`);
  }

  const backend: FakeBackend = {
    options,
    calls,

    folderOf(subject) {
      for (const box of mailboxes.values()) {
        for (const f of box.folders) if (f.messages.some((m) => m.subject === subject)) return f.summary.name;
      }
      return undefined;
    },

    async suggestServer(email) {
      await enter("suggestServer", [email]);
      const domain = email.trim().toLowerCase().split("@")[1] ?? "";
      if (!/^[^@\s]+\.[^@\s]+$/.test(domain)) {
        throw new UserError("invalid_input", "Type your full email address, like name@example.com.");
      }
      return { ...(KNOWN_SERVERS[domain] ?? { host: `imap.${domain}`, port: 993, security: "tls" }) };
    },

    async addAccount(input: NewAccount) {
      await enter("addAccount", [copy(input)]);
      if (!input.email.includes("@")) throw new UserError("invalid_input", "Type your full email address, like name@example.com.");
      if (!input.password) throw new UserError("invalid_input", "Type your password.");
      // A convenience for trying the error path by hand in the browser.
      if (input.password === "wrong") throw new UserError("auth", "fake: LOGIN failed");
      return open({ id: `imap:${input.email.toLowerCase()}`, label: input.email, kind: "imap" });
    },

    async savedAccounts(): Promise<SavedAccount[]> {
      await enter("savedAccounts", []);
      return [...mailboxes.values()].map((box) => ({
        account: { ...box.account },
        messages: box.folders.reduce((sum, f) => sum + f.scanned, 0),
        // Like an app restart without a keychain: mail accounts need their password again.
        needsPassword: box.account.kind === "imap",
        settings: box.account.kind === "imap" ? { host: `imap.${box.account.label.split("@")[1] ?? "example.com"}`, port: 993, security: "tls" } : null,
        caFile: null,
      }));
    },

    async openDemo() {
      await enter("openDemo", []);
      return open({ id: "demo", label: "Demo mailbox", kind: "maildir" });
    },

    async syncAccount(accountId, onEvent: (event: SyncEvent) => void) {
      await enter("syncAccount", [accountId]);
      const box = mailbox(accountId);
      if (box.syncing) throw new UserError("invalid_input", "A scan of this mailbox is already running.");
      box.syncing = true;
      box.cancelRequested = false;
      const started = Date.now();
      let folders = 0;
      let messages = 0;
      const finish = (cancelled: boolean) => {
        box.syncing = false;
        const seconds = Math.round((Date.now() - started) / 100) / 10;
        onEvent({ kind: "finished", folders, messages, seconds, cancelled });
      };
      try {
        onEvent({
          kind: "foldersListed",
          folders: box.folders.map((f) => ({ ...f.summary, total: f.messages.length })),
        });
        for (const folder of box.folders) {
          const total = folder.messages.length;
          let done = 0;
          while (done < total) {
            await sleep(options.tickMs);
            if (box.cancelRequested) return finish(true);
            const before = done;
            done = Math.min(total, done + options.batch);
            folder.scanned = Math.max(folder.scanned, done);
            messages += done - before;
            onEvent({ kind: "folderProgress", folder: folder.summary.name, done, total });
          }
          folders += 1;
          onEvent({ kind: "folderDone", folder: folder.summary.name, messages: total });
        }
        finish(false);
      } catch (e) {
        box.syncing = false;
        throw e;
      }
    },

    async cancelSync(accountId) {
      await enter("cancelSync", [accountId]);
      mailbox(accountId).cancelRequested = true;
    },

    async hunt(query: HuntQuery) {
      await enter("hunt", [copy(query)]);
      const boxes = query.accountId ? [mailbox(query.accountId)] : [...mailboxes.values()];
      const hits: Hit[] = [];
      for (const box of boxes) {
        for (const folder of box.folders) {
          if (query.withinRoles?.length && !query.withinRoles.includes(folder.summary.role)) continue;
          for (const m of folder.messages.slice(0, folder.scanned)) {
            const scored = score(m, query);
            if (!scored) continue;
            hits.push({
              rank: 0,
              score: scored.score,
              ref: { accountId: box.account.id, folder: folder.summary.name, uidvalidity: folder.uidvalidity, uid: m.uid },
              folderDisplay: folder.summary.displayName,
              folderRole: folder.summary.role,
              whereText: WHERE[folder.summary.role],
              messageId: m.messageId,
              fromName: m.fromName,
              fromAddress: m.fromAddress,
              subject: m.subject,
              date: m.date,
              why: scored.why,
              alsoIn: [],
            });
          }
        }
      }
      hits.sort((a, b) => b.score - a.score || (b.date ?? "").localeCompare(a.date ?? ""));
      return hits.slice(0, query.limit).map((h, i) => ({ ...h, rank: i + 1 }));
    },

    async exportMessage(ref): Promise<Exported | null> {
      await enter("exportMessage", [copy(ref)]);
      const { message } = locate(ref);
      if (options.saveDialog === "cancel") return null;
      const name = message.subject.replace(/[^\p{L}\p{N} ._-]+/gu, "").trim().slice(0, 60) || "message";
      const eml = `Message-ID: ${message.messageId}\r\nFrom: ${message.fromName} <${message.fromAddress}>\r\nSubject: ${message.subject}\r\n\r\n`;
      return { path: `/home/you/Documents/${name}.eml`, sha256: await sha256Hex(eml) };
    },

    async restoreMessage(ref): Promise<Restored> {
      await enter("restoreMessage", [copy(ref)]);
      const { box, folder, message } = locate(ref);
      if (!folder) throw new UserError("not_found", "already moved");
      if (folder.summary.role === "inbox") throw new UserError("invalid_input", "This message is already in your Inbox.");
      const inbox = box.folders.find((f) => f.summary.role === "inbox");
      if (!inbox) throw new UserError("not_found", "no inbox");
      folder.messages = folder.messages.filter((m) => m !== message);
      folder.scanned = Math.max(0, folder.scanned - 1);
      const uid = inbox.nextUid++;
      // Keep the scanned messages at the front so the moved one is findable at once.
      inbox.messages.splice(inbox.scanned, 0, { ...message, uid });
      inbox.scanned += 1;
      box.moved.set(key(ref), { ...message, uid });
      return { method: "move", inboxUid: uid, originalKept: false, summary: "Done: it is now in your Inbox." };
    },
  };
  return backend;
}

// ---- a small fuzzy matcher, good enough to make the demo feel real ----

function fold(s: string): string {
  return s.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function words(s: string): string[] {
  return fold(s).split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 0);
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function similar(wanted: string, candidates: string[]): boolean {
  const allowed = wanted.length >= 7 ? 2 : wanted.length >= 4 ? 1 : 0;
  return candidates.some((c) => c.startsWith(wanted) || distance(wanted, c) <= allowed);
}

const STOP = new Set(["the", "a", "an", "and", "or", "of", "for", "to", "in", "on", "re", "fw", "fwd", "about", "my", "your"]);

function score(m: FakeMessage, q: HuntQuery): { score: number; why: string[] } | null {
  const parts: number[] = [];
  const why: string[] = [];
  if (q.from) {
    const wanted = words(q.from);
    const have = [...words(m.fromName), ...words(m.fromAddress)];
    const found = wanted.filter((w) => similar(w, have));
    parts.push(wanted.length ? found.length / wanted.length : 0);
    if (found.length) why.push(`Sender “${m.fromName}” matches “${q.from.trim()}”`);
  }
  if (q.subject) {
    const wanted = words(q.subject).filter((w) => !STOP.has(w));
    const have = words(m.subject);
    const found = wanted.filter((w) => similar(w, have));
    parts.push(wanted.length ? found.length / wanted.length : 0);
    if (found.length) why.push(`Subject shares: ${found.join(", ")}`);
  }
  if (q.date) {
    const days = Math.abs(Date.parse(m.date) - Date.parse(`${q.date}T12:00:00Z`)) / 86_400_000;
    const slack = q.dateSlackDays ?? 0;
    const rounded = Math.round(days);
    if (days <= slack + 0.5) {
      parts.push(1);
      why.push(rounded === 0 ? "Sent on the day you gave" : `Sent ${rounded} day${rounded === 1 ? "" : "s"} from the date you gave`);
    } else {
      parts.push(days <= slack * 2 + 2 ? 0.4 : 0);
    }
  }
  if (parts.length === 0) return null;
  const total = parts.reduce((a, b) => a + b, 0) / parts.length;
  if (total < 0.5) return null;
  return { score: Math.round(total * 100) / 100, why };
}

async function sha256Hex(text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    const digest = await subtle.digest("SHA-256", new TextEncoder().encode(text));
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }
  // Outside a secure context there is no SubtleCrypto; the demo only needs a stable-looking value.
  let h = 0x811c9dc5;
  let out = "";
  for (let round = 0; round < 8; round++) {
    for (const ch of text + round) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out;
}
