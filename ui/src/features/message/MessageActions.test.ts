import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { createFakeBackend } from "../../ipc/fake";
import type { Hit } from "../../ipc/types";
import MessageActions from "./MessageActions.svelte";

async function junkHit(delayMs = 0) {
  const backend = createFakeBackend({ tickMs: 0, batch: 100, delayMs: 0 });
  const account = await backend.openDemo();
  await backend.syncAccount(account.id, () => {});
  const [hit] = await backend.hunt({ accountId: "demo", from: "anna", subject: "invoice", date: null, dateSlackDays: null, limit: 5 });
  backend.options.delayMs = delayMs;
  backend.calls.length = 0;
  return { backend, hit };
}

const button = (id: string) => screen.getByTestId(id) as HTMLButtonElement;

describe("MessageActions", () => {
  it("saves as .eml and shows where, with the fingerprint in small print", async () => {
    const { backend, hit } = await junkHit(20);
    render(MessageActions, { props: { backend, hit, onRestored: () => {} } });
    await fireEvent.click(button("save-eml"));
    expect(button("save-eml").disabled).toBe(true);
    expect(button("restore").disabled).toBe(true);
    const result = await screen.findByTestId("action-result");
    expect(result.textContent).toContain("Saved to /home/you/Documents/Invoice 2025-031 for the March website work.eml");
    expect(result.querySelector(".small")?.textContent).toMatch(/SHA-256 fingerprint: [0-9a-f]{64}$/);
    expect(backend.calls).toEqual([{ command: "exportMessage", args: [hit.ref] }]);
    expect(button("save-eml").disabled).toBe(false);
  });

  it("says nothing was saved when the save window was closed", async () => {
    const { backend, hit } = await junkHit();
    backend.options.saveDialog = "cancel";
    render(MessageActions, { props: { backend, hit, onRestored: () => {} } });
    await fireEvent.click(button("save-eml"));
    expect((await screen.findByTestId("action-result")).textContent).toBe(
      "Nothing was saved: the save window was closed.",
    );
  });

  it("puts the message back, shows the summary and reports it", async () => {
    const { backend, hit } = await junkHit(20);
    const onRestored = vi.fn();
    render(MessageActions, { props: { backend, hit, onRestored } });
    await fireEvent.click(button("restore"));
    expect(button("restore").textContent).toContain("Putting it back…");
    expect(button("save-eml").disabled).toBe(true);
    expect((await screen.findByTestId("action-result")).textContent).toBe("Done: it is now in your Inbox.");
    expect(onRestored).toHaveBeenCalledWith(expect.objectContaining({ method: "move", summary: "Done: it is now in your Inbox." }));
    expect(backend.folderOf(hit.subject)).toBe("INBOX");
  });

  it("shows a failure in plain words", async () => {
    const { backend, hit } = await junkHit();
    backend.options.fail.restoreMessage = "not_found";
    render(MessageActions, { props: { backend, hit, onRestored: () => {} } });
    await fireEvent.click(button("restore"));
    expect((await screen.findByTestId("action-error")).textContent).toMatch(/no longer where it was/);
    await waitFor(() => expect(button("restore").disabled).toBe(false));
    expect(screen.queryByTestId("action-result")).toBeNull();
  });

  it("does not offer to put back what is already in the Inbox", async () => {
    const { backend, hit } = await junkHit();
    const inboxHit: Hit = { ...hit, folderRole: "inbox", ref: { ...hit.ref, folder: "INBOX" } };
    render(MessageActions, { props: { backend, hit: inboxHit, onRestored: () => {} } });
    expect(button("restore").disabled).toBe(true);
    expect(screen.getByText(/already in your Inbox/)).toBeTruthy();
  });
});
