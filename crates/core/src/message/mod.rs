//! What Mailhound knows about one message: its parsed header fields ([`parse`]) and the folded
//! text forms that hunting compares against ([`text`]).

pub mod parse;
pub mod text;

pub use parse::{ParsedHeader, parse_header};
