//! Use cases of the reporter: submit a report, track it, and the data the form needs.
//! Each takes a connection and does its writes in one transaction.

use super::commits::Committer;
use super::entities::{category, region, report, report_event, reporter_contact};
use super::idempotency::{self, Claim};
use super::internal;
use crate::domain::calendar::{self, time_left, WIB_OFFSET_MINUTES};
use crate::domain::intake::RequestKey;
use crate::domain::lifecycle::Role;
use crate::domain::tracking::ALPHABET;
use crate::domain::views::{CategoryOption, RegionOption, SubmitReceipt, TimelineEntry, TrackView};
use crate::domain::{
    AppError, EventKind, Field, FieldError, FieldErrors, NewReport, ReportKind, ReportStatus,
    TrackingCode,
};
use chrono::{DateTime, Utc};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, QueryFilter, QueryOrder, Set,
};

/// A new public reference number, `ADU-XXXX-XXXX` (40 random bits; not a secret).
fn new_reference() -> String {
    let mut rng = rand::rngs::OsRng;
    let s: String = (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..32)] as char)
        .collect();
    format!("ADU-{}-{}", &s[..4], &s[4..])
}

/// Submits a parsed report on behalf of a reporter (guest or not), with the files already in
/// the store (`files`: linked in the same transaction, so a report never exists without the
/// files it was sent with). `code` is the tracking code the reporter will receive; only its
/// hash is stored. With a `claim` (an idempotency key), a key already answered gets that answer
/// again and nothing new is stored (`server::idempotency`).
#[tracing::instrument(skip_all, fields(kind = report.kind.as_str(), code = %code.fingerprint()))]
#[allow(clippy::too_many_arguments)]
pub async fn submit_report(
    commits: &Committer,
    report: NewReport,
    code: &TrackingCode,
    reporter_account: Option<i64>,
    files: &[super::files::Stored],
    lang: crate::i18n::Lang,
    claim: Option<Claim>,
    now: DateTime<Utc>,
) -> Result<SubmitReceipt, AppError> {
    let db = commits.db();
    if let Some(claim) = &claim {
        if let Some(answer) = answered(db, claim).await? {
            return Ok(answer);
        }
    }
    // Existence checks the browser cannot do, and a free reference: reads, before (and
    // outside) the write, in one query (one trip to the pool).
    let mut reference = new_reference();
    let checked = checks(
        db,
        report.category.map(|c| c.0),
        report.region.as_ref().map(|r| r.as_ref()),
        &reference,
    )
    .await?;
    let mut errors = FieldErrors::new();
    if report.category.is_some() && !checked.category_found {
        errors.insert(Field::CategoryId, FieldError::Unknown);
    }
    let utc_offset = match (&report.region, checked.utc_offset) {
        (None, _) => WIB_OFFSET_MINUTES,
        (Some(_), Some(offset)) => offset,
        (Some(_), None) => {
            errors.insert(Field::RegionCode, FieldError::Unknown);
            WIB_OFFSET_MINUTES
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut taken = checked.reference_taken;
    // 40 random bits: a clash is rare, but cheap to rule out (the column is unique as well).
    while taken {
        reference = new_reference();
        taken = report::Entity::find()
            .filter(report::Column::Reference.eq(&reference))
            .one(db)
            .await
            .map_err(internal("checking reference"))?
            .is_some();
    }
    let row = NewRow {
        report,
        reference: reference.clone(),
        code: code.clone(),
        utc_offset,
        reporter_account,
        files: files.to_vec(),
        lang,
        now,
    };
    let key = claim.clone();
    let stored = commits
        .run(move |txn| Box::pin(store_report(txn, row, key)))
        .await;
    let due_at = match (stored, &claim) {
        (Ok(due_at), _) => due_at,
        // The same key won a race with this request (`store_report`): the answer is the
        // first one's, committed by now.
        (Err(AppError::Conflict), Some(claim)) => {
            return answered(db, claim).await?.ok_or_else(|| {
                tracing::error!("an idempotency key raced but its answer is missing");
                AppError::Internal
            })
        }
        (Err(e), _) => return Err(e),
    };
    tracing::info!(reference = %reference, "report submitted");
    Ok(SubmitReceipt {
        reference,
        tracking_code: code.clone(),
        status: ReportStatus::AwaitingVerification,
        due_at: Some(due_at),
        replayed: false,
    })
}

/// What `checks` found.
struct Checked {
    /// The category exists and is in use.
    category_found: bool,
    /// The region's UTC offset, when it exists.
    utc_offset: Option<i32>,
    /// The reference is already a report's.
    reference_taken: bool,
}

/// A submission's reads in one statement: whether its category is in use, its region's UTC
/// offset, whether its reference is taken.
async fn checks<C: ConnectionTrait>(
    db: &C,
    category: Option<i32>,
    region: Option<&str>,
    reference: &str,
) -> Result<Checked, AppError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT (SELECT COUNT(*) FROM categories WHERE id = $1 AND active = $2) AS category_found, \
             (SELECT utc_offset_minutes FROM regions WHERE code = $3) AS utc_offset, \
             (SELECT COUNT(*) FROM reports WHERE reference = $4) AS reference_taken"
        }
        _ => {
            "SELECT (SELECT COUNT(*) FROM categories WHERE id = ? AND active = ?) AS category_found, \
             (SELECT utc_offset_minutes FROM regions WHERE code = ?) AS utc_offset, \
             (SELECT COUNT(*) FROM reports WHERE reference = ?) AS reference_taken"
        }
    };
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [
                category.unwrap_or(0).into(),
                true.into(),
                region.unwrap_or("").into(),
                reference.into(),
            ],
        ))
        .await
        .map_err(internal("checking a submission"))?
        .ok_or_else(|| {
            tracing::error!("the submission checks returned no row");
            AppError::Internal
        })?;
    let get = |col: &str| {
        row.try_get::<i64>("", col)
            .map_err(internal("reading the checks"))
    };
    Ok(Checked {
        category_found: get("category_found")? > 0,
        utc_offset: row
            .try_get::<Option<i32>>("", "utc_offset")
            .map_err(internal("reading the checks"))?,
        reference_taken: get("reference_taken")? > 0,
    })
}

/// A report checked and ready to be written.
struct NewRow {
    report: NewReport,
    reference: String,
    code: TrackingCode,
    utc_offset: i32,
    reporter_account: Option<i64>,
    files: Vec<super::files::Stored>,
    lang: crate::i18n::Lang,
    now: DateTime<Utc>,
}

/// The writes of a submission, inside the caller's transaction: the report, its first audit
/// event, its search terms, the reporter's contact, its files, its idempotency key. Returns
/// the report's deadline; `Conflict` when the idempotency key is already taken (a request with
/// the same key won the race: this one's writes are undone by the error).
async fn store_report(
    txn: &DatabaseTransaction,
    row: NewRow,
    claim: Option<Claim>,
) -> Result<DateTime<Utc>, AppError> {
    let NewRow {
        report,
        reference,
        code,
        utc_offset,
        reporter_account,
        files,
        lang,
        now,
    } = row;
    let status = ReportStatus::AwaitingVerification;
    let due_at = calendar::deadline(now, utc_offset, calendar::VERIFICATION_DAYS);
    let saved = report::ActiveModel {
        reference: Set(reference.clone()),
        tracking_hash: Set(code.lookup_hash()),
        kind: Set(report.kind.as_str().to_string()),
        title: Set(report.title.as_ref().to_string()),
        description: Set(report.description.as_ref().to_string()),
        category_id: Set(report.category.map(|c| c.0)),
        region_code: Set(report.region.as_ref().map(|r| r.as_ref().to_string())),
        incident_date: Set(report.incident_date),
        anonymous: Set(report.privacy.anonymous),
        confidential: Set(report.privacy.confidential),
        name_public: Set(report.privacy.name_public),
        status: Set(status.as_str().to_string()),
        owner: Set(Some(crate::domain::lifecycle::Owner::Verifiers.encode())),
        utc_offset_minutes: Set(utc_offset),
        due_at: Set(Some(due_at)),
        created_at: Set(now),
        updated_at: Set(now),
        reporter_account_id: Set(reporter_account),
        lang: Set(lang.tag().to_string()),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(internal("inserting report"))?;

    super::audit::append_first_event(
        txn,
        super::audit::EventRecord {
            report_id: saved.id,
            at: now,
            event: EventKind::Submitted.as_str(),
            from_status: None,
            to_status: status.as_str(),
            actor_role: Role::Reporter.as_str(),
            note: None,
            payload: None,
            actor_account: reporter_account,
        },
    )
    .await?;

    // Staff find it by its words from now on (within what each may see).
    super::transparency::index_new_in(
        txn,
        super::transparency::SearchIndex::Staff,
        saved.id,
        &crate::domain::transparency::index_terms(&format!(
            "{}\n{}",
            saved.title, saved.description
        )),
    )
    .await?;

    if let Some(contact) = &report.reporter {
        reporter_contact::ActiveModel {
            report_id: Set(saved.id),
            name: Set(contact.name().map(str::to_string)),
            email: Set(contact.email().map(str::to_string)),
            phone: Set(contact.phone().map(str::to_string)),
            created_at: Set(now),
        }
        .insert(txn)
        .await
        .map_err(internal("inserting reporter contact"))?;
    }
    // The files sent with it: one message of the reporter carrying them.
    if !files.is_empty() {
        let message = super::entities::message::ActiveModel {
            report_id: Set(saved.id),
            author: Set("reporter".into()),
            audience: Set("reporter".into()),
            body: Set(String::new()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(internal("saving the attachment message"))?;
        for f in &files {
            let mut row = super::files::row(saved.id, f, now);
            row.message_id = Set(Some(message.id));
            row.insert(txn)
                .await
                .map_err(internal("saving an attachment"))?;
        }
    }
    if let Some(claim) = &claim {
        let receipt = SubmitReceipt {
            reference: reference.clone(),
            tracking_code: code,
            status,
            due_at: Some(due_at),
            replayed: false,
        };
        if !idempotency::record(txn, claim, saved.id, &receipt, now).await? {
            return Err(AppError::Conflict);
        }
    }
    tracing::debug!(report = saved.id, "report stored");
    Ok(due_at)
}

/// The reporter's view of the report that `code` opens. Unknown codes are `NotFound`.
#[tracing::instrument(skip_all, fields(code = %code.fingerprint()))]
pub async fn track_report<C: ConnectionTrait>(
    db: &C,
    code: &TrackingCode,
    now: DateTime<Utc>,
) -> Result<TrackView, AppError> {
    let r = super::conversation::by_code(db, code).await?;
    reporter_view(db, r, now).await
}

/// A report as its reporter sees it (by tracking code or in their account).
pub(crate) async fn reporter_view<C: ConnectionTrait>(
    db: &C,
    r: report::Model,
    now: DateTime<Utc>,
) -> Result<TrackView, AppError> {
    let thread = super::conversation::thread(db, r.id, false).await?;
    let actions = super::conversation::reporter_actions(&r);
    let Details {
        kind,
        status,
        category,
        region_name,
        timeline,
    } = details(db, &r).await?;
    Ok(TrackView {
        description: r.description,
        rating: r.rating,
        reference: r.reference,
        kind,
        title: r.title,
        status,
        stage: status.stage(),
        category,
        region_name,
        incident_date: r.incident_date,
        anonymous: r.anonymous,
        confidential: r.confidential,
        created_at: r.created_at,
        due_at: r.due_at,
        utc_offset_minutes: r.utc_offset_minutes,
        time_left: r
            .due_at
            .map(|due| time_left(now, due, r.utc_offset_minutes)),
        timeline,
        thread,
        actions,
    })
}

/// What every view of a report shows besides its row: parsed kind and status, category, region
/// label and the timeline (event kinds and statuses only: no notes, no actors).
pub(crate) struct Details {
    pub kind: ReportKind,
    pub status: ReportStatus,
    pub category: Option<CategoryOption>,
    pub region_name: Option<String>,
    pub timeline: Vec<TimelineEntry>,
}

pub(crate) async fn details<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
) -> Result<Details, AppError> {
    let events = report_event::Entity::find()
        .filter(report_event::Column::ReportId.eq(r.id))
        .order_by_asc(report_event::Column::At)
        .order_by_asc(report_event::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading report events"))?;
    let category = match r.category_id {
        Some(id) => category::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(internal("loading category"))?
            .map(category_option),
        None => None,
    };
    let region_name = match &r.region_code {
        Some(code) => region_label(db, code).await?,
        None => None,
    };
    let status = parse_stored(ReportStatus::parse(&r.status), "status")?;
    let kind = parse_stored(ReportKind::parse(&r.kind), "kind")?;
    let timeline = events
        .into_iter()
        .map(|e| {
            Ok(TimelineEntry {
                at: e.at,
                event: parse_stored(EventKind::parse(&e.event), "event")?,
                status: parse_stored(ReportStatus::parse(&e.to_status), "event status")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Details {
        kind,
        status,
        category,
        region_name,
        timeline,
    })
}

pub(crate) fn parse_stored<T>(v: Option<T>, what: &'static str) -> Result<T, AppError> {
    v.ok_or_else(|| {
        tracing::error!(what, "unknown value stored in the database");
        AppError::Internal
    })
}

/// `Mamuju, Sulawesi Barat` for a regency; the name alone for a province.
async fn region_label<C: ConnectionTrait>(db: &C, code: &str) -> Result<Option<String>, AppError> {
    let Some(r) = region::Entity::find_by_id(code.to_string())
        .one(db)
        .await
        .map_err(internal("loading region"))?
    else {
        return Ok(None);
    };
    let parent = match &r.parent_code {
        Some(p) => region::Entity::find_by_id(p.clone())
            .one(db)
            .await
            .map_err(internal("loading parent region"))?,
        None => None,
    };
    Ok(Some(match parent {
        Some(p) => format!("{}, {}", r.name, p.name),
        None => r.name,
    }))
}

fn category_option(c: category::Model) -> CategoryOption {
    CategoryOption {
        id: c.id,
        name_id: c.name_id,
        name_en: c.name_en,
    }
}

/// Categories, provinces and regencies offered on the report form.
pub async fn form_options<C: ConnectionTrait>(
    db: &C,
) -> Result<(Vec<CategoryOption>, Vec<RegionOption>, Vec<RegionOption>), AppError> {
    let categories = category::Entity::find()
        .filter(category::Column::Active.eq(true))
        .order_by_asc(category::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading categories"))?
        .into_iter()
        .map(category_option)
        .collect();
    let regions = region::Entity::find()
        .order_by_asc(region::Column::Name)
        .all(db)
        .await
        .map_err(internal("loading regions"))?;
    let (provinces, regencies): (Vec<_>, Vec<_>) = regions
        .into_iter()
        .map(|r| RegionOption {
            code: r.code,
            name: r.name,
            parent: r.parent_code,
        })
        .partition(|r| r.parent.is_none());
    Ok((categories, provinces, regencies))
}

/// Submits a report from the form as typed: parses it (field errors come back as
/// `AppError::Validation`), issues a fresh tracking code and stores the report, in its own
/// transaction (scripts and tests; the server's adapters use `submit_form_in` with the
/// application's `Committer`).
pub async fn submit_form(
    db: &DatabaseConnection,
    form: &crate::domain::ReportForm,
    now: DateTime<Utc>,
) -> Result<SubmitReceipt, AppError> {
    submit_form_as(db, form, None, now).await
}

/// `submit_form` by a signed-in citizen: the report appears in their "my reports".
pub async fn submit_form_as(
    db: &DatabaseConnection,
    form: &crate::domain::ReportForm,
    reporter_account: Option<i64>,
    now: DateTime<Utc>,
) -> Result<SubmitReceipt, AppError> {
    submit_form_in(
        &Committer::direct(db.clone()),
        form,
        reporter_account,
        &[],
        crate::i18n::Lang::Id,
        None,
        now,
    )
    .await
}

/// `submit_form_as`, remembering the language the reporter wrote in (their emails use it), with
/// the client's idempotency key if it sent one, committed by `commits`. The HTML form post, the
/// JSON API and any server function all go through here.
pub async fn submit_form_in(
    commits: &Committer,
    form: &crate::domain::ReportForm,
    reporter_account: Option<i64>,
    files: &[super::files::Stored],
    lang: crate::i18n::Lang,
    key: Option<&RequestKey>,
    now: DateTime<Utc>,
) -> Result<SubmitReceipt, AppError> {
    let report = form
        .parse(calendar::latest_local_date(now))
        .map_err(AppError::Validation)?;
    let claim = key
        .map(|k| Claim::new(SUBMIT, k, reporter_account, form))
        .transpose()?;
    let code = TrackingCode::generate(&mut rand::rngs::OsRng);
    submit_report(
        commits,
        report,
        &code,
        reporter_account,
        files,
        lang,
        claim,
        now,
    )
    .await
}

/// The idempotency action of a submission.
const SUBMIT: &str = "submit_report";

/// The answer already given to the claim's key, marked as given again.
async fn answered<C: ConnectionTrait>(
    db: &C,
    claim: &Claim,
) -> Result<Option<SubmitReceipt>, AppError> {
    Ok(idempotency::replay::<_, SubmitReceipt>(db, claim)
        .await?
        .map(|answer| SubmitReceipt {
            replayed: true,
            ..answer
        }))
}

mod acts {
    //! The service of submitting a report from the form (`domain::intake::SubmitReport`).
    use super::*;
    use crate::domain::intake::SubmitReport;
    use crate::server::act::{Ctx, Serve};
    use crate::server::files::{store_uploads, Upload};

    impl Serve for SubmitReport {
        async fn serve(self, cx: &Ctx, files: Vec<Upload>) -> Result<SubmitReceipt, AppError> {
            // A form sent again (its idempotency key already answered): the first answer, and
            // its files are not stored twice.
            if let Some(key) = &self.key {
                let claim = Claim::new(SUBMIT, key, None, &self.form)?;
                if let Some(answer) = answered(&cx.state.db, &claim).await? {
                    return Ok(answer);
                }
            }
            // The text first (checked by the input), then the files: nothing is stored while
            // anything is refused; then the report and its files in one transaction.
            let stored = store_uploads(&cx.state.files, 0, files).await?;
            submit_form_in(
                &cx.state.commits,
                &self.form,
                None,
                &stored,
                cx.lang,
                self.key.as_ref(),
                cx.now,
            )
            .await
        }
    }
}
