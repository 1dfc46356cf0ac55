//! Who may do what: account roles, the acting party of a request, and the one policy that decides
//! `can(actor, action, report)`. Deny by default: every `match` lists what is allowed and ends in
//! `false`. The server builds an `Actor` from the session or bearer token and checks here before
//! any read or change; its report queries start from the same scope (`visible_to`).

use super::lifecycle::{Command, Role};
use serde::{Deserialize, Serialize};

/// The role an account holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    Citizen,
    Verifier,
    AgencyAdmin,
    AgencyOfficer,
    /// Read-only over an agency subtree (pimpinan, an inspectorate, an Ombudsman office).
    Supervisor,
    SystemAdmin,
}

impl AccountRole {
    pub const ALL: [AccountRole; 6] = [
        AccountRole::Citizen,
        AccountRole::Verifier,
        AccountRole::AgencyAdmin,
        AccountRole::AgencyOfficer,
        AccountRole::Supervisor,
        AccountRole::SystemAdmin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Citizen => "citizen",
            AccountRole::Verifier => "verifier",
            AccountRole::AgencyAdmin => "agency_admin",
            AccountRole::AgencyOfficer => "agency_officer",
            AccountRole::Supervisor => "supervisor",
            AccountRole::SystemAdmin => "system_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Roles that must sign in with a second factor (TOTP).
    pub fn requires_mfa(self) -> bool {
        matches!(
            self,
            AccountRole::Verifier
                | AccountRole::AgencyAdmin
                | AccountRole::Supervisor
                | AccountRole::SystemAdmin
        )
    }

    /// Staff belong to an agency; citizens do not.
    pub fn is_staff(self) -> bool {
        self != AccountRole::Citizen
    }

    /// Roles whose members belong to one agency and see only its subtree.
    pub fn is_agency_scoped(self) -> bool {
        matches!(
            self,
            AccountRole::AgencyAdmin | AccountRole::AgencyOfficer | AccountRole::Supervisor
        )
    }

    /// The role this account plays in the report lifecycle, if any.
    pub fn lifecycle_role(self) -> Option<Role> {
        match self {
            AccountRole::Citizen => Some(Role::Reporter),
            AccountRole::Verifier => Some(Role::Verifier),
            AccountRole::AgencyAdmin => Some(Role::AgencyAdmin),
            AccountRole::AgencyOfficer => Some(Role::AgencyOfficer),
            AccountRole::Supervisor => Some(Role::Supervisor),
            AccountRole::SystemAdmin => None,
        }
    }
}

/// How far a session has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Active,
    /// Password accepted; the second factor is awaited.
    Mfa,
    /// Password accepted; the role needs two-factor and none is set up yet.
    Enrol,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Active => "active",
            Stage::Mfa => "mfa",
            Stage::Enrol => "enrol",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Stage::Active, Stage::Mfa, Stage::Enrol]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A signed-in staff member, with the agencies their role reaches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffActor {
    pub account: i64,
    pub role: AccountRole,
    pub agency: Option<i32>,
    /// The agency and all its descendants (sorted); empty for roles that are not agency-scoped.
    pub scope: Vec<i32>,
}

impl StaffActor {
    pub fn in_scope(&self, agency: i32) -> bool {
        self.scope.binary_search(&agency).is_ok()
    }
}

/// Who is asking. Built by the server for every request; `Public` when nobody is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    Public,
    Citizen { account: i64 },
    Staff(StaffActor),
}

impl Actor {
    pub fn account(&self) -> Option<i64> {
        match self {
            Actor::Public => None,
            Actor::Citizen { account } => Some(*account),
            Actor::Staff(s) => Some(s.account),
        }
    }

    pub fn role(&self) -> Option<AccountRole> {
        match self {
            Actor::Public => None,
            Actor::Citizen { .. } => Some(AccountRole::Citizen),
            Actor::Staff(s) => Some(s.role),
        }
    }

    pub fn staff(&self) -> Option<&StaffActor> {
        match self {
            Actor::Staff(s) => Some(s),
            _ => None,
        }
    }

    /// The name recorded in the audit log for this actor's role.
    pub fn role_name(&self) -> &'static str {
        self.role().map(AccountRole::as_str).unwrap_or("public")
    }
}

/// What the policy needs to know about a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportFacts {
    pub reporter_account: Option<i64>,
    /// The agency (or unit) handling it, if dispatched: the lead of a joint case.
    pub agency: Option<i32>,
    pub anonymous: bool,
    pub confidential: bool,
    /// The co-agencies of a joint case.
    pub co_agencies: Vec<i32>,
}

/// Something an actor may try to do with a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action<'a> {
    /// See the report (staff view or "my reports").
    View,
    /// See the reporter's name and contact details of any report (audited).
    RevealIdentity,
    /// Give a lifecycle command.
    Command(&'a Command),
}

/// Whether `actor` may see `report` at all. Agencies see what is assigned within their subtree
/// (confidential or not); verifiers and system administrators see every report; citizens see
/// their own; the public nothing through this door (public pages use their own view).
pub fn can_view(actor: &Actor, report: &ReportFacts) -> bool {
    match actor {
        Actor::Public => false,
        Actor::Citizen { account } => report.reporter_account == Some(*account),
        Actor::Staff(s) => match s.role {
            AccountRole::Verifier | AccountRole::SystemAdmin => true,
            AccountRole::AgencyAdmin | AccountRole::AgencyOfficer | AccountRole::Supervisor => {
                report.agency.is_some_and(|a| s.in_scope(a))
                    || report.co_agencies.iter().any(|a| s.in_scope(*a))
            }
            AccountRole::Citizen => false,
        },
    }
}

/// Whether `actor` works on the report as (part of) its lead agency, rather than only as a
/// co-agency of a joint case.
fn leads(actor: &Actor, report: &ReportFacts) -> bool {
    match actor {
        Actor::Staff(s) if s.role.is_agency_scoped() => {
            report.agency.is_some_and(|a| s.in_scope(a))
        }
        _ => true,
    }
}

/// Verifier triage beyond the lifecycle: priority, raising privacy, marking duplicates.
pub fn can_triage(actor: &Actor, report: &ReportFacts) -> bool {
    actor.role() == Some(AccountRole::Verifier) && can_view(actor, report)
}

/// Adding a co-agency (a joint case) gives another agency the report, confidential parts
/// included: the verifiers decide it, as they decide dispatch. (Supervisors only read.)
pub fn can_add_co_agency(actor: &Actor, report: &ReportFacts) -> bool {
    report.agency.is_some()
        && can_view(actor, report)
        && actor.role() == Some(AccountRole::Verifier)
}

/// Asking the verifiers for a co-agency: the lead agency's administrators.
pub fn can_request_co_agency(actor: &Actor, report: &ReportFacts) -> bool {
    report.agency.is_some()
        && can_view(actor, report)
        && actor.role() == Some(AccountRole::AgencyAdmin)
        && leads(actor, report)
}

/// The policy. A command also passes the lifecycle machine's own checks afterwards (state,
/// limits); this decides only whether this actor may try it on this report.
pub fn can(actor: &Actor, action: Action<'_>, report: &ReportFacts) -> bool {
    if !can_view(actor, report) {
        return false;
    }
    match action {
        Action::View => true,
        Action::RevealIdentity => matches!(
            actor.role(),
            Some(AccountRole::Verifier | AccountRole::SystemAdmin)
        ),
        Action::Command(command) => {
            let Some(role) = actor.role().and_then(AccountRole::lifecycle_role) else {
                return false;
            };
            if !command.roles().contains(&role) {
                return false;
            }
            // A co-agency contributes follow-ups and interim replies; the lead does the rest.
            if !leads(actor, report)
                && !matches!(command, Command::FollowUp | Command::InterimReply)
            {
                return false;
            }
            match (command, actor) {
                // A unit must be inside the delegating admin's subtree.
                (Command::Delegate { unit }, Actor::Staff(s)) => {
                    s.in_scope(*unit) && report.agency != Some(*unit)
                }
                _ => true,
            }
        }
    }
}

/// Whether `actor` may create, change or deactivate an account with `role` in `agency`:
/// system administrators any; agency administrators agency staff within their subtree.
pub fn can_manage_account(actor: &Actor, role: AccountRole, agency: Option<i32>) -> bool {
    match actor {
        Actor::Staff(s) => match s.role {
            AccountRole::SystemAdmin => true,
            AccountRole::AgencyAdmin => {
                matches!(role, AccountRole::AgencyAdmin | AccountRole::AgencyOfficer)
                    && agency.is_some_and(|a| s.in_scope(a))
            }
            _ => false,
        },
        _ => false,
    }
}

/// Whether `actor` may create, edit, move or deactivate agencies.
pub fn can_manage_agencies(actor: &Actor) -> bool {
    actor.role() == Some(AccountRole::SystemAdmin)
}

/// All agencies below `root` and `root` itself, from `(id, parent)` pairs, sorted. Cycles (which
/// the server refuses to create) cannot loop: each agency is visited once.
pub fn subtree(root: i32, agencies: &[(i32, Option<i32>)]) -> Vec<i32> {
    let mut out = vec![root];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        for (id, p) in agencies {
            if *p == Some(parent) && !out.contains(id) {
                out.push(*id);
            }
        }
        i += 1;
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: AccountRole, agency: i32, scope: &[i32]) -> Actor {
        Actor::Staff(StaffActor {
            account: 9,
            role,
            agency: Some(agency),
            scope: scope.to_vec(),
        })
    }

    #[test]
    fn subtrees_have_any_depth_and_survive_cycles() {
        let tree = [
            (1, None),
            (2, Some(1)),
            (3, Some(2)),
            (4, Some(3)),
            (5, Some(1)),
            (6, Some(7)),
            (7, Some(6)),
        ];
        assert_eq!(subtree(2, &tree), vec![2, 3, 4]);
        assert_eq!(subtree(1, &tree), vec![1, 2, 3, 4, 5]);
        assert_eq!(subtree(6, &tree), vec![6, 7]);
    }

    #[test]
    fn agencies_see_only_their_subtree_and_never_reveal() {
        let officer = staff(AccountRole::AgencyOfficer, 2, &[2, 3]);
        let at = |agency| ReportFacts {
            reporter_account: None,
            agency,
            anonymous: true,
            confidential: true,
            co_agencies: vec![],
        };
        assert!(can(&officer, Action::View, &at(Some(3))));
        assert!(!can(&officer, Action::View, &at(Some(1))));
        assert!(!can(&officer, Action::View, &at(None)));
        assert!(!can(&officer, Action::RevealIdentity, &at(Some(2))));
        assert!(can(
            &officer,
            Action::Command(&Command::FollowUp),
            &at(Some(2))
        ));
        assert!(!can(
            &officer,
            Action::Command(&Command::Delegate { unit: 3 }),
            &at(Some(2))
        ));
        let admin = staff(AccountRole::AgencyAdmin, 2, &[2, 3]);
        assert!(can(
            &admin,
            Action::Command(&Command::Delegate { unit: 3 }),
            &at(Some(2))
        ));
        assert!(!can(
            &admin,
            Action::Command(&Command::Delegate { unit: 5 }),
            &at(Some(2))
        ));
    }

    #[test]
    fn co_agencies_see_and_contribute_but_only_the_lead_answers() {
        let joint = ReportFacts {
            reporter_account: None,
            agency: Some(2),
            anonymous: false,
            confidential: false,
            co_agencies: vec![5],
        };
        let co = staff(AccountRole::AgencyOfficer, 5, &[5]);
        let co_admin = staff(AccountRole::AgencyAdmin, 5, &[5]);
        let lead_admin = staff(AccountRole::AgencyAdmin, 2, &[2]);
        let other = staff(AccountRole::AgencyOfficer, 7, &[7]);
        assert!(can(&co, Action::View, &joint));
        assert!(can(&co, Action::Command(&Command::FollowUp), &joint));
        assert!(can(&co, Action::Command(&Command::InterimReply), &joint));
        assert!(!can(&co, Action::Command(&Command::Answer), &joint));
        assert!(!can(&co, Action::Command(&Command::Extend), &joint));
        assert!(!can(
            &co_admin,
            Action::Command(&Command::ReturnNotOurs),
            &joint
        ));
        assert!(!can(&co, Action::RevealIdentity, &joint));
        assert!(!can(&other, Action::View, &joint));
        assert!(!can_add_co_agency(&lead_admin, &joint));
        assert!(can_request_co_agency(&lead_admin, &joint));
        assert!(!can_add_co_agency(&co_admin, &joint));
        assert!(!can_request_co_agency(&co_admin, &joint));
        assert!(!can_triage(&lead_admin, &joint));
    }

    #[test]
    fn citizens_act_only_on_their_own_reports_and_admins_manage_within_scope() {
        let me = Actor::Citizen { account: 4 };
        let mine = ReportFacts {
            reporter_account: Some(4),
            agency: Some(2),
            anonymous: false,
            confidential: false,
            co_agencies: vec![],
        };
        let theirs = ReportFacts {
            reporter_account: Some(5),
            ..mine.clone()
        };
        let confirm = Command::Confirm { rating: 5 };
        assert!(can(&me, Action::Command(&confirm), &mine));
        assert!(!can(&me, Action::Command(&confirm), &theirs));
        assert!(!can(&me, Action::Command(&Command::FollowUp), &mine));
        assert!(!can(&Actor::Public, Action::View, &mine));

        let admin = staff(AccountRole::AgencyAdmin, 2, &[2, 3]);
        assert!(can_manage_account(
            &admin,
            AccountRole::AgencyOfficer,
            Some(3)
        ));
        assert!(!can_manage_account(
            &admin,
            AccountRole::AgencyOfficer,
            Some(1)
        ));
        assert!(!can_manage_account(&admin, AccountRole::Verifier, Some(2)));
        assert!(!can_manage_agencies(&admin));
    }
}

/// What a person signs in with: an email address (lower-case) or a mobile number (`+62…`).
#[derive(Clone, PartialEq, Eq)]
pub enum LoginId {
    Email(String),
    Phone(String),
}

impl std::fmt::Debug for LoginId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LoginId::Email(_) => "LoginId::Email(<redacted>)",
            LoginId::Phone(_) => "LoginId::Phone(<redacted>)",
        })
    }
}

impl LoginId {
    /// An email address if it has an `@`, else a phone number; Indonesian numbers written
    /// `0812…`, `62812…` or `+62812…` are the same number.
    pub fn parse(s: &str) -> Result<Self, super::FieldError> {
        let s = s.trim();
        if s.is_empty() {
            return Err(super::FieldError::Required);
        }
        if s.contains('@') {
            return super::report::parse_email(s).map(|e| LoginId::Email(e.to_lowercase()));
        }
        let n = super::report::parse_phone(s)?;
        Ok(LoginId::Phone(if let Some(rest) = n.strip_prefix('0') {
            format!("+62{rest}")
        } else if n.starts_with('+') {
            n
        } else if n.starts_with("62") {
            format!("+{n}")
        } else {
            format!("+62{n}")
        }))
    }

    pub fn as_str(&self) -> &str {
        match self {
            LoginId::Email(s) | LoginId::Phone(s) => s,
        }
    }
}

#[cfg(test)]
mod login_tests {
    use super::*;

    #[test]
    fn phone_numbers_are_one_number_however_written() {
        for s in [
            "0812-3456-7890",
            "62 812 3456 7890",
            "+6281234567890",
            " 081234567890 ",
        ] {
            assert_eq!(
                LoginId::parse(s).unwrap(),
                LoginId::Phone("+6281234567890".into()),
                "{s}"
            );
        }
        assert_eq!(
            LoginId::parse("Siti@Contoh.ID").unwrap(),
            LoginId::Email("siti@contoh.id".into())
        );
        assert!(LoginId::parse("bukan").is_err());
        assert!(LoginId::parse("").is_err());
    }
}
