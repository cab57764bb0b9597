//! Planted messages: a test states exactly the facts it will search for, and the builder writes a
//! well-formed message (UTF-8, encoded-words where needed) around them.

use chrono::{DateTime, Duration, FixedOffset, TimeZone as _, Utc};

use super::encode::{self, Charset, WordEncoding};
use super::mime::{self, Attachment, Body, FilenameStyle, Separator, TextPart, Transfer};
use super::rng::mix;
use super::{CorpusMessage, Flag, OWNER_ADDRESS, OWNER_NAME};

/// Builds one [`CorpusMessage`]. Defaults: folder INBOX, to the owner, Date
/// 2026-01-15 12:00 UTC, INTERNALDATE = Date + 30 s, a Message-ID derived from the content.
///
/// ```
/// use mailhound_tests::corpus::CorpusMessage;
/// let quote = CorpusMessage::builder()
///     .folder("Junk")
///     .from("Margaret Hollins", "m.hollins@brightwater.example")
///     .subject("Your roofing quote, revised")
///     .build();
/// assert_eq!(quote.folder, "Junk");
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct MessageBuilder {
    folder: String,
    flags: Vec<super::Flag>,
    from: (String, String),
    to: Vec<(String, String)>,
    cc: Vec<(String, String)>,
    subject: String,
    date: DateTime<FixedOffset>,
    internal_date: Option<DateTime<Utc>>,
    message_id: MessageId,
    in_reply_to: Option<String>,
    references: Vec<String>,
    extra_headers: Vec<(String, String)>,
    text: String,
    html: Option<String>,
    attachments: Vec<Attachment>,
}

#[derive(Clone, Debug)]
enum MessageId {
    Derived,
    Given(String),
    Missing,
}

impl MessageBuilder {
    pub(super) fn new() -> MessageBuilder {
        let date = Utc
            .with_ymd_and_hms(2026, 1, 15, 12, 0, 0)
            .single()
            .unwrap_or_default()
            .fixed_offset();
        MessageBuilder {
            folder: "INBOX".to_owned(),
            flags: Vec::new(),
            from: ("Test Sender".to_owned(), "sender@example.com".to_owned()),
            to: Vec::new(),
            cc: Vec::new(),
            subject: String::new(),
            date,
            internal_date: None,
            message_id: MessageId::Derived,
            in_reply_to: None,
            references: Vec::new(),
            extra_headers: Vec::new(),
            text: "Hello,\n\nthis message was planted by a test.\n".to_owned(),
            html: None,
            attachments: Vec::new(),
        }
    }

    /// The IMAP folder, `/`-separated.
    pub fn folder(mut self, folder: &str) -> Self {
        folder.clone_into(&mut self.folder);
        self
    }

    pub fn flags(mut self, flags: &[Flag]) -> Self {
        self.flags = flags.to_vec();
        self
    }

    pub fn from(mut self, name: &str, address: &str) -> Self {
        self.from = (name.to_owned(), address.to_owned());
        self
    }

    /// Adds a recipient; without any, the message goes to the owner.
    pub fn to(mut self, name: &str, address: &str) -> Self {
        self.to.push((name.to_owned(), address.to_owned()));
        self
    }

    pub fn cc(mut self, name: &str, address: &str) -> Self {
        self.cc.push((name.to_owned(), address.to_owned()));
        self
    }

    /// The decoded subject; non-ASCII is written as UTF-8 encoded-words.
    pub fn subject(mut self, subject: &str) -> Self {
        subject.clone_into(&mut self.subject);
        self
    }

    /// The Date header, in the offset given (a `DateTime<Utc>` is written as `+0000`).
    pub fn date(mut self, date: impl Into<DateTime<FixedOffset>>) -> Self {
        self.date = date.into();
        self
    }

    /// INTERNALDATE, if it should differ from Date + 30 s.
    pub fn internal_date(mut self, internal_date: DateTime<Utc>) -> Self {
        self.internal_date = Some(internal_date);
        self
    }

    /// The Message-ID, with angle brackets.
    pub fn message_id(mut self, message_id: &str) -> Self {
        self.message_id = MessageId::Given(message_id.to_owned());
        self
    }

    pub fn without_message_id(mut self) -> Self {
        self.message_id = MessageId::Missing;
        self
    }

    /// Makes this a reply: In-Reply-To is `parent`, References ends with it.
    pub fn in_reply_to(mut self, parent: &str) -> Self {
        self.in_reply_to = Some(parent.to_owned());
        self.references.push(parent.to_owned());
        self
    }

    /// Any other header, written as given (e.g. `List-Id`, `X-Spam-Flag`).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.extra_headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The plain-text body.
    pub fn text(mut self, text: &str) -> Self {
        text.clone_into(&mut self.text);
        self
    }

    /// Adds an HTML alternative to the text body.
    pub fn html(mut self, html: &str) -> Self {
        self.html = Some(html.to_owned());
        self
    }

    /// Adds a base64 attachment; a non-ASCII `filename` is written RFC 2231-style.
    pub fn attachment(mut self, filename: &str, content_type: &str, data: &[u8]) -> Self {
        self.attachments.push(Attachment {
            content_type: content_type.to_owned(),
            filename: filename.to_owned(),
            filename_style: if filename.is_ascii() {
                FilenameStyle::Plain
            } else {
                FilenameStyle::Rfc2231
            },
            data: data.to_vec(),
        });
        self
    }

    pub fn build(self) -> CorpusMessage {
        let date_utc = self.date.with_timezone(&Utc);
        let message_id = match self.message_id {
            MessageId::Given(id) => Some(id),
            MessageId::Missing => None,
            MessageId::Derived => {
                let hash = self
                    .subject
                    .bytes()
                    .chain(self.from.1.bytes())
                    .fold(date_utc.timestamp() as u64, |acc, byte| mix(acc ^ u64::from(byte)));
                Some(format!("<planted.{hash:016x}@example.test>"))
            }
        };

        let mut out = Vec::with_capacity(2048 + self.text.len());
        let mailbox = |(name, address): &(String, String)| {
            if name.is_empty() {
                format!("<{address}>")
            } else {
                let encoded = encode::display_name(name, Charset::Utf8, WordEncoding::B);
                format!("{encoded} <{address}>")
            }
        };
        encode::header(&mut out, "From", &mailbox(&self.from), false);
        let owner = [(OWNER_NAME.to_owned(), OWNER_ADDRESS.to_owned())];
        let recipients = if self.to.is_empty() { &owner[..] } else { &self.to[..] };
        let to: Vec<String> = recipients.iter().map(mailbox).collect();
        encode::header(&mut out, "To", &to.join(", "), false);
        if !self.cc.is_empty() {
            let cc: Vec<String> = self.cc.iter().map(mailbox).collect();
            encode::header(&mut out, "Cc", &cc.join(", "), false);
        }
        let subject = if self.subject.is_ascii() {
            self.subject.clone()
        } else {
            encode::encoded_words(&self.subject, Charset::Utf8, WordEncoding::Q)
        };
        encode::header(&mut out, "Subject", &subject, false);
        encode::header(&mut out, "Date", &self.date.to_rfc2822(), false);
        if let Some(id) = &message_id {
            encode::header(&mut out, "Message-ID", id, false);
        }
        if let Some(parent) = &self.in_reply_to {
            encode::header(&mut out, "In-Reply-To", parent, false);
            encode::header(&mut out, "References", &self.references.join(" "), false);
        }
        for (name, value) in &self.extra_headers {
            encode::header(&mut out, name, value, false);
        }
        encode::header(&mut out, "MIME-Version", "1.0", false);

        let boundary = |kind: &str| format!("=_mailhound_{kind}_{:012x}", mix(date_utc.timestamp() as u64) >> 16);
        let plain = TextPart::new("plain", self.text, Charset::Utf8, Transfer::QuotedPrintable);
        let text_body = match self.html {
            Some(html) => Body::Alternative {
                plain,
                html: TextPart::new("html", html, Charset::Utf8, Transfer::QuotedPrintable),
                boundary: boundary("alt"),
            },
            None => Body::Text(plain),
        };
        let body = if self.attachments.is_empty() {
            text_body
        } else {
            Body::Mixed {
                inner: Box::new(text_body),
                attachments: self.attachments,
                boundary: boundary("mixed"),
            }
        };
        mime::write_entity(&mut out, &body, Separator::Blank);

        CorpusMessage {
            folder: self.folder,
            flags: self.flags,
            internal_date: self.internal_date.unwrap_or(date_utc + Duration::seconds(30)),
            message_id,
            from_name: self.from.0,
            from_address: self.from.1,
            subject: self.subject,
            date: Some(date_utc),
            defect: None,
            bytes: out,
        }
    }
}
