//! Hunting the cache for what the person remembers, over an index kept between hunts.

use mailhound_core::folder::FolderRole;
use mailhound_core::hunt::{HuntQuery, When};
use mailhound_core::{Error, ErrorKind, Result};
use tauri::{AppHandle, Manager, Runtime};

use crate::dto::{HitDto, HuntQueryDto};
use crate::error::{CommandResult, blocking};
use crate::state::AppState;

#[tauri::command]
pub async fn hunt<R: Runtime>(app: AppHandle<R>, query: HuntQueryDto) -> CommandResult<Vec<HitDto>> {
    blocking(move || {
        let state = app.state::<AppState>();
        let account = match &query.account_id {
            Some(key) => Some(state.account(key)?.0),
            None => None,
        };
        let when = match (parse_day(query.date.as_deref())?, parse_day(query.date_to.as_deref())?) {
            (Some(first_day), Some(last_day)) => When::Between { first_day, last_day },
            (Some(day), None) => When::Around {
                day,
                slack_days: query.date_slack_days.unwrap_or(3),
            },
            (None, _) => When::Any,
        };
        let roles = query.within_roles.iter().map(|code| parse_role(code)).collect::<Result<Vec<_>>>()?;
        let query = HuntQuery {
            account,
            from: query.from,
            to: query.to,
            subject: query.subject,
            when,
            has_attachment: query.has_attachment,
            roles,
            limit: query.limit.clamp(1, 200),
        };
        // NOTE: the index is got before the store is locked: building one takes seconds on a big
        // cache and does not need the store.
        let index = state.hunt_index()?;
        let hits = index.hunt(&*state.store()?, &query)?;
        Ok(hits.into_iter().map(HitDto::from).collect())
    })
    .await
}

/// A YYYY-MM-DD day as Unix seconds at its UTC start; empty means none.
fn parse_day(text: Option<&str>) -> Result<Option<i64>> {
    let Some(text) = text.filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    let day = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| Error::new(ErrorKind::InvalidInput, "That date could not be understood.").with_cause(e))?;
    Ok(Some(day.and_hms_opt(0, 0, 0).map_or(0, |d| d.and_utc().timestamp())))
}

fn parse_role(code: &str) -> Result<FolderRole> {
    let role = FolderRole::from_code(code);
    if role.code() != code {
        return Err(Error::new(ErrorKind::InvalidInput, format!("“{code}” is not a kind of folder.")));
    }
    Ok(role)
}
