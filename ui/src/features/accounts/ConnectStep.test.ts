import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { createFakeBackend } from "../../ipc/fake";
import ConnectStep from "./ConnectStep.svelte";

function setup(options: Parameters<typeof createFakeBackend>[0] = {}) {
  const backend = createFakeBackend({ tickMs: 0, delayMs: 0, ...options });
  const onConnected = vi.fn();
  render(ConnectStep, { props: { backend, onConnected } });
  return { backend, onConnected };
}

const byId = (id: string) => screen.getByTestId(id) as HTMLInputElement;

async function fill(email: string, password: string) {
  await fireEvent.input(byId("email"), { target: { value: email } });
  await fireEvent.input(byId("password"), { target: { value: password } });
}

describe("ConnectStep", () => {
  it("asks where the email is and fills in the server from the address", async () => {
    const { backend } = setup();
    expect(screen.getByRole("heading", { name: "Where is the missing email?" })).toBeTruthy();
    await fireEvent.input(byId("email"), { target: { value: "me@gmail.com" } });
    await waitFor(() => expect(byId("host").value).toBe("imap.gmail.com"));
    expect(byId("port").value).toBe("993");
    expect(byId("security").value).toBe("tls");
    expect(backend.calls.filter((c) => c.command === "suggestServer")).toEqual([
      { command: "suggestServer", args: ["me@gmail.com"] },
    ]);
  });

  it("does not overwrite a server name the person typed", async () => {
    setup();
    await fireEvent.input(byId("host"), { target: { value: "mail.my-company.example" } });
    await fireEvent.input(byId("email"), { target: { value: "me@gmail.com" } });
    await new Promise((r) => setTimeout(r, 400));
    expect(byId("host").value).toBe("mail.my-company.example");
  });

  it("shows a wrong password in plain words under the form and lets the person retry", async () => {
    const { onConnected } = setup({ fail: { addAccount: "auth" }, delayMs: 20 });
    await fill("me@example.com", "oops");
    await fireEvent.input(byId("host"), { target: { value: "imap.example.com" } });
    await fireEvent.click(byId("connect"));

    // While the server is asked, say so and block a second click.
    expect(byId("connect").textContent).toContain("Checking your details…");
    expect(byId("connect").disabled).toBe(true);
    expect(byId("try-demo").disabled).toBe(true);

    const error = await screen.findByTestId("connect-error");
    expect(error.textContent).toMatch(/did not accept this email address and password/);
    expect(byId("connect").disabled).toBe(false);
    expect(onConnected).not.toHaveBeenCalled();
  });

  it("checks the form before asking the server", async () => {
    const { backend } = setup();
    await fireEvent.input(byId("email"), { target: { value: "not-an-address" } });
    await fireEvent.click(byId("connect"));
    expect((await screen.findByTestId("connect-error")).textContent).toMatch(/full email address/);
    expect(backend.calls.some((c) => c.command === "addAccount")).toBe(false);
  });

  it("sends the edited settings and the certificate file, then moves on", async () => {
    const { backend, onConnected } = setup();
    await fill("me@example.org", "secret");
    await waitFor(() => expect(byId("host").value).toBe("imap.example.org"));
    await fireEvent.change(byId("security"), { target: { value: "starttls" } });
    expect(byId("port").value).toBe("143");
    expect(screen.queryByTestId("ca-file")).toBeNull();
    await fireEvent.click(byId("advanced-toggle"));
    expect(byId("advanced-toggle").getAttribute("aria-expanded")).toBe("true");
    await fireEvent.input(byId("ca-file"), { target: { value: "/home/me/company-ca.pem" } });
    await fireEvent.click(byId("connect"));

    await waitFor(() => expect(onConnected).toHaveBeenCalledTimes(1));
    expect(onConnected.mock.calls[0][0]).toMatchObject({ kind: "imap", label: "me@example.org" });
    expect(backend.calls.find((c) => c.command === "addAccount")?.args[0]).toEqual({
      email: "me@example.org",
      password: "secret",
      settings: { host: "imap.example.org", port: 143, security: "starttls" },
      caFile: "/home/me/company-ca.pem",
    });
  });

  it("opens the demo mailbox", async () => {
    const { backend, onConnected } = setup();
    await fireEvent.click(byId("try-demo"));
    await waitFor(() => expect(onConnected).toHaveBeenCalledWith({ id: "demo", label: "Demo mailbox", kind: "maildir" }));
    expect(backend.calls.map((c) => c.command).filter((c) => c !== "savedAccounts")).toEqual(["openDemo"]);
  });

  it("offers to continue with an account searched before", async () => {
    const backend = createFakeBackend({ tickMs: 0, delayMs: 0 });
    await backend.openDemo();
    await backend.addAccount({ email: "anna@brightwater.example", password: "pw", settings: { host: "mail.brightwater.example", port: 993, security: "tls" }, caFile: null });
    const onConnected = vi.fn();
    render(ConnectStep, { props: { backend, onConnected } });
    const buttons = await screen.findAllByTestId("continue");
    expect(buttons.map((b) => b.textContent?.trim())).toEqual(["Continue with Demo mailbox", "Continue with anna@brightwater.example"]);

    // The demo needs no password: straight on.
    await fireEvent.click(buttons[0]);
    expect(onConnected).toHaveBeenCalledWith({ id: "demo", label: "Demo mailbox", kind: "maildir" });

    // A mail account without a kept password fills the form and asks for it.
    await fireEvent.click(buttons[1]);
    expect(onConnected).toHaveBeenCalledTimes(1);
    expect(byId("email").value).toBe("anna@brightwater.example");
    expect(byId("host").value).toBe("imap.brightwater.example");
    expect(screen.getByTestId("continue-notice").textContent).toContain("Type the password for anna@brightwater.example");
  });

  it("shows no continue section on a first start", async () => {
    const { backend } = setup();
    await waitFor(() => expect(backend.calls.some((c) => c.command === "savedAccounts")).toBe(true));
    expect(screen.queryByTestId("saved-accounts")).toBeNull();
  });
});
