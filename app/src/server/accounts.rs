//! Accounts, sign-in, sessions, two-factor authentication, invites, integration tokens and the
//! audit log of these changes.
//!
//! Sessions live in the database, so every instance sees the same ones. The cookie (or bearer
//! token) carries 32 random bytes; only their SHA-256 is stored. A session is `active`, or half
//! way through sign-in: `mfa` (password right, code awaited) or `enrol` (must set up TOTP first);
//! a half-way session grants nothing else. Every change of privilege issues a new session id.

use super::credentials::{
    hash_password, new_recovery_codes, new_totp_secret, normalise_recovery_code, random_token,
    token_hash, totp_check, totp_step, verify_password, MIN_PASSWORD_CHARS,
};
use super::entities::{
    account, agency, api_token, audit_log, email_verification, invite, login_attempt,
    password_reset, recovery_code, session,
};
use super::internal;
use crate::domain::access::{can_manage_account, subtree, AccountRole, Actor, LoginId, StaffActor};
use crate::domain::report::parse_email;
use crate::domain::views::{AccountRow, AgencyRef, ApiTokenRow, Me};
use crate::domain::{AppError, Field, FieldError, FieldErrors};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionSession, TransactionTrait,
};
use serde::Deserialize;

/// A session ends after this long without a request.
pub const SESSION_IDLE: Duration = Duration::minutes(60);
/// A session ends this long after sign-in, whatever happens.
pub const SESSION_ABSOLUTE: Duration = Duration::hours(12);
/// A half-way sign-in (code awaited) must finish within this.
pub const SESSION_PENDING: Duration = Duration::minutes(10);
/// Sign-in attempts are counted over this window (fixed, from the first attempt of a key).
pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
/// Failed attempts on one account from one client network (IPv4 address, IPv6 /64) within the
/// window; past it that network is refused for that account (429). Another network, the
/// owner's, is not: an attacker cannot lock the owner out.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed attempts from one client network within the window, all accounts together.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 30;
/// Failures on one account (every network) within the window after which every further
/// attempt on it waits (progressively longer, at most `MAX_SLOWDOWN`), and its owner is
/// emailed once per window.
pub const SLOW_AFTER_ACCOUNT_FAILURES: u64 = 10;
/// The longest wait before a password is checked.
pub const MAX_SLOWDOWN: std::time::Duration = std::time::Duration::from_secs(8);
/// Invites are valid this long.
pub const INVITE_VALIDITY: Duration = Duration::days(7);

pub use crate::domain::access::Stage;

/// A session token as given to the browser. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(pub String);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(<redacted>)")
    }
}

/// A new session: the token for the cookie and how far sign-in got.
#[derive(Debug)]
pub struct NewSession {
    pub token: SessionToken,
    pub stage: Stage,
    pub account_id: i64,
}

/// The session behind a request, resolved from its token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrentSession {
    pub id_hash: String,
    pub account_id: i64,
    pub stage: Stage,
    pub role: AccountRole,
}

/// Writes one entry of the audit log.
pub async fn audit<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    action: &str,
    subject: String,
    detail: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    audit_log::ActiveModel {
        at: Set(now),
        actor_account_id: Set(actor.account()),
        actor_role: Set(actor.role_name().to_string()),
        action: Set(action.to_string()),
        subject: Set(subject),
        detail: Set(detail),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("writing the audit log"))?;
    Ok(())
}

/// The actor an account acts as: its role, and for agency-scoped roles the agency's subtree.
pub async fn actor_of<C: ConnectionTrait>(db: &C, a: &account::Model) -> Result<Actor, AppError> {
    let role = AccountRole::parse(&a.role).ok_or_else(|| {
        tracing::error!(account = a.id, "unknown role stored");
        AppError::Internal
    })?;
    if role == AccountRole::Citizen {
        return Ok(Actor::Citizen { account: a.id });
    }
    let scope = match (role.is_agency_scoped(), a.agency_id) {
        (true, Some(root)) => subtree(root, &agency_tree(db).await?),
        _ => Vec::new(),
    };
    Ok(Actor::Staff(StaffActor {
        account: a.id,
        role,
        agency: a.agency_id,
        scope,
    }))
}

/// Every agency as `(id, parent)`, active or not (a deactivated unit's reports stay visible to
/// its parents).
pub async fn agency_tree<C: ConnectionTrait>(db: &C) -> Result<Vec<(i32, Option<i32>)>, AppError> {
    Ok(agency::Entity::find()
        .all(db)
        .await
        .map_err(internal("loading agencies"))?
        .into_iter()
        .map(|a| (a.id, a.parent_id))
        .collect())
}

/// What a new account needs.
#[derive(Clone, Default, Deserialize)]
pub struct NewAccount {
    /// An email address, or for a citizen a mobile number.
    pub login: String,
    pub display_name: String,
    pub password: String,
    pub role: String,
    /// The agency code, for staff.
    pub agency_code: Option<String>,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewAccount {{ role: {:?}, .. <redacted> }}", self.role)
    }
}

/// The account signed in as `login` (active or not).
async fn find_by_login<C: ConnectionTrait>(
    db: &C,
    login: &LoginId,
) -> Result<Option<account::Model>, AppError> {
    let column = match login {
        LoginId::Email(_) => account::Column::Email,
        LoginId::Phone(_) => account::Column::Phone,
    };
    account::Entity::find()
        .filter(column.eq(login.as_str()))
        .one(db)
        .await
        .map_err(internal("finding account"))
}

/// The name an account signs in with (email, else phone).
pub fn login_name(a: &account::Model) -> &str {
    a.email.as_deref().or(a.phone.as_deref()).unwrap_or("")
}

/// The active agency a form names by code for an account of `role`: `Unknown` for a code that
/// is not an active agency, `Required` when an agency-scoped role names none.
async fn resolve_agency<C: ConnectionTrait>(
    db: &C,
    code: Option<&str>,
    role: Option<AccountRole>,
) -> Result<Result<Option<i32>, FieldError>, AppError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Ok(agency::Entity::find()
            .filter(agency::Column::Code.eq(code))
            .filter(agency::Column::Active.eq(true))
            .one(db)
            .await
            .map_err(internal("finding agency"))?
            .map(|a| Some(a.id))
            .ok_or(FieldError::Unknown)),
        None if role.is_some_and(AccountRole::is_agency_scoped) => Ok(Err(FieldError::Required)),
        None => Ok(Ok(None)),
    }
}

fn check_password(field: Field, password: &str, errors: &mut FieldErrors) {
    let n = password.chars().count();
    if n == 0 {
        errors.insert(field, FieldError::Required);
    } else if n < MIN_PASSWORD_CHARS {
        errors.insert(
            field,
            FieldError::TooShort {
                min: MIN_PASSWORD_CHARS,
            },
        );
    } else if n > 256 {
        errors.insert(field, FieldError::TooLong { max: 256 });
    }
}

/// Citizen registrations allowed from one client network per hour.
pub const MAX_REGISTRATIONS_PER_NETWORK: u64 = 10;

/// Registers a citizen (the `/daftar` form and `POST /api/v1/accounts`): at most
/// `MAX_REGISTRATIONS_PER_NETWORK` an hour from one client network (counted before the password
/// is hashed), then `create_account`.
pub async fn register_citizen<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    input: &NewAccount,
    addr: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let net = addr.map(client_network).unwrap_or_else(|| "unknown".into());
    let n = bump_in(db, &format!("reg:{net}"), now, Duration::hours(1)).await?;
    if n > MAX_REGISTRATIONS_PER_NETWORK {
        tracing::warn!("registrations throttled");
        return Err(AppError::RateLimited);
    }
    let input = NewAccount {
        role: "citizen".into(),
        agency_code: None,
        ..input.clone()
    };
    let id = create_account(db, &input, None, now).await?;
    start_email_verification(db, id, now).await?;
    Ok(id)
}

/// How long an email verification link works.
pub const VERIFY_DAYS: i64 = 7;

/// Sends the account's owner a link proving its email address (through the outbox). Nothing
/// for an account without an email (a mobile number): its support is kept but not counted.
pub async fn start_email_verification<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let a = load_account(db, account_id).await?;
    let Some(email) = a.email.clone().filter(|_| a.email_verified_at.is_none()) else {
        return Ok(());
    };
    let token = random_token(32);
    email_verification::ActiveModel {
        token_hash: Set(token_hash(&token)),
        account_id: Set(a.id),
        email: Set(email.clone()),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(VERIFY_DAYS)),
        used_at: Set(None),
    }
    .insert(db)
    .await
    .map_err(internal("storing an email verification"))?;
    super::notify::verification_mail(db, &a, email, &token, now).await
}

/// Follows a verification link: the address is verified (once, within the link's life, and
/// only if it is still the account's address), the account's supports count from now on, and
/// the step is audited. An unknown, used or expired link is `NotFound`.
pub async fn verify_email<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = email_verification::Entity::find_by_id(token_hash(token.trim()))
        .one(db)
        .await
        .map_err(internal("loading an email verification"))?
        .filter(|v| v.used_at.is_none() && v.expires_at > now)
        .ok_or(AppError::NotFound)?;
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let used = email_verification::Entity::update_many()
        .col_expr(email_verification::Column::UsedAt, Expr::value(Some(now)))
        .filter(email_verification::Column::TokenHash.eq(row.token_hash.clone()))
        .filter(email_verification::Column::UsedAt.is_null())
        .exec(&txn)
        .await
        .map_err(internal("using an email verification"))?;
    let verified = account::Entity::update_many()
        .col_expr(account::Column::EmailVerifiedAt, Expr::value(Some(now)))
        .filter(account::Column::Id.eq(row.account_id))
        .filter(account::Column::Email.eq(row.email.clone()))
        .exec(&txn)
        .await
        .map_err(internal("verifying an email"))?;
    if used.rows_affected != 1 || verified.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    super::transparency::recount_supports_of(&txn, row.account_id).await?;
    audit(
        &txn,
        &Actor::Citizen {
            account: row.account_id,
        },
        "account.email_verified",
        format!("account:{}", row.account_id),
        None,
        now,
    )
    .await?;
    txn.commit()
        .await
        .map_err(internal("committing an email verification"))
}

/// Marks an account's email verified without a link: accounts the operator or the demo data
/// make (`aduan user add`, `aduan seed --demo`), whose addresses are vouched for.
pub async fn mark_email_verified<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    account::Entity::update_many()
        .col_expr(account::Column::EmailVerifiedAt, Expr::value(Some(now)))
        .filter(account::Column::Id.eq(account_id))
        .filter(account::Column::Email.is_not_null())
        .exec(db)
        .await
        .map_err(internal("marking an email verified"))?;
    Ok(())
}

/// A session for an account just registered (its password was hashed a moment ago: no second
/// hashing to sign in).
pub async fn session_after_registration<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<SessionToken, AppError> {
    new_session(db, account_id, Stage::Active, now).await
}

/// Creates an account. `by` is who creates it: `None` for self-registration of a citizen and for
/// the `aduan user add` command run by the operator; otherwise the policy decides.
pub async fn create_account<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    input: &NewAccount,
    by: Option<&Actor>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut errors = FieldErrors::new();
    // Citizens may use a mobile number instead of an email address; staff always have an email.
    let login = match LoginId::parse(&input.login) {
        Ok(LoginId::Phone(_)) if input.role.trim() != AccountRole::Citizen.as_str() => {
            errors.insert(Field::Login, FieldError::InvalidEmail);
            None
        }
        Ok(l) => Some(l),
        Err(e) => {
            errors.insert(Field::Login, e);
            None
        }
    };
    let name = input.display_name.trim();
    if name.is_empty() {
        errors.insert(Field::Name, FieldError::Required);
    } else if name.chars().count() > 100 {
        errors.insert(Field::Name, FieldError::TooLong { max: 100 });
    }
    check_password(Field::Password, &input.password, &mut errors);
    let role = AccountRole::parse(input.role.trim());
    if role.is_none() {
        errors.insert(Field::Role, FieldError::Unknown);
    }
    let mut agency_id = match resolve_agency(db, input.agency_code.as_deref(), role).await? {
        Ok(a) => a,
        Err(e) => {
            errors.insert(Field::Agency, e);
            None
        }
    };
    if let Some(login) = &login {
        if find_by_login(db, login).await?.is_some() {
            errors.insert(Field::Login, FieldError::Taken);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (Some(login), Some(role)) = (login, role) else {
        return Err(AppError::Internal);
    };
    let (email, phone) = match login {
        LoginId::Email(e) => (Some(e), None),
        LoginId::Phone(p) => (None, Some(p)),
    };
    if role == AccountRole::Citizen {
        agency_id = None;
    }
    match by {
        None => {}
        Some(actor) if can_manage_account(actor, role, agency_id) => {}
        Some(_) => return Err(AppError::Forbidden),
    }
    let hash = hash_password(input.password.clone()).await?;
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let saved = account::ActiveModel {
        email: Set(email),
        phone: Set(phone),
        display_name: Set(name.to_string()),
        password_hash: Set(hash),
        role: Set(role.as_str().to_string()),
        agency_id: Set(agency_id),
        active: Set(true),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        totp_last_step: Set(None),
        created_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| {
        // Two registrations racing on one address: the unique index decides.
        if super::failure::unique_violation(&e) {
            AppError::field(Field::Login, FieldError::Taken)
        } else {
            internal("inserting account")(e)
        }
    })?;
    audit(
        &txn,
        by.unwrap_or(&Actor::Public),
        "account.created",
        format!("account:{}", saved.id),
        Some(format!("role={} agency={:?}", role.as_str(), agency_id)),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing account"))?;
    tracing::info!(account = saved.id, role = role.as_str(), "account created");
    Ok(saved.id)
}

/// The client network an address belongs to for throttling: an IPv4 address itself, an IPv6
/// address's /64 (one subscriber's whole prefix).
pub fn client_network(addr: &str) -> String {
    match addr.trim().parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(ip) => ip.to_string(),
        Err(_) => addr.trim().to_string(),
    }
}

/// The counters one sign-in attempt bumps.
struct ThrottleKeys {
    /// This account from this client network: refused past `MAX_FAILURES_PER_ACCOUNT`.
    pair: String,
    /// This client network, any account: refused past `MAX_FAILURES_PER_ADDRESS`.
    network: Option<String>,
    /// This account, any network: slowed down, and its owner warned, never refused.
    account: String,
}

fn throttle_keys(login: &str, addr: Option<&str>) -> ThrottleKeys {
    let normal = LoginId::parse(login)
        .map(|l| l.as_str().to_string())
        .unwrap_or_else(|_| login.trim().to_lowercase());
    let net = addr.map(client_network).unwrap_or_else(|| "unknown".into());
    ThrottleKeys {
        pair: format!("pair:{normal}|{net}"),
        network: addr.map(|_| format!("net:{net}")),
        account: format!("acct:{normal}"),
    }
}

/// Counts one attempt under `key` in one statement (an upsert that starts a new window when the
/// old one is over) and returns the count including it. Parallel attempts each get their own
/// number: none can pass on a count read before another's increment.
async fn bump<C: ConnectionTrait>(db: &C, key: &str, now: DateTime<Utc>) -> Result<u64, AppError> {
    bump_in(db, key, now, THROTTLE_WINDOW).await
}

/// `bump` with a window of `window`.
async fn bump_in<C: ConnectionTrait>(
    db: &C,
    key: &str,
    now: DateTime<Utc>,
    window: Duration,
) -> Result<u64, AppError> {
    use sea_orm::{DbBackend, Statement, Value};
    let backend = db.get_database_backend();
    let p = |n: usize| match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => "?".to_string(),
    };
    let old = now - window;
    let sql = format!(
        "INSERT INTO login_attempts (key, window_start, count, alerted) VALUES ({}, {}, 1, false) \
         ON CONFLICT (key) DO UPDATE SET \
         count = CASE WHEN login_attempts.window_start <= {} THEN 1 ELSE login_attempts.count + 1 END, \
         alerted = CASE WHEN login_attempts.window_start <= {} THEN false ELSE login_attempts.alerted END, \
         window_start = CASE WHEN login_attempts.window_start <= {} THEN {} ELSE login_attempts.window_start END \
         RETURNING count",
        p(1),
        p(2),
        p(3),
        p(4),
        p(5),
        p(6)
    );
    let values: Vec<Value> = vec![
        key.into(),
        now.into(),
        old.into(),
        old.into(),
        old.into(),
        now.into(),
    ];
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .map_err(internal("counting a sign-in attempt"))?
        .ok_or(AppError::Internal)?;
    let count: i64 = row
        .try_get("", "count")
        .map_err(internal("reading the attempt count"))?;
    Ok(count.max(0) as u64)
}

/// Gives back an attempt that succeeded (it was counted before the password was known).
async fn unbump<C: ConnectionTrait>(db: &C, key: &str) -> Result<(), AppError> {
    login_attempt::Entity::update_many()
        .col_expr(
            login_attempt::Column::Count,
            sea_orm::sea_query::ExprTrait::sub(Expr::col(login_attempt::Column::Count), 1),
        )
        .filter(login_attempt::Column::Key.eq(key))
        .filter(login_attempt::Column::Count.gt(0))
        .exec(db)
        .await
        .map_err(internal("settling a sign-in attempt"))?;
    Ok(())
}

/// Counts the attempt under every key (before anything is verified) and decides: refused
/// (`RateLimited`), or go ahead after waiting `slow` (the account is under attack).
async fn throttle<C: ConnectionTrait>(
    db: &C,
    keys: &ThrottleKeys,
    now: DateTime<Utc>,
) -> Result<std::time::Duration, AppError> {
    let pair = bump(db, &keys.pair, now).await?;
    let network = match &keys.network {
        Some(k) => bump(db, k, now).await?,
        None => 0,
    };
    let account = bump(db, &keys.account, now).await?;
    if pair > MAX_FAILURES_PER_ACCOUNT || network > MAX_FAILURES_PER_ADDRESS {
        tracing::warn!("sign-in throttled");
        return Err(AppError::RateLimited);
    }
    // Failures on the account before this attempt, from everywhere.
    let failed = account.saturating_sub(1);
    if failed >= SLOW_AFTER_ACCOUNT_FAILURES {
        alert_owner(db, &keys.account, now).await?;
        let steps = (failed - SLOW_AFTER_ACCOUNT_FAILURES) / 5;
        let wait = std::time::Duration::from_millis(250u64 << steps.min(6));
        return Ok(wait.min(MAX_SLOWDOWN));
    }
    Ok(std::time::Duration::ZERO)
}

/// A successful sign-in: this network's count for the account starts again; the attempt is given
/// back to the other counters.
async fn settle<C: ConnectionTrait>(db: &C, keys: &ThrottleKeys) -> Result<(), AppError> {
    login_attempt::Entity::delete_by_id(keys.pair.clone())
        .exec(db)
        .await
        .map_err(internal("settling a sign-in"))?;
    if let Some(k) = &keys.network {
        unbump(db, k).await?;
    }
    unbump(db, &keys.account).await
}

/// Emails the owner of an account whose failures crossed the threshold, once per window (the
/// `alerted` flag is taken by one statement: several instances send one email).
async fn alert_owner<C: ConnectionTrait>(
    db: &C,
    account_key: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let taken = login_attempt::Entity::update_many()
        .col_expr(login_attempt::Column::Alerted, Expr::value(true))
        .filter(login_attempt::Column::Key.eq(account_key))
        .filter(login_attempt::Column::Alerted.eq(false))
        .exec(db)
        .await
        .map_err(internal("marking a sign-in alert"))?;
    if taken.rows_affected != 1 {
        return Ok(());
    }
    let login = account_key.trim_start_matches("acct:");
    let Ok(id) = LoginId::parse(login) else {
        return Ok(());
    };
    let Some(a) = find_by_login(db, &id).await? else {
        return Ok(());
    };
    let Some(address) = a.email.clone() else {
        return Ok(());
    };
    tracing::warn!(account = a.id, "repeated sign-in failures: owner alerted");
    super::notify::sign_in_alert(db, &a, address, now).await
}

async fn new_session<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    stage: Stage,
    now: DateTime<Utc>,
) -> Result<SessionToken, AppError> {
    let token = random_token(32);
    let expires = if stage == Stage::Active {
        now + SESSION_ABSOLUTE
    } else {
        now + SESSION_PENDING
    };
    session::ActiveModel {
        id_hash: Set(token_hash(&token)),
        account_id: Set(account_id),
        stage: Set(stage.as_str().to_string()),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires),
    }
    .insert(db)
    .await
    .map_err(internal("creating session"))?;
    Ok(SessionToken(token))
}

/// Checks a second factor: a TOTP code (not replayed) or an unused recovery code. Marks what was
/// used so it cannot be used again.
async fn check_second_factor<C: ConnectionTrait>(
    db: &C,
    a: &account::Model,
    code: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let Some(sealed) = a.totp_secret.as_deref().filter(|_| a.totp_enabled) else {
        return Ok(false);
    };
    let Some(secret) = super::secrets::open(sealed) else {
        tracing::error!(
            account = a.id,
            "TOTP secret does not open with the configured keys"
        );
        return Err(AppError::Internal);
    };
    if let Some(step) = totp_check(&secret, code, totp_step(now.timestamp()), a.totp_last_step) {
        // Only one request can move the last step forward, so a code works once.
        let moved = account::Entity::update_many()
            .col_expr(account::Column::TotpLastStep, Expr::value(step))
            .filter(account::Column::Id.eq(a.id))
            .filter(
                sea_orm::Condition::any()
                    .add(account::Column::TotpLastStep.is_null())
                    .add(account::Column::TotpLastStep.lt(step)),
            )
            .exec(db)
            .await
            .map_err(internal("recording TOTP step"))?;
        return Ok(moved.rows_affected == 1);
    }
    let hashes = super::secrets::code_hashes(&normalise_recovery_code(code));
    let used = recovery_code::Entity::update_many()
        .col_expr(recovery_code::Column::UsedAt, Expr::value(Some(now)))
        .filter(recovery_code::Column::AccountId.eq(a.id))
        .filter(recovery_code::Column::CodeHash.is_in(hashes))
        .filter(recovery_code::Column::UsedAt.is_null())
        .exec(db)
        .await
        .map_err(internal("using recovery code"))?;
    Ok(used.rows_affected == 1)
}

/// Signs in with email and password (and, for a role that needs it, the second factor in the same
/// request, as the API does). Without a code, a two-factor account gets a half-way session.
/// Wrong credentials give `BadCredentials` whichever part was wrong; too many failures for the
/// account from this client network (or from the network overall) give `RateLimited` before
/// the password is even checked; an account under attack from elsewhere is only slowed.
pub async fn login<C: ConnectionTrait>(
    db: &C,
    email: &str,
    password: &str,
    code: Option<&str>,
    addr: Option<&str>,
    now: DateTime<Utc>,
) -> Result<NewSession, AppError> {
    // Both fields are required (a message per field), before anything is counted.
    let mut missing = FieldErrors::new();
    if email.trim().is_empty() {
        missing.insert(Field::Login, FieldError::Required);
    }
    if password.is_empty() {
        missing.insert(Field::Password, FieldError::Required);
    }
    if !missing.is_empty() {
        return Err(AppError::Validation(missing));
    }
    let keys = throttle_keys(email, addr);
    let wait = throttle(db, &keys, now).await?;
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    let found = match LoginId::parse(email) {
        Ok(login) => find_by_login(db, &login).await?.filter(|a| a.active),
        Err(_) => None,
    };
    let ok = verify_password(
        password.to_string(),
        found.as_ref().map(|a| a.password_hash.clone()),
    )
    .await;
    let Some(a) = found.filter(|_| ok) else {
        return Err(AppError::BadCredentials);
    };
    let role = AccountRole::parse(&a.role).ok_or(AppError::Internal)?;
    // Two-factor is required for some roles, and honoured for anyone who turned it on.
    let stage = match (role.requires_mfa(), a.totp_enabled, code) {
        (false, false, _) => Stage::Active,
        (true, false, _) => Stage::Enrol,
        (_, true, None) => Stage::Mfa,
        (_, true, Some(code)) => {
            if !check_second_factor(db, &a, code, now).await? {
                return Err(AppError::BadCredentials);
            }
            Stage::Active
        }
    };
    // The password was right: a second factor still awaited counts as a success of this step.
    settle(db, &keys).await?;
    let token = new_session(db, a.id, stage, now).await?;
    tracing::info!(account = a.id, stage = stage.as_str(), "signed in");
    Ok(NewSession {
        token,
        stage,
        account_id: a.id,
    })
}

/// Finishes a half-way sign-in with the second factor: the half-way session is replaced by a new
/// active one (a new id).
pub async fn complete_mfa<C: ConnectionTrait>(
    db: &C,
    current: &CurrentSession,
    code: &str,
    addr: Option<&str>,
    now: DateTime<Utc>,
) -> Result<SessionToken, AppError> {
    if current.stage != Stage::Mfa {
        return Err(AppError::Forbidden);
    }
    let a = load_account(db, current.account_id).await?;
    let keys = throttle_keys(login_name(&a), addr);
    let wait = throttle(db, &keys, now).await?;
    if !wait.is_zero() {
        tokio::time::sleep(wait).await;
    }
    if !check_second_factor(db, &a, code, now).await? {
        return Err(AppError::field(Field::Code, FieldError::Invalid));
    }
    settle(db, &keys).await?;
    end_session(db, &current.id_hash).await?;
    new_session(db, a.id, Stage::Active, now).await
}

async fn load_account<C: ConnectionTrait>(db: &C, id: i64) -> Result<account::Model, AppError> {
    account::Entity::find_by_id(id)
        .one(db)
        .await
        .map_err(internal("loading account"))?
        .ok_or(AppError::Unauthorized)
}

/// The TOTP secret being set up (created on first call, kept until confirmed) and its
/// `otpauth://` URI.
pub async fn begin_enrolment<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
) -> Result<(String, String), AppError> {
    let a = load_account(db, account_id).await?;
    if a.totp_enabled {
        return Err(AppError::Conflict);
    }
    let secret = match a.totp_secret.as_deref().and_then(super::secrets::open) {
        Some(s) => s,
        None => {
            let s = new_totp_secret();
            let sealed = super::secrets::sealed(&s)?;
            account::Entity::update_many()
                .col_expr(account::Column::TotpSecret, Expr::value(sealed))
                .filter(account::Column::Id.eq(a.id))
                .filter(account::Column::TotpEnabled.eq(false))
                .exec(db)
                .await
                .map_err(internal("storing TOTP secret"))?;
            s
        }
    };
    let uri = super::credentials::otpauth_uri(&secret, login_name(&a));
    Ok((secret, uri))
}

/// Seals every TOTP secret not yet sealed under the current key (plain values of earlier
/// versions, or values sealed under the previous key during a rotation). Returns how many.
pub async fn seal_totp_secrets<C: ConnectionTrait>(db: &C) -> Result<u64, AppError> {
    let rows = account::Entity::find()
        .filter(account::Column::TotpSecret.is_not_null())
        .all(db)
        .await
        .map_err(internal("loading TOTP secrets"))?;
    let mut n = 0;
    for a in rows {
        let Some(stored) = a.totp_secret.as_deref() else {
            continue;
        };
        if super::secrets::sealed_under_current(stored) {
            continue;
        }
        let Some(plain) = super::secrets::open(stored) else {
            tracing::error!(account = a.id, "a TOTP secret opens with none of the keys");
            continue;
        };
        let sealed = super::secrets::sealed(&plain)?;
        account::Entity::update_many()
            .col_expr(account::Column::TotpSecret, Expr::value(sealed))
            .filter(account::Column::Id.eq(a.id))
            .filter(account::Column::TotpSecret.eq(stored))
            .exec(db)
            .await
            .map_err(internal("sealing a TOTP secret"))?;
        n += 1;
    }
    Ok(n)
}

/// Confirms TOTP set-up with a first code: two-factor is on, ten recovery codes are issued
/// (returned this once), and the session becomes active under a new id.
pub async fn confirm_enrolment<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    current: &CurrentSession,
    code: &str,
    now: DateTime<Utc>,
) -> Result<(SessionToken, Vec<String>), AppError> {
    let a = load_account(db, current.account_id).await?;
    let Some(secret) = a
        .totp_secret
        .as_deref()
        .filter(|_| !a.totp_enabled)
        .and_then(super::secrets::open)
    else {
        return Err(AppError::Conflict);
    };
    let Some(step) = totp_check(&secret, code, totp_step(now.timestamp()), a.totp_last_step) else {
        return Err(AppError::field(Field::Code, FieldError::Invalid));
    };
    let codes = new_recovery_codes();
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    account::Entity::update_many()
        .col_expr(account::Column::TotpEnabled, Expr::value(true))
        .col_expr(account::Column::TotpLastStep, Expr::value(step))
        .filter(account::Column::Id.eq(a.id))
        .exec(&txn)
        .await
        .map_err(internal("enabling TOTP"))?;
    recovery_code::Entity::delete_many()
        .filter(recovery_code::Column::AccountId.eq(a.id))
        .exec(&txn)
        .await
        .map_err(internal("clearing recovery codes"))?;
    for c in &codes {
        recovery_code::ActiveModel {
            account_id: Set(a.id),
            code_hash: Set(super::secrets::code_hash(c).map_err(super::secrets::unavailable)?),
            used_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(internal("storing recovery code"))?;
    }
    let actor = actor_of(&txn, &a).await?;
    audit(
        &txn,
        &actor,
        "account.mfa_enabled",
        format!("account:{}", a.id),
        None,
        now,
    )
    .await?;
    end_session(&txn, &current.id_hash).await?;
    let token = new_session(&txn, a.id, Stage::Active, now).await?;
    txn.commit()
        .await
        .map_err(internal("committing TOTP set-up"))?;
    Ok((token, codes))
}

/// The live session for a token, or `None` (unknown, expired, idle too long, account inactive).
/// Records activity at most once a minute.
pub async fn resolve_session<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(CurrentSession, account::Model)>, AppError> {
    let hash = token_hash(token);
    let Some(s) = session::Entity::find_by_id(hash.clone())
        .one(db)
        .await
        .map_err(internal("loading session"))?
    else {
        return Ok(None);
    };
    if s.expires_at <= now || s.last_seen_at + SESSION_IDLE <= now {
        end_session(db, &hash).await?;
        return Ok(None);
    }
    let Some(a) = account::Entity::find_by_id(s.account_id)
        .one(db)
        .await
        .map_err(internal("loading account"))?
        .filter(|a| a.active)
    else {
        return Ok(None);
    };
    if now - s.last_seen_at > Duration::minutes(1) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::IdHash.eq(hash.clone()))
            .exec(db)
            .await
            .map_err(internal("touching session"))?;
    }
    let (Some(stage), Some(role)) = (Stage::parse(&s.stage), AccountRole::parse(&a.role)) else {
        tracing::error!("unknown session stage or role stored");
        return Err(AppError::Internal);
    };
    Ok(Some((
        CurrentSession {
            id_hash: hash,
            account_id: a.id,
            stage,
            role,
        },
        a,
    )))
}

/// Ends one session (sign-out).
pub async fn end_session<C: ConnectionTrait>(db: &C, id_hash: &str) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::IdHash.eq(id_hash))
        .exec(db)
        .await
        .map_err(internal("ending session"))?;
    Ok(())
}

/// Ends every session of an account (password change, deactivation, role change).
pub async fn end_all_sessions<C: ConnectionTrait>(db: &C, account_id: i64) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::AccountId.eq(account_id))
        .exec(db)
        .await
        .map_err(internal("ending sessions"))?;
    Ok(())
}

/// Changes the password after checking the current one; every session of the account ends.
pub async fn change_password<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    account_id: i64,
    current: &str,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let a = load_account(db, account_id).await?;
    if !verify_password(current.to_string(), Some(a.password_hash.clone())).await {
        return Err(AppError::field(Field::Password, FieldError::Invalid));
    }
    let mut errors = FieldErrors::new();
    check_password(Field::NewPassword, new, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let hash = hash_password(new.to_string()).await?;
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    set_password(&txn, &a, hash, "account.password_changed", now).await?;
    txn.commit()
        .await
        .map_err(internal("committing password"))?;
    Ok(())
}

/// How long a "forgot password" link works.
pub const RESET_MINUTES: i64 = 60;
/// Reset links asked for from one network (and for one account) per hour, at most.
pub const MAX_RESETS_PER_HOUR: u64 = 5;

/// "Forgot password": when `login` is the email address of an active account, a one-hour,
/// one-use link goes to that address (through the outbox) and the request is audited. The
/// answer is the same either way (no account is revealed); requests are throttled per network
/// and per address.
pub async fn request_password_reset<C: ConnectionTrait>(
    db: &C,
    login: &str,
    addr: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let net = addr.map(client_network).unwrap_or_else(|| "unknown".into());
    let normal = login.trim().to_lowercase();
    let by_net = bump_in(db, &format!("reset:{net}"), now, Duration::hours(1)).await?;
    let by_login = bump_in(
        db,
        &format!("reset-login:{normal}"),
        now,
        Duration::hours(1),
    )
    .await?;
    if by_net > MAX_RESETS_PER_HOUR * 4 || by_login > MAX_RESETS_PER_HOUR {
        tracing::warn!("password reset requests throttled");
        return Err(AppError::RateLimited);
    }
    let Ok(id @ LoginId::Email(_)) = LoginId::parse(login) else {
        return Ok(());
    };
    let Some(a) = find_by_login(db, &id).await?.filter(|a| a.active) else {
        return Ok(());
    };
    let Some(email) = a.email.clone() else {
        return Ok(());
    };
    let token = random_token(32);
    password_reset::ActiveModel {
        token_hash: Set(token_hash(&token)),
        account_id: Set(a.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(RESET_MINUTES)),
        used_at: Set(None),
    }
    .insert(db)
    .await
    .map_err(internal("storing a password reset"))?;
    let actor = actor_of(db, &a).await?;
    audit(
        db,
        &actor,
        "account.password_reset_requested",
        format!("account:{}", a.id),
        None,
        now,
    )
    .await?;
    super::notify::password_reset_mail(db, &a, email, &token, now).await
}

/// Follows a "forgot password" link: the new password (the same rules as any), once, within the
/// link's hour; every session and integration token of the account ends, and the change is
/// audited. Two-step verification stays as it was. An unknown, used or expired link is
/// `NotFound`.
pub async fn reset_password<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    new: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = password_reset::Entity::find_by_id(token_hash(token.trim()))
        .one(db)
        .await
        .map_err(internal("loading a password reset"))?
        .filter(|r| r.used_at.is_none() && r.expires_at > now)
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    check_password(Field::NewPassword, new, &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let a = load_account(db, row.account_id).await?;
    if !a.active {
        return Err(AppError::NotFound);
    }
    let hash = hash_password(new.to_string()).await?;
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let used = password_reset::Entity::update_many()
        .col_expr(password_reset::Column::UsedAt, Expr::value(Some(now)))
        .filter(password_reset::Column::TokenHash.eq(row.token_hash.clone()))
        .filter(password_reset::Column::UsedAt.is_null())
        .exec(&txn)
        .await
        .map_err(internal("using a password reset"))?;
    if used.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    set_password(&txn, &a, hash, "account.password_reset", now).await?;
    txn.commit()
        .await
        .map_err(internal("committing a password reset"))
}

/// A new password hash for `a`: every session and integration token of the account ends, and
/// the change is audited as `action` (run it in the caller's transaction).
async fn set_password<C: ConnectionTrait>(
    db: &C,
    a: &account::Model,
    hash: String,
    action: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    account::Entity::update_many()
        .col_expr(account::Column::PasswordHash, Expr::value(hash))
        .col_expr(account::Column::PasswordChangedAt, Expr::value(now))
        .filter(account::Column::Id.eq(a.id))
        .exec(db)
        .await
        .map_err(internal("changing password"))?;
    end_all_sessions(db, a.id).await?;
    revoke_tokens_of(db, a.id, now).await?;
    let actor = actor_of(db, a).await?;
    audit(db, &actor, action, format!("account:{}", a.id), None, now).await
}

/// The signed-in account as shown to itself.
pub async fn me<C: ConnectionTrait>(db: &C, account_id: i64) -> Result<Me, AppError> {
    let a = load_account(db, account_id).await?;
    let agency = match a.agency_id {
        Some(id) => agency::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(internal("loading agency"))?
            .map(|g| AgencyRef {
                id: g.id,
                code: g.code,
                name: g.name,
            }),
        None => None,
    };
    Ok(Me {
        id: a.id,
        email: a.email,
        phone: a.phone,
        display_name: a.display_name,
        role: AccountRole::parse(&a.role).ok_or(AppError::Internal)?,
        agency,
        totp_enabled: a.totp_enabled,
    })
}

/// How long an integration token lives unless a shorter life is asked for.
pub const TOKEN_DAYS: i64 = 90;

/// What an integration token may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenScope {
    /// Reads only (GET and HEAD).
    Read,
    ReadWrite,
}

impl TokenScope {
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "" | "read" => Some(TokenScope::Read),
            "read_write" => Some(TokenScope::ReadWrite),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::ReadWrite => "read_write",
        }
    }
}

/// Issues a bearer token for an integration acting as `actor` (staff only). Shown once. It
/// reads only unless `scope` is `read_write`, and ends after `days` (1–90, default 90), at a
/// password change or deactivation of its account, or when revoked.
pub async fn create_api_token<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    name: &str,
    scope: &str,
    days: Option<i64>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let Some(staff) = actor.staff() else {
        return Err(AppError::Forbidden);
    };
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::field(Field::Name, FieldError::Required));
    }
    let Some(scope) = TokenScope::parse(scope) else {
        return Err(AppError::field(Field::Kind, FieldError::Unknown));
    };
    let days = days.unwrap_or(TOKEN_DAYS);
    if !(1..=TOKEN_DAYS).contains(&days) {
        return Err(AppError::field(Field::Kind, FieldError::Invalid));
    }
    let token = format!("adu_{}", random_token(32));
    api_token::ActiveModel {
        token_hash: Set(token_hash(&token)),
        account_id: Set(staff.account),
        name: Set(name.to_string()),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
        expires_at: Set(Some(now + Duration::days(days))),
        scope: Set(scope.as_str().to_string()),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("creating API token"))?;
    audit(
        db,
        actor,
        "token.created",
        format!("account:{}", staff.account),
        Some(format!("{name} scope={} days={days}", scope.as_str())),
        now,
    )
    .await?;
    Ok(token)
}

/// The integration tokens of the actor's own account (never the tokens themselves).
pub async fn list_api_tokens<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<ApiTokenRow>, AppError> {
    let Some(staff) = actor.staff() else {
        return Ok(Vec::new());
    };
    Ok(api_token::Entity::find()
        .filter(api_token::Column::AccountId.eq(staff.account))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await
        .map_err(internal("listing API tokens"))?
        .into_iter()
        .map(|t| ApiTokenRow {
            expires_at: Some(token_expiry(&t)),
            id: t.id,
            name: t.name,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked: t.revoked_at.is_some(),
            scope: t.scope,
        })
        .collect())
}

/// Revokes one of the actor's own tokens (a system administrator may revoke any), audited.
pub async fn revoke_api_token<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    token_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let Some(staff) = actor.staff() else {
        return Err(AppError::NotFound);
    };
    let mut q = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Some(now)))
        .filter(api_token::Column::Id.eq(token_id))
        .filter(api_token::Column::RevokedAt.is_null());
    if staff.role != AccountRole::SystemAdmin {
        q = q.filter(api_token::Column::AccountId.eq(staff.account));
    }
    let res = q.exec(db).await.map_err(internal("revoking API token"))?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit(
        db,
        actor,
        "token.revoked",
        format!("token:{token_id}"),
        None,
        now,
    )
    .await
}

fn token_expiry(t: &api_token::Model) -> DateTime<Utc> {
    t.expires_at
        .unwrap_or(t.created_at + Duration::days(TOKEN_DAYS))
}

/// The account behind a bearer token and what the token may do, if the token is live (not
/// revoked, not expired) and the account active.
pub async fn resolve_bearer<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<(account::Model, TokenScope)>, AppError> {
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash(token)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await
        .map_err(internal("loading API token"))?
    else {
        return Ok(None);
    };
    if token_expiry(&t) <= now {
        return Ok(None);
    }
    let scope = TokenScope::parse(&t.scope).unwrap_or(TokenScope::Read);
    if t.last_used_at
        .is_none_or(|l| now - l > Duration::minutes(1))
    {
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(Some(now)))
            .filter(api_token::Column::Id.eq(t.id))
            .exec(db)
            .await
            .map_err(internal("touching API token"))?;
    }
    Ok(account::Entity::find_by_id(t.account_id)
        .one(db)
        .await
        .map_err(internal("loading account"))?
        .filter(|a| a.active)
        .map(|a| (a, scope)))
}

/// Ends every live token of an account (password changed, account deactivated).
async fn revoke_tokens_of<C: ConnectionTrait>(
    db: &C,
    account_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Some(now)))
        .filter(api_token::Column::AccountId.eq(account_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await
        .map_err(internal("ending tokens"))?;
    Ok(())
}

/// Invites a new staff member: returns the one-time token for the link `/undangan/{token}`.
pub async fn create_invite<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    email: &str,
    role: &str,
    agency_code: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    let mut errors = FieldErrors::new();
    let email = parse_email(email.trim())
        .map(|e| e.to_lowercase())
        .map_err(|e| errors.insert(Field::Email, e))
        .ok();
    let role = AccountRole::parse(role.trim()).filter(|r| r.is_staff());
    if role.is_none() {
        errors.insert(Field::Role, FieldError::Unknown);
    }
    let agency = match resolve_agency(db, agency_code, role).await? {
        Ok(a) => a,
        Err(e) => {
            errors.insert(Field::Agency, e);
            None
        }
    };
    if let Some(e) = &email {
        if account::Entity::find()
            .filter(account::Column::Email.eq(e.as_str()))
            .count(db)
            .await
            .map_err(internal("checking email"))?
            > 0
        {
            errors.insert(Field::Email, FieldError::Taken);
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (Some(email), Some(role)) = (email, role) else {
        return Err(AppError::Internal);
    };
    if !can_manage_account(actor, role, agency) {
        return Err(AppError::Forbidden);
    }
    let token = random_token(24);
    let saved = invite::ActiveModel {
        token_hash: Set(token_hash(&token)),
        email: Set(email),
        role: Set(role.as_str().to_string()),
        agency_id: Set(agency),
        created_by: Set(actor.account()),
        created_at: Set(now),
        expires_at: Set(now + INVITE_VALIDITY),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(internal("creating invite"))?;
    audit(
        db,
        actor,
        "invite.created",
        format!("invite:{}", saved.id),
        Some(format!("role={} agency={:?}", role.as_str(), agency)),
        now,
    )
    .await?;
    Ok(token)
}

/// The invite behind a token, if still usable: `(email, role)`.
pub async fn find_invite<C: ConnectionTrait>(
    db: &C,
    token: &str,
    now: DateTime<Utc>,
) -> Result<invite::Model, AppError> {
    invite::Entity::find()
        .filter(invite::Column::TokenHash.eq(token_hash(token)))
        .filter(invite::Column::UsedAt.is_null())
        .filter(invite::Column::ExpiresAt.gt(now))
        .one(db)
        .await
        .map_err(internal("loading invite"))?
        .ok_or(AppError::NotFound)
}

/// Accepts an invite: creates the account it describes with the chosen name and password. The
/// invite works once.
pub async fn accept_invite<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    token: &str,
    display_name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let inv = find_invite(db, token, now).await?;
    let claimed = invite::Entity::update_many()
        .col_expr(invite::Column::UsedAt, Expr::value(Some(now)))
        .filter(invite::Column::Id.eq(inv.id))
        .filter(invite::Column::UsedAt.is_null())
        .exec(db)
        .await
        .map_err(internal("using invite"))?;
    if claimed.rows_affected != 1 {
        return Err(AppError::NotFound);
    }
    let agency_code = match inv.agency_id {
        Some(id) => agency::Entity::find_by_id(id)
            .one(db)
            .await
            .map_err(internal("loading agency"))?
            .map(|a| a.code),
        None => None,
    };
    let result = create_account(
        db,
        &NewAccount {
            login: inv.email.clone(),
            display_name: display_name.to_string(),
            password: password.to_string(),
            role: inv.role.clone(),
            agency_code,
        },
        None,
        now,
    )
    .await;
    if result.is_err() {
        // Give the invite back so the person can correct the form.
        invite::Entity::update_many()
            .col_expr(
                invite::Column::UsedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(invite::Column::Id.eq(inv.id))
            .exec(db)
            .await
            .map_err(internal("releasing invite"))?;
    }
    result
}

/// The accounts `actor` may manage: all for system administrators, the staff of their subtree
/// for agency administrators, none for anyone else.
pub async fn list_accounts<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
) -> Result<Vec<AccountRow>, AppError> {
    let q = account::Entity::find().order_by_asc(account::Column::Email);
    let q = match actor.staff() {
        Some(s) if s.role == AccountRole::SystemAdmin => q,
        Some(s) if s.role == AccountRole::AgencyAdmin => {
            q.filter(account::Column::AgencyId.is_in(s.scope.clone()))
        }
        _ => return Err(AppError::Forbidden),
    };
    Ok(q.all(db)
        .await
        .map_err(internal("listing accounts"))?
        .into_iter()
        .filter_map(|a| {
            let role = AccountRole::parse(&a.role)?;
            // Only the accounts the actor may manage (the same rule as every change).
            if !can_manage_account(actor, role, a.agency_id) {
                return None;
            }
            Some(AccountRow {
                role,
                id: a.id,
                email: a.email,
                phone: a.phone,
                display_name: a.display_name,
                agency_id: a.agency_id,
                active: a.active,
                totp_enabled: a.totp_enabled,
            })
        })
        .collect())
}

/// Changes an account's role or agency (audited; the account's sessions end so the new scope
/// applies at once). Both the account as it is and as it will be must be within the actor's
/// reach. The same role and agency change nothing (no audit, sessions kept); a real change
/// needs `confirmed` (the form's "Yes, change the role"; an API call naming the role is its
/// own confirmation).
pub async fn change_role<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    role: &str,
    agency_code: Option<&str>,
    confirmed: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let a = account::Entity::find_by_id(account_id)
        .one(db)
        .await
        .map_err(internal("loading account"))?
        .ok_or(AppError::NotFound)?;
    let old_role = AccountRole::parse(&a.role).ok_or(AppError::Internal)?;
    if !can_manage_account(actor, old_role, a.agency_id) {
        return Err(AppError::NotFound);
    }
    let Some(new_role) = AccountRole::parse(role.trim()) else {
        return Err(AppError::field(Field::Role, FieldError::Unknown));
    };
    let agency = resolve_agency(db, agency_code, Some(new_role))
        .await?
        .map_err(|e| AppError::field(Field::Agency, e))?;
    if !can_manage_account(actor, new_role, agency) {
        return Err(AppError::Forbidden);
    }
    if (new_role, agency) == (old_role, a.agency_id) {
        return Ok(());
    }
    if !confirmed {
        return Err(AppError::field(
            Field::Role,
            FieldError::ConfirmationRequired,
        ));
    }
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    account::Entity::update_many()
        .col_expr(account::Column::Role, Expr::value(new_role.as_str()))
        .col_expr(account::Column::AgencyId, Expr::value(agency))
        .filter(account::Column::Id.eq(a.id))
        .exec(&txn)
        .await
        .map_err(internal("changing role"))?;
    end_all_sessions(&txn, a.id).await?;
    audit(
        &txn,
        actor,
        "account.role_changed",
        format!("account:{}", a.id),
        Some(format!(
            "{}@{:?} -> {}@{:?}",
            old_role.as_str(),
            a.agency_id,
            new_role.as_str(),
            agency
        )),
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing role"))?;
    Ok(())
}

/// Deactivates (or reactivates) an account: its sessions end and its tokens stop working at once
/// (audited). Nobody deactivates their own account.
pub async fn set_active<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    account_id: i64,
    active: bool,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let a = account::Entity::find_by_id(account_id)
        .one(db)
        .await
        .map_err(internal("loading account"))?
        .ok_or(AppError::NotFound)?;
    let role = AccountRole::parse(&a.role).ok_or(AppError::Internal)?;
    if !can_manage_account(actor, role, a.agency_id) {
        return Err(AppError::NotFound);
    }
    if actor.account() == Some(a.id) {
        return Err(AppError::Forbidden);
    }
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    account::Entity::update_many()
        .col_expr(account::Column::Active, Expr::value(active))
        .filter(account::Column::Id.eq(a.id))
        .exec(&txn)
        .await
        .map_err(internal("changing account status"))?;
    if !active {
        end_all_sessions(&txn, a.id).await?;
        revoke_tokens_of(&txn, a.id, now).await?;
    }
    audit(
        &txn,
        actor,
        if active {
            "account.activated"
        } else {
            "account.deactivated"
        },
        format!("account:{}", a.id),
        None,
        now,
    )
    .await?;
    txn.commit()
        .await
        .map_err(internal("committing account status"))?;
    Ok(())
}

/// What a purge removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Purged {
    pub sessions: u64,
    pub login_failures: u64,
}

/// Deletes sessions past their absolute or idle limit and sign-in failures older than a day
/// (the throttle looks back 15 minutes). Run by the job loop; safe on several instances.
pub async fn purge_expired<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Purged, AppError> {
    let sessions = session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::ExpiresAt.lte(now))
                .add(session::Column::LastSeenAt.lte(now - SESSION_IDLE)),
        )
        .exec(db)
        .await
        .map_err(internal("purging sessions"))?
        .rows_affected;
    let login_failures = login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::WindowStart.lt(now - Duration::days(1)))
        .exec(db)
        .await
        .map_err(internal("purging sign-in attempts"))?
        .rows_affected;
    Ok(Purged {
        sessions,
        login_failures,
    })
}

/// The services of account actions (`crate::act`).
mod acts {
    use super::*;
    use crate::domain::accounts::*;
    use crate::server::act::{Ctx, Serve};
    use crate::server::files::Upload;
    use std::sync::Arc;

    impl Serve for RequestPasswordReset {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            request_password_reset(&cx.state.db, &self.login, cx.client.as_deref(), cx.now).await
        }
    }

    impl Serve for ResetPassword {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            reset_password(
                &cx.state.db,
                self.token.expose(),
                self.new_password.expose(),
                cx.now,
            )
            .await?;
            // Signed out here too (every session of the account has ended).
            cx.clear_session();
            Ok(())
        }
    }

    impl Serve for ChangePassword {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let id = cx.signed_in()?.account().ok_or(AppError::Unauthorized)?;
            change_password(
                &cx.state.db,
                id,
                self.password.expose(),
                self.new_password.expose(),
                cx.now,
            )
            .await?;
            cx.clear_session();
            Ok(())
        }
    }

    impl Serve for CreateToken {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<String, AppError> {
            let actor = cx.signed_in()?;
            // Only a browser session mints tokens; a token cannot mint more tokens.
            if cx.session.is_none() {
                return Err(AppError::Forbidden);
            }
            create_api_token(
                &cx.state.db,
                actor,
                &self.name,
                &self.scope,
                self.days,
                cx.now,
            )
            .await
        }

        fn show(out: &String) -> Option<Arc<dyn Fn() + Send + Sync>> {
            let token = crate::api::accounts::NewToken(out.clone());
            Some(Arc::new(move || {
                leptos::prelude::provide_context(token.clone())
            }))
        }

        fn shown_status(_: &String) -> u16 {
            201
        }
    }

    impl Serve for RevokeToken {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            revoke_api_token(&cx.state.db, cx.signed_in()?, self.id, cx.now).await
        }
    }

    impl Serve for InviteStaff {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<String, AppError> {
            let token = create_invite(
                &cx.state.db,
                cx.signed_in()?,
                &self.email,
                &self.role,
                self.agency_code.as_deref(),
                cx.now,
            )
            .await?;
            Ok(format!("/undangan/{token}"))
        }

        fn show(out: &String) -> Option<Arc<dyn Fn() + Send + Sync>> {
            let url = crate::api::accounts::InviteUrl(out.clone());
            Some(Arc::new(move || {
                leptos::prelude::provide_context(url.clone())
            }))
        }

        fn shown_status(_: &String) -> u16 {
            201
        }
    }

    impl Serve for ChangeRole {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            change_role(
                &cx.state.db,
                cx.signed_in()?,
                self.account,
                &self.role,
                self.agency_code.as_deref(),
                self.confirm,
                cx.now,
            )
            .await
        }
    }

    /// The signed-in person's home page.
    async fn home_of(cx: &Ctx, account_id: i64) -> Result<String, AppError> {
        Ok(match me(&cx.state.db, account_id).await?.role {
            AccountRole::Citizen => "/laporan-saya".into(),
            // Supervisors oversee: their dashboard, not a work list.
            AccountRole::Supervisor => "/pengawasan".into(),
            _ => "/staf".into(),
        })
    }

    impl Serve for SignIn {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<SignedIn, AppError> {
            let s = login(
                &cx.state.db,
                &self.login,
                self.password.expose(),
                self.totp.as_ref().map(|c| c.expose().as_str()),
                cx.client.as_deref(),
                cx.now,
            )
            .await?;
            cx.start_session(&s.token);
            Ok(SignedIn {
                stage: s.stage,
                home: home_of(cx, s.account_id).await?,
            })
        }
    }

    impl Serve for SignInCode {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<String, AppError> {
            let session = cx
                .session
                .clone()
                .filter(|s| s.stage == Stage::Mfa)
                .ok_or(AppError::Unauthorized)?;
            let token = complete_mfa(
                &cx.state.db,
                &session,
                self.code.expose(),
                cx.client.as_deref(),
                cx.now,
            )
            .await?;
            cx.start_session(&token);
            home_of(cx, session.account_id).await
        }
    }

    impl Serve for ConfirmEnrolment {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<Vec<String>, AppError> {
            let session = cx.session.clone().ok_or(AppError::Unauthorized)?;
            let (token, codes) =
                confirm_enrolment(&cx.state.db, &session, self.code.expose(), cx.now).await?;
            cx.start_session(&token);
            Ok(codes)
        }

        fn show(out: &Vec<String>) -> Option<Arc<dyn Fn() + Send + Sync>> {
            let codes = crate::api::accounts::RecoveryCodes(out.clone());
            Some(Arc::new(move || {
                leptos::prelude::provide_context(codes.clone())
            }))
        }
    }

    impl Serve for SignOut {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            if let Some(s) = &cx.session {
                end_session(&cx.state.db, &s.id_hash).await?;
            }
            cx.clear_session();
            Ok(())
        }
    }

    impl Serve for Register {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<i64, AppError> {
            let input = NewAccount {
                login: self.login,
                display_name: self.name,
                password: self.password.expose().clone(),
                role: "citizen".into(),
                agency_code: None,
            };
            let db = &cx.state.db;
            let id = register_citizen(db, &input, cx.client.as_deref(), cx.now).await?;
            let token = session_after_registration(db, id, cx.now).await?;
            cx.start_session(&token);
            Ok(id)
        }
    }

    impl Serve for AcceptInvite {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<i64, AppError> {
            accept_invite(
                &cx.state.db,
                self.token.expose(),
                &self.name,
                self.password.expose(),
                cx.now,
            )
            .await
        }
    }

    impl Serve for ClaimReport {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<String, AppError> {
            let actor = cx.signed_in()?;
            let code = crate::domain::TrackingCode::parse(&self.kode)
                .map_err(|_| AppError::field(Field::TrackingCode, FieldError::Invalid))?;
            match crate::server::casework::claim_report(&cx.state.db, actor, &code, cx.now).await {
                Err(AppError::NotFound) => {
                    Err(AppError::field(Field::TrackingCode, FieldError::Unknown))
                }
                r => r,
            }
        }
    }

    impl Serve for MarkAllRead {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<u64, AppError> {
            let account = cx.signed_in()?.account().ok_or(AppError::Unauthorized)?;
            crate::server::inbox::mark_all_read(&cx.state.db, account, cx.now).await
        }
    }

    impl Serve for SetAccountActive {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            set_active(
                &cx.state.db,
                cx.signed_in()?,
                self.account,
                self.active,
                cx.now,
            )
            .await
        }
    }
}
