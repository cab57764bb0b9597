// Checks on the connect form that need no server. Each message says what to type.
import type { Security, ServerSettings } from "../../ipc/types";

export const SECURITY_CHOICES: { value: Security; label: string }[] = [
  { value: "tls", label: "SSL/TLS (recommended)" },
  { value: "starttls", label: "STARTTLS" },
];

/** The domain of a plausible address ("anna@example.com" -> "example.com"), else null. */
export function domainOf(email: string): string | null {
  const match = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(email.trim());
  return match ? match[1].toLowerCase() : null;
}

export interface ConnectForm {
  email: string;
  password: string;
  host: string;
  port: number | null;
  security: Security;
  caFile: string;
}

/** The first problem with the form, in plain words, or null when it can be sent. */
export function problemWith(form: ConnectForm): string | null {
  if (!domainOf(form.email)) return "Type your full email address, like name@example.com.";
  if (!form.password) return "Type the password you use for this email address.";
  if (!form.host.trim()) return "Type the mail server's name, for example imap.example.com.";
  const port = form.port;
  if (port === null || !Number.isInteger(port) || port < 1 || port > 65535) {
    return "The port must be a whole number between 1 and 65535 (usually 993).";
  }
  return null;
}

export function settingsOf(form: ConnectForm): ServerSettings {
  return { host: form.host.trim(), port: form.port ?? 993, security: form.security };
}

/** The usual port for a security choice, when the current one is the other choice's usual port. */
export function portAfterSecurityChange(port: number | null, security: Security): number | null {
  if (security === "starttls" && port === 993) return 143;
  if (security === "tls" && port === 143) return 993;
  return port;
}
