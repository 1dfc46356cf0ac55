//! Response templates per agency (kept by its administrators, used by its officers), with
//! placeholders filled from the report, and the copy-paste check: a reply nearly identical to one
//! the agency already sent on another report is flagged before it goes out.

use super::accounts::audit;
use super::entities::{agency, message, report, response_template};
use super::internal;
use crate::domain::access::{AccountRole, Actor};
use crate::domain::views::TemplateView;
use crate::domain::{AppError, Field, FieldError};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashSet;

/// Replies compared with a new one.
pub const COMPARE_WITH: u64 = 300;
/// Share of a new reply's word triples found in an earlier reply above which it counts as a
/// near copy (a template filled for another report keeps most of its triples).
pub const NEAR_DUPLICATE: f64 = 0.7;

/// The agencies whose templates `actor` may use (their subtree) and whether they may edit them.
fn scope(actor: &Actor) -> Option<(&[i32], bool)> {
    let s = actor.staff()?;
    match s.role {
        AccountRole::AgencyAdmin => Some((&s.scope, true)),
        AccountRole::AgencyOfficer => Some((&s.scope, false)),
        _ => None,
    }
}

/// The templates `actor` may use, by title.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<TemplateView>, AppError> {
    let Some((agencies, can_edit)) = scope(actor) else {
        return Err(AppError::Forbidden);
    };
    let names: std::collections::HashMap<i32, String> = agency::Entity::find()
        .filter(agency::Column::Id.is_in(agencies.to_vec()))
        .all(db)
        .await
        .map_err(internal("loading agencies"))?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    Ok(response_template::Entity::find()
        .filter(response_template::Column::AgencyId.is_in(agencies.to_vec()))
        .filter(response_template::Column::Active.eq(true))
        .order_by_asc(response_template::Column::Title)
        .all(db)
        .await
        .map_err(internal("loading templates"))?
        .into_iter()
        .map(|t| TemplateView {
            id: t.id,
            agency: names.get(&t.agency_id).cloned().unwrap_or_default(),
            title: t.title,
            body: t.body,
            can_edit,
        })
        .collect())
}

/// A template as typed.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct TemplateInput {
    pub title: String,
    pub body: String,
}

fn check(input: &TemplateInput) -> Result<(String, String), AppError> {
    let title = input.title.trim().to_string();
    let body = input.body.trim().to_string();
    let mut errors = crate::domain::FieldErrors::new();
    match title.chars().count() {
        0 => {
            errors.insert(Field::Title, FieldError::Required);
        }
        n if n > 120 => {
            errors.insert(Field::Title, FieldError::TooLong { max: 120 });
        }
        _ => {}
    }
    match body.chars().count() {
        0 => {
            errors.insert(Field::Message, FieldError::Required);
        }
        n if n > 5000 => {
            errors.insert(Field::Message, FieldError::TooLong { max: 5000 });
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok((title, body))
    } else {
        Err(AppError::Validation(errors))
    }
}

/// A new template of the administrator's own agency (audited).
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &TemplateInput,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let Some((_, true)) = scope(actor) else {
        return Err(AppError::Forbidden);
    };
    let agency_id = actor
        .staff()
        .and_then(|s| s.agency)
        .ok_or(AppError::Forbidden)?;
    let (title, body) = check(input)?;
    let saved = response_template::ActiveModel {
        agency_id: Set(agency_id),
        title: Set(title),
        body: Set(body),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("saving a template"))?;
    audit(
        db,
        actor,
        "template.created",
        format!("template:{}", saved.id),
        None,
        now,
    )
    .await?;
    Ok(saved.id)
}

/// Retires a template of the administrator's subtree (audited).
pub async fn retire<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some((agencies, true)) = scope(actor) else {
        return Err(AppError::Forbidden);
    };
    let t = response_template::Entity::find_by_id(id)
        .filter(response_template::Column::AgencyId.is_in(agencies.to_vec()))
        .one(db)
        .await
        .map_err(internal("loading a template"))?
        .ok_or(AppError::NotFound)?;
    let mut row: response_template::ActiveModel = t.into();
    row.active = Set(false);
    row.updated_at = Set(now);
    row.update(db)
        .await
        .map_err(internal("retiring a template"))?;
    audit(
        db,
        actor,
        "template.retired",
        format!("template:{id}"),
        None,
        now,
    )
    .await
}

/// The template's text for report `r`: `{nomor}`, `{judul}`, `{instansi}`, `{tanggal}` filled.
pub async fn fill<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    r: &report::Model,
) -> Result<String, AppError> {
    let Some((agencies, _)) = scope(actor) else {
        return Err(AppError::Forbidden);
    };
    let t = response_template::Entity::find_by_id(id)
        .filter(response_template::Column::AgencyId.is_in(agencies.to_vec()))
        .filter(response_template::Column::Active.eq(true))
        .one(db)
        .await
        .map_err(internal("loading a template"))?
        .ok_or(AppError::NotFound)?;
    let agency_name = match r.agency_id {
        Some(a) => agency::Entity::find_by_id(a)
            .one(db)
            .await
            .map_err(internal("loading agency"))?
            .map(|a| a.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let date = crate::domain::calendar::local_date(r.created_at, r.utc_offset_minutes);
    Ok(t.body
        .replace("{nomor}", &r.reference)
        .replace("{judul}", &r.title)
        .replace("{instansi}", &agency_name)
        .replace("{tanggal}", &date.format("%d-%m-%Y").to_string()))
}

/// Lower-case word triples of a text.
fn shingles(text: &str) -> HashSet<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.len() < 3 {
        return words.into_iter().collect();
    }
    words.windows(3).map(|w| w.join(" ")).collect()
}

/// The share of `new`'s word triples that also occur in `earlier` (0 to 1).
pub fn similarity(earlier: &str, new: &str) -> f64 {
    let (a, b) = (shingles(earlier), shingles(new));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / b.len() as f64
}

/// The reference of another report on which `agencies` already sent a reply nearly identical
/// to `text`, if any (replies shorter than a sentence are not compared).
pub async fn near_duplicate<C: ConnectionTrait>(
    db: &C,
    agencies: &[i32],
    report_id: i64,
    text: &str,
) -> Result<Option<String>, AppError> {
    if text.split_whitespace().count() < 6 {
        return Ok(None);
    }
    let earlier = message::Entity::find()
        .filter(message::Column::Author.eq("agency"))
        .filter(message::Column::Audience.eq("reporter"))
        .filter(message::Column::AgencyId.is_in(agencies.to_vec()))
        .filter(message::Column::ReportId.ne(report_id))
        .order_by_desc(message::Column::Id)
        .limit(COMPARE_WITH)
        .all(db)
        .await
        .map_err(internal("loading earlier replies"))?;
    let Some(m) = earlier
        .into_iter()
        .find(|m| similarity(&m.body, text) >= NEAR_DUPLICATE)
    else {
        return Ok(None);
    };
    Ok(report::Entity::find_by_id(m.report_id)
        .select_only()
        .column(report::Column::Reference)
        .into_tuple::<String>()
        .one(db)
        .await
        .map_err(internal("loading a reference"))?)
}

#[cfg(test)]
mod tests {
    use super::similarity;

    #[test]
    fn near_identical_replies_score_high_and_different_ones_low() {
        let a = "Terima kasih atas laporan Anda. Laporan sudah kami tindak lanjuti dan petugas akan segera ke lokasi.";
        let b = "Terima kasih atas laporan Anda. Laporan sudah kami tindak lanjuti dan petugas akan segera ke lokasi!";
        let c = "Lubang di Jalan Pemuda sudah ditambal pada Kamis pagi oleh regu pemeliharaan jalan wilayah dua.";
        assert!(similarity(a, b) > 0.95, "{}", similarity(a, b));
        assert!(similarity(a, c) < 0.2, "{}", similarity(a, c));
        assert_eq!(similarity("", a), 0.0);
    }
}

mod acts {
    use super::*;
    use crate::domain::office::{CreateTemplate, RetireTemplate};
    use crate::server::act::{Ctx, Serve};
    use crate::server::files::Upload;

    impl Serve for CreateTemplate {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<i32, AppError> {
            let input = TemplateInput {
                title: self.title,
                body: self.body,
            };
            create(&cx.state.db, cx.signed_in()?, &input, cx.now).await
        }
    }

    impl Serve for RetireTemplate {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            retire(&cx.state.db, cx.signed_in()?, self.id, cx.now).await
        }
    }
}
