//! Server functions of the account pages: who is signed in (the header), two-step set-up, an
//! invite, the account page, and the administrators' list of accounts.

#[cfg(feature = "ssr")]
use super::actor;
use crate::domain::views::{AccountPage, AdminUsersPage, EnrolPage, InvitePage, PageContext};
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
    })
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
        system_admin: actor.role() == Some(AccountRole::SystemAdmin),
        accounts,
        agencies,
        invite_url: use_context::<InviteUrl>().map(|u| u.0),
    })
}
