//! The agency tree: any depth (ministry/province → regency/city → OPD → unit). System
//! administrators create, edit, move and deactivate agencies, one at a time or by CSV import with a
//! dry-run preview and per-row errors. Every change is audited.

use super::accounts::audit;
use super::entities::{agency, region};
use super::internal;
use crate::domain::access::{can_manage_agencies, Actor};
use crate::domain::report::parse_email;
use crate::domain::views::{AgencyNode, ImportPreview, ImportRow};
use crate::domain::{AppError, Field, FieldError};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionSession, TransactionTrait,
};
use std::collections::HashMap;

/// Kinds of agency, from the top of the tree down.
pub const KINDS: [&str; 5] = ["ministry", "province", "regency", "opd", "unit"];

pub use crate::domain::office::AgencyInput;

/// The active agencies in tree order, each name indented by its depth (`· `), for choosing one.
pub async fn choices<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<crate::domain::views::AgencyRef>, AppError> {
    Ok(tree(db)
        .await?
        .into_iter()
        .filter(|n| n.active)
        .map(|n| n.choice())
        .collect())
}

/// The whole tree in display order (each agency followed by its children, by name).
/// The agency tree as `actor` may read it: the public fields for everyone (agencies are public
/// bodies); the head's name and address only for those who manage agencies.
pub async fn tree_for<C: ConnectionTrait>(
    db: &C,
    actor: &crate::domain::access::Actor,
) -> Result<Vec<AgencyNode>, AppError> {
    let mut nodes = tree(db).await?;
    if !crate::domain::access::can_manage_agencies(actor) {
        for n in &mut nodes {
            n.head_name = None;
            n.head_email = None;
        }
    }
    Ok(nodes)
}

/// The whole tree with every field (for pages that already decided the actor may see it).
pub async fn tree<C: ConnectionTrait>(db: &C) -> Result<Vec<AgencyNode>, AppError> {
    let all = agency::Entity::find()
        .order_by_asc(agency::Column::Name)
        .all(db)
        .await
        .map_err(internal("loading agencies"))?;
    let ids: std::collections::HashSet<i32> = all.iter().map(|a| a.id).collect();
    let mut out = Vec::with_capacity(all.len());
    let mut stack: Vec<(&agency::Model, u32)> = all
        .iter()
        .filter(|a| a.parent_id.is_none_or(|p| !ids.contains(&p)))
        .rev()
        .map(|a| (a, 0))
        .collect();
    let mut seen = std::collections::HashSet::new();
    while let Some((a, depth)) = stack.pop() {
        if !seen.insert(a.id) {
            continue;
        }
        out.push(AgencyNode {
            id: a.id,
            code: a.code.clone(),
            name: a.name.clone(),
            kind: a.kind.clone(),
            parent_id: a.parent_id,
            region_code: a.region_code.clone(),
            utc_offset_minutes: a.utc_offset_minutes,
            head_name: a.head_name.clone(),
            head_email: a.head_email.clone(),
            active: a.active,
            depth,
        });
        for c in all.iter().filter(|c| c.parent_id == Some(a.id)).rev() {
            stack.push((c, depth + 1));
        }
    }
    Ok(out)
}

/// The field errors of one agency, given the codes known so far (`code → id`, with `None` for
/// agencies earlier in the same import) and the regions.
fn check(
    input: &AgencyInput,
    known: &HashMap<String, Option<i32>>,
    regions: &std::collections::HashSet<String>,
    creating: bool,
) -> Vec<(Field, FieldError)> {
    let mut errors = Vec::new();
    let code = input.code.trim();
    if code.is_empty() {
        errors.push((Field::AgencyCode, FieldError::Required));
    } else if code.len() > 40
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.' || c == '_')
    {
        errors.push((Field::AgencyCode, FieldError::Invalid));
    } else if creating && known.contains_key(code) {
        errors.push((Field::AgencyCode, FieldError::Taken));
    }
    let name = input.name.trim();
    if name.is_empty() {
        errors.push((Field::AgencyName, FieldError::Required));
    } else if name.chars().count() > 200 {
        errors.push((Field::AgencyName, FieldError::TooLong { max: 200 }));
    }
    if let Some(p) = input.parent_code.as_deref().map(str::trim) {
        if !p.is_empty() && (!known.contains_key(p) || p == code) {
            errors.push((Field::ParentAgency, FieldError::Unknown));
        }
    }
    if let Some(k) = input.kind.as_deref().map(str::trim) {
        if !k.is_empty() && !KINDS.contains(&k) {
            errors.push((Field::AgencyKind, FieldError::Unknown));
        }
    }
    if let Some(r) = input.region_code.as_deref().map(str::trim) {
        if !r.is_empty() && !regions.contains(r) {
            errors.push((Field::RegionCode, FieldError::Unknown));
        }
    }
    if let Some(tz) = input.utc_offset_minutes {
        if ![420, 480, 540].contains(&tz) {
            errors.push((Field::RegionCode, FieldError::Invalid));
        }
    }
    if let Some(e) = input.head_email.as_deref().map(str::trim) {
        if !e.is_empty() {
            if let Err(err) = parse_email(e) {
                errors.push((Field::Email, err));
            }
        }
    }
    errors
}

async fn known_codes<C: ConnectionTrait>(db: &C) -> Result<HashMap<String, Option<i32>>, AppError> {
    Ok(agency::Entity::find()
        .all(db)
        .await
        .map_err(internal("loading agencies"))?
        .into_iter()
        .map(|a| (a.code, Some(a.id)))
        .collect())
}

async fn region_codes<C: ConnectionTrait>(
    db: &C,
) -> Result<std::collections::HashSet<String>, AppError> {
    Ok(region::Entity::find()
        .select_only()
        .column(region::Column::Code)
        .into_tuple::<String>()
        .all(db)
        .await
        .map_err(internal("loading regions"))?
        .into_iter()
        .collect())
}

fn opt(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    input: &AgencyInput,
    codes: &HashMap<String, Option<i32>>,
) -> Result<i32, AppError> {
    let next: Option<i32> = agency::Entity::find()
        .select_only()
        .column_as(agency::Column::Id.max(), "m")
        .into_tuple::<Option<i32>>()
        .one(db)
        .await
        .map_err(internal("finding next agency id"))?
        .flatten();
    let id = next.unwrap_or(0) + 1;
    let parent = opt(&input.parent_code).and_then(|p| codes.get(&p).copied().flatten());
    agency::ActiveModel {
        id: Set(id),
        code: Set(input.code.trim().to_string()),
        name: Set(input.name.trim().to_string()),
        parent_id: Set(parent),
        region_code: Set(opt(&input.region_code)),
        active: Set(true),
        kind: Set(opt(&input.kind).unwrap_or_else(|| "opd".into())),
        utc_offset_minutes: Set(input.utc_offset_minutes),
        head_name: Set(opt(&input.head_name)),
        head_email: Set(opt(&input.head_email)),
    }
    .insert(db)
    .await
    .map_err(internal("inserting agency"))?;
    Ok(id)
}

/// Creates one agency.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: &AgencyInput,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    if !can_manage_agencies(actor) {
        return Err(AppError::Forbidden);
    }
    let codes = known_codes(db).await?;
    let errors = check(input, &codes, &region_codes(db).await?, true);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors.into_iter().collect()));
    }
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let id = insert(&txn, input, &codes).await?;
    audit(
        &txn,
        actor,
        "agency.created",
        format!("agency:{id}"),
        Some(input.code.trim().to_string()),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing agency"))?;
    Ok(id)
}

/// Edits an agency (name, kind, region, time zone, head) and moves it under another parent.
/// A move below itself or its own descendants is refused.
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    input: &AgencyInput,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !can_manage_agencies(actor) {
        return Err(AppError::Forbidden);
    }
    let current = agency::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal("loading agency"))?
        .ok_or(AppError::NotFound)?;
    let codes = known_codes(db).await?;
    let input = AgencyInput {
        code: current.code.clone(),
        ..input.clone()
    };
    let mut errors = check(&input, &codes, &region_codes(db).await?, false);
    let parent = opt(&input.parent_code).and_then(|p| codes.get(&p).copied().flatten());
    if let Some(p) = parent {
        let tree = super::accounts::agency_tree(db).await?;
        if crate::domain::access::subtree(id, &tree).contains(&p) {
            errors.push((Field::ParentAgency, FieldError::Invalid));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors.into_iter().collect()));
    }
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    agency::Entity::update_many()
        .col_expr(agency::Column::Name, Expr::value(input.name.trim()))
        .col_expr(agency::Column::ParentId, Expr::value(parent))
        .col_expr(
            agency::Column::Kind,
            Expr::value(opt(&input.kind).unwrap_or(current.kind.clone())),
        )
        .col_expr(
            agency::Column::RegionCode,
            Expr::value(opt(&input.region_code)),
        )
        .col_expr(
            agency::Column::UtcOffsetMinutes,
            Expr::value(input.utc_offset_minutes),
        )
        .col_expr(agency::Column::HeadName, Expr::value(opt(&input.head_name)))
        .col_expr(
            agency::Column::HeadEmail,
            Expr::value(opt(&input.head_email)),
        )
        .filter(agency::Column::Id.eq(id))
        .exec(&txn)
        .await
        .map_err(internal("updating agency"))?;
    let moved = if parent != current.parent_id {
        format!(" moved {:?} -> {:?}", current.parent_id, parent)
    } else {
        String::new()
    };
    audit(
        &txn,
        actor,
        "agency.updated",
        format!("agency:{id}"),
        Some(format!("{}{moved}", current.code)),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing agency"))?;
    Ok(())
}

/// Deactivates (or reactivates) an agency: it can no longer receive reports or staff, and its
/// history stays.
pub async fn set_active<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    active: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !can_manage_agencies(actor) {
        return Err(AppError::Forbidden);
    }
    let res = agency::Entity::update_many()
        .col_expr(agency::Column::Active, Expr::value(active))
        .filter(agency::Column::Id.eq(id))
        .exec(db)
        .await
        .map_err(internal("deactivating agency"))?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit(
        db,
        actor,
        if active {
            "agency.activated"
        } else {
            "agency.deactivated"
        },
        format!("agency:{id}"),
        None,
        now,
    )
    .await
}

/// Imports agencies from CSV with the header
/// `code,name,parent_code,kind,region_code,utc_offset_minutes,head_name,head_email` (only `code`
/// and `name` required; a parent may be an existing agency or an earlier row). With `dry_run`, or
/// when any row has an error, nothing is written; otherwise every row is created in one
/// transaction.
pub async fn import_csv<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    csv_text: &str,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<ImportPreview, AppError> {
    if !can_manage_agencies(actor) {
        return Err(AppError::Forbidden);
    }
    let mut preview = ImportPreview {
        rows: Vec::new(),
        file_error: None,
        applied: false,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(csv_text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(_) => {
            preview.file_error = Some("not_csv".into());
            return Ok(preview);
        }
    };
    if !headers.iter().any(|h| h == "code") || !headers.iter().any(|h| h == "name") {
        preview.file_error = Some("missing_columns".into());
        return Ok(preview);
    }
    let mut codes = known_codes(db).await?;
    let regions = region_codes(db).await?;
    let mut inputs = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let Ok(record) = record else {
            preview.rows.push(ImportRow {
                line,
                code: String::new(),
                name: String::new(),
                parent_code: None,
                errors: vec![(Field::AgencyCode, FieldError::Invalid)],
            });
            continue;
        };
        let get = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|p| record.get(p))
                .map(str::to_string)
                .filter(|v| !v.is_empty())
        };
        let mut errors = Vec::new();
        let tz = match get("utc_offset_minutes") {
            Some(v) => match v.parse::<i32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push((Field::RegionCode, FieldError::Invalid));
                    None
                }
            },
            None => None,
        };
        let input = AgencyInput {
            code: get("code").unwrap_or_default(),
            name: get("name").unwrap_or_default(),
            parent_code: get("parent_code"),
            kind: get("kind"),
            region_code: get("region_code"),
            utc_offset_minutes: tz,
            head_name: get("head_name"),
            head_email: get("head_email"),
        };
        errors.extend(check(&input, &codes, &regions, true));
        if !input.code.trim().is_empty() {
            codes.entry(input.code.trim().to_string()).or_insert(None);
        }
        preview.rows.push(ImportRow {
            line,
            code: input.code.clone(),
            name: input.name.clone(),
            parent_code: input.parent_code.clone(),
            errors,
        });
        inputs.push(input);
    }
    if dry_run || preview.error_count() > 0 || inputs.is_empty() {
        return Ok(preview);
    }
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let mut codes = known_codes(&txn).await?;
    for input in &inputs {
        let id = insert(&txn, input, &codes).await?;
        codes.insert(input.code.trim().to_string(), Some(id));
    }
    audit(
        &txn,
        actor,
        "agency.imported",
        "agencies".into(),
        Some(format!("{} rows", inputs.len())),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing import"))?;
    preview.applied = true;
    Ok(preview)
}

/// The services of the agency tree's actions (`crate::act`).
mod acts {
    use super::*;
    use crate::domain::office::{CreateAgency, ImportAgencies, SetAgencyActive, UpdateAgency};
    use crate::server::act::{Ctx, Serve};
    use crate::server::files::Upload;
    use std::sync::Arc;

    impl Serve for CreateAgency {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<i32, AppError> {
            create(&cx.state.db, cx.signed_in()?, &self.0, cx.now).await
        }
    }

    impl Serve for UpdateAgency {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            update(&cx.state.db, cx.signed_in()?, self.id, &self.agency, cx.now).await
        }
    }

    impl Serve for SetAgencyActive {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            set_active(
                &cx.state.db,
                cx.signed_in()?,
                self.agency,
                self.active,
                cx.now,
            )
            .await
        }
    }

    impl Serve for ImportAgencies {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<ImportPreview, AppError> {
            let dry_run = self.dry_run();
            import_csv(&cx.state.db, cx.signed_in()?, &self.csv, dry_run, cx.now).await
        }

        fn show(out: &ImportPreview) -> Option<Arc<dyn Fn() + Send + Sync>> {
            let preview = out.clone();
            Some(Arc::new(move || {
                leptos::prelude::provide_context(preview.clone())
            }))
        }

        fn shown_status(out: &ImportPreview) -> u16 {
            if out.error_count() > 0 {
                422
            } else {
                200
            }
        }
    }
}
