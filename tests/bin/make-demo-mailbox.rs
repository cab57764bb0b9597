//! Writes the demo mailbox: about 60 story-like messages as `.eml` files in
//! `demo-mailbox/<Folder>/NNN.eml`, with a few findable stories among look-alikes (see
//! `demo-mailbox/README.md`).
//!
//! Usage: `make-demo-mailbox [DIR]` (default: `demo-mailbox/` at the workspace root).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::DateTime;
use mailhound_tests::corpus::{CorpusMessage, OWNER_ADDRESS, OWNER_NAME};

/// The folders, each one directory.
const FOLDERS: &[&str] = &["INBOX", "Junk", "Trash", "Archive", "Sent", "Family"];

/// One demo message. Dates are RFC 3339 with the sender's offset.
struct Demo {
    folder: &'static str,
    from: (&'static str, &'static str),
    subject: &'static str,
    date: &'static str,
    message_id: &'static str,
    in_reply_to: Option<&'static str>,
    text: &'static str,
    attachment: Option<(&'static str, &'static str)>,
    extra: &'static [(&'static str, &'static str)],
}

const ME: (&str, &str) = (OWNER_NAME, OWNER_ADDRESS);
const MARGARET: (&str, &str) = ("Margaret Hollins", "m.hollins@brightwater.example");
const SAM: (&str, &str) = ("Sam Keller", "sam.keller@family.example");
const RUTH: (&str, &str) = ("Ruth Keller", "ruth.keller@family.example");
const SCHOOL: (&str, &str) = ("Oakfield Primary School Office", "office@oakfield-primary.example");
const GREENLEAF: (&str, &str) = ("Greenleaf Gardening", "accounts@greenleaf-gardens.example");

const DEMOS: &[Demo] = &[
    // The roofing story: quote, request for a revision, and the revision caught by the spam filter.
    Demo {
        folder: "Archive",
        from: MARGARET,
        subject: "[Quotes] Your roofing quote",
        date: "2026-10-20T16:02:00+01:00",
        message_id: "<roof-quote-2026-117@brightwater.example>",
        in_reply_to: None,
        text: "Dear Robin,\n\nthank you for having us round on Friday. Please find our quote for the \
               roof attached: re-battening and new slate on the north side, 9,200 EUR including \
               scaffolding.\n\nKind regards,\nMargaret Hollins\nBrightwater Roofing\n",
        attachment: Some(("Brightwater quote 2026-117.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "Sent",
        from: ME,
        subject: "Re: [Quotes] Your roofing quote",
        date: "2026-10-28T21:40:00+01:00",
        message_id: "<re-roof-quote-2026-117@example.org>",
        in_reply_to: Some("<roof-quote-2026-117@brightwater.example>"),
        text: "Hello Margaret,\n\nthanks for the quote. Could you add the lead flashing around the \
               chimney and see whether the price can come down a little?\n\nBest,\nRobin\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Junk",
        from: MARGARET,
        subject: "Re: [Quotes] Your roofing quote, revised",
        date: "2026-11-05T09:14:00+01:00",
        message_id: "<roof-quote-revised-2026@brightwater.example>",
        in_reply_to: Some("<re-roof-quote-2026-117@example.org>"),
        text: "Dear Robin,\n\nas promised, here is the revised quote: the chimney flashing is now \
               included and the total comes to 8,450 EUR. The offer is valid until the end of \
               January.\n\nKind regards,\nMargaret Hollins\nBrightwater Roofing\n",
        attachment: Some(("Brightwater quote 2026-117 rev2.pdf", "application/pdf")),
        extra: &[("X-Spam-Flag", "YES"), ("X-Spam-Score", "5.3")],
    },
    // Look-alikes for the roofing story.
    Demo {
        folder: "Junk",
        from: ("Roofing Deals", "offers@cheap-roofs.example"),
        subject: "Exclusive roofing quote: 70% off this week only",
        date: "2026-11-04T03:12:00+00:00",
        message_id: "<deal-88412@cheap-roofs.example>",
        in_reply_to: None,
        text: "Get a FREE roofing quote today! Limited offer, click now.\n",
        attachment: None,
        extra: &[("X-Spam-Flag", "YES")],
    },
    Demo {
        folder: "INBOX",
        from: ("TopRoof Ltd", "quotes@toproof.example"),
        subject: "Your roofing quote",
        date: "2026-10-15T11:30:00+01:00",
        message_id: "<q-5512@toproof.example>",
        in_reply_to: None,
        text: "Dear customer,\n\nour quote for the roof repair is 11,900 EUR. We can start in \
               March.\n\nTopRoof Ltd\n",
        attachment: Some(("TopRoof-quote-5512.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Margaret Okafor", "margaret.okafor@example.com"),
        subject: "Quote for gutter cleaning",
        date: "2026-11-02T08:05:00+00:00",
        message_id: "<gutter-2026-31@example.com>",
        in_reply_to: None,
        text: "Hi Robin,\n\ncleaning and checking all gutters would be 180 EUR. Let me know if \
               that works.\n\nMargaret\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Trash",
        from: ("Jürgen Weiß", "j.weiss@dachdecker.example"),
        subject: "Angebot Dachsanierung – überarbeitet",
        date: "2026-10-30T14:20:00+01:00",
        message_id: "<angebot-774@dachdecker.example>",
        in_reply_to: None,
        text: "Guten Tag Herr Keller,\n\nanbei unser überarbeitetes Angebot für die \
               Dachsanierung.\n\nMit freundlichen Grüßen\nJürgen Weiß\n",
        attachment: Some(("Angebot Dachsanierung überarbeitet.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "Family",
        from: ("Margaret Hollis", "maggie.hollis@family.example"),
        subject: "Sunday lunch?",
        date: "2026-11-06T10:00:00+00:00",
        message_id: "<lunch-1106@family.example>",
        in_reply_to: None,
        text: "Hi both,\n\nare you free for lunch on Sunday? We could try the new place by the \
               river.\n\nLove, Maggie\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Archive",
        from: ("Brightwater Roofing", "newsletter@brightwater.example"),
        subject: "Autumn newsletter: is your roof ready for winter?",
        date: "2026-09-30T07:00:00+01:00",
        message_id: "<news-2026-09@brightwater.example>",
        in_reply_to: None,
        text: "Five things to check before the first storm of the season.\n",
        attachment: None,
        extra: &[("List-Id", "Brightwater news <news.brightwater.example>")],
    },
    // The school trip form, deleted by mistake.
    Demo {
        folder: "Trash",
        from: SCHOOL,
        subject: "Permission form: Year 5 trip to the Science Museum",
        date: "2026-09-18T13:45:00+01:00",
        message_id: "<trip-y5-2026@oakfield-primary.example>",
        in_reply_to: None,
        text: "Dear parents and carers,\n\nYear 5 will visit the Science Museum on 14 October. \
               Please sign the attached permission form and return it by 2 October, together \
               with 12 EUR for the coach.\n\nOakfield Primary School\n",
        attachment: Some(("Year 5 trip permission form.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: SCHOOL,
        subject: "School newsletter – week 38",
        date: "2026-09-19T15:00:00+01:00",
        message_id: "<newsletter-38-2026@oakfield-primary.example>",
        in_reply_to: None,
        text: "This week: harvest festival, the new lunch menu and a reminder about trip forms.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Family",
        from: SAM,
        subject: "Re: school trip money",
        date: "2026-09-25T19:12:00+01:00",
        message_id: "<trip-money@family.example>",
        in_reply_to: None,
        text: "Did you send the trip form back? I paid the 12 EUR online but I can't find the \
               form anywhere.\n\nSam\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Archive",
        from: SCHOOL,
        subject: "Permission form: Year 3 swimming lessons",
        date: "2026-03-02T12:00:00+00:00",
        message_id: "<swim-y3-2026@oakfield-primary.example>",
        in_reply_to: None,
        text: "Dear parents and carers,\n\nplease return the swimming permission form by \
               Friday.\n",
        attachment: Some(("Swimming permission form.pdf", "application/pdf")),
        extra: &[],
    },
    // The archived invoice.
    Demo {
        folder: "Archive",
        from: GREENLEAF,
        subject: "Invoice INV-2026-0412 for garden maintenance",
        date: "2026-08-02T10:15:00+01:00",
        message_id: "<inv-2026-0412@greenleaf-gardens.example>",
        in_reply_to: None,
        text: "Dear Robin Keller,\n\nplease find attached invoice INV-2026-0412 for hedge cutting \
               and lawn care in July: 340.00 EUR, due within 30 days.\n\nGreenleaf Gardening\n",
        attachment: Some(("INV-2026-0412.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "Junk",
        from: ("Accounts Department", "billing@invoice-center.example"),
        subject: "Invoice overdue - final notice",
        date: "2026-08-10T02:44:00+00:00",
        message_id: "<final-notice-99@invoice-center.example>",
        in_reply_to: None,
        text: "Your invoice is overdue. Open the attachment to avoid legal action.\n",
        attachment: Some(("invoice_0412.zip", "application/zip")),
        extra: &[("X-Spam-Flag", "YES")],
    },
    Demo {
        folder: "INBOX",
        from: ("Stadtwerke Nord", "rechnung@stadtwerke.example"),
        subject: "Ihre Rechnung für Oktober",
        date: "2026-11-01T06:00:00+01:00",
        message_id: "<rechnung-10-2026@stadtwerke.example>",
        in_reply_to: None,
        text: "Sehr geehrte Kundin, sehr geehrter Kunde,\n\nIhre Rechnung für Oktober steht im \
               Kundenportal bereit.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Archive",
        from: GREENLEAF,
        subject: "Invoice INV-2026-0377 for garden maintenance",
        date: "2026-07-01T10:15:00+01:00",
        message_id: "<inv-2026-0377@greenleaf-gardens.example>",
        in_reply_to: None,
        text: "Dear Robin Keller,\n\nplease find attached invoice INV-2026-0377 for June: 290.00 \
               EUR.\n\nGreenleaf Gardening\n",
        attachment: Some(("INV-2026-0377.pdf", "application/pdf")),
        extra: &[],
    },
    // Family.
    Demo {
        folder: "Family",
        from: RUTH,
        subject: "Photos from the lake",
        date: "2026-08-21T18:30:00+02:00",
        message_id: "<lake-photos@family.example>",
        in_reply_to: None,
        text: "Here are the photos from our week at the lake. The kids were in the water every \
               day!\n\nLove, Grandma\n",
        attachment: Some(("lake.jpg", "image/jpeg")),
        extra: &[],
    },
    Demo {
        folder: "Sent",
        from: ME,
        subject: "Re: Photos from the lake",
        date: "2026-08-22T08:10:00+02:00",
        message_id: "<re-lake-photos@example.org>",
        in_reply_to: Some("<lake-photos@family.example>"),
        text: "They are lovely, thank you! The one on the jetty is going on the fridge.\n\nRobin\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Family",
        from: SAM,
        subject: "Christmas at Ruth's?",
        date: "2026-11-08T20:02:00+00:00",
        message_id: "<xmas-plan@family.example>",
        in_reply_to: None,
        text: "Ruth asked whether we come on the 24th or the 25th. I'd say the 24th and we stay \
               two nights.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Family",
        from: RUTH,
        subject: "Happy birthday, Robin!",
        date: "2026-05-14T07:30:00+02:00",
        message_id: "<bday-2026@family.example>",
        in_reply_to: None,
        text: "Happy birthday, darling! Have a wonderful day.\n\nRuth\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Family",
        from: ("Zoë Keller", "zoe.keller@family.example"),
        subject: "Weihnachtsmarkt in Köln?",
        date: "2026-11-10T12:45:00+01:00",
        message_id: "<koeln-2026@family.example>",
        in_reply_to: None,
        text: "Wollen wir dieses Jahr zusammen auf den Weihnachtsmarkt in Köln? Ich lade euch \
               auf Glühwein ein.\n\nZoë\n",
        attachment: None,
        extra: &[],
    },
    // Everyday mail.
    Demo {
        folder: "INBOX",
        from: ("Smile Dental", "reminders@smile-dental.example"),
        subject: "Appointment reminder: Tuesday 17 November, 09:30",
        date: "2026-11-10T09:00:00+00:00",
        message_id: "<appt-8812@smile-dental.example>",
        in_reply_to: None,
        text: "This is a reminder of your check-up on Tuesday 17 November at 09:30.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Parcel Service", "noreply@parcels.example"),
        subject: "Your parcel is on its way",
        date: "2026-11-09T07:22:00+01:00",
        message_id: "<track-33120@parcels.example>",
        in_reply_to: None,
        text: "Your parcel 3312-0448 will arrive tomorrow between 10:00 and 14:00.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Library Services", "loans@city-library.example"),
        subject: "Two items due back on Friday",
        date: "2026-11-07T08:00:00+01:00",
        message_id: "<loans-7781@city-library.example>",
        in_reply_to: None,
        text: "\"The Hidden Life of Trees\" and \"Roofing for Beginners\" are due back on Friday.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Anna Lindqvist", "anna.lindqvist@kontor.example"),
        subject: "Minutes of the residents' meeting",
        date: "2026-11-03T19:30:00+01:00",
        message_id: "<minutes-nov@kontor.example>",
        in_reply_to: None,
        text: "Hi all,\n\nthe minutes are attached. Main points: bike shed, the roof of block B, \
               and the summer party.\n\nAnna\n",
        attachment: Some(("Minutes residents meeting November.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("田中 陽子", "yoko.tanaka@yamada.example"),
        subject: "来週の打ち合わせについて",
        date: "2026-11-06T10:12:00+09:00",
        message_id: "<mtg-1106@yamada.example>",
        in_reply_to: None,
        text: "ケラー様\n\n来週の打ち合わせは木曜日の午後でいかがでしょうか。\n\n田中\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Rust users", "rust-users@lists.example.org"),
        subject: "[rust-users] Weekly digest",
        date: "2026-11-09T06:00:00+00:00",
        message_id: "<digest-2026-45@lists.example.org>",
        in_reply_to: None,
        text: "This week: async traits, a new parser crate and a question about lifetimes.\n",
        attachment: None,
        extra: &[("List-Id", "Rust users <rust-users.lists.example.org>")],
    },
    Demo {
        folder: "INBOX",
        from: ("Bank Notifications", "alerts@bank.example"),
        subject: "Your monthly statement is ready",
        date: "2026-11-02T05:00:00+01:00",
        message_id: "<stmt-2026-10@bank.example>",
        in_reply_to: None,
        text: "Your statement for October is available in online banking.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Car Insurance", "renewals@insure.example"),
        subject: "Insurance renewal notice",
        date: "2026-10-25T09:00:00+01:00",
        message_id: "<renew-4410@insure.example>",
        in_reply_to: None,
        text: "Your policy renews on 1 December. No action is needed if nothing has changed.\n",
        attachment: Some(("Renewal schedule.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Tom Bennett", "tom.bennett@example.net"),
        subject: "Ladder",
        date: "2026-11-04T17:40:00+00:00",
        message_id: "<ladder@example.net>",
        in_reply_to: None,
        text: "Hi Robin, can I borrow your long ladder on Saturday? I'll bring it back the same \
               day.\n\nTom\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Sent",
        from: ME,
        subject: "Re: Ladder",
        date: "2026-11-04T18:02:00+00:00",
        message_id: "<re-ladder@example.org>",
        in_reply_to: Some("<ladder@example.net>"),
        text: "Sure, it's in the garage. Mind the roof tiles by the door.\n\nRobin\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Sent",
        from: ME,
        subject: "Trip form",
        date: "2026-09-26T07:55:00+01:00",
        message_id: "<trip-form-sam@example.org>",
        in_reply_to: None,
        text: "Sam, I think I deleted the school's email with the form. I'll ask the office \
               for another copy.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Sent",
        from: ME,
        subject: "Hedge cutting in August",
        date: "2026-07-20T12:00:00+01:00",
        message_id: "<hedge-aug@example.org>",
        in_reply_to: None,
        text: "Hello Greenleaf team, could you come in the second week of August this time?\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Sent",
        from: ME,
        subject: "Re: Appointment reminder: Tuesday 17 November, 09:30",
        date: "2026-11-10T12:30:00+00:00",
        message_id: "<re-appt@example.org>",
        in_reply_to: Some("<appt-8812@smile-dental.example>"),
        text: "Confirmed, thank you.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Archive",
        from: ("Rail Tickets", "tickets@rail.example"),
        subject: "Your e-ticket: Hamburg – Köln, 12 September",
        date: "2026-09-01T20:10:00+02:00",
        message_id: "<ticket-55120@rail.example>",
        in_reply_to: None,
        text: "Your e-ticket is attached. Have a good journey!\n",
        attachment: Some(("e-ticket 55120.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "Archive",
        from: ("Example Books", "orders@shop.example.org"),
        subject: "Your order #40113 has shipped",
        date: "2026-06-11T14:00:00+01:00",
        message_id: "<order-40113@shop.example.org>",
        in_reply_to: None,
        text: "\"Roofing for Beginners\" is on its way.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Archive",
        from: ("Anna Lindqvist", "anna.lindqvist@kontor.example"),
        subject: "Minutes of the residents' meeting",
        date: "2026-06-02T19:30:00+01:00",
        message_id: "<minutes-jun@kontor.example>",
        in_reply_to: None,
        text: "Minutes attached. The roof inspection of block B is planned for October.\n",
        attachment: Some(("Minutes residents meeting June.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "Trash",
        from: ("Parcel Service", "noreply@parcels.example"),
        subject: "Your parcel was delivered",
        date: "2026-10-12T13:02:00+01:00",
        message_id: "<track-30001@parcels.example>",
        in_reply_to: None,
        text: "Your parcel was handed to a neighbour.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Trash",
        from: ("Pizza Place", "offers@pizza.example"),
        subject: "2 for 1 on Tuesdays",
        date: "2026-10-06T16:00:00+01:00",
        message_id: "<pizza-2for1@pizza.example>",
        in_reply_to: None,
        text: "Every Tuesday: two pizzas for the price of one.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Trash",
        from: SCHOOL,
        subject: "Lost property reminder",
        date: "2026-09-22T15:10:00+01:00",
        message_id: "<lost-property@oakfield-primary.example>",
        in_reply_to: None,
        text: "Please check the lost property box before half term.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Trash",
        from: ("Gym Club", "hello@gym.example"),
        subject: "We miss you!",
        date: "2026-10-01T08:00:00+01:00",
        message_id: "<miss-you@gym.example>",
        in_reply_to: None,
        text: "Come back this month and get a free personal training session.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Junk",
        from: ("Prize Department", "winner@lucky-draw.example"),
        subject: "You have won a $1,000 gift card!",
        date: "2026-10-19T01:01:00+00:00",
        message_id: "<win-1000@lucky-draw.example>",
        in_reply_to: None,
        text: "Claim your prize now!\n",
        attachment: None,
        extra: &[("X-Spam-Flag", "YES")],
    },
    Demo {
        folder: "Junk",
        from: ("Account Security", "security@paypa1-verify.example"),
        subject: "Your account has been suspended",
        date: "2026-11-01T04:30:00+00:00",
        message_id: "<suspended-1@paypa1-verify.example>",
        in_reply_to: None,
        text: "Verify your identity within 24 hours.\n",
        attachment: None,
        extra: &[("X-Spam-Flag", "YES")],
    },
    Demo {
        folder: "Junk",
        from: ("Crypto Advisor", "invest@moon-coin.example"),
        subject: "Limited offer: double your investment",
        date: "2026-10-27T22:00:00+00:00",
        message_id: "<double-it@moon-coin.example>",
        in_reply_to: None,
        text: "Guaranteed returns. Act now.\n",
        attachment: None,
        extra: &[("X-Spam-Flag", "YES")],
    },
    Demo {
        folder: "Junk",
        from: ("Lotto Gewinnspiel", "gewinn@lotto-info.example"),
        subject: "Sie haben gewonnen! Ihr Gewinn: 25.000 EUR",
        date: "2026-10-14T03:00:00+00:00",
        message_id: "<gewinn-25k@lotto-info.example>",
        in_reply_to: None,
        text: "Herzlichen Glückwunsch! Antworten Sie mit Ihren Bankdaten.\n",
        attachment: None,
        extra: &[("X-Spam-Flag", "YES")],
    },
    Demo {
        folder: "Junk",
        from: ("Margaret", "margaret.deals@promo-mail.example"),
        subject: "Re: your quote request",
        date: "2026-11-05T23:59:00+00:00",
        message_id: "<promo-quote@promo-mail.example>",
        in_reply_to: None,
        text: "Hi dear, I saw you want a new roof. Cheapest prices guaranteed!\n",
        attachment: None,
        extra: &[("X-Spam-Flag", "YES")],
    },
    Demo {
        folder: "INBOX",
        from: GREENLEAF,
        subject: "Autumn leaf collection",
        date: "2026-10-29T09:30:00+01:00",
        message_id: "<leaves-2026@greenleaf-gardens.example>",
        in_reply_to: None,
        text: "We will collect leaves on 12 November. Reply if you would like to skip it this \
               year.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Sam Keller", "sam.keller@family.example"),
        subject: "Shopping list",
        date: "2026-11-10T17:05:00+00:00",
        message_id: "<shopping-1110@family.example>",
        in_reply_to: None,
        text: "Milk, bread, apples, batteries for the smoke alarm.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Hélène Dupré", "helene.dupre@societe.example"),
        subject: "Devis pour la toiture de l'immeuble",
        date: "2026-10-22T11:11:00+02:00",
        message_id: "<devis-toiture@societe.example>",
        in_reply_to: None,
        text: "Bonjour Robin,\n\nje vous transmets le devis reçu pour la toiture de l'immeuble, \
               pour information.\n\nCordialement,\nHélène\n",
        attachment: Some(("devis toiture.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Council Tax Office", "council-tax@city.example"),
        subject: "Annual council tax bill 2026/27",
        date: "2026-03-15T09:00:00+00:00",
        message_id: "<ctax-2026@city.example>",
        in_reply_to: None,
        text: "Your annual bill is attached.\n",
        attachment: Some(("Council tax 2026-27.pdf", "application/pdf")),
        extra: &[],
    },
    Demo {
        folder: "Archive",
        from: ("Car Insurance", "renewals@insure.example"),
        subject: "Insurance renewal notice",
        date: "2025-10-25T09:00:00+01:00",
        message_id: "<renew-3307@insure.example>",
        in_reply_to: None,
        text: "Your policy renews on 1 December 2025.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Archive",
        from: MARGARET,
        subject: "[Quotes] Gutter repair",
        date: "2024-05-13T10:00:00+01:00",
        message_id: "<gutter-2024-051@brightwater.example>",
        in_reply_to: None,
        text: "Dear Robin,\n\nour quote for repairing the gutter above the kitchen is 420 \
               EUR.\n\nMargaret Hollins\nBrightwater Roofing\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Family",
        from: SAM,
        subject: "Roof people",
        date: "2026-11-06T21:15:00+00:00",
        message_id: "<roof-people@family.example>",
        in_reply_to: None,
        text: "Did Brightwater ever send the new quote? I thought they promised it for this \
               week.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Family",
        from: RUTH,
        subject: "Recipe for the plum cake",
        date: "2026-09-07T16:20:00+02:00",
        message_id: "<plum-cake@family.example>",
        in_reply_to: None,
        text: "As promised: 500 g plums, 250 g flour, 125 g butter, 100 g sugar, one egg. Bake \
               for 40 minutes at 180 degrees.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Sent",
        from: ME,
        subject: "Re: Roof people",
        date: "2026-11-06T21:40:00+00:00",
        message_id: "<re-roof-people@example.org>",
        in_reply_to: Some("<roof-people@family.example>"),
        text: "Not yet. I'll chase Margaret on Monday.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "Sent",
        from: ME,
        subject: "Re: Christmas at Ruth's?",
        date: "2026-11-08T20:30:00+00:00",
        message_id: "<re-xmas-plan@example.org>",
        in_reply_to: Some("<xmas-plan@family.example>"),
        text: "The 24th sounds good.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Oakfield PTA", "pta@oakfield-primary.example"),
        subject: "Volunteers for the winter fair",
        date: "2026-11-09T18:00:00+00:00",
        message_id: "<winter-fair@oakfield-primary.example>",
        in_reply_to: None,
        text: "We need helpers for the cake stall and the tombola on 28 November.\n",
        attachment: None,
        extra: &[],
    },
    Demo {
        folder: "INBOX",
        from: ("Marta Öberg", "marta.oberg@example.net"),
        subject: "Tack för middagen!",
        date: "2026-10-18T22:05:00+02:00",
        message_id: "<tack@example.net>",
        in_reply_to: None,
        text: "Tack för en underbar kväll, vi ses snart igen!\n\nMärta\n",
        attachment: None,
        extra: &[],
    },
];

fn main() -> ExitCode {
    match run() {
        Ok(written) => {
            println!("make-demo-mailbox: wrote {written} messages");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("make-demo-mailbox: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> io::Result<usize> {
    let root = std::env::args_os().nth(1).map_or_else(committed_mailbox, PathBuf::from);
    write_mailbox(&root)
}

fn committed_mailbox() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo-mailbox")
}

/// Writes every demo message below `root`, replacing the `.eml` files already there.
fn write_mailbox(root: &Path) -> io::Result<usize> {
    for folder in FOLDERS {
        let dir = root.join(folder);
        fs::create_dir_all(&dir)?;
        // NOTE: only `.eml` files are removed, so a stray file put there by hand survives.
        for entry in fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.extension().is_some_and(|ext| ext == "eml") {
                fs::remove_file(&path)?;
            }
        }
    }

    let mut messages = Vec::with_capacity(DEMOS.len());
    for demo in DEMOS {
        if !FOLDERS.contains(&demo.folder) {
            return Err(io::Error::other(format!("unknown folder {}", demo.folder)));
        }
        messages.push(build(demo)?);
    }
    messages.sort_by_key(|message| (message.folder.clone(), message.internal_date));
    let mut written = 0;
    for folder in FOLDERS {
        for (number, message) in messages.iter().filter(|message| message.folder == *folder).enumerate() {
            let path = root.join(folder).join(format!("{:03}.eml", number + 1));
            fs::write(&path, &message.bytes)?;
            written += 1;
        }
    }
    Ok(written)
}

fn build(demo: &Demo) -> io::Result<CorpusMessage> {
    let date = DateTime::parse_from_rfc3339(demo.date).map_err(|e| io::Error::other(format!("{}: {e}", demo.date)))?;
    let mut builder = CorpusMessage::builder()
        .folder(demo.folder)
        .from(demo.from.0, demo.from.1)
        .subject(demo.subject)
        .date(date)
        .message_id(demo.message_id)
        .text(&wrap(demo.text, 72));
    if demo.from == ME {
        builder = builder.to(recipient_of(demo).0, recipient_of(demo).1);
    }
    if let Some(parent) = demo.in_reply_to {
        builder = builder.in_reply_to(parent);
    }
    for (name, value) in demo.extra {
        builder = builder.header(name, value);
    }
    if let Some((filename, content_type)) = demo.attachment {
        builder = builder.attachment(filename, content_type, &placeholder(filename, content_type));
    }
    Ok(builder.build())
}

/// Whom a sent message went to: the author of the message it answers, else a fixed guess.
fn recipient_of(demo: &Demo) -> (&'static str, &'static str) {
    let parent = demo.in_reply_to.and_then(|id| DEMOS.iter().find(|other| other.message_id == id));
    match parent {
        Some(parent) => parent.from,
        None if demo.subject.contains("Trip") => SAM,
        None => GREENLEAF,
    }
}

/// Wraps each line of `text` at `width` columns on spaces, as a mail client would.
fn wrap(text: &str, width: usize) -> String {
    let mut wrapped = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let mut column = 0;
        for (index, word) in line.split(' ').enumerate() {
            let length = word.trim_end_matches('\n').chars().count();
            if index > 0 {
                if column + 1 + length > width {
                    wrapped.push('\n');
                    column = 0;
                } else {
                    wrapped.push(' ');
                    column += 1;
                }
            }
            wrapped.push_str(word);
            column += length;
        }
    }
    wrapped
}

/// A small, valid-looking attachment body; the demo is about finding mail, not opening files.
fn placeholder(filename: &str, content_type: &str) -> Vec<u8> {
    match content_type {
        "application/pdf" => format!("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {filename}\n%%EOF\n").into_bytes(),
        "image/jpeg" => vec![0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 0xff, 0xd9],
        _ => b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed `demo-mailbox/` must be exactly what this binary writes.
    #[test]
    fn committed_demo_mailbox_is_up_to_date() {
        let scratch = mailhound_tests::dovecot::create_scratch_dir("mailhound-demo-check").unwrap();
        let written = write_mailbox(&scratch).unwrap();
        assert!(written > 50, "{written}");
        let committed = committed_mailbox();
        for folder in FOLDERS {
            let mut expected: Vec<_> = fs::read_dir(scratch.join(folder))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            let mut found: Vec<_> = fs::read_dir(committed.join(folder))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .filter(|name| name.to_string_lossy().ends_with(".eml"))
                .collect();
            expected.sort();
            found.sort();
            assert_eq!(
                found, expected,
                "{folder}: run `cargo run -p mailhound-tests --bin make-demo-mailbox`"
            );
            for name in expected {
                let fresh = fs::read(scratch.join(folder).join(&name)).unwrap();
                let old = fs::read(committed.join(folder).join(&name)).unwrap();
                assert!(
                    fresh == old,
                    "{folder}/{name:?} is stale: run `cargo run -p mailhound-tests --bin make-demo-mailbox`"
                );
            }
        }
        fs::remove_dir_all(&scratch).unwrap();
    }
}
