import type { Attachment } from "svelte/attachments";

/**
 * Scrolls a message into view when it appears (`{@attach revealed}`), so an error under a long
 * form is never hidden below the window's edge.
 */
export const revealed: Attachment<HTMLElement> = (element) => {
  // jsdom has no scrollIntoView.
  element.scrollIntoView?.({ block: "nearest" });
};
