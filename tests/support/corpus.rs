//! Seeded, realistic mail: `Corpus::generate` makes message *i* as a pure function of
//! (seed, i, layout), with the mix of charsets, threads, MIME shapes and defects described in
//! imap-test-server.md §6; `CorpusMessage::builder` plants specific messages for tests.

mod builder;
mod encode;
mod mime;
mod rng;
mod words;

use std::thread;

use chrono::{DateTime, Duration, FixedOffset, Offset as _, TimeZone as _, Utc};

pub use builder::MessageBuilder;

use encode::{Charset, WordEncoding};
use mime::{Attachment, Body, FilenameStyle, Separator, TextPart, Transfer};
use rng::Rng;
use words::Locale;

/// The mailbox owner: the `To` of received mail and the `From` of sent mail.
pub const OWNER_NAME: &str = "Robin Keller";
pub const OWNER_ADDRESS: &str = "robin.keller@example.org";

/// A system flag or a keyword.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Flag {
    Seen,
    Answered,
    Flagged,
    Deleted,
    Draft,
    Keyword(String),
}

impl Flag {
    /// The IMAP spelling: `\Seen`, `\Answered`, …, or the keyword itself.
    pub fn imap_name(&self) -> &str {
        match self {
            Flag::Seen => "\\Seen",
            Flag::Answered => "\\Answered",
            Flag::Flagged => "\\Flagged",
            Flag::Deleted => "\\Deleted",
            Flag::Draft => "\\Draft",
            Flag::Keyword(keyword) => keyword,
        }
    }
}

/// A deliberate defect in a generated message (about 0.9 % of them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Defect {
    /// The Subject holds raw UTF-8 bytes instead of encoded-words.
    RawEightBitHeader,
    /// The Subject's last encoded-word lacks its closing `?=`.
    BrokenEncodedWord,
    /// The Date header exists but cannot be parsed.
    UnparseableDate,
    /// There is no Date header.
    MissingDate,
    /// No blank line between the header block and the body.
    NoHeaderBodySeparator,
}

/// One message and the facts a test checks it by. `subject` and `from_name` are the decoded
/// (intended) text, also for defective messages.
#[derive(Clone, Debug)]
pub struct CorpusMessage {
    /// IMAP folder name, `/`-separated, UTF-8 (e.g. `Work/Projects`, `Reçus`).
    pub folder: String,
    pub flags: Vec<Flag>,
    pub internal_date: DateTime<Utc>,
    /// With angle brackets; `None` for the ~1 % without a Message-ID header.
    pub message_id: Option<String>,
    pub from_name: String,
    pub from_address: String,
    pub subject: String,
    /// The Date header's instant; `None` when it is missing or unparseable.
    pub date: Option<DateTime<Utc>>,
    pub defect: Option<Defect>,
    /// The raw message with LF line endings.
    pub bytes: Vec<u8>,
}

impl CorpusMessage {
    /// Starts a planted message; see [`MessageBuilder`].
    pub fn builder() -> MessageBuilder {
        MessageBuilder::new()
    }

    fn copy_into(&self, folder: &str, flags: Vec<Flag>) -> CorpusMessage {
        CorpusMessage {
            folder: folder.to_owned(),
            flags,
            ..self.clone()
        }
    }
}

/// What a folder holds, which decides senders, subjects, headers and flags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Inbox,
    Archive,
    Sent,
    Drafts,
    Junk,
    Trash,
    Work,
    Receipts,
    /// Index into `words::LISTS`.
    List(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Copies {
    None,
    /// About 1 % of INBOX messages also sit in Archive.
    InboxAlsoInArchive,
    /// Every message outside Spam, Trash and All Mail also sits in `[Gmail]/All Mail`, and
    /// flagged ones in `[Gmail]/Starred`.
    Gmail,
}

/// Folders with their share of the mail.
#[derive(Clone, Debug)]
pub struct Layout {
    folders: Vec<(String, Role, u32)>,
    copies: Copies,
}

impl Layout {
    /// The 11-folder layout of the measured corpus: INBOX 40 %, Archive 14, Sent 10, Junk 8,
    /// Trash 7, Work 6, Work/Projects 4, Lists/rust-users 5, Lists/debian-devel 3, Receipts 2,
    /// Drafts 1; about 1 % of INBOX is also in Archive.
    pub fn standard() -> Layout {
        Layout {
            folders: vec![
                ("INBOX".into(), Role::Inbox, 40),
                ("Archive".into(), Role::Archive, 14),
                ("Sent".into(), Role::Sent, 10),
                ("Junk".into(), Role::Junk, 8),
                ("Trash".into(), Role::Trash, 7),
                ("Work".into(), Role::Work, 6),
                ("Work/Projects".into(), Role::Work, 4),
                ("Lists/rust-users".into(), Role::List(0), 5),
                ("Lists/debian-devel".into(), Role::List(1), 3),
                ("Receipts".into(), Role::Receipts, 2),
                ("Drafts".into(), Role::Drafts, 1),
            ],
            copies: Copies::InboxAlsoInArchive,
        }
    }

    /// The standard layout in 10 folders: Drafts' share goes to Sent (the server still lists
    /// an empty, auto-created Drafts).
    pub fn ten_folders() -> Layout {
        let mut layout = Layout::standard();
        layout.folders.retain(|(name, _, _)| name != "Drafts");
        for (name, _, share) in &mut layout.folders {
            if name == "Sent" {
                *share += 1;
            }
        }
        layout
    }

    /// Gmail-like names (`[Gmail]/Sent Mail`, `[Gmail]/Spam`, …) plus two user labels; every
    /// message outside Spam and Trash also has a copy in `[Gmail]/All Mail`.
    pub fn gmail() -> Layout {
        Layout {
            folders: vec![
                ("INBOX".into(), Role::Inbox, 40),
                ("[Gmail]/All Mail".into(), Role::Archive, 20),
                ("[Gmail]/Sent Mail".into(), Role::Sent, 12),
                ("[Gmail]/Spam".into(), Role::Junk, 8),
                ("[Gmail]/Trash".into(), Role::Trash, 7),
                ("[Gmail]/Drafts".into(), Role::Drafts, 1),
                ("Work".into(), Role::Work, 8),
                ("Receipts".into(), Role::Receipts, 4),
            ],
            copies: Copies::Gmail,
        }
    }

    /// A small layout with nested and non-ASCII names, for modified UTF-7 and hierarchy tests:
    /// `Reçus`, `Work/Projects`, `BACKUP`, `R&D`, `Заметки`.
    pub fn international() -> Layout {
        Layout {
            folders: vec![
                ("INBOX".into(), Role::Inbox, 40),
                ("Reçus".into(), Role::Receipts, 12),
                ("Work".into(), Role::Work, 12),
                ("Work/Projects".into(), Role::Work, 8),
                ("BACKUP".into(), Role::Archive, 10),
                ("R&D".into(), Role::Work, 5),
                ("Заметки".into(), Role::Archive, 3),
                ("Junk".into(), Role::Junk, 5),
                ("Trash".into(), Role::Trash, 5),
            ],
            copies: Copies::None,
        }
    }

    /// Every folder that can receive mail from this layout, copies' targets included.
    pub fn folders(&self) -> Vec<&str> {
        let mut folders: Vec<&str> = self.folders.iter().map(|(name, _, _)| name.as_str()).collect();
        if self.copies == Copies::Gmail {
            folders.push("[Gmail]/Starred");
        }
        folders
    }

    fn pick(&self, rng: &mut Rng) -> (&str, Role) {
        let total: u64 = self.folders.iter().map(|(_, _, share)| u64::from(*share)).sum();
        let mut roll = rng.below(total);
        for (name, role, share) in &self.folders {
            if roll < u64::from(*share) {
                return (name, *role);
            }
            roll -= u64::from(*share);
        }
        ("INBOX", Role::Inbox)
    }

    fn folder_for(&self, role: Role) -> Option<&str> {
        self.folders
            .iter()
            .find(|(_, folder_role, _)| *folder_role == role)
            .map(|(name, _, _)| name.as_str())
    }
}

/// Generates corpora.
pub struct Corpus;

impl Corpus {
    /// `count` distinct messages plus their copies (about +0.4 % for the standard layout, nearly
    /// double for Gmail), ordered by index with each copy after its original. Deterministic:
    /// the same arguments always give the same bytes.
    pub fn generate(seed: u64, count: usize, layout: &Layout) -> Vec<CorpusMessage> {
        let threads = thread::available_parallelism().map_or(2, |n| n.get().min(8));
        let chunk = count.div_ceil(threads).max(1);
        thread::scope(|scope| {
            let workers: Vec<_> = (0..count)
                .step_by(chunk)
                .map(|start| {
                    let end = (start + chunk).min(count);
                    scope.spawn(move || {
                        let mut messages = Vec::with_capacity(end - start + 8);
                        for index in start..end {
                            push_with_copies(&mut messages, seed, index as u64, layout);
                        }
                        messages
                    })
                })
                .collect();
            let mut all = Vec::with_capacity(count + count / 50);
            for worker in workers {
                match worker.join() {
                    Ok(part) => all.extend(part),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            all
        })
    }

    /// Message `index` alone, without its copies.
    pub fn message(seed: u64, index: u64, layout: &Layout) -> CorpusMessage {
        Composer { seed, layout }.compose(index)
    }
}

fn push_with_copies(out: &mut Vec<CorpusMessage>, seed: u64, index: u64, layout: &Layout) {
    let message = Corpus::message(seed, index, layout);
    let mut rng = Rng::derive(seed, stream::COPY, index);
    let mut copies = Vec::new();
    match layout.copies {
        Copies::None => {}
        Copies::InboxAlsoInArchive => {
            if message.folder == "INBOX"
                && rng.chance(10)
                && let Some(archive) = layout.folder_for(Role::Archive)
            {
                copies.push(message.copy_into(archive, vec![Flag::Seen]));
            }
        }
        Copies::Gmail => {
            let skip = ["[Gmail]/Spam", "[Gmail]/Trash", "[Gmail]/All Mail"];
            if !skip.contains(&message.folder.as_str()) {
                copies.push(message.copy_into("[Gmail]/All Mail", message.flags.clone()));
                if message.flags.contains(&Flag::Flagged) {
                    copies.push(message.copy_into("[Gmail]/Starred", message.flags.clone()));
                }
            }
        }
    }
    out.push(message);
    out.extend(copies);
}

/// Independent random streams per message index.
mod stream {
    pub const MESSAGE: u64 = 1;
    pub const TOPIC: u64 = 2;
    pub const PERSON: u64 = 3;
    pub const DATE: u64 = 4;
    pub const MESSAGE_ID: u64 = 5;
    pub const COPY: u64 = 6;
}

/// Correspondents are drawn from this many people, skewed so some write often.
const PEOPLE: u64 = 1500;
/// Replies point at one of this many preceding messages.
const THREAD_WINDOW: u64 = 400;

/// First and last instant of generated Date headers: 2015-01-01 and 2026-11-30 (UTC).
const FIRST_DATE: i64 = 1_420_070_400;
const LAST_DATE: i64 = 1_795_996_800;

/// The 8 zones of the measured corpus, in minutes east of UTC.
const ZONES: &[i32] = &[0, 60, 120, -300, -480, 330, 480, 540];

struct Person {
    name: String,
    first: String,
    last: String,
    address: String,
    locale: &'static Locale,
    charset: Charset,
}

struct Topic {
    locale: &'static Locale,
    subject: String,
    /// The person who started the thread.
    starter: u64,
}

struct Composer<'a> {
    seed: u64,
    layout: &'a Layout,
}

impl Composer<'_> {
    fn role_of(&self, index: u64) -> Role {
        self.layout.pick(&mut Rng::derive(self.seed, stream::MESSAGE, index)).1
    }

    fn date_of(&self, index: u64) -> DateTime<Utc> {
        let mut rng = Rng::derive(self.seed, stream::DATE, index);
        let seconds = FIRST_DATE + rng.below((LAST_DATE - FIRST_DATE) as u64) as i64;
        Utc.timestamp_opt(seconds, 0).single().unwrap_or_default()
    }

    /// `None` for about 1 % of messages.
    fn message_id_of(&self, index: u64) -> Option<String> {
        let mut rng = Rng::derive(self.seed, stream::MESSAGE_ID, index);
        if rng.chance(10) {
            return None;
        }
        let style = rng.below(3);
        let unique = rng.next_u64();
        let domain = rng.pick(words::DOMAINS);
        Some(match style {
            0 => format!("<{unique:016x}.{index}@{domain}>"),
            1 => format!("<CA+{unique:X}{index}@mail.{domain}>"),
            _ => format!(
                "<{}-{index}-{:x}@{domain}>",
                Utc.timestamp_opt(FIRST_DATE + (unique % 1_000_000_000) as i64, 0)
                    .single()
                    .unwrap_or_default()
                    .format("%Y%m%d%H%M%S"),
                unique >> 40
            ),
        })
    }

    fn person(&self, id: u64) -> Person {
        let mut rng = Rng::derive(self.seed, stream::PERSON, id);
        let locale = pick_locale(&mut rng);
        let (first, first_ascii) = rng.pick(locale.first_names);
        let (last, last_ascii) = rng.pick(locale.last_names);
        let name = locale.name_format.replace("{first}", first).replace("{last}", last);
        let domain = rng.pick(words::DOMAINS);
        let local = match rng.below(4) {
            0 => format!("{first_ascii}.{last_ascii}"),
            1 => format!("{}{last_ascii}", first_ascii.get(..1).unwrap_or("x")),
            2 => first_ascii.to_owned(),
            _ => format!("{first_ascii}_{last_ascii}{}", rng.below(100)),
        };
        let charset = pick_charset(&mut rng, locale);
        let charset = if charset.can_encode(&name) { charset } else { Charset::Utf8 };
        Person {
            name,
            first: first.to_owned(),
            last: last.to_owned(),
            address: format!("{local}@{domain}"),
            locale,
            charset,
        }
    }

    fn correspondent(&self, rng: &mut Rng) -> u64 {
        let spread = rng.below(PEOPLE) + 1;
        rng.below(spread)
    }

    fn topic(&self, index: u64) -> Topic {
        let role = self.role_of(index);
        let mut rng = Rng::derive(self.seed, stream::TOPIC, index);
        let starter = self.correspondent(&mut rng);
        let locale = self.person(starter).locale;
        let templates: &[&str] = match role {
            Role::Junk => words::JUNK_SUBJECTS,
            Role::List(0) => words::RUST_USERS_SUBJECTS,
            Role::List(_) => words::DEBIAN_DEVEL_SUBJECTS,
            Role::Receipts => words::RECEIPT_SUBJECTS,
            Role::Work if rng.chance(600) => words::WORK_SUBJECTS,
            _ => locale.subjects,
        };
        let mut subject = fill_number(rng.pick(templates), &mut rng);
        if let Role::List(list) = role
            && let Some((_, _, tag)) = words::LISTS.get(list)
            && !tag.is_empty()
        {
            subject = format!("{tag} {subject}");
        }
        Topic { locale, subject, starter }
    }

    fn compose(&self, index: u64) -> CorpusMessage {
        let mut rng = Rng::derive(self.seed, stream::MESSAGE, index);
        // NOTE: the folder must be the stream's first draw: `role_of` replays it for thread roots.
        let (folder, role) = self.layout.pick(&mut rng);
        let folder = folder.to_owned();

        let root = if index > 0 && role != Role::Junk && role != Role::Drafts && rng.chance(400) {
            let back = rng.below(index.min(THREAD_WINDOW)) + 1;
            Some(index - back).filter(|root| !matches!(self.role_of(*root), Role::Junk | Role::Drafts | Role::Receipts))
        } else {
            None
        };
        let topic = self.topic(root.unwrap_or(index));
        let reply_depth = root.map_or(0, |_| rng.range(1, 4));
        let forward = root.is_some() && rng.chance(60);

        let correspondent = match root {
            Some(_) if rng.chance(500) => self.person(self.correspondent(&mut rng)),
            _ => self.person(topic.starter),
        };
        let owner = Person {
            name: OWNER_NAME.to_owned(),
            first: "Robin".to_owned(),
            last: "Keller".to_owned(),
            address: OWNER_ADDRESS.to_owned(),
            locale: &words::LOCALES[0],
            charset: Charset::Utf8,
        };
        let outgoing = matches!(role, Role::Sent | Role::Drafts);
        let (sender, recipient) = if outgoing {
            (&owner, &correspondent)
        } else {
            (&correspondent, &owner)
        };
        let (from_name, from_address, from_charset) = match role {
            Role::Junk | Role::Receipts if root.is_none() => {
                let senders = if role == Role::Junk {
                    words::JUNK_SENDERS
                } else {
                    words::RECEIPT_SENDERS
                };
                let (name, address) = rng.pick(senders);
                (name.to_owned(), address.to_owned(), Charset::Utf8)
            }
            _ => (sender.name.clone(), sender.address.clone(), sender.charset),
        };

        let subject_locale = if outgoing { topic.locale } else { sender.locale };
        let subject = if root.is_some() {
            let prefix = if forward {
                subject_locale.forward_prefix
            } else {
                subject_locale.reply_prefix
            };
            let repeated = if reply_depth > 2 && rng.chance(300) {
                format!("{prefix} {prefix} ")
            } else {
                format!("{prefix} ")
            };
            format!("{repeated}{}", topic.subject)
        } else {
            topic.subject.clone()
        };

        let date = match root {
            Some(root) => self.date_of(root) + Duration::seconds(rng.range(600, 20 * 86_400) as i64),
            None => self.date_of(index),
        };
        let zone_minutes = if outgoing { 60 } else { rng.pick(ZONES) };
        let zone = FixedOffset::east_opt(zone_minutes * 60).unwrap_or(Utc.fix());
        let internal_date = date + Duration::seconds(30);

        let defect = match rng.below(1000) {
            0..=2 => Some(Defect::RawEightBitHeader),
            3..=4 => Some(Defect::BrokenEncodedWord),
            5..=6 => Some(Defect::UnparseableDate),
            7 => Some(Defect::MissingDate),
            8 => Some(Defect::NoHeaderBodySeparator),
            _ => None,
        };
        let subject = match defect {
            Some(Defect::RawEightBitHeader) if subject.is_ascii() => format!("Réf: {subject}"),
            _ => subject,
        };

        let message_id = self.message_id_of(index);
        let mut out = Vec::with_capacity(8 * 1024);

        if !outgoing {
            write_trace_headers(&mut out, &mut rng, role, &from_address, date, internal_date);
        }

        let from_value = format!(
            "{} <{from_address}>",
            encode::display_name(&from_name, from_charset, word_encoding(&mut rng, &from_name))
        );
        encode::header(&mut out, "From", &from_value, false);
        let to_value = match role {
            Role::List(list) => {
                let name = words::LISTS.get(list).map_or("list", |(name, _, _)| name);
                format!("{name}@lists.example.org")
            }
            _ => mailbox(&mut rng, recipient),
        };
        encode::header(&mut out, "To", &to_value, false);
        if rng.chance(200) {
            let cc = self.person(self.correspondent(&mut rng));
            let cc2 = self.person(self.correspondent(&mut rng));
            let value = format!("{}, {}", mailbox(&mut rng, &cc), mailbox(&mut rng, &cc2));
            encode::header(&mut out, "Cc", &value, rng.chance(500));
        }
        if rng.chance(50) {
            encode::header(&mut out, "Reply-To", &format!("<{from_address}>"), false);
        }
        write_subject(&mut out, &mut rng, &subject, sender.charset, defect);
        match defect {
            Some(Defect::UnparseableDate) => {
                encode::header(&mut out, "Date", "Thu, 32 Foo 2019 25:61:00 +9999", false);
            }
            Some(Defect::MissingDate) => {}
            _ => {
                let local = date.with_timezone(&zone);
                let mut value = local.to_rfc2822();
                if zone_minutes == 0 && rng.chance(300) {
                    value.push_str(" (UTC)");
                }
                encode::header(&mut out, "Date", &value, false);
            }
        }
        if let Some(id) = &message_id {
            encode::header(&mut out, "Message-ID", id, false);
        }
        if let Some(root) = root
            && let Some(root_id) = self.message_id_of(root)
        {
            let mut references = vec![root_id.clone()];
            for step in 1..reply_depth {
                references.push(format!("<{:016x}.{root}.{step}@example.net>", rng.next_u64()));
            }
            let parent = references.last().cloned().unwrap_or(root_id);
            encode::header(&mut out, "In-Reply-To", &parent, false);
            encode::header(&mut out, "References", &references.join(" "), false);
        }
        if let Role::List(list) = role
            && let Some((name, id, _)) = words::LISTS.get(list)
        {
            encode::header(&mut out, "List-Id", id, false);
            encode::header(
                &mut out,
                "List-Unsubscribe",
                &format!("<mailto:{name}-request@lists.example.org?subject=unsubscribe>"),
                false,
            );
            encode::header(&mut out, "List-Post", &format!("<mailto:{name}@lists.example.org>"), false);
            encode::header(&mut out, "Precedence", "list", false);
        }
        if rng.chance(500) {
            let header = if rng.chance(500) { "User-Agent" } else { "X-Mailer" };
            encode::header(&mut out, header, rng.pick(words::MAILERS), false);
        }
        if role == Role::Junk {
            encode::header(&mut out, "X-Spam-Flag", "YES", false);
            encode::header(&mut out, "X-Spam-Score", &format!("{}.{}", rng.range(6, 25), rng.below(10)), false);
        }
        encode::header(&mut out, "MIME-Version", "1.0", false);

        // NOTE: sent mail is written in the correspondent's language, not the owner's.
        let body_locale = if outgoing { correspondent.locale } else { sender.locale };
        let quote = root.map(|root| (root, topic.locale));
        let body = self.body(&mut rng, role, body_locale, sender, recipient, quote);
        let separator = match (defect, &body) {
            (Some(Defect::NoHeaderBodySeparator), Body::Text(_)) => Separator::Missing,
            _ => Separator::Blank,
        };
        let defect = match (defect, separator) {
            (Some(Defect::NoHeaderBodySeparator), Separator::Blank) => None,
            _ => defect,
        };
        mime::write_entity(&mut out, &body, separator);

        CorpusMessage {
            flags: flags_for(&mut rng, role),
            folder,
            internal_date,
            message_id,
            from_name,
            from_address,
            subject,
            date: match defect {
                Some(Defect::UnparseableDate | Defect::MissingDate) => None,
                _ => Some(date),
            },
            defect,
            bytes: out,
        }
    }

    fn body(
        &self,
        rng: &mut Rng,
        role: Role,
        locale: &'static Locale,
        sender: &Person,
        recipient: &Person,
        quote: Option<(u64, &'static Locale)>,
    ) -> Body {
        let mut text = String::with_capacity(1500);
        let greeting = locale
            .greeting
            .replace("{first}", &recipient.first)
            .replace("{last}", &recipient.last);
        text.push_str(&greeting);
        text.push_str("\n\n");
        for _ in 0..rng.range(1, 4) {
            let count = rng.range(2, 5) as usize;
            let paragraph = sentences(rng, locale, count);
            wrap_into(&mut text, &paragraph, 72);
            text.push_str("\n\n");
        }
        text.push_str(locale.closing);
        text.push('\n');
        text.push_str(&sender.name);
        text.push('\n');
        if let Some((root, quote_locale)) = quote {
            // NOTE: a reply quotes the other party: the owner's mail for received replies.
            let quoted_author = if sender.address == OWNER_ADDRESS {
                &recipient.name
            } else {
                OWNER_NAME
            };
            text.push('\n');
            text.push_str(&locale.wrote.replace("{name}", quoted_author));
            text.push('\n');
            let mut quote_rng = Rng::derive(self.seed, stream::TOPIC, root ^ 0x5157_4F54);
            let count = quote_rng.range(2, 5) as usize;
            let quoted = sentences(&mut quote_rng, quote_locale, count);
            let mut wrapped = String::new();
            wrap_into(&mut wrapped, &quoted, 70);
            for line in wrapped.lines() {
                text.push_str("> ");
                text.push_str(line);
                text.push('\n');
            }
        }

        let charset = if rng.chance(500) { sender.charset } else { Charset::Utf8 };
        let transfer = match rng.below(100) {
            0..=49 => Transfer::QuotedPrintable,
            50..=84 => Transfer::EightBit,
            _ => Transfer::Base64,
        };
        let shape = rng.below(100);
        let wants_html = role == Role::Junk || (60..100).contains(&shape);
        let boundary = boundary(rng);
        let text_body = if wants_html {
            let html = mime::html_from_text(&text);
            Body::Alternative {
                plain: TextPart::new("plain", text, charset, transfer),
                html: TextPart::new("html", html, charset, transfer),
                boundary,
            }
        } else {
            Body::Text(TextPart::new("plain", text, charset, transfer))
        };
        if shape < 85 || role == Role::Junk {
            return text_body;
        }
        let (content_type, extension, magic) = rng.pick(words::ATTACHMENTS);
        let size = rng.range(512, 24 * 1024) as usize;
        let mut data = vec![0u8; size];
        rng.fill(&mut data);
        let prefix_len = magic.len().min(size);
        data[..prefix_len].copy_from_slice(&magic[..prefix_len]);
        if content_type == "text/csv" {
            for byte in &mut data[prefix_len..] {
                *byte = b"0123456789,.;\n"[usize::from(*byte) % 14];
            }
        }
        let stem = rng.pick(words::ATTACHMENT_STEMS);
        let filename_style = if rng.chance(300) {
            FilenameStyle::Rfc2231
        } else {
            FilenameStyle::Plain
        };
        Body::Mixed {
            inner: Box::new(text_body),
            attachments: vec![Attachment {
                content_type: content_type.to_owned(),
                filename: format!("{stem}.{extension}"),
                filename_style,
                data,
            }],
            boundary: self::boundary(rng),
        }
    }
}

fn pick_locale(rng: &mut Rng) -> &'static Locale {
    let total: u64 = words::LOCALES.iter().map(|locale| u64::from(locale.weight)).sum();
    let mut roll = rng.below(total);
    for locale in words::LOCALES {
        if roll < u64::from(locale.weight) {
            return locale;
        }
        roll -= u64::from(locale.weight);
    }
    &words::LOCALES[0]
}

fn pick_charset(rng: &mut Rng, locale: &Locale) -> Charset {
    let mut roll = rng.below(100);
    for (charset, weight) in locale.charsets {
        if roll < u64::from(*weight) {
            return *charset;
        }
        roll -= u64::from(*weight);
    }
    Charset::Utf8
}

/// `count` distinct sentences of the locale (fewer if it has fewer), in random order.
fn sentences(rng: &mut Rng, locale: &Locale, count: usize) -> String {
    let mut order: Vec<usize> = (0..locale.sentences.len()).collect();
    let separator = if locale_uses_spaces(locale) { " " } else { "" };
    let mut text = String::new();
    for taken in 0..count.min(order.len()) {
        let pick = taken + rng.index(order.len() - taken);
        order.swap(taken, pick);
        if taken > 0 {
            text.push_str(separator);
        }
        text.push_str(locale.sentences[order[taken]]);
    }
    text
}

fn locale_uses_spaces(locale: &Locale) -> bool {
    locale.sentences.first().is_some_and(|sentence| sentence.contains(' '))
}

fn word_encoding(rng: &mut Rng, text: &str) -> WordEncoding {
    let latin = text.chars().all(|c| u32::from(c) < 0x250);
    let q_per_mille = if latin { 700 } else { 200 };
    if rng.chance(q_per_mille) {
        WordEncoding::Q
    } else {
        WordEncoding::B
    }
}

fn mailbox(rng: &mut Rng, person: &Person) -> String {
    if rng.chance(150) {
        return person.address.clone();
    }
    let name = encode::display_name(&person.name, person.charset, word_encoding(rng, &person.name));
    format!("{name} <{}>", person.address)
}

fn write_subject(out: &mut Vec<u8>, rng: &mut Rng, subject: &str, charset: Charset, defect: Option<Defect>) {
    let fold = rng.chance(200);
    match defect {
        Some(Defect::RawEightBitHeader) => {
            out.extend_from_slice(b"Subject: ");
            out.extend_from_slice(subject.as_bytes());
            out.push(b'\n');
        }
        Some(Defect::BrokenEncodedWord) => {
            let mut words = encode::encoded_words(subject, Charset::Utf8, WordEncoding::B);
            words.truncate(words.len().saturating_sub(2));
            encode::header(out, "Subject", &words, fold);
        }
        _ if subject.is_ascii() => encode::header(out, "Subject", subject, fold),
        _ => {
            let charset = if charset.can_encode(subject) { charset } else { Charset::Utf8 };
            let words = encode::encoded_words(subject, charset, word_encoding(rng, subject));
            encode::header(out, "Subject", &words, fold);
        }
    }
}

/// Return-Path, 1–4 Received hops (newest first) and, on about 45 % of mail (all junk),
/// DKIM-Signature with Authentication-Results.
fn write_trace_headers(
    out: &mut Vec<u8>,
    rng: &mut Rng,
    role: Role,
    from_address: &str,
    date: DateTime<Utc>,
    internal_date: DateTime<Utc>,
) {
    let sender_domain = from_address.rsplit('@').next().unwrap_or("example.com");
    encode::header(out, "Return-Path", &format!("<{from_address}>"), false);
    let hops = rng.range(1, 4);
    for hop in 0..hops {
        let when = internal_date - Duration::seconds((hop * 3 + 1) as i64);
        let stamp = when.to_rfc2822();
        let (ip, by) = if hop + 1 == hops {
            (format!("192.0.2.{}", rng.range(1, 254)), format!("smtp.{sender_domain}"))
        } else {
            (format!("198.51.100.{}", rng.range(1, 254)), format!("mx{}.example.net", hop + 1))
        };
        let value = if hop == 0 {
            format!(
                "from {by} ({by} [{ip}])\n\tby imap.example.org (Postfix) with ESMTPS id {:010X}\n\tfor <{OWNER_ADDRESS}>; {stamp}",
                rng.next_u64() >> 24
            )
        } else if rng.chance(300) {
            format!(
                "from [IPv6:2001:db8::{:x}] (port={} helo={by})\n\tby mx{hop}.example.net with esmtpsa (TLS1.3) tls TLS_AES_256_GCM_SHA384\n\t(Exim 4.96)\n\t(envelope-from <{from_address}>)\n\tid 1r{:X}-000{:X}-{:02}; {stamp}",
                rng.below(0xffff),
                rng.range(1024, 65535),
                rng.next_u64() >> 44,
                rng.next_u64() >> 52,
                rng.below(100)
            )
        } else {
            format!(
                "from {by} ({by} [{ip}])\n\tby mx{hop}.example.net with SMTP id {:x};\n\t{stamp}",
                rng.next_u64()
            )
        };
        out.extend_from_slice(b"Received: ");
        out.extend_from_slice(value.as_bytes());
        out.push(b'\n');
    }
    let junk = role == Role::Junk;
    if junk || rng.chance(450) {
        let verdict = if junk {
            format!(
                "imap.example.org;\n\tdkim=fail (bad signature) header.d={sender_domain};\n\tspf=softfail smtp.mailfrom={sender_domain};\n\tdmarc=fail (p=REJECT) header.from={sender_domain}"
            )
        } else {
            format!(
                "imap.example.org;\n\tdkim=pass (2048-bit key) header.d={sender_domain} header.s=sel1;\n\tspf=pass smtp.mailfrom={sender_domain};\n\tdmarc=pass (p=NONE) header.from={sender_domain}"
            )
        };
        out.extend_from_slice(b"Authentication-Results: ");
        out.extend_from_slice(verdict.as_bytes());
        out.push(b'\n');
        if !junk || rng.chance(500) {
            let mut hash = [0u8; 32];
            rng.fill(&mut hash);
            let mut signature = [0u8; 256];
            rng.fill(&mut signature);
            let signature = {
                let mut lines = Vec::new();
                encode::base64_lines(&signature, &mut lines);
                String::from_utf8_lossy(&lines).trim_end().replace('\n', "\n\t ")
            };
            let mut hash_b64 = Vec::new();
            encode::base64_lines(&hash, &mut hash_b64);
            let value = format!(
                "v=1; a=rsa-sha256; c=relaxed/relaxed; d={sender_domain}; s=sel1;\n\tt={}; h=from:to:subject:date:message-id;\n\tbh={};\n\tb={signature}",
                date.timestamp(),
                String::from_utf8_lossy(&hash_b64).trim_end()
            );
            out.extend_from_slice(b"DKIM-Signature: ");
            out.extend_from_slice(value.as_bytes());
            out.push(b'\n');
        }
    }
}

fn flags_for(rng: &mut Rng, role: Role) -> Vec<Flag> {
    let mut flags = Vec::new();
    let (seen, answered, flagged) = match role {
        Role::Inbox => (750, 150, 50),
        Role::Archive => (980, 300, 30),
        Role::Sent => (1000, 0, 10),
        Role::Drafts => (1000, 0, 0),
        Role::Junk => (300, 0, 0),
        Role::Trash => (900, 50, 0),
        Role::Work => (800, 250, 100),
        Role::Receipts => (900, 0, 20),
        Role::List(_) => (600, 20, 10),
    };
    if rng.chance(seen) {
        flags.push(Flag::Seen);
        if rng.chance(answered) {
            flags.push(Flag::Answered);
        }
    }
    if rng.chance(flagged) {
        flags.push(Flag::Flagged);
    }
    match role {
        Role::Drafts => flags.push(Flag::Draft),
        Role::Junk if rng.chance(500) => flags.push(Flag::Keyword("$Junk".to_owned())),
        Role::Trash if rng.chance(20) => flags.push(Flag::Deleted),
        _ => {}
    }
    flags
}

fn boundary(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => format!("----=_Part_{}_{:x}", rng.below(1_000_000), rng.next_u64()),
        1 => format!("=-{:016x}", rng.next_u64()),
        _ => format!("b1_{:032x}", u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64())),
    }
}

fn fill_number(template: &str, rng: &mut Rng) -> String {
    if template.contains("{n}") {
        template.replace("{n}", &rng.range(2, 99_999).to_string())
    } else {
        template.to_owned()
    }
}

/// Appends `paragraph` wrapped at `width` columns on spaces; text without spaces stays whole.
fn wrap_into(out: &mut String, paragraph: &str, width: usize) {
    let mut column = 0;
    for (index, word) in paragraph.split(' ').enumerate() {
        let length = word.chars().count();
        if index > 0 {
            if column + 1 + length > width {
                out.push('\n');
                column = 0;
            } else {
                out.push(' ');
                column += 1;
            }
        }
        out.push_str(word);
        column += length;
    }
}

#[cfg(test)]
mod corpus_tests;
