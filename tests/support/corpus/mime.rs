//! MIME bodies (text, alternative, mixed with attachments) and their serialisation, shared by
//! the generator and the builder of planted messages.

use super::encode::{self, Charset, WordEncoding};

/// A Content-Transfer-Encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transfer {
    SevenBit,
    EightBit,
    QuotedPrintable,
    Base64,
}

#[derive(Clone, Debug)]
pub struct TextPart {
    /// `plain` or `html`.
    pub subtype: &'static str,
    pub text: String,
    pub charset: Charset,
    pub transfer: Transfer,
}

impl TextPart {
    /// A text part in `charset` (UTF-8 if it cannot hold `text`); pure ASCII is always 7bit.
    pub fn new(subtype: &'static str, text: String, charset: Charset, transfer: Transfer) -> Self {
        let charset = if charset.can_encode(&text) { charset } else { Charset::Utf8 };
        let transfer = if text.is_ascii() { Transfer::SevenBit } else { transfer };
        TextPart {
            subtype,
            text,
            charset,
            transfer,
        }
    }
}

/// How an attachment's file name is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilenameStyle {
    /// `filename="name.pdf"` (non-ASCII names fall back to `EncodedWord`).
    Plain,
    /// `filename*=UTF-8''…` (RFC 2231).
    Rfc2231,
    /// `filename="=?UTF-8?Q?…?="`, as Outlook and others write it.
    EncodedWord,
}

#[derive(Clone, Debug)]
pub struct Attachment {
    pub content_type: String,
    pub filename: String,
    pub filename_style: FilenameStyle,
    pub data: Vec<u8>,
}

#[derive(Clone, Debug)]
pub enum Body {
    Text(TextPart),
    Alternative {
        plain: TextPart,
        html: TextPart,
        boundary: String,
    },
    Mixed {
        inner: Box<Body>,
        attachments: Vec<Attachment>,
        boundary: String,
    },
}

/// Whether the blank line between the header block and the body is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    Blank,
    /// A malformed message: the body follows the last header line directly.
    Missing,
}

/// Writes the entity's Content-* headers, the separator and its content.
pub fn write_entity(out: &mut Vec<u8>, body: &Body, separator: Separator) {
    match body {
        Body::Text(part) => {
            write_text_headers(out, part);
            if separator == Separator::Blank {
                out.push(b'\n');
            }
            write_text_content(out, part);
        }
        Body::Alternative { plain, html, boundary } => {
            write_multipart_header(out, "alternative", boundary);
            if separator == Separator::Blank {
                out.push(b'\n');
            }
            for part in [plain, html] {
                open_part(out, boundary);
                write_text_headers(out, part);
                out.push(b'\n');
                write_text_content(out, part);
            }
            close_multipart(out, boundary);
        }
        Body::Mixed {
            inner,
            attachments,
            boundary,
        } => {
            write_multipart_header(out, "mixed", boundary);
            if separator == Separator::Blank {
                out.push(b'\n');
            }
            out.extend_from_slice(b"This is a multi-part message in MIME format.\n");
            open_part(out, boundary);
            write_entity(out, inner, Separator::Blank);
            for attachment in attachments {
                open_part(out, boundary);
                write_attachment(out, attachment);
            }
            close_multipart(out, boundary);
        }
    }
}

fn write_multipart_header(out: &mut Vec<u8>, subtype: &str, boundary: &str) {
    out.extend_from_slice(format!("Content-Type: multipart/{subtype};\n boundary=\"{boundary}\"\n").as_bytes());
}

fn open_part(out: &mut Vec<u8>, boundary: &str) {
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    out.extend_from_slice(b"\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.push(b'\n');
}

fn close_multipart(out: &mut Vec<u8>, boundary: &str) {
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
    out.extend_from_slice(b"\n--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\n");
}

fn write_text_headers(out: &mut Vec<u8>, part: &TextPart) {
    out.extend_from_slice(format!("Content-Type: text/{}; charset=\"{}\"\n", part.subtype, part.charset.label()).as_bytes());
    let transfer = match part.transfer {
        Transfer::SevenBit => "7bit",
        Transfer::EightBit => "8bit",
        Transfer::QuotedPrintable => "quoted-printable",
        Transfer::Base64 => "base64",
    };
    out.extend_from_slice(format!("Content-Transfer-Encoding: {transfer}\n").as_bytes());
}

fn write_text_content(out: &mut Vec<u8>, part: &TextPart) {
    let bytes = part.charset.encode(&part.text);
    match part.transfer {
        Transfer::SevenBit | Transfer::EightBit => out.extend_from_slice(&bytes),
        Transfer::QuotedPrintable => encode::quoted_printable(&bytes, out),
        Transfer::Base64 => encode::base64_lines(&bytes, out),
    }
    if out.last() != Some(&b'\n') {
        out.push(b'\n');
    }
}

fn write_attachment(out: &mut Vec<u8>, attachment: &Attachment) {
    let style = match attachment.filename_style {
        FilenameStyle::Plain if !attachment.filename.is_ascii() => FilenameStyle::EncodedWord,
        style => style,
    };
    let (name_param, filename_param) = match style {
        FilenameStyle::Plain => (
            format!("name=\"{}\"", attachment.filename),
            format!("filename=\"{}\"", attachment.filename),
        ),
        FilenameStyle::Rfc2231 => {
            let value = encode::rfc2231_value(&attachment.filename);
            (format!("name*={value}"), format!("filename*={value}"))
        }
        FilenameStyle::EncodedWord => {
            let word = encode::encoded_words(&attachment.filename, Charset::Utf8, WordEncoding::Q);
            (format!("name=\"{word}\""), format!("filename=\"{word}\""))
        }
    };
    out.extend_from_slice(
        format!(
            "Content-Type: {};\n {name_param}\nContent-Disposition: attachment;\n {filename_param}\nContent-Transfer-Encoding: base64\n\n",
            attachment.content_type
        )
        .as_bytes(),
    );
    encode::base64_lines(&attachment.data, out);
}

/// Minimal HTML for a plain-text body: paragraphs, quotes as blockquote.
pub fn html_from_text(text: &str) -> String {
    let mut html = String::with_capacity(text.len() * 2 + 120);
    html.push_str("<html>\n<head><meta http-equiv=\"Content-Type\" content=\"text/html\"></head>\n<body>\n");
    for paragraph in text.split("\n\n") {
        let quoted = paragraph.lines().all(|line| line.starts_with('>'));
        if quoted {
            html.push_str("<blockquote type=\"cite\">");
        } else {
            html.push_str("<p>");
        }
        for (index, line) in paragraph.lines().enumerate() {
            if index > 0 {
                html.push_str("<br>\n");
            }
            let line = if quoted { line.trim_start_matches('>').trim_start() } else { line };
            escape_html(line, &mut html);
        }
        html.push_str(if quoted { "</blockquote>\n" } else { "</p>\n" });
    }
    html.push_str("</body>\n</html>\n");
    html
}

fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}
