//! Helping the verifier dispatch: routing rules kept by administrators (category × region →
//! agency) pre-select an agency, and similar earlier reports show where such reports went.

use super::accounts::audit;
use super::entities::{agency, category, region, report, routing_rule};
use super::internal;
use crate::domain::access::{AccountRole, Actor};
use crate::domain::views::{AgencyRef, DispatchHelp, RoutingRuleView, SimilarReport};
use crate::domain::{AppError, Field, FieldError, ReportStatus};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use std::collections::HashMap;

/// Who keeps the rules.
fn may_edit(actor: &Actor) -> bool {
    actor.role() == Some(AccountRole::SystemAdmin)
}

/// A rule as typed in the form or the API.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub struct RuleInput {
    pub category_id: Option<i32>,
    pub region_code: Option<String>,
    pub agency_id: Option<i32>,
}

/// Every rule, most specific first, with names: for those who keep them (system
/// administrators), whether asked through the page or the JSON API.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<RoutingRuleView>, AppError> {
    if !may_edit(actor) {
        return Err(match actor {
            Actor::Public => AppError::Unauthorized,
            _ => AppError::Forbidden,
        });
    }
    let rules = routing_rule::Entity::find()
        .order_by_asc(routing_rule::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading routing rules"))?;
    let agencies = agency_names(db).await?;
    let categories: HashMap<i32, String> = category::Entity::find()
        .all(db)
        .await
        .map_err(internal("loading categories"))?
        .into_iter()
        .map(|c| (c.id, c.name_id))
        .collect();
    let regions: HashMap<String, String> = region::Entity::find()
        .all(db)
        .await
        .map_err(internal("loading regions"))?
        .into_iter()
        .map(|r| (r.code, r.name))
        .collect();
    let mut out: Vec<RoutingRuleView> = rules
        .into_iter()
        .filter_map(|r| {
            Some(RoutingRuleView {
                id: r.id,
                category: r.category_id.and_then(|c| categories.get(&c).cloned()),
                region: r.region_code.as_ref().and_then(|c| regions.get(c).cloned()),
                agency: agencies.get(&r.agency_id)?.clone(),
                specificity: specificity(r.category_id.is_some(), r.region_code.as_deref()),
            })
        })
        .collect();
    out.sort_by_key(|r| std::cmp::Reverse(r.specificity));
    Ok(out)
}

/// Category counts 3, a regency 2, a province 1: category + regency, category + province,
/// category, regency, province.
fn specificity(category: bool, region: Option<&str>) -> u8 {
    let region = match region {
        Some(code) if code.contains('.') => 2,
        Some(_) => 1,
        None => 0,
    };
    if category {
        3 + region
    } else {
        region
    }
}

async fn agency_names<C: ConnectionTrait>(db: &C) -> Result<HashMap<i32, AgencyRef>, AppError> {
    Ok(agency::Entity::find()
        .all(db)
        .await
        .map_err(internal("loading agencies"))?
        .into_iter()
        .map(|a| {
            (
                a.id,
                AgencyRef {
                    id: a.id,
                    code: a.code,
                    name: a.name,
                },
            )
        })
        .collect())
}

/// Adds a rule (system administrators; audited).
pub async fn add<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    input: &RuleInput,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    if !may_edit(actor) {
        return Err(AppError::Forbidden);
    }
    let mut errors = crate::domain::FieldErrors::new();
    let agency_ok = match input.agency_id {
        Some(id) => agency::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(internal("loading agency"))?
            .is_some_and(|a| a.active),
        None => false,
    };
    if !agency_ok {
        errors.insert(
            Field::Agency,
            if input.agency_id.is_none() {
                FieldError::Required
            } else {
                FieldError::Unknown
            },
        );
    }
    if let Some(c) = input.category_id {
        if category::Entity::find_by_id(c)
            .one(db)
            .await
            .map_err(internal("loading category"))?
            .is_none()
        {
            errors.insert(Field::CategoryId, FieldError::Unknown);
        }
    }
    let region = input
        .region_code
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(code) = region {
        if region::Entity::find_by_id(code.to_string())
            .one(db)
            .await
            .map_err(internal("loading region"))?
            .is_none()
        {
            errors.insert(Field::RegionCode, FieldError::Unknown);
        }
    }
    if input.category_id.is_none() && region.is_none() {
        // A rule for everything would pre-select one agency for every report.
        errors.insert(Field::CategoryId, FieldError::Required);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let saved = routing_rule::ActiveModel {
        category_id: Set(input.category_id),
        region_code: Set(region.map(str::to_string)),
        agency_id: Set(input.agency_id.unwrap_or_default()),
        created_by: Set(actor.account()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("saving a routing rule"))?;
    audit(
        db,
        actor,
        "routing_rule.created",
        format!("routing_rule:{}", saved.id),
        Some(format!(
            "category={:?} region={:?} agency={}",
            saved.category_id, saved.region_code, saved.agency_id
        )),
        now,
    )
    .await?;
    Ok(saved.id)
}

/// Removes a rule (system administrators; audited).
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if !may_edit(actor) {
        return Err(AppError::Forbidden);
    }
    let gone = routing_rule::Entity::delete_by_id(id)
        .exec(db)
        .await
        .map_err(internal("removing a routing rule"))?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit(
        db,
        actor,
        "routing_rule.removed",
        format!("routing_rule:{id}"),
        None,
        now,
    )
    .await
}

/// The agency the most specific matching rule names, and the similar earlier reports.
/// The similar reports are a view like any other: they start from `visible_to(actor)` and leave
/// out confidential reports.
pub async fn help<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    r: &report::Model,
) -> Result<DispatchHelp, AppError> {
    let province = r
        .region_code
        .as_deref()
        .map(|c| c.split('.').next().unwrap_or(c).to_string());
    let rules = routing_rule::Entity::find()
        .all(db)
        .await
        .map_err(internal("loading routing rules"))?;
    let matching = rules
        .into_iter()
        .filter(|rule| rule.category_id.is_none() || rule.category_id == r.category_id)
        .filter(|rule| match rule.region_code.as_deref() {
            None => true,
            Some(code) => {
                r.region_code.as_deref() == Some(code) || province.as_deref() == Some(code)
            }
        })
        .max_by_key(|rule| {
            (
                specificity(rule.category_id.is_some(), rule.region_code.as_deref()),
                std::cmp::Reverse(rule.id),
            )
        });
    let agencies = agency_names(db).await?;
    let suggestion = matching.and_then(|rule| agencies.get(&rule.agency_id).cloned());
    let mut similar_q = super::casework::visible_to(actor)
        .filter(report::Column::Id.ne(r.id))
        .filter(report::Column::Confidential.eq(false))
        .filter(report::Column::AgencyId.is_not_null());
    similar_q = match r.category_id {
        Some(c) => similar_q.filter(report::Column::CategoryId.eq(c)),
        None => similar_q.filter(report::Column::CategoryId.is_null()),
    };
    similar_q = match &r.region_code {
        Some(code) => similar_q.filter(report::Column::RegionCode.eq(code.clone())),
        None => similar_q.filter(report::Column::RegionCode.is_null()),
    };
    let similar = similar_q
        .order_by_desc(report::Column::CreatedAt)
        .limit(5)
        .all(db)
        .await
        .map_err(internal("loading similar reports"))?
        .into_iter()
        .filter_map(|s| {
            Some(SimilarReport {
                id: s.id,
                reference: s.reference,
                title: s.title,
                status: ReportStatus::parse(&s.status)?,
                agency: agencies.get(&s.agency_id?)?.clone(),
                created_at: s.created_at,
                bounces: s.bounces,
            })
        })
        .collect();
    Ok(DispatchHelp {
        suggestion,
        similar,
    })
}

#[cfg(test)]
mod tests {
    use super::specificity;

    #[test]
    fn the_most_specific_rule_counts_most() {
        assert!(specificity(true, Some("76.04")) > specificity(true, Some("76")));
        assert!(specificity(true, Some("76")) > specificity(true, None));
        assert!(specificity(true, None) > specificity(false, Some("76.04")));
        assert!(specificity(false, Some("76.04")) > specificity(false, Some("76")));
    }
}

mod acts {
    use super::*;
    use crate::domain::office::{AddRoutingRule, RemoveRoutingRule};
    use crate::server::act::{Ctx, Serve};
    use crate::server::files::Upload;

    impl Serve for AddRoutingRule {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<i32, AppError> {
            let input = RuleInput {
                category_id: self.category_id,
                region_code: self.region_code,
                agency_id: self.agency_id,
            };
            add(&cx.state.db, cx.signed_in()?, &input, cx.now).await
        }
    }

    impl Serve for RemoveRoutingRule {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            remove(&cx.state.db, cx.signed_in()?, self.id, cx.now).await
        }
    }
}
