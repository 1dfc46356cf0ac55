//! The thread of a report and the reporter's side of it: answering a question, adding
//! information, confirming with a rating, disputing, each with a message and files. The tracking
//! code is the reporter's key (the same as for reading the report).

use super::entities::{agency, attachment, message, report, report_event};
use super::files::{self, Files, Upload};
use super::internal;
use super::lifecycle::{state_of, transition_posting, Posting};
use crate::domain::access::Actor;
use crate::domain::lifecycle::{apply, Command, CommandInput, CommandKind, Role};
use crate::domain::views::{MessageAuthor, ThreadMessage, TrackView};
use crate::domain::{AppError, EventKind, Field, FieldError, TrackingCode};
use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use std::collections::HashMap;

/// The kind of each of a report's events, by event hash (messages point at their event).
pub(crate) async fn event_kinds<C: ConnectionTrait>(
    db: &C,
    report_id: i64,
) -> Result<HashMap<String, EventKind>, AppError> {
    Ok(report_event::Entity::find()
        .filter(report_event::Column::ReportId.eq(report_id))
        .all(db)
        .await
        .map_err(internal("loading events"))?
        .into_iter()
        .filter_map(|e| Some((e.hash?, EventKind::parse(&e.event)?)))
        .collect())
}

/// The messages of a report, oldest first; `internal` notes only when `staff`.
pub async fn thread<C: ConnectionTrait>(
    db: &C,
    report_id: i64,
    staff: bool,
) -> Result<Vec<ThreadMessage>, AppError> {
    let mut q = message::Entity::find().filter(message::Column::ReportId.eq(report_id));
    if !staff {
        q = q.filter(message::Column::Audience.eq("reporter"));
    }
    let messages = q
        .order_by_asc(message::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading messages"))?;
    if messages.is_empty() {
        return Ok(Vec::new());
    }
    let files = attachment::Entity::find()
        .filter(attachment::Column::ReportId.eq(report_id))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading attachments"))?;
    let events = event_kinds(db, report_id).await?;
    let agency_ids: Vec<i32> = messages.iter().filter_map(|m| m.agency_id).collect();
    let agencies: HashMap<i32, String> = if agency_ids.is_empty() {
        HashMap::new()
    } else {
        agency::Entity::find()
            .filter(agency::Column::Id.is_in(agency_ids))
            .all(db)
            .await
            .map_err(internal("loading agencies"))?
            .into_iter()
            .map(|a| (a.id, a.name))
            .collect()
    };
    Ok(messages
        .into_iter()
        .map(|m| ThreadMessage {
            id: m.id,
            at: m.created_at,
            author: match m.author.as_str() {
                "reporter" => MessageAuthor::Reporter,
                "verifier" => MessageAuthor::Verifier,
                "agency" => MessageAuthor::Agency {
                    name: m
                        .agency_id
                        .and_then(|id| agencies.get(&id).cloned())
                        .unwrap_or_default(),
                },
                _ => MessageAuthor::System,
            },
            event: m.event_hash.as_ref().and_then(|h| events.get(h).copied()),
            internal: m.audience != "reporter",
            attachments: files
                .iter()
                .filter(|f| f.message_id == Some(m.id))
                .map(files::reference)
                .collect(),
            body: m.body,
        })
        .collect())
}

/// What the reporter may do now.
pub fn reporter_actions(r: &report::Model) -> Vec<CommandKind> {
    let Ok(state) = state_of(r) else {
        return Vec::new();
    };
    [
        Command::AnswerHold,
        Command::AddInformation,
        Command::Confirm { rating: 5 },
        Command::Dispute,
    ]
    .iter()
    .filter(|c| apply(&state, c, Role::Reporter).is_ok())
    .map(Command::kind)
    .collect()
}

/// The report a tracking code opens.
pub async fn by_code<C: ConnectionTrait>(
    db: &C,
    code: &TrackingCode,
) -> Result<report::Model, AppError> {
    report::Entity::find()
        .filter(report::Column::TrackingHash.eq(code.lookup_hash()))
        .one(db)
        .await
        .map_err(internal("loading report by tracking code"))?
        .ok_or(AppError::NotFound)
}

/// Gives the reporter's command with its message and files. Field errors come before anything
/// is stored; the files are written to the store only when the input is otherwise valid.
pub async fn reporter_command<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    files: &Files,
    code: &TrackingCode,
    input: &CommandInput,
    uploads: Vec<Upload>,
    now: DateTime<Utc>,
) -> Result<EventKind, AppError> {
    let r = by_code(db, code).await?;
    // Whoever holds the code acts as the reporter; no account is claimed for them.
    reporter_command_on(db, files, r, input, uploads, None, now).await
}

/// A citizen's own report (submitted or claimed into their account).
async fn own_report<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<report::Model, AppError> {
    let account = match actor {
        Actor::Citizen { account } => *account,
        Actor::Public => return Err(AppError::Unauthorized),
        Actor::Staff(_) => return Err(AppError::Forbidden),
    };
    report::Entity::find_by_id(id)
        .filter(report::Column::ReporterAccountId.eq(account))
        .one(db)
        .await
        .map_err(internal("loading own report"))?
        .ok_or(AppError::NotFound)
}

/// `/laporan-saya/{id}`: the citizen's own report as its reporter sees it.
pub async fn my_report<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<TrackView, AppError> {
    let r = own_report(db, actor, id).await?;
    super::intake::reporter_view(db, r, now).await
}

/// `reporter_command` from the citizen's account.
pub async fn my_report_command<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    files: &Files,
    actor: &Actor,
    id: i64,
    input: &CommandInput,
    uploads: Vec<Upload>,
    now: DateTime<Utc>,
) -> Result<EventKind, AppError> {
    let r = own_report(db, actor, id).await?;
    reporter_command_on(db, files, r, input, uploads, actor.account(), now).await
}

async fn reporter_command_on<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    files: &Files,
    r: report::Model,
    input: &CommandInput,
    uploads: Vec<Upload>,
    account: Option<i64>,
    now: DateTime<Utc>,
) -> Result<EventKind, AppError> {
    // Only the reporter's own commands; what each needs is checked by the input.
    if !input.command.roles().contains(&Role::Reporter) {
        return Err(AppError::field(Field::Command, FieldError::Invalid));
    }
    let command = input.to_command().map_err(AppError::Validation)?;
    let note = input.note();
    // Refused by the lifecycle before any file is kept.
    apply(&state_of(&r)?, &command, Role::Reporter).map_err(AppError::Refused)?;
    let stored = files::store_uploads(files, r.id, uploads).await?;
    let posting = Posting {
        note,
        files: stored,
        agency: None,
    };
    transition_posting(db, r.id, &command, Role::Reporter, account, &posting, now).await
}

/// An attachment the reporter may open with the tracking code: on this report, and not on an
/// internal note.
pub async fn reporter_attachment<C: ConnectionTrait>(
    db: &C,
    code: &TrackingCode,
    id: i64,
) -> Result<attachment::Model, AppError> {
    let r = by_code(db, code).await?;
    let a = attachment::Entity::find_by_id(id)
        .filter(attachment::Column::ReportId.eq(r.id))
        .one(db)
        .await
        .map_err(internal("loading attachment"))?
        .ok_or(AppError::NotFound)?;
    if !reporter_reads_message(db, a.message_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(a)
}

/// Whether the message a file belongs to is one the reporter reads.
pub async fn reporter_reads_message<C: ConnectionTrait>(
    db: &C,
    message_id: Option<i64>,
) -> Result<bool, AppError> {
    let Some(id) = message_id else {
        return Ok(true);
    };
    Ok(message::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal("loading message"))?
        .is_some_and(|m| m.audience == "reporter"))
}

mod acts {
    //! The services of the reporter's actions (`domain::casework::{TrackCommand,
    //! OwnReportCommand}`).
    use super::*;
    use crate::domain::casework::{OwnReportCommand, TrackCommand};
    use crate::server::act::{Ctx, Serve};

    impl Serve for TrackCommand {
        async fn serve(self, cx: &Ctx, files: Vec<Upload>) -> Result<EventKind, AppError> {
            // An unknown or malformed code is not found (the lookup limit counts it).
            let code = TrackingCode::parse(&self.code).map_err(|_| AppError::NotFound)?;
            let store = &cx.state.files;
            reporter_command(&cx.state.db, store, &code, &self.command, files, cx.now).await
        }
    }

    impl Serve for OwnReportCommand {
        async fn serve(self, cx: &Ctx, files: Vec<Upload>) -> Result<EventKind, AppError> {
            let store = &cx.state.files;
            let (db, actor) = (&cx.state.db, &cx.actor);
            my_report_command(db, store, actor, self.report, &self.command, files, cx.now).await
        }
    }
}
