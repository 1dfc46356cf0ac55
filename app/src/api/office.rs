//! Server functions of the office pages: the agency tree and one agency, the holiday calendar,
//! routing rules and reply templates.

#[cfg(feature = "ssr")]
use super::actor;
use crate::domain::views::{AdminAgenciesPage, AgencyEditPage};
use crate::domain::AppError;
use leptos::prelude::*;

/// The agency tree and the last import preview.
#[server(endpoint = "admin-agencies")]
pub async fn get_admin_agencies() -> Result<AdminAgenciesPage, AppError> {
    let actor = actor()?;
    if !crate::domain::access::can_manage_agencies(&actor) {
        return Err(AppError::Forbidden);
    }
    let state = super::state()?;
    Ok(AdminAgenciesPage {
        tree: crate::server::agencies::tree(&state.db).await?,
        import: use_context::<crate::domain::views::ImportPreview>(),
    })
}

/// One agency for editing, with the parents it may move under.
#[server(endpoint = "admin-agency")]
pub async fn get_admin_agency(id: i32) -> Result<AgencyEditPage, AppError> {
    let actor = actor()?;
    if !crate::domain::access::can_manage_agencies(&actor) {
        return Err(AppError::Forbidden);
    }
    let state = super::state()?;
    let tree = crate::server::agencies::tree(&state.db).await?;
    let agency = tree
        .iter()
        .find(|n| n.id == id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let pairs: Vec<(i32, Option<i32>)> = tree.iter().map(|n| (n.id, n.parent_id)).collect();
    let below = crate::domain::access::subtree(id, &pairs);
    let parent_code = agency
        .parent_id
        .and_then(|p| tree.iter().find(|n| n.id == p))
        .map(|n| n.code.clone());
    let parents = tree
        .iter()
        .filter(|n| !below.contains(&n.id))
        .map(|n| n.choice())
        .collect();
    Ok(AgencyEditPage {
        agency,
        parent_code,
        parents,
    })
}

/// The holiday calendar page (system administrators).
#[server(endpoint = "holidays")]
pub async fn get_holidays_page() -> Result<crate::domain::views::HolidaysPage, AppError> {
    let actor = actor()?;
    let state = super::state()?;
    let today = crate::domain::calendar::local_date(chrono::Utc::now(), 7 * 60);
    crate::server::holidays::page(&state.db, &actor, today).await
}

/// The routing rules page (system administrators).
#[server(endpoint = "routing")]
pub async fn get_routing_page() -> Result<crate::domain::views::RoutingPage, AppError> {
    let actor = actor()?;
    let state = super::state()?;
    // The service decides who may read the rules (the same rule as the JSON API).
    let rules = crate::server::routing::list(&state.db, &actor).await?;
    let (categories, provinces, regencies) = crate::server::intake::form_options(&state.db).await?;
    let agencies = crate::server::agencies::choices(&state.db).await?;
    let mut regions = Vec::new();
    for p in provinces {
        regions.push((p.code.clone(), p.name.clone()));
        for r in regencies
            .iter()
            .filter(|r| r.parent.as_deref() == Some(p.code.as_str()))
        {
            regions.push((r.code.clone(), format!("· {}", r.name)));
        }
    }
    Ok(crate::domain::views::RoutingPage {
        rules,
        agencies,
        categories,
        regions,
    })
}

/// The templates page (agency staff; administrators edit).
#[server(endpoint = "templates")]
pub async fn get_templates_page() -> Result<crate::domain::views::TemplatesPage, AppError> {
    use crate::domain::access::AccountRole;
    let actor = actor()?;
    let state = super::state()?;
    Ok(crate::domain::views::TemplatesPage {
        templates: crate::server::templates::list(&state.db, &actor).await?,
        can_edit: actor.role() == Some(AccountRole::AgencyAdmin),
    })
}
