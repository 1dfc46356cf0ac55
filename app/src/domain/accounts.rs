//! The inputs of what people do with accounts: their own (password, integration tokens) and, for
//! administrators, others' (invites, roles, deactivation). Services in `server::accounts`; forms
//! on `/akun` and `/admin/pengguna`.

use super::form::{flag, num, opt_num, opt_text};
use super::secret::{opt_secret, Secret};
use crate::act::Act;
use serde::{Deserialize, Serialize};

/// The signed-in account's password changed; every session of the account ends.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ChangePassword {
    /// The current password.
    #[serde(default, alias = "current_password")]
    pub password: Secret<String>,
    #[serde(default)]
    pub new_password: Secret<String>,
}

impl Act for ChangePassword {
    type Output = ();
    const KEY: &'static str = "change_password";
    const SECRET: &'static [&'static str] = &["password", "new_password"];
    const RELOADS: bool = true;

    fn next(&self, _: &()) -> Option<String> {
        Some("/masuk".into())
    }
}

/// The signed-in citizen erases their account (`docs/privacy.md`): the password again, and a
/// checkbox saying they understood that it cannot be undone.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EraseAccount {
    #[serde(default)]
    pub password: Secret<String>,
    #[serde(default, deserialize_with = "flag")]
    pub confirm: bool,
}

impl Act for EraseAccount {
    type Output = ();
    const KEY: &'static str = "erase_account";
    const SECRET: &'static [&'static str] = &["password"];
    const RELOADS: bool = true;

    fn next(&self, _: &()) -> Option<String> {
        Some("/?akun=dihapus".into())
    }
}

/// "Forgot password": a one-hour link to choose a new password, sent to the account's email
/// address. The answer is the same whether or not such an account exists.
#[derive(Clone, Serialize, Deserialize)]
pub struct RequestPasswordReset {
    /// The account's email address.
    #[serde(default, alias = "email")]
    pub login: String,
}

impl Act for RequestPasswordReset {
    type Output = ();
    const KEY: &'static str = "request_password_reset";

    fn check(&self) -> Result<(), crate::domain::AppError> {
        use crate::domain::{AppError, Field, FieldError};
        if self.login.trim().is_empty() {
            return Err(AppError::field(Field::Email, FieldError::Required));
        }
        Ok(())
    }

    fn next(&self, _: &()) -> Option<String> {
        Some("/lupa-sandi?terkirim=1".into())
    }
}

/// The login is personal data: kept out of logs too.
impl std::fmt::Debug for RequestPasswordReset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestPasswordReset")
            .field("login", &"<personal>")
            .finish()
    }
}

/// A new password chosen through a "forgot password" link (every session of the account ends).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ResetPassword {
    #[serde(default)]
    pub token: Secret<String>,
    #[serde(default)]
    pub new_password: Secret<String>,
}

impl Act for ResetPassword {
    type Output = ();
    const KEY: &'static str = "reset_password";
    const SECRET: &'static [&'static str] = &["new_password"];

    fn next(&self, _: &()) -> Option<String> {
        Some("/masuk?sandi=baru".into())
    }
}

/// An integration token acting as the signed-in staff account (shown once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateToken {
    /// What it is for, e.g. "SIMPEG sync".
    #[serde(default)]
    pub name: String,
    /// `read` (GET only, the default) or `read_write`.
    #[serde(default)]
    pub scope: String,
    /// Days until it expires, 1–90 (default 90).
    #[serde(default, deserialize_with = "opt_num")]
    pub days: Option<i64>,
}

impl Act for CreateToken {
    /// The token, shown once.
    type Output = String;
    const KEY: &'static str = "create_token";
}

/// An integration token revoked: it stops working at once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokeToken {
    #[serde(deserialize_with = "num")]
    pub id: i64,
}

impl Act for RevokeToken {
    type Output = ();
    const KEY: &'static str = "revoke_token";
}

/// A staff member invited: a one-time link to create their account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InviteStaff {
    /// The new staff member's email address.
    #[serde(default)]
    pub email: String,
    /// `verifier`, `agency_admin`, `agency_officer`, `supervisor` or `system_admin`.
    #[serde(default)]
    pub role: String,
    /// The agency, by code (staff of an agency).
    #[serde(default, deserialize_with = "opt_text")]
    pub agency_code: Option<String>,
}

impl Act for InviteStaff {
    /// The link's address (`/undangan/…`), shown once.
    type Output = String;
    const KEY: &'static str = "invite_staff";
}

/// An account's role and agency changed (its sessions end). Taking a role away needs
/// `confirm`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChangeRole {
    /// From the address (not part of the JSON body).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(deserialize_with = "num")]
    pub account: i64,
    /// The new role.
    #[serde(default)]
    pub role: String,
    /// The agency, by code (staff of an agency).
    #[serde(default, deserialize_with = "opt_text")]
    pub agency_code: Option<String>,
    /// From the address (not part of the JSON body).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(default, deserialize_with = "flag")]
    pub confirm: bool,
}

impl Act for ChangeRole {
    type Output = ();
    const KEY: &'static str = "change_role";
}

/// An account deactivated (its sessions end at once) or activated again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAccountActive {
    #[serde(deserialize_with = "num")]
    pub account: i64,
    #[serde(default, deserialize_with = "flag")]
    pub active: bool,
}

impl Act for SetAccountActive {
    type Output = ();
    const KEY: &'static str = "set_account_active";
}

/// Signing in with a login (an email address, or a citizen's mobile number) and password; an
/// API client of a two-factor role sends the code (`totp`) along.
#[derive(Clone, Serialize, Deserialize)]
pub struct SignIn {
    #[serde(default, alias = "email")]
    pub login: String,
    #[serde(default)]
    pub password: Secret<String>,
    #[serde(default, deserialize_with = "opt_secret")]
    pub totp: Option<Secret<String>>,
    /// The page that asked the person to sign in (`/masuk?lanjut=…`): where they go once signed
    /// in, when it is one of this site's signed-in pages (`return_to`).
    #[serde(default)]
    pub lanjut: String,
}

/// The signed-in pages a sign-in may return to: a path on this site (never another host) under
/// one of them, or `None`.
pub fn return_to(path: &str) -> Option<String> {
    const PAGES: [&str; 7] = [
        "/staf",
        "/pengawasan",
        "/admin",
        "/akun",
        "/notifikasi",
        "/laporan-saya",
        "/statistik",
    ];
    let path = path.trim();
    let plain = path.len() <= 300
        && path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains(['\\', '\r', '\n', '@'])
        && !path.chars().any(char::is_control);
    let page = path.split(['?', '#']).next().unwrap_or(path);
    // `/staf/../x` would leave the known pages once the browser resolves it (so would `%2e`).
    let plain = plain
        && !page.contains('%')
        && !page
            .split('/')
            .any(|segment| segment == ".." || segment == ".");
    let known = PAGES
        .iter()
        .any(|p| page == *p || page.starts_with(&format!("{p}/")));
    (plain && known).then(|| path.to_string())
}

/// The login is personal data (an email address or a phone number): kept out of logs too.
impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("login", &"<personal>")
            .field("password", &self.password)
            .field("totp", &self.totp)
            .finish()
    }
}

/// How far signing in got, and the signed-in person's home page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedIn {
    pub stage: super::access::Stage,
    pub home: String,
}

impl SignedIn {
    /// Where the person goes: the page that sent them to sign in (`back`, when allowed), else
    /// home; or the next step of signing in, which carries `back` along.
    pub fn next(&self, back: &str) -> String {
        let back = return_to(back);
        match self.stage {
            super::access::Stage::Active => back.unwrap_or_else(|| self.home.clone()),
            super::access::Stage::Mfa => match back {
                Some(b) => format!("/masuk/kode?lanjut={}", super::form::encode(&b)),
                None => "/masuk/kode".into(),
            },
            super::access::Stage::Enrol => "/akun/2fa".into(),
        }
    }
}

impl Act for SignIn {
    type Output = SignedIn;
    const KEY: &'static str = "sign_in";
    const SECRET: &'static [&'static str] = &["password", "totp"];
    const RELOADS: bool = true;

    fn next(&self, out: &SignedIn) -> Option<String> {
        Some(out.next(&self.lanjut))
    }
}

/// The second factor after the password (a 6-digit code, or a recovery code).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SignInCode {
    #[serde(default)]
    pub code: Secret<String>,
    /// The page that asked for the sign-in (see `SignIn::lanjut`).
    #[serde(default)]
    pub lanjut: String,
}

impl Act for SignInCode {
    /// The signed-in person's home page.
    type Output = String;
    const KEY: &'static str = "sign_in_code";
    const SECRET: &'static [&'static str] = &["code"];
    const RELOADS: bool = true;

    fn next(&self, home: &String) -> Option<String> {
        Some(return_to(&self.lanjut).unwrap_or_else(|| home.clone()))
    }
}

/// Two-step verification set up: the first code from the app confirms it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ConfirmEnrolment {
    #[serde(default)]
    pub code: Secret<String>,
}

impl Act for ConfirmEnrolment {
    /// The recovery codes, shown this once.
    type Output = Vec<String>;
    const KEY: &'static str = "confirm_enrolment";
    const SECRET: &'static [&'static str] = &["code"];
}

/// Signing out (or abandoning a sign-in half way).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOut {}

impl Act for SignOut {
    type Output = ();
    const KEY: &'static str = "sign_out";
    const RELOADS: bool = true;

    fn next(&self, _: &()) -> Option<String> {
        Some("/".into())
    }
}

/// A citizen account (signed in at once).
#[derive(Clone, Serialize, Deserialize)]
pub struct Register {
    #[serde(default, alias = "display_name")]
    pub name: String,
    /// An email address or a mobile number.
    #[serde(default, alias = "email")]
    pub login: String,
    #[serde(default)]
    pub password: Secret<String>,
}

/// The name and login are personal data: kept out of logs too.
impl std::fmt::Debug for Register {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Register")
            .field("name", &"<personal>")
            .field("login", &"<personal>")
            .field("password", &self.password)
            .finish()
    }
}

impl Act for Register {
    /// The new account's id.
    type Output = i64;
    const KEY: &'static str = "register";
    const SECRET: &'static [&'static str] = &["password"];
    const RELOADS: bool = true;

    fn next(&self, _: &i64) -> Option<String> {
        Some("/laporan-saya".into())
    }
}

/// A staff invite accepted: the account it describes, with the name and password chosen.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AcceptInvite {
    #[serde(default)]
    pub token: Secret<String>,
    #[serde(default, alias = "display_name")]
    pub name: String,
    #[serde(default)]
    pub password: Secret<String>,
}

impl Act for AcceptInvite {
    /// The new account's id.
    type Output = i64;
    const KEY: &'static str = "accept_invite";
    const SECRET: &'static [&'static str] = &["password"];

    fn next(&self, _: &i64) -> Option<String> {
        Some("/masuk".into())
    }
}

/// A report sent without an account put into the signed-in citizen's account, by its tracking
/// code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimReport {
    #[serde(default, alias = "tracking_code")]
    pub kode: String,
}

impl Act for ClaimReport {
    /// The report's reference.
    type Output = String;
    const KEY: &'static str = "claim_report";

    fn next(&self, _: &String) -> Option<String> {
        Some("/laporan-saya".into())
    }
}

/// Every notification of the signed-in person marked read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkAllRead {}

impl Act for MarkAllRead {
    /// How many were unread.
    type Output = u64;
    const KEY: &'static str = "mark_all_read";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sign_in_returns_only_to_this_sites_signed_in_pages() {
        assert_eq!(
            return_to("/staf/laporan/5").as_deref(),
            Some("/staf/laporan/5")
        );
        assert_eq!(
            return_to("/staf?tampil=semua&tugas=saya").as_deref(),
            Some("/staf?tampil=semua&tugas=saya")
        );
        assert_eq!(return_to("/pengawasan").as_deref(), Some("/pengawasan"));
        for bad in [
            "",
            "staf",
            "//evil.example/staf",
            "https://evil.example/staf",
            "/\\evil.example",
            "/stafx",
            "/lapor",
            "/staf\r\nSet-Cookie: x=1",
            "/staf@evil.example",
            "/staf/../lapor",
            "/staf/./..",
            "/staf/%2e%2e/lapor",
        ] {
            assert_eq!(return_to(bad), None, "{bad:?}");
        }
    }
}
