import type { Backend } from "./backend";
import { createFakeBackend, type FakeOptions } from "./fake";
import { createTauriBackend } from "./tauri";

export type { Backend } from "./backend";

declare global {
  interface Window {
    /** Set by a browser test (before the page loads) to tune the fake backend, e.g. `{ fail: { addAccount: "auth" } }`. */
    __MAILHOUND_FAKE__?: Partial<FakeOptions>;
  }
}

/** True inside the Tauri window; false in a plain browser (npm run dev, Playwright with the fake). */
function insideTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

export const backend: Backend = insideTauri()
  ? createTauriBackend()
  : createFakeBackend(typeof window !== "undefined" ? window.__MAILHOUND_FAKE__ : undefined);
