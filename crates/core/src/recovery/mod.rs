//! Acting on a found message: [`export`] saves it as a byte-exact `.eml`; [`restore`] puts it back
//! in the Inbox, and is the only code in Mailhound that changes a mailbox.

pub mod export;
pub mod restore;
