//! `mailhound`: the command-line front end to mailhound-core. Scans a mailbox into the cache,
//! hunts it, and exports or restores what it finds. Output is a table for people or, with
//! `--json`, a stable contract for scripts and benchmarks.

mod output;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand};
use mailhound_core::account::{Account, Secret};
use mailhound_core::cancel::CancelToken;
use mailhound_core::folder::FolderRole;
use mailhound_core::hunt::{HuntQuery, When, hunt, understood};
use mailhound_core::recovery::{export, restore};
use mailhound_core::store::{AccountId, CachedMessage, Store};
use mailhound_core::sync::{SyncEvent, SyncOptions, sync_account};

#[derive(Parser)]
#[command(
    name = "mailhound",
    version,
    about = "Finds the email someone swears they sent you, in every folder of your mailbox."
)]
struct Cli {
    /// Where the header cache lives (default: $MAILHOUND_DATA_DIR, else ~/.local/share/mailhound).
    #[arg(long, global = true, env = "MAILHOUND_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Which cached account to use when there are several (as listed by `folders`).
    #[arg(long, global = true)]
    account: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan every folder of a mailbox into the cache (read-only).
    Sync(SyncArgs),
    /// List cached folders with their roles and message counts.
    Folders {
        #[arg(long)]
        json: bool,
    },
    /// Rank cached messages against what you remember.
    Hunt(HuntArgs),
    /// Save a message as a .eml file, byte for byte as the server holds it.
    Export {
        #[arg(long)]
        folder: String,
        #[arg(long)]
        uid: u32,
        /// File to write (never overwritten); default: a name from date, sender and subject.
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Put a message back in the Inbox.
    Restore {
        #[arg(long)]
        folder: String,
        #[arg(long)]
        uid: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct SyncArgs {
    /// imaps://user@host[:port] (TLS) or imap://user@host[:port] (STARTTLS, required).
    #[arg(required_unless_present = "maildir", conflicts_with = "maildir")]
    url: Option<String>,
    /// Scan a local Maildir instead of a server.
    #[arg(long)]
    maildir: Option<PathBuf>,
    /// Also trust this CA certificate (PEM), e.g. for a private server.
    #[arg(long)]
    ca_file: Option<PathBuf>,
    /// Allow an unencrypted connection; only accepted for a server on this computer.
    #[arg(long)]
    plaintext: bool,
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct HuntArgs {
    /// Who sent it: a name, part of one, an address or a domain.
    #[arg(long)]
    from: Option<String>,
    /// A few words of the subject, in any order.
    #[arg(long)]
    subject: Option<String>,
    /// Roughly when, as YYYY-MM-DD.
    #[arg(long)]
    date: Option<String>,
    /// How many days either side of --date you are sure of.
    #[arg(long, default_value_t = 3)]
    date_slack: u32,
    /// With --date, the last day of a range (YYYY-MM-DD) instead of a day with slack.
    #[arg(long, requires = "date")]
    date_to: Option<String>,
    /// To whom it was sent (To or Cc): a name, part of one, an address or a domain.
    #[arg(long)]
    to: Option<String>,
    /// Only messages with an attachment (`yes`, also when no value is given) or only those without one (`no`).
    #[arg(long, value_name = "yes|no", num_args = 0..=1, default_missing_value = "yes", value_parser = parse_yes_no)]
    has_attachment: Option<bool>,
    /// Only these kinds of folder, comma-separated: inbox, junk, trash, archive, all, sent, drafts, backup, other.
    #[arg(long, value_delimiter = ',')]
    within_roles: Vec<String>,
    /// Also print what the hunt understood and every folder each hit is in.
    #[arg(long)]
    explain: bool,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("MAILHOUND_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mailhound: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    let data_dir = match cli.data_dir {
        Some(dir) => dir,
        None => default_data_dir()?,
    };
    let mut store = Store::open(&data_dir.join("mailhound.sqlite")).context("Could not open the cache")?;
    match cli.command {
        Command::Sync(args) => sync(&mut store, args),
        Command::Folders { json } => {
            let account = pick_account(&store, cli.account.as_deref())?;
            output::folders(&store.folders(account.0)?, json)
        }
        Command::Hunt(args) => {
            let account = match cli.account.as_deref() {
                Some(key) => Some(pick_account(&store, Some(key))?.0),
                None => None,
            };
            let when = match (
                args.date.as_deref().map(parse_day).transpose()?,
                args.date_to.as_deref().map(parse_day).transpose()?,
            ) {
                (Some(first_day), Some(last_day)) => When::Between { first_day, last_day },
                (Some(day), None) => When::Around {
                    day,
                    slack_days: args.date_slack,
                },
                (None, _) => When::Any,
            };
            let roles = args.within_roles.iter().map(|code| parse_role(code)).collect::<Result<Vec<_>>>()?;
            let query = HuntQuery {
                account,
                from: args.from,
                to: args.to,
                subject: args.subject,
                when,
                has_attachment: args.has_attachment,
                roles,
                limit: args.limit,
            };
            let hits = hunt(&store, &query)?;
            output::hits(
                &hits,
                &output::HitsOptions {
                    as_json: args.json,
                    understood: if args.explain { understood(&query) } else { Vec::new() },
                },
            )
        }
        Command::Export { folder, uid, output } => {
            let (account_id, account) = pick_account(&store, cli.account.as_deref())?;
            let message = cached_message(&store, account_id, &folder, uid)?;
            let bytes = export::download(&account, password(&account)?.as_ref(), &message)?;
            let path = match output {
                Some(path) => path,
                None => export::free_path_in(Path::new("."), &message),
            };
            let exported = export::save_eml(&path, &bytes, export::Overwrite::Refuse)?;
            println!("{}  {}", exported.sha256, exported.path.display());
            Ok(())
        }
        Command::Restore { folder, uid, json } => {
            let (account_id, account) = pick_account(&store, cli.account.as_deref())?;
            let message = cached_message(&store, account_id, &folder, uid)?;
            let restored = restore::restore_to_inbox(&mut store, &account, password(&account)?.as_ref(), &message)?;
            output::restored(&restored, &message.folder_display, json)
        }
    }
}

fn sync(store: &mut Store, args: SyncArgs) -> Result<()> {
    let account = match (&args.url, &args.maildir) {
        (_, Some(path)) => Account::maildir(path)?,
        (Some(url), None) => {
            let mut account = Account::from_url(url)?;
            if let Account::Imap(imap) = &mut account {
                imap.ca_file = args.ca_file.clone();
                if args.plaintext {
                    imap.allow_plaintext_on_loopback()?;
                }
            }
            account
        }
        (None, None) => bail!("Give an account URL or --maildir PATH"),
    };
    let password = password(&account)?;
    let mut progress = output::Progress::new(!args.json && std::io::stderr().is_terminal());
    let summary = sync_account(
        store,
        &account,
        password.as_ref(),
        SyncOptions::default(),
        &CancelToken::new(),
        &mut |event: SyncEvent| progress.show(&event),
    )?;
    output::sync_summary(&summary, args.json)
}

fn password(account: &Account) -> Result<Option<Secret>> {
    if matches!(account, Account::Maildir(_)) {
        return Ok(None);
    }
    if let Ok(password) = std::env::var("MAILHOUND_PASSWORD") {
        return Ok(Some(Secret::new(password)));
    }
    if let Ok(Some(password)) = mailhound_core::secrets::load_password(&account.key()) {
        return Ok(Some(password));
    }
    if std::io::stdin().is_terminal() {
        let typed = rpassword::prompt_password(format!("Password for {}: ", account.key())).context("Could not read the password")?;
        return Ok(Some(Secret::new(typed)));
    }
    bail!(
        "No password for {}: set MAILHOUND_PASSWORD, or run this in a terminal to type it",
        account.key()
    )
}

fn pick_account(store: &Store, wanted: Option<&str>) -> Result<(AccountId, Account)> {
    let accounts = store.accounts()?;
    let chosen = match wanted {
        Some(key) => accounts.iter().find(|a| a.record.key == key || a.record.location == key),
        None if accounts.len() == 1 => accounts.first(),
        None if accounts.is_empty() => bail!("Nothing is cached yet: run `mailhound sync` first"),
        None => bail!(
            "Several accounts are cached; choose one with --account: {}",
            accounts.iter().map(|a| a.record.key.as_str()).collect::<Vec<_>>().join(", ")
        ),
    };
    let chosen = chosen.ok_or_else(|| anyhow!("No cached account is called {}", wanted.unwrap_or_default()))?;
    Ok((chosen.id, Account::from_record(&chosen.record)?))
}

fn cached_message(store: &Store, account: AccountId, folder: &str, uid: u32) -> Result<CachedMessage> {
    let cached = store.folders(account)?;
    let folder = cached
        .iter()
        .find(|f| f.name == folder)
        .or_else(|| cached.iter().find(|f| f.display_name.eq_ignore_ascii_case(folder)))
        .ok_or_else(|| anyhow!("No cached folder is called “{folder}”; see `mailhound folders`"))?;
    let uidvalidity = folder
        .uidvalidity
        .ok_or_else(|| anyhow!("The folder “{}” has not been scanned yet", folder.display_name))?;
    store.message(account, &folder.name, uidvalidity, uid)?.ok_or_else(|| {
        anyhow!(
            "No message with UID {uid} is cached in “{}”; scan again or check the UID",
            folder.display_name
        )
    })
}

fn parse_role(code: &str) -> Result<FolderRole> {
    let role = FolderRole::from_code(code.trim());
    if role.code() != code.trim() {
        bail!("“{code}” is not a kind of folder; use inbox, junk, trash, archive, all, sent, drafts, backup or other");
    }
    Ok(role)
}

fn parse_yes_no(text: &str) -> Result<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => bail!("“{text}” is neither yes nor no"),
    }
}

fn parse_day(text: &str) -> Result<i64> {
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").with_context(|| format!("“{text}” is not a date like 2026-11-03"))?;
    Ok(day.and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp()).unwrap_or_default())
}

fn default_data_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join("mailhound"));
    }
    let home = std::env::var_os("HOME").context("Neither --data-dir nor HOME is set")?;
    Ok(PathBuf::from(home).join(".local/share/mailhound"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has_attachment(args: &[&str]) -> Option<bool> {
        let cli = Cli::try_parse_from(["mailhound", "hunt", "--from", "anna"].iter().chain(args)).unwrap();
        match cli.command {
            Command::Hunt(hunt) => hunt.has_attachment,
            _ => unreachable!(),
        }
    }

    #[test]
    fn has_attachment_asks_for_with_or_without() {
        assert_eq!(has_attachment(&[]), None);
        assert_eq!(has_attachment(&["--has-attachment"]), Some(true));
        assert_eq!(has_attachment(&["--has-attachment", "--json"]), Some(true));
        assert_eq!(has_attachment(&["--has-attachment", "yes"]), Some(true));
        assert_eq!(has_attachment(&["--has-attachment=no"]), Some(false));
        assert_eq!(has_attachment(&["--has-attachment", "no", "--limit", "3"]), Some(false));
        assert!(Cli::try_parse_from(["mailhound", "hunt", "--has-attachment", "maybe"]).is_err());
    }
}
