// A tiny IMAP client over TLS for checking the server's state from the end-to-end test.
import tls from "node:tls";
import { readFileSync } from "node:fs";

export function imapSession({ host, port, caFile, servername }) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername, ca: readFileSync(caFile) });
    let buffer = "";
    let pending = null;
    let tag = 0;
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      buffer += chunk;
      if (pending && pending.done(buffer)) {
        const { resolveReply } = pending;
        const reply = buffer;
        buffer = "";
        pending = null;
        resolveReply(reply);
      }
    });
    socket.once("error", reject);
    const command = (text) =>
      new Promise((resolveReply, rejectReply) => {
        const t = `e${++tag}`;
        pending = {
          resolveReply: (reply) => (/^e\d+ OK/m.test(reply) ? resolveReply(reply) : rejectReply(new Error(`${text}: ${reply}`))),
          done: (b) => new RegExp(`^${t} (OK|NO|BAD)`, "m").test(b),
        };
        socket.write(`${t} ${text}\r\n`);
      });
    socket.once("secureConnect", () => {
      pending = {
        resolveReply: () =>
          resolve({
            command,
            login: (user, password) => command(`LOGIN "${user}" "${password}"`),
            logout: async () => { await command("LOGOUT").catch(() => {}); socket.end(); },
          }),
        done: (b) => b.includes("\r\n"),
      };
    });
  });
}
