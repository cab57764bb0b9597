//! Hunting the cache for what the person remembers.

use mailhound_core::hunt::{HuntQuery, When, hunt as rank};
use mailhound_core::{Error, ErrorKind};
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
        let date = match query.date.as_deref().filter(|d| !d.is_empty()) {
            Some(text) => Some(
                chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|e| Error::new(ErrorKind::InvalidInput, "That date could not be understood.").with_cause(e))?
                    .and_hms_opt(0, 0, 0)
                    .map_or(0, |d| d.and_utc().timestamp()),
            ),
            None => None,
        };
        let when = match date {
            Some(day) => When::Around {
                day,
                slack_days: query.date_slack_days.unwrap_or(3),
            },
            None => When::Any,
        };
        let query = HuntQuery {
            account,
            from: query.from,
            subject: query.subject,
            when,
            limit: query.limit.clamp(1, 200),
            ..HuntQuery::default()
        };
        let hits = rank(&*state.store()?, &query)?;
        Ok(hits.into_iter().map(HitDto::from).collect())
    })
    .await
}
