// The whole wizard against the fake backend, the way a person would go through it.
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import { createFakeBackend } from "./ipc/fake";

const el = (id: string) => screen.getByTestId(id) as HTMLInputElement;

describe("App", () => {
  it("goes from the demo to a found message in Junk and puts it back in the Inbox", async () => {
    const backend = createFakeBackend({ tickMs: 1, batch: 10, delayMs: 0 });
    render(App, { props: { backend } });

    await fireEvent.click(el("try-demo"));
    await screen.findByTestId("scan-progress");
    await fireEvent.click(await screen.findByTestId("go-hunt", {}, { timeout: 3000 }));

    expect(screen.getByRole("heading", { name: "What do you remember?" })).toBeTruthy();
    await fireEvent.input(el("hunt-from"), { target: { value: "ana keler" } });
    await fireEvent.input(el("hunt-subject"), { target: { value: "invoise" } });
    await fireEvent.click(el("hunt-submit"));

    const results = await screen.findByTestId("results");
    const top = within(results).getAllByTestId("hit")[0];
    expect(top.dataset.folder).toBe("Junk");
    expect(within(top).getByTestId("hit-where").textContent).toBe("In Junk: your spam filter put it there");

    await fireEvent.click(within(top).getByTestId("restore"));
    expect((await within(top).findByTestId("action-result")).textContent).toBe("Done: it is now in your Inbox.");
    await waitFor(() => expect(screen.getAllByTestId("hit")[0].dataset.folder).toBe("INBOX"));
    expect(within(screen.getAllByTestId("hit")[0]).getByTestId("hit-where").textContent).toMatch(/^In your Inbox/);
    expect(el("restore").disabled).toBe(true);

    // Saving still works after the move.
    await fireEvent.click(el("save-eml"));
    await waitFor(() => expect(el("action-result").textContent).toMatch(/^Saved to \/home\/you\/Documents\//));

    // Searching again comes back to the same answers.
    await fireEvent.click(el("search-again"));
    expect(el("hunt-from").value).toBe("ana keler");
    expect(el("hunt-subject").value).toBe("invoise");
  });

  it("stays on the first step with a plain message when the password is wrong", async () => {
    const backend = createFakeBackend({ delayMs: 0, fail: { addAccount: "auth" } });
    render(App, { props: { backend } });
    await fireEvent.input(el("email"), { target: { value: "me@example.com" } });
    await fireEvent.input(el("password"), { target: { value: "nope" } });
    await fireEvent.input(el("host"), { target: { value: "imap.example.com" } });
    await fireEvent.click(el("connect"));
    expect((await screen.findByTestId("connect-error")).textContent).toMatch(/password/);
    expect(screen.getByRole("heading", { name: "Where is the missing email?" })).toBeTruthy();
    expect(screen.getByRole("navigation").querySelector('[aria-current="step"]')?.textContent).toContain("Connect");
  });
});
