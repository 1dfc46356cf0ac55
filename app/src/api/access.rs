//! Server functions of the signed-in pages: each reads the request's actor (set by the server's
//! authentication middleware) and calls a use case that applies the policy. A form post that was
//! refused leaves its outcome in the context, and the page's data carries it to the browser so
//! the hydrated page matches what the server rendered.

#[cfg(feature = "ssr")]
use crate::domain::views::FormOutcome;
use crate::domain::views::{
    AccountPage, AdminAgenciesPage, AdminUsersPage, AgencyEditPage, EnrolPage, InvitePage,
    PageContext, StaffListPage, StaffReportPage,
};
use crate::domain::AppError;
use leptos::prelude::*;

/// Recovery codes just issued (context of the answer to the enrolment post).
#[derive(Clone, Debug)]
pub struct RecoveryCodes(pub Vec<String>);

/// An invite link just created (context of the answer to the invite post).
#[derive(Clone, Debug)]
pub struct InviteUrl(pub String);

/// An integration token just created (context of the answer to the token post).
#[derive(Clone, Debug)]
pub struct NewToken(pub String);

#[cfg(feature = "ssr")]
fn outcome() -> Option<FormOutcome> {
    use_context::<FormOutcome>()
}

#[cfg(feature = "ssr")]
fn actor() -> Result<crate::domain::access::Actor, AppError> {
    match crate::server::auth::request_auth().actor {
        crate::domain::access::Actor::Public => Err(AppError::Unauthorized),
        a => Ok(a),
    }
}

/// Who is signed in (for the header) and how far sign-in got (for the sign-in pages).
#[server(endpoint = "page-context")]
pub async fn get_page_context() -> Result<PageContext, AppError> {
    let auth = crate::server::auth::request_auth();
    let state = super::state()?;
    let viewer = match auth.actor.account() {
        Some(id) => {
            let me = crate::server::accounts::me(&state.db, id).await?;
            Some(crate::domain::views::Viewer {
                name: me.display_name,
                role: me.role,
                unread: crate::server::inbox::unread(&state.db, &auth.actor).await?,
            })
        }
        None => None,
    };
    Ok(PageContext {
        viewer,
        stage: auth.session.map(|s| s.stage),
        outcome: outcome(),
    })
}

/// The staff work list (or a citizen's own reports).
#[server(endpoint = "staff-list")]
pub async fn get_staff_list(
    status: Option<String>,
    overdue: bool,
    kind: Option<String>,
    category: Option<i32>,
    region: Option<String>,
    q: Option<String>,
    older_than_days: Option<u32>,
    agency: Option<i32>,
    measure: Option<String>,
    months: Option<String>,
) -> Result<StaffListPage, AppError> {
    let actor = actor()?;
    let state = super::state()?;
    let filter = crate::server::staff::ListFilter {
        status,
        overdue,
        kind,
        category,
        region,
        q,
        older_than_days,
        agency,
        measure,
        months,
    };
    let rows =
        crate::server::staff::list_reports(&state.db, &actor, &filter, chrono::Utc::now()).await?;
    let (categories, provinces, _) = crate::server::reports::form_options(&state.db).await?;
    Ok(StaffListPage {
        rows,
        role: actor.role().ok_or(AppError::Unauthorized)?,
        outcome: outcome(),
        categories,
        provinces,
    })
}

/// One report for staff, with dispatch and delegation targets.
#[server(endpoint = "staff-report")]
pub async fn get_staff_report(id: i64, template: Option<i32>) -> Result<StaffReportPage, AppError> {
    let actor = actor()?;
    let state = super::state()?;
    crate::server::staff::report_page(
        &state.db,
        &actor,
        id,
        template,
        use_context::<crate::domain::views::RevealedIdentity>(),
        chrono::Utc::now(),
    )
    .await
}

/// The TOTP secret being set up, or the recovery codes just issued.
#[server(endpoint = "enrolment")]
pub async fn get_enrolment() -> Result<EnrolPage, AppError> {
    let auth = crate::server::auth::request_auth();
    let state = super::state()?;
    if let Some(RecoveryCodes(codes)) = use_context::<RecoveryCodes>() {
        return Ok(EnrolPage {
            secret: String::new(),
            uri: String::new(),
            qr: None,
            recovery_codes: Some(codes),
            outcome: None,
        });
    }
    let session = auth.session.ok_or(AppError::Unauthorized)?;
    let (secret, uri) =
        crate::server::accounts::begin_enrolment(&state.db, session.account_id).await?;
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(EnrolPage {
        secret: grouped,
        qr: crate::server::credentials::qr_data_uri(&uri),
        uri,
        recovery_codes: None,
        outcome: outcome(),
    })
}

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

/// The accounts the actor manages, and where they may place staff.
#[server(endpoint = "admin-users")]
pub async fn get_admin_users() -> Result<AdminUsersPage, AppError> {
    use crate::domain::access::{AccountRole, Actor};
    let actor = actor()?;
    let state = super::state()?;
    let accounts = crate::server::accounts::list_accounts(&state.db, &actor).await?;
    let agencies = crate::server::agencies::tree(&state.db)
        .await?
        .into_iter()
        .filter(|n| {
            n.active
                && match &actor {
                    Actor::Staff(s) if s.role == AccountRole::SystemAdmin => true,
                    Actor::Staff(s) => s.in_scope(n.id),
                    _ => false,
                }
        })
        .map(|n| n.choice())
        .collect();
    Ok(AdminUsersPage {
        accounts,
        agencies,
        invite_url: use_context::<InviteUrl>().map(|u| u.0),
    })
}

/// The invite behind a link.
#[server(endpoint = "invite")]
pub async fn get_invite(token: String) -> Result<InvitePage, AppError> {
    let state = super::state()?;
    let inv = crate::server::accounts::find_invite(&state.db, &token, chrono::Utc::now()).await?;
    Ok(InvitePage {
        email: inv.email,
        role: crate::domain::access::AccountRole::parse(&inv.role).ok_or(AppError::Internal)?,
        outcome: outcome(),
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

/// The signed-in person's own account.
#[server(endpoint = "account")]
pub async fn get_account() -> Result<AccountPage, AppError> {
    let actor = actor()?;
    let state = super::state()?;
    let me = crate::server::accounts::me(&state.db, actor.account().ok_or(AppError::Unauthorized)?)
        .await?;
    let tokens = crate::server::accounts::list_api_tokens(&state.db, &actor).await?;
    Ok(AccountPage {
        me,
        tokens,
        new_token: use_context::<NewToken>().map(|t| t.0),
    })
}

/// The signed-in person's notifications (the bell page).
#[server(endpoint = "notifications")]
pub async fn get_notifications() -> Result<Vec<crate::domain::views::NotificationView>, AppError> {
    let state = super::state()?;
    crate::server::inbox::list(&state.db, &actor()?).await
}

/// A citizen's own report, as the reporter sees it (the thread and what they can do now).
#[server(endpoint = "my-report")]
pub async fn get_my_report(id: i64) -> Result<crate::domain::views::TrackView, AppError> {
    let state = super::state()?;
    crate::server::conversation::my_report(&state.db, &actor()?, id, chrono::Utc::now()).await
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
    let (categories, provinces, regencies) =
        crate::server::reports::form_options(&state.db).await?;
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
