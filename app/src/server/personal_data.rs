//! A person's rights over their data (`docs/privacy.md`): a copy of everything the service holds
//! about the signed-in account, and, for a citizen, erasure of the account — the reports stay,
//! anonymised, because the complaint is about a public service and must still be answered.

use super::accounts::audit;
use super::entities::{
    account, api_token, attachment, audit_log, email_verification, message, notification, outbox,
    password_reset, recovery_code, report, report_follow, report_support, reporter_contact,
    saved_view, session,
};
use super::internal;
use crate::domain::access::Actor;
use crate::domain::{AppError, Field, FieldError};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionSession, TransactionTrait,
};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Everything held about the signed-in account, as one JSON document (audited:
/// `account.data_exported`).
pub async fn export_my_data<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Value, AppError> {
    let id = actor.account().ok_or(AppError::Unauthorized)?;
    let a = account::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal("loading the account"))?
        .filter(|a| a.erased_at.is_none())
        .ok_or(AppError::Unauthorized)?;
    let reports = report::Entity::find()
        .filter(report::Column::ReporterAccountId.eq(id))
        .order_by_asc(report::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading the account's reports"))?;
    let ids: Vec<i64> = reports.iter().map(|r| r.id).collect();
    let contacts: HashMap<i64, reporter_contact::Model> = reporter_contact::Entity::find()
        .filter(reporter_contact::Column::ReportId.is_in(ids.clone()))
        .all(db)
        .await
        .map_err(internal("loading contacts"))?
        .into_iter()
        .map(|c| (c.report_id, c))
        .collect();
    // The messages the reporter reads (internal notes of staff are not theirs).
    let messages = message::Entity::find()
        .filter(message::Column::ReportId.is_in(ids.clone()))
        .filter(message::Column::Audience.eq("reporter"))
        .order_by_asc(message::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading messages"))?;
    let visible: std::collections::HashSet<i64> = messages.iter().map(|m| m.id).collect();
    let files = attachment::Entity::find()
        .filter(attachment::Column::ReportId.is_in(ids.clone()))
        .order_by_asc(attachment::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading attachments"))?;
    let reference: HashMap<i64, String> = reports
        .iter()
        .map(|r| (r.id, r.reference.clone()))
        .collect();
    let reports_json: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "reference": r.reference,
                "kind": r.kind,
                "title": r.title,
                "description": r.description,
                "category_id": r.category_id,
                "region_code": r.region_code,
                "incident_date": r.incident_date,
                "anonymous": r.anonymous,
                "confidential": r.confidential,
                "name_public": r.name_public,
                "status": r.status,
                "created_at": r.created_at,
                "updated_at": r.updated_at,
                "rating": r.rating,
                "contact": contacts.get(&r.id).map(|c| json!({
                    "name": c.name, "email": c.email, "phone": c.phone, "given_at": c.created_at,
                })),
                "messages": messages.iter().filter(|m| m.report_id == r.id).map(|m| json!({
                    "at": m.created_at, "author": m.author, "body": m.body,
                })).collect::<Vec<_>>(),
                "attachments": files.iter()
                    .filter(|f| f.report_id == r.id && f.message_id.is_none_or(|m| visible.contains(&m)))
                    .map(|f| json!({
                        "file_name": super::files::shown_name(f),
                        "media_type": f.media_type,
                        "size_bytes": f.size_bytes,
                        "sha256": f.sha256,
                        "erased": f.erased_at.is_some(),
                    })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let (follows, supports) = followed_and_supported(db, id).await?;
    // The references of followed and supported reports of other people (public ones).
    let mut reference = reference;
    let others: Vec<i64> = follows
        .iter()
        .chain(supports.iter())
        .map(|(r, _)| *r)
        .filter(|r| !reference.contains_key(r))
        .collect();
    for r in report::Entity::find()
        .filter(report::Column::Id.is_in(others))
        .all(db)
        .await
        .map_err(internal("loading followed reports"))?
    {
        reference.insert(r.id, r.reference);
    }
    let of_reports = |rows: &[(i64, DateTime<Utc>)]| -> Vec<Value> {
        rows.iter()
            .map(|(r, at)| json!({"report": reference.get(r), "since": at}))
            .collect()
    };
    let notifications: Vec<Value> = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(id))
        .order_by_asc(notification::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading notifications"))?
        .into_iter()
        .map(|n| json!({"event": n.event, "report_id": n.report_id, "at": n.created_at, "read_at": n.read_at}))
        .collect();
    let sessions = session::Entity::find()
        .filter(session::Column::AccountId.eq(id))
        .all(db)
        .await
        .map_err(internal("loading sessions"))?
        .into_iter()
        .map(|s| json!({"signed_in_at": s.created_at, "last_seen_at": s.last_seen_at, "expires_at": s.expires_at}))
        .collect::<Vec<_>>();
    let tokens = api_token::Entity::find()
        .filter(api_token::Column::AccountId.eq(id))
        .all(db)
        .await
        .map_err(internal("loading tokens"))?
        .into_iter()
        .map(|t| json!({"name": t.name, "scope": t.scope, "created_at": t.created_at, "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}))
        .collect::<Vec<_>>();
    let actions = audit_log::Entity::find()
        .filter(audit_log::Column::ActorAccountId.eq(id))
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading the account's recorded actions"))?
        .into_iter()
        .map(|e| json!({"at": e.at, "action": e.action, "subject": e.subject}))
        .collect::<Vec<_>>();
    audit(
        db,
        actor,
        "account.data_exported",
        format!("account:{id}"),
        None,
        now,
    )
    .await?;
    Ok(json!({
        "exported_at": now,
        "account": {
            "id": a.id,
            "name": a.display_name,
            "email": a.email,
            "phone": a.phone,
            "role": a.role,
            "language": a.lang,
            "created_at": a.created_at,
            "email_verified_at": a.email_verified_at,
            "two_step_verification": a.totp_enabled,
            "password_changed_at": a.password_changed_at,
        },
        "reports": reports_json,
        "follows": of_reports(&follows),
        "supports": of_reports(&supports),
        "notifications": notifications,
        "sessions": sessions,
        "integration_tokens": tokens,
        "recorded_actions": actions,
        "not_included": "Internal notes of staff on your reports, and the identity of staff, are not personal data of yours; the public version of a report is on its public page.",
    }))
}

/// Reports with since when (followed, supported).
type Since = Vec<(i64, DateTime<Utc>)>;

/// The reports `account` follows and supports: (follows, supports).
async fn followed_and_supported<C: ConnectionTrait>(
    db: &C,
    account: i64,
) -> Result<(Since, Since), AppError> {
    let follows = report_follow::Entity::find()
        .filter(report_follow::Column::AccountId.eq(account))
        .all(db)
        .await
        .map_err(internal("loading follows"))?
        .into_iter()
        .map(|f| (f.report_id, f.created_at));
    let supports = report_support::Entity::find()
        .filter(report_support::Column::AccountId.eq(account))
        .all(db)
        .await
        .map_err(internal("loading supports"))?
        .into_iter()
        .map(|s| (s.report_id, s.created_at));
    Ok((follows.collect(), supports.collect()))
}

/// What erasing an account did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ErasedAccount {
    pub reports_anonymised: u64,
}

/// Erases the signed-in citizen's account after checking the password: its name, email, mobile
/// number, password and two-step secret; every session, token, follow, support, notification and
/// email to it; the contact details given with its reports. The reports stay, unlinked from the
/// account (anonymous; their tracking codes still work). Staff accounts are refused (an
/// administrator deactivates them: their actions stay attributable). Audited:
/// `account.erased`.
pub async fn erase_my_account<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    password: &str,
    confirmed: bool,
    now: DateTime<Utc>,
) -> Result<ErasedAccount, AppError> {
    let Actor::Citizen { account: id } = actor else {
        return Err(AppError::Forbidden);
    };
    let id = *id;
    let a = account::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal("loading the account"))?
        .filter(|a| a.erased_at.is_none())
        .ok_or(AppError::Unauthorized)?;
    if !super::credentials::verify_password(password.to_string(), Some(a.password_hash.clone()))
        .await
    {
        return Err(AppError::field(Field::Password, FieldError::Invalid));
    }
    if !confirmed {
        return Err(AppError::field(Field::Confirm, FieldError::Required));
    }
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let reports: Vec<i64> = report::Entity::find()
        .filter(report::Column::ReporterAccountId.eq(id))
        .all(&txn)
        .await
        .map_err(internal("loading the account's reports"))?
        .into_iter()
        .map(|r| r.id)
        .collect();
    // Emails written to the person: to the account, or to a contact given with its reports.
    let mut addresses: Vec<String> = a.email.iter().cloned().collect();
    addresses.extend(
        reporter_contact::Entity::find()
            .filter(reporter_contact::Column::ReportId.is_in(reports.clone()))
            .all(&txn)
            .await
            .map_err(internal("loading contacts"))?
            .into_iter()
            .filter_map(|c| c.email),
    );
    outbox::Entity::delete_many()
        .filter(
            Condition::any()
                .add(outbox::Column::AccountId.eq(id))
                .add(outbox::Column::Recipient.is_in(addresses)),
        )
        .exec(&txn)
        .await
        .map_err(internal("erasing emails"))?;
    reporter_contact::Entity::delete_many()
        .filter(reporter_contact::Column::ReportId.is_in(reports.clone()))
        .exec(&txn)
        .await
        .map_err(internal("erasing contacts"))?;
    report::Entity::update_many()
        .col_expr(
            report::Column::ReporterAccountId,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(report::Column::NamePublic, Expr::value(false))
        .filter(report::Column::Id.is_in(reports.clone()))
        .exec(&txn)
        .await
        .map_err(internal("anonymising reports"))?;
    let supported: Vec<i64> = report_support::Entity::find()
        .filter(report_support::Column::AccountId.eq(id))
        .all(&txn)
        .await
        .map_err(internal("loading supports"))?
        .into_iter()
        .map(|s| s.report_id)
        .collect();
    macro_rules! erase_of_account {
        ($($entity:ident),*) => {$(
            $entity::Entity::delete_many()
                .filter($entity::Column::AccountId.eq(id))
                .exec(&txn)
                .await
                .map_err(internal(concat!("erasing ", stringify!($entity))))?;
        )*};
    }
    erase_of_account!(
        session,
        api_token,
        recovery_code,
        email_verification,
        password_reset,
        saved_view,
        report_follow,
        report_support,
        notification
    );
    for r in supported {
        super::transparency::recount_support(&txn, r).await?;
    }
    account::ActiveModel {
        id: Set(id),
        email: Set(None),
        phone: Set(None),
        display_name: Set(String::new()),
        // No password matches this: the account can never sign in again.
        password_hash: Set("!erased".into()),
        active: Set(false),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        totp_last_step: Set(None),
        email_verified_at: Set(None),
        erased_at: Set(Some(now)),
        ..Default::default()
    }
    .update(&txn)
    .await
    .map_err(internal("erasing the account"))?;
    audit(
        &txn,
        actor,
        "account.erased",
        format!("account:{id}"),
        Some(format!("reports_anonymised={}", reports.len())),
        now,
    )
    .await?;
    txn.commit()
        .await
        .map_err(internal("committing the erasure"))?;
    Ok(ErasedAccount {
        reports_anonymised: reports.len() as u64,
    })
}

mod acts {
    use super::*;
    use crate::domain::accounts::EraseAccount;
    use crate::server::act::{Ctx, Serve};
    use crate::server::files::Upload;

    impl Serve for EraseAccount {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let actor = cx.signed_in()?;
            // A browser session only: an integration token cannot erase its own account.
            if cx.session.is_none() {
                return Err(AppError::Forbidden);
            }
            erase_my_account(
                &cx.state.db,
                actor,
                self.password.expose(),
                self.confirm,
                cx.now,
            )
            .await?;
            cx.clear_session();
            Ok(())
        }
    }
}
