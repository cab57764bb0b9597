import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { createFakeBackend } from "../../ipc/fake";
import HuntStep from "./HuntStep.svelte";
import { emptyFields, type HuntFields } from "./query";

async function setup(fields: HuntFields = emptyFields()) {
  const backend = createFakeBackend({ tickMs: 0, batch: 100, delayMs: 0 });
  const account = await backend.openDemo();
  await backend.syncAccount(account.id, () => {});
  backend.calls.length = 0;
  const onFound = vi.fn();
  render(HuntStep, { props: { backend, accountId: account.id, initial: fields, onFound } });
  return { backend, onFound };
}

const el = (id: string) => screen.getByTestId(id) as HTMLInputElement;

describe("HuntStep", () => {
  it("asks for at least one thing and does not search without it", async () => {
    const { backend, onFound } = await setup();
    await fireEvent.click(el("hunt-submit"));
    expect((await screen.findByTestId("hunt-error")).textContent).toMatch(/at least one thing you remember/);
    expect(backend.calls).toEqual([]);
    expect(onFound).not.toHaveBeenCalled();
  });

  it("offers the five date choices and sends the chosen slack", async () => {
    const { backend, onFound } = await setup();
    const options = [...el("hunt-slack").querySelectorAll("option")].map((o) => [o.textContent, o.value]);
    expect(options).toEqual([
      ["That exact day", "0"],
      ["Within a few days", "3"],
      ["Within a week", "7"],
      ["Within a month", "30"],
      ["No idea", "none"],
    ]);
    await fireEvent.input(el("hunt-from"), { target: { value: "anna" } });
    await fireEvent.input(el("hunt-subject"), { target: { value: "invoice" } });
    await fireEvent.input(el("hunt-date"), { target: { value: "2025-03-10" } });
    await fireEvent.change(el("hunt-slack"), { target: { value: "7" } });
    await fireEvent.click(el("hunt-submit"));

    await waitFor(() => expect(onFound).toHaveBeenCalledTimes(1));
    const [hits, query, answers] = onFound.mock.calls[0];
    expect(answers).toEqual({ from: "anna", subject: "invoice", date: "2025-03-10", slack: "7", to: "", attachment: false, folders: "any" });
    expect(query).toEqual({ accountId: "demo", from: "anna", subject: "invoice", date: "2025-03-10", dateSlackDays: 7, limit: 50 });
    expect(backend.calls).toEqual([{ command: "hunt", args: [query] }]);
    expect(hits[0].subject).toContain("Invoice");
  });

  it("leaves the date out when the person has no idea, and says so", async () => {
    const { onFound } = await setup({ from: "ortega", subject: "", date: "2025-01-01", slack: "3" });
    await fireEvent.change(el("hunt-slack"), { target: { value: "none" } });
    expect(el("hunt-date").disabled).toBe(true);
    expect(screen.getByText("The date is left out of the search.")).toBeTruthy();
    await fireEvent.click(el("hunt-submit"));
    await waitFor(() => expect(onFound).toHaveBeenCalledTimes(1));
    expect(onFound.mock.calls[0][1]).toMatchObject({ from: "ortega", date: null, dateSlackDays: null });
  });

  it("starts from the answers it is given", async () => {
    await setup({ from: "Peter", subject: "deposit", date: "2024-11-20", slack: "30" });
    expect(el("hunt-from").value).toBe("Peter");
    expect(el("hunt-subject").value).toBe("deposit");
    expect(el("hunt-date").value).toBe("2024-11-20");
    expect(el("hunt-slack").value).toBe("30");
  });
});
