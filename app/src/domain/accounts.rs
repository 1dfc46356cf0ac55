//! The inputs of what people do with accounts: their own (password, integration tokens) and, for
//! administrators, others' (invites, roles, deactivation). Services in `server::accounts`; forms
//! on `/akun` and `/admin/pengguna`.

use super::form::{flag, num, opt_num, opt_text};
use crate::act::Act;
use serde::{Deserialize, Serialize};

/// The signed-in account's password changed; every session of the account ends.
#[derive(Clone, Serialize, Deserialize)]
pub struct ChangePassword {
    /// The current password.
    #[serde(default, alias = "current_password")]
    pub password: String,
    #[serde(default)]
    pub new_password: String,
}

impl std::fmt::Debug for ChangePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ChangePassword { .. }")
    }
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

/// An integration token acting as the signed-in staff account (shown once).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
pub struct InviteStaff {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub role: String,
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
pub struct ChangeRole {
    #[serde(deserialize_with = "num")]
    pub account: i64,
    #[serde(default)]
    pub role: String,
    #[serde(default, deserialize_with = "opt_text")]
    pub agency_code: Option<String>,
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
