//! The report lifecycle as a pure state machine: `(state, command, role) → transition | refusal`.
//! No I/O and no clock: the caller stores the new state and the event in one transaction and
//! applies the clock action to the stage deadline. The table of states and commands is in
//! `docs/lifecycle.md`.

use super::calendar::{add_working_days, deadline, end_of_day, local_date, working_days_between};
use super::error::FieldErrors;
use super::report::ReportKind;
use super::status::{EventKind, ReportStatus};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Who gives a command. The full role model (accounts, agencies, scopes) comes with access
/// control; the machine already refuses a role that may never give a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Reporter,
    Verifier,
    AgencyAdmin,
    AgencyOfficer,
    Supervisor,
    System,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Reporter,
        Role::Verifier,
        Role::AgencyAdmin,
        Role::AgencyOfficer,
        Role::Supervisor,
        Role::System,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reporter => "reporter",
            Role::Verifier => "verifier",
            Role::AgencyAdmin => "agency_admin",
            Role::AgencyOfficer => "agency_officer",
            Role::Supervisor => "supervisor",
            Role::System => "system",
        }
    }
}

/// Why a verifier archives a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveReason {
    Spam,
    OutOfScope,
    TooVague,
    Duplicate,
}

impl ArchiveReason {
    /// In the order a verifier is offered them (the most common first).
    pub const ALL: [ArchiveReason; 4] = [
        ArchiveReason::OutOfScope,
        ArchiveReason::TooVague,
        ArchiveReason::Duplicate,
        ArchiveReason::Spam,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ArchiveReason::Spam => "spam",
            ArchiveReason::OutOfScope => "out_of_scope",
            ArchiveReason::TooVague => "too_vague",
            ArchiveReason::Duplicate => "duplicate",
        }
    }
}

/// Who must act next on an open report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    Verifiers,
    /// The agency (or unit) by id.
    Agency(i32),
    Reporter,
    /// Stored by versions before supervisors became read-only (appeals now go to verifiers);
    /// still read, never produced.
    Supervisor,
}

impl Owner {
    /// The stored form: `verifiers`, `agency:<id>`, `reporter`, `supervisor`.
    pub fn encode(self) -> String {
        match self {
            Owner::Verifiers => "verifiers".into(),
            Owner::Agency(id) => format!("agency:{id}"),
            Owner::Reporter => "reporter".into(),
            Owner::Supervisor => "supervisor".into(),
        }
    }

    pub fn decode(s: &str) -> Option<Self> {
        match s {
            "verifiers" => Some(Owner::Verifiers),
            "reporter" => Some(Owner::Reporter),
            "supervisor" => Some(Owner::Supervisor),
            _ => s.strip_prefix("agency:")?.parse().ok().map(Owner::Agency),
        }
    }
}

/// Everything the machine needs to know about a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleState {
    pub kind: ReportKind,
    pub status: ReportStatus,
    /// `None` exactly when the report is closed.
    pub owner: Option<Owner>,
    /// The agency handling the report, kept while the reporter or supervisor has it.
    pub agency: Option<i32>,
    pub needs_investigation: bool,
    /// Times agencies returned it as not their business.
    pub bounces: u32,
    /// Deadline extensions granted in the current follow-up (at most two).
    pub extensions: u8,
    /// Disputes by the reporter (a second one is an appeal).
    pub disputes: u8,
    /// The reporter was reminded in the current answer stage.
    pub reminded: bool,
}

impl LifecycleState {
    /// A report just submitted.
    pub fn new(kind: ReportKind) -> Self {
        Self {
            kind,
            status: ReportStatus::AwaitingVerification,
            owner: Some(Owner::Verifiers),
            agency: None,
            needs_investigation: false,
            bounces: 0,
            extensions: 0,
            disputes: 0,
            reminded: false,
        }
    }

    /// Working days the current stage has, counted from its start.
    pub fn stage_days(&self) -> Option<u32> {
        use ReportStatus::*;
        match self.status {
            AwaitingVerification => Some(3),
            OnHold => Some(10),
            Dispatched => Some(5),
            InProcess => Some(match (self.kind, self.needs_investigation) {
                (ReportKind::Complaint, true) => 60,
                (ReportKind::Complaint, false) => 14,
                _ => 5,
            }),
            AwaitingReporter => Some(10),
            Appealed => Some(14),
            Archived | Resolved | ClosedUnconfirmed => None,
        }
    }
}

/// Working days one extension adds.
pub const EXTENSION_DAYS: u32 = 5;
/// Extensions allowed per follow-up.
pub const MAX_EXTENSIONS: u8 = 2;

/// A lifecycle command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Dispatch {
        agency: i32,
        needs_investigation: bool,
    },
    Hold,
    Archive {
        reason: ArchiveReason,
    },
    AnswerHold,
    ExpireHold,
    Delegate {
        unit: i32,
    },
    ReturnNotOurs,
    FollowUp,
    InterimReply,
    Extend,
    Answer,
    Confirm {
        rating: u8,
    },
    AddInformation,
    Dispute,
    RemindReporter,
    CloseUnconfirmed,
    Reopen,
    UpholdAppeal,
    RejectAppeal,
}

/// The kind of a lifecycle command, without its data: what a form names, what a page offers and
/// what each one needs. The single declaration pages render from and services validate with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandKind {
    Dispatch,
    Hold,
    Archive,
    AnswerHold,
    ExpireHold,
    Delegate,
    ReturnNotOurs,
    FollowUp,
    InterimReply,
    Extend,
    Answer,
    Confirm,
    AddInformation,
    Dispute,
    RemindReporter,
    CloseUnconfirmed,
    Reopen,
    UpholdAppeal,
    RejectAppeal,
}

/// Whether a command's message is required, optional, or not asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoteRule {
    Required,
    Optional,
}

/// What a command needs besides the report, and how its message is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Needs {
    /// An agency to send the report to (`agency`).
    pub agency: bool,
    /// A unit of the actor's agency (`unit`).
    pub unit: bool,
    /// One of `ArchiveReason::ALL` (`reason`).
    pub archive_reason: bool,
    /// A rating from 1 to 5 (`rating`).
    pub rating: bool,
    /// The message (`note`), at most `MAX_NOTE` characters.
    pub note: NoteRule,
    /// The reporter reads the message; files may come with it.
    pub reporter_reads: bool,
    /// An agency's reply to the reporter: checked against copy-paste answers.
    pub reply: bool,
}

/// The longest message a command carries.
pub const MAX_NOTE: usize = 5000;

impl CommandKind {
    pub const ALL: [CommandKind; 19] = [
        CommandKind::Dispatch,
        CommandKind::Hold,
        CommandKind::Archive,
        CommandKind::AnswerHold,
        CommandKind::ExpireHold,
        CommandKind::Delegate,
        CommandKind::ReturnNotOurs,
        CommandKind::FollowUp,
        CommandKind::InterimReply,
        CommandKind::Extend,
        CommandKind::Answer,
        CommandKind::Confirm,
        CommandKind::AddInformation,
        CommandKind::Dispute,
        CommandKind::RemindReporter,
        CommandKind::CloseUnconfirmed,
        CommandKind::Reopen,
        CommandKind::UpholdAppeal,
        CommandKind::RejectAppeal,
    ];

    /// The reporter's commands, in the order the tracking page offers them.
    pub const REPORTER: [CommandKind; 4] = [
        CommandKind::AnswerHold,
        CommandKind::Confirm,
        CommandKind::Dispute,
        CommandKind::AddInformation,
    ];

    /// The command's name in the API and in forms.
    pub fn name(self) -> &'static str {
        use CommandKind::*;
        match self {
            Dispatch => "dispatch",
            Hold => "hold",
            Archive => "archive",
            AnswerHold => "answer_hold",
            ExpireHold => "expire_hold",
            Delegate => "delegate",
            ReturnNotOurs => "return_not_ours",
            FollowUp => "follow_up",
            InterimReply => "interim_reply",
            Extend => "extend",
            Answer => "answer",
            Confirm => "confirm",
            AddInformation => "add_information",
            Dispute => "dispute",
            RemindReporter => "remind_reporter",
            CloseUnconfirmed => "close_unconfirmed",
            Reopen => "reopen",
            UpholdAppeal => "uphold_appeal",
            RejectAppeal => "reject_appeal",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The roles that may give this command.
    pub fn roles(self) -> &'static [Role] {
        use CommandKind::*;
        match self {
            Dispatch | Hold | Archive => &[Role::Verifier],
            AnswerHold | Confirm | AddInformation | Dispute => &[Role::Reporter],
            ExpireHold | RemindReporter | CloseUnconfirmed => &[Role::System],
            Delegate | ReturnNotOurs => &[Role::AgencyAdmin],
            FollowUp | InterimReply | Extend | Answer => &[Role::AgencyOfficer, Role::AgencyAdmin],
            // Supervisors only read (DOMAIN.md); appeals go back to the verifiers, who are
            // independent of the agency that answered.
            Reopen | UpholdAppeal | RejectAppeal => &[Role::Verifier],
        }
    }

    /// What the command needs (see `Needs`).
    pub fn needs(self) -> Needs {
        use CommandKind::*;
        let base = Needs {
            agency: false,
            unit: false,
            archive_reason: false,
            rating: false,
            note: NoteRule::Optional,
            reporter_reads: false,
            reply: false,
        };
        match self {
            Dispatch => Needs {
                agency: true,
                ..base
            },
            Delegate => Needs { unit: true, ..base },
            Archive => Needs {
                archive_reason: true,
                ..base
            },
            // The reporter reads the verifier's question and the reason for an extension.
            Hold | Extend => Needs {
                note: NoteRule::Required,
                reporter_reads: true,
                ..base
            },
            Reopen => Needs {
                reporter_reads: true,
                ..base
            },
            // The verifiers read why an agency returns a report (an internal note).
            ReturnNotOurs => Needs {
                note: NoteRule::Required,
                ..base
            },
            FollowUp => Needs {
                reporter_reads: true,
                reply: true,
                ..base
            },
            InterimReply | Answer => Needs {
                note: NoteRule::Required,
                reporter_reads: true,
                reply: true,
                ..base
            },
            // The reporter's own messages: an answer, more information, a dispute need words.
            AnswerHold | AddInformation | Dispute => Needs {
                note: NoteRule::Required,
                ..base
            },
            Confirm => Needs {
                rating: true,
                ..base
            },
            _ => base,
        }
    }

    /// Whether files may come with the command's message (messages someone else reads).
    pub fn takes_files(self) -> bool {
        let n = self.needs();
        n.reporter_reads || self.roles() == [Role::Reporter]
    }
}

impl Command {
    pub fn kind(&self) -> CommandKind {
        use Command::*;
        match self {
            Dispatch { .. } => CommandKind::Dispatch,
            Hold => CommandKind::Hold,
            Archive { .. } => CommandKind::Archive,
            AnswerHold => CommandKind::AnswerHold,
            ExpireHold => CommandKind::ExpireHold,
            Delegate { .. } => CommandKind::Delegate,
            ReturnNotOurs => CommandKind::ReturnNotOurs,
            FollowUp => CommandKind::FollowUp,
            InterimReply => CommandKind::InterimReply,
            Extend => CommandKind::Extend,
            Answer => CommandKind::Answer,
            Confirm { .. } => CommandKind::Confirm,
            AddInformation => CommandKind::AddInformation,
            Dispute => CommandKind::Dispute,
            RemindReporter => CommandKind::RemindReporter,
            CloseUnconfirmed => CommandKind::CloseUnconfirmed,
            Reopen => CommandKind::Reopen,
            UpholdAppeal => CommandKind::UpholdAppeal,
            RejectAppeal => CommandKind::RejectAppeal,
        }
    }

    /// The roles that may give this command.
    pub fn roles(&self) -> &'static [Role] {
        self.kind().roles()
    }

    /// The command's name in the API and in forms.
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    /// One example of every command, for asking which ones an actor may try now.
    pub fn examples(agency: Option<i32>) -> Vec<Command> {
        let a = agency.unwrap_or(0);
        vec![
            Command::Dispatch {
                agency: a,
                needs_investigation: false,
            },
            Command::Hold,
            Command::Archive {
                reason: ArchiveReason::OutOfScope,
            },
            Command::AnswerHold,
            Command::Delegate { unit: a },
            Command::ReturnNotOurs,
            Command::FollowUp,
            Command::InterimReply,
            Command::Extend,
            Command::Answer,
            Command::Confirm { rating: 5 },
            Command::AddInformation,
            Command::Dispute,
            Command::Reopen,
            Command::UpholdAppeal,
            Command::RejectAppeal,
        ]
    }
}

/// A command as sent by a person (JSON body, HTML form or the hydrated page): its kind and
/// whatever data that kind needs (`CommandKind::needs`). The reporter's JSON API names the kind
/// `action`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandInput {
    /// The report (from the address for the JSON API; a hidden field in forms).
    #[serde(
        default,
        deserialize_with = "super::form::opt_num",
        skip_serializing_if = "Option::is_none"
    )]
    pub report: Option<i64>,
    #[serde(alias = "action")]
    pub command: CommandKind,
    #[serde(default, deserialize_with = "super::form::opt_num")]
    pub agency: Option<i32>,
    #[serde(default, deserialize_with = "super::form::flag")]
    pub needs_investigation: bool,
    #[serde(default, deserialize_with = "super::form::opt_num")]
    pub unit: Option<i32>,
    #[serde(default, deserialize_with = "super::form::opt_num")]
    pub rating: Option<u8>,
    #[serde(default)]
    pub reason: Option<ArchiveReason>,
    /// A note recorded with the event (a reason, a question, a rating comment).
    #[serde(default, deserialize_with = "super::form::opt_text")]
    pub note: Option<String>,
    /// Send a reply even though it nearly repeats one sent on another report.
    #[serde(default, deserialize_with = "super::form::flag")]
    pub confirm_similar: bool,
}

impl CommandInput {
    /// A command of `kind` with nothing else filled in.
    pub fn of(kind: CommandKind) -> Self {
        CommandInput {
            report: None,
            command: kind,
            agency: None,
            needs_investigation: false,
            unit: None,
            rating: None,
            reason: None,
            note: None,
            confirm_similar: false,
        }
    }

    /// The command with its data, or the fields its kind needs and lacks (a message for each).
    /// The message length and the need for words are checked here too, so the browser can
    /// pre-check exactly what the server will.
    pub fn to_command(&self) -> Result<Command, FieldErrors> {
        use super::error::{Field, FieldError};
        let needs = self.command.needs();
        let mut errors = FieldErrors::new();
        let note = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        match note {
            Some(n) if n.chars().count() > MAX_NOTE => {
                errors.insert(Field::Message, FieldError::TooLong { max: MAX_NOTE });
            }
            None if needs.note == NoteRule::Required => {
                errors.insert(Field::Message, FieldError::Required);
            }
            _ => {}
        }
        if needs.agency && self.agency.is_none() {
            errors.insert(Field::Agency, FieldError::Required);
        }
        if needs.unit && self.unit.is_none() {
            errors.insert(Field::Agency, FieldError::Required);
        }
        if needs.archive_reason && self.reason.is_none() {
            errors.insert(Field::Reason, FieldError::Required);
        }
        if needs.rating && !matches!(self.rating, Some(1..=5)) {
            errors.insert(Field::Rating, FieldError::Invalid);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        use CommandKind as K;
        Ok(match self.command {
            K::Dispatch => Command::Dispatch {
                agency: self.agency.unwrap_or_default(),
                needs_investigation: self.needs_investigation,
            },
            K::Hold => Command::Hold,
            K::Archive => Command::Archive {
                reason: self.reason.unwrap_or(ArchiveReason::OutOfScope),
            },
            K::AnswerHold => Command::AnswerHold,
            K::ExpireHold => Command::ExpireHold,
            K::Delegate => Command::Delegate {
                unit: self.unit.unwrap_or_default(),
            },
            K::ReturnNotOurs => Command::ReturnNotOurs,
            K::FollowUp => Command::FollowUp,
            K::InterimReply => Command::InterimReply,
            K::Extend => Command::Extend,
            K::Answer => Command::Answer,
            K::Confirm => Command::Confirm {
                rating: self.rating.unwrap_or_default(),
            },
            K::AddInformation => Command::AddInformation,
            K::Dispute => Command::Dispute,
            K::RemindReporter => Command::RemindReporter,
            K::CloseUnconfirmed => Command::CloseUnconfirmed,
            K::Reopen => Command::Reopen,
            K::UpholdAppeal => Command::UpholdAppeal,
            K::RejectAppeal => Command::RejectAppeal,
        })
    }

    /// `to_command`'s verdict alone (what every action carrying a command checks first).
    pub fn check(&self) -> Result<(), super::error::AppError> {
        self.to_command()
            .map(drop)
            .map_err(super::error::AppError::Validation)
    }

    /// The message, trimmed; `None` when blank.
    pub fn note(&self) -> Option<&str> {
        self.note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
    }
}

/// What happens to the stage clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClockAction {
    /// A new stage starts now with its full allowance (`LifecycleState::stage_days`).
    Restart,
    /// The stage continues; its deadline stays.
    Keep,
    /// The deadline moves later by this many working days.
    Extend(u32),
    /// The verification clock pauses (on hold) and the reporter's clock starts.
    PauseAndRestart,
    /// The paused verification clock resumes with the working days it had left.
    Resume,
    /// The report is closed: no deadline.
    Stop,
}

/// A report's stage clock: the deadline, and the verification days kept while on hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub due_at: Option<DateTime<Utc>>,
    pub paused_days: Option<u32>,
}

impl Clock {
    /// The clock after `action`, for a report now in state `next`, in a zone `tz` minutes east of
    /// UTC. Deadlines end at local midnight.
    pub fn after(
        self,
        action: ClockAction,
        next: &LifecycleState,
        now: DateTime<Utc>,
        tz: i32,
    ) -> Clock {
        let full = || next.stage_days().map(|d| deadline(now, tz, d));
        let due_date = |due: DateTime<Utc>| local_date(due - Duration::seconds(1), tz);
        match action {
            ClockAction::Restart => Clock {
                due_at: full(),
                paused_days: None,
            },
            ClockAction::Keep => self,
            ClockAction::Extend(days) => Clock {
                due_at: self
                    .due_at
                    .map(|due| end_of_day(add_working_days(due_date(due), days), tz)),
                ..self
            },
            ClockAction::PauseAndRestart => {
                let left = self
                    .due_at
                    .map(|due| working_days_between(local_date(now, tz), due_date(due)))
                    .unwrap_or(0);
                Clock {
                    due_at: full(),
                    paused_days: Some(left.max(1) as u32),
                }
            }
            ClockAction::Resume => Clock {
                due_at: Some(deadline(now, tz, self.paused_days.unwrap_or(1).max(1))),
                paused_days: None,
            },
            ClockAction::Stop => Clock {
                due_at: None,
                paused_days: None,
            },
        }
    }
}

/// An accepted command: the new state, the one event to record, the clock change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub state: LifecycleState,
    pub event: EventKind,
    pub clock: ClockAction,
}

/// Why a command was refused. A refusal never changes anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum Refusal {
    #[error("this role may not give this command")]
    RoleNotAllowed,
    #[error("the report is not in a state that accepts this command")]
    WrongState,
    #[error("no more deadline extensions are allowed")]
    TooManyExtensions,
    #[error("ratings go from 1 to 5")]
    InvalidRating,
    #[error("the reporter has not been reminded yet")]
    NotReminded,
    #[error("the reporter was already reminded")]
    AlreadyReminded,
}

/// Applies `command` given by `role` to `state`.
pub fn apply(state: &LifecycleState, command: &Command, role: Role) -> Result<Transition, Refusal> {
    use Command as C;
    use ReportStatus as S;
    if !command.roles().contains(&role) {
        return Err(Refusal::RoleNotAllowed);
    }
    let mut next = state.clone();
    let to = |next: &mut LifecycleState, status: S, owner: Option<Owner>| {
        next.status = status;
        next.owner = owner;
    };
    let (event, clock) = match (state.status, command) {
        (
            S::AwaitingVerification,
            C::Dispatch {
                agency,
                needs_investigation,
            },
        ) => {
            next.agency = Some(*agency);
            next.needs_investigation = *needs_investigation;
            next.extensions = 0;
            to(&mut next, S::Dispatched, Some(Owner::Agency(*agency)));
            (EventKind::Dispatched, ClockAction::Restart)
        }
        (S::AwaitingVerification, C::Hold) => {
            to(&mut next, S::OnHold, Some(Owner::Reporter));
            (EventKind::PutOnHold, ClockAction::PauseAndRestart)
        }
        (S::AwaitingVerification, C::Archive { .. }) => {
            to(&mut next, S::Archived, None);
            (EventKind::Archived, ClockAction::Stop)
        }
        (S::OnHold, C::AnswerHold) => {
            to(&mut next, S::AwaitingVerification, Some(Owner::Verifiers));
            (EventKind::HoldAnswered, ClockAction::Resume)
        }
        (S::OnHold, C::ExpireHold) => {
            to(&mut next, S::Archived, None);
            (EventKind::HoldExpired, ClockAction::Stop)
        }
        (S::Dispatched, C::Delegate { unit }) => {
            next.agency = Some(*unit);
            next.owner = Some(Owner::Agency(*unit));
            (EventKind::Delegated, ClockAction::Keep)
        }
        (S::Dispatched, C::ReturnNotOurs) => {
            next.bounces += 1;
            next.agency = None;
            to(&mut next, S::AwaitingVerification, Some(Owner::Verifiers));
            (EventKind::ReturnedNotOurs, ClockAction::Restart)
        }
        (S::Dispatched, C::FollowUp) => {
            next.status = S::InProcess;
            (EventKind::FollowedUp, ClockAction::Restart)
        }
        (S::InProcess, C::FollowUp) => (EventKind::FollowedUp, ClockAction::Keep),
        (S::InProcess, C::InterimReply) => (EventKind::InterimReply, ClockAction::Keep),
        (S::InProcess, C::Extend) => {
            if state.extensions >= MAX_EXTENSIONS {
                return Err(Refusal::TooManyExtensions);
            }
            next.extensions += 1;
            (
                EventKind::DeadlineExtended,
                ClockAction::Extend(EXTENSION_DAYS),
            )
        }
        (S::InProcess, C::Answer) => {
            next.reminded = false;
            to(&mut next, S::AwaitingReporter, Some(Owner::Reporter));
            (EventKind::Answered, ClockAction::Restart)
        }
        (S::AwaitingReporter, C::Confirm { rating }) => {
            if !(1..=5).contains(rating) {
                return Err(Refusal::InvalidRating);
            }
            to(&mut next, S::Resolved, None);
            (EventKind::Confirmed, ClockAction::Stop)
        }
        (S::AwaitingReporter, C::AddInformation) => {
            next.extensions = 0;
            let agency = state.agency.map(Owner::Agency);
            to(&mut next, S::InProcess, agency);
            (EventKind::InformationAdded, ClockAction::Restart)
        }
        (S::AwaitingReporter, C::Dispute) => {
            next.disputes += 1;
            if next.disputes >= 2 {
                to(&mut next, S::Appealed, Some(Owner::Verifiers));
                (EventKind::Appealed, ClockAction::Restart)
            } else {
                next.extensions = 0;
                let agency = state.agency.map(Owner::Agency);
                to(&mut next, S::InProcess, agency);
                (EventKind::Disputed, ClockAction::Restart)
            }
        }
        (S::AwaitingReporter, C::RemindReporter) => {
            if state.reminded {
                return Err(Refusal::AlreadyReminded);
            }
            next.reminded = true;
            (EventKind::ReporterReminded, ClockAction::Keep)
        }
        (S::AwaitingReporter, C::CloseUnconfirmed) => {
            if !state.reminded {
                return Err(Refusal::NotReminded);
            }
            to(&mut next, S::ClosedUnconfirmed, None);
            (EventKind::ClosedUnconfirmed, ClockAction::Stop)
        }
        (S::Appealed, C::UpholdAppeal) => {
            next.extensions = 0;
            let owner = state.agency.map(Owner::Agency).unwrap_or(Owner::Verifiers);
            let status = if state.agency.is_some() {
                S::InProcess
            } else {
                S::AwaitingVerification
            };
            to(&mut next, status, Some(owner));
            (EventKind::AppealUpheld, ClockAction::Restart)
        }
        (S::Appealed, C::RejectAppeal) => {
            to(&mut next, S::ClosedUnconfirmed, None);
            (EventKind::AppealRejected, ClockAction::Stop)
        }
        (S::Archived | S::Resolved | S::ClosedUnconfirmed, C::Reopen) => {
            next.extensions = 0;
            next.reminded = false;
            match state.agency {
                Some(a) => to(&mut next, S::InProcess, Some(Owner::Agency(a))),
                None => to(&mut next, S::AwaitingVerification, Some(Owner::Verifiers)),
            }
            (EventKind::Reopened, ClockAction::Restart)
        }
        _ => return Err(Refusal::WrongState),
    };
    Ok(Transition {
        state: next,
        event,
        clock,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn run(state: &LifecycleState, steps: &[(Command, Role)]) -> LifecycleState {
        steps.iter().fold(state.clone(), |s, (c, r)| {
            apply(&s, c, *r)
                .unwrap_or_else(|e| panic!("{c:?} by {r:?} in {:?}: {e}", s.status))
                .state
        })
    }

    #[test]
    fn owners_round_trip() {
        for o in [
            Owner::Verifiers,
            Owner::Agency(42),
            Owner::Reporter,
            Owner::Supervisor,
        ] {
            assert_eq!(Owner::decode(&o.encode()), Some(o));
        }
        assert_eq!(Owner::decode("agency:x"), None);
    }

    /// Dispatched, followed up and answered: awaiting the reporter.
    fn answered(kind: ReportKind) -> LifecycleState {
        let dispatch = Command::Dispatch {
            agency: 3,
            needs_investigation: false,
        };
        run(
            &LifecycleState::new(kind),
            &[
                (dispatch, Role::Verifier),
                (Command::FollowUp, Role::AgencyOfficer),
                (Command::Answer, Role::AgencyOfficer),
            ],
        )
    }

    #[test]
    fn the_happy_path() {
        let s = run(
            &answered(ReportKind::Complaint),
            &[(Command::Confirm { rating: 5 }, Role::Reporter)],
        );
        assert_eq!(s.status, ReportStatus::Resolved);
        assert_eq!(s.owner, None);
    }

    #[test]
    fn silence_closes_distinctly_and_only_after_a_reminder() {
        let s = answered(ReportKind::Aspiration);
        assert_eq!(
            apply(&s, &Command::CloseUnconfirmed, Role::System),
            Err(Refusal::NotReminded)
        );
        let s = run(&s, &[(Command::RemindReporter, Role::System)]);
        assert_eq!(
            apply(&s, &Command::RemindReporter, Role::System),
            Err(Refusal::AlreadyReminded)
        );
        let s = run(&s, &[(Command::CloseUnconfirmed, Role::System)]);
        assert_eq!(s.status, ReportStatus::ClosedUnconfirmed);
        assert_ne!(s.status, ReportStatus::Resolved);
    }

    #[test]
    fn second_dispute_is_an_appeal_and_bounces_are_counted() {
        let s = run(
            &LifecycleState::new(ReportKind::Complaint),
            &[
                (
                    Command::Dispatch {
                        agency: 3,
                        needs_investigation: true,
                    },
                    Role::Verifier,
                ),
                (Command::ReturnNotOurs, Role::AgencyAdmin),
                (
                    Command::Dispatch {
                        agency: 4,
                        needs_investigation: true,
                    },
                    Role::Verifier,
                ),
                (Command::FollowUp, Role::AgencyOfficer),
                (Command::Answer, Role::AgencyOfficer),
                (Command::Dispute, Role::Reporter),
            ],
        );
        assert_eq!(s.status, ReportStatus::InProcess);
        assert_eq!(s.owner, Some(Owner::Agency(4)));
        assert_eq!(s.bounces, 1);
        assert_eq!(s.stage_days(), Some(60));
        let s = run(
            &s,
            &[
                (Command::Answer, Role::AgencyOfficer),
                (Command::Dispute, Role::Reporter),
            ],
        );
        assert_eq!(s.status, ReportStatus::Appealed);
        assert_eq!(s.owner, Some(Owner::Verifiers));
    }

    #[test]
    fn wrong_roles_and_extension_limits_are_refused() {
        let s = LifecycleState::new(ReportKind::Complaint);
        let dispatch = Command::Dispatch {
            agency: 1,
            needs_investigation: false,
        };
        for role in [
            Role::Reporter,
            Role::AgencyAdmin,
            Role::AgencyOfficer,
            Role::Supervisor,
            Role::System,
        ] {
            assert_eq!(apply(&s, &dispatch, role), Err(Refusal::RoleNotAllowed));
        }
        let s = run(
            &s,
            &[
                (dispatch, Role::Verifier),
                (Command::FollowUp, Role::AgencyOfficer),
            ],
        );
        let s = run(
            &s,
            &[
                (Command::Extend, Role::AgencyOfficer),
                (Command::Extend, Role::AgencyAdmin),
            ],
        );
        assert_eq!(
            apply(&s, &Command::Extend, Role::AgencyOfficer),
            Err(Refusal::TooManyExtensions)
        );
    }

    fn any_command() -> impl Strategy<Value = Command> {
        prop_oneof![
            (1..4i32, any::<bool>()).prop_map(|(agency, n)| Command::Dispatch {
                agency,
                needs_investigation: n
            }),
            Just(Command::Hold),
            Just(Command::Archive {
                reason: ArchiveReason::Spam
            }),
            Just(Command::AnswerHold),
            Just(Command::ExpireHold),
            (10..12i32).prop_map(|unit| Command::Delegate { unit }),
            Just(Command::ReturnNotOurs),
            Just(Command::FollowUp),
            Just(Command::InterimReply),
            Just(Command::Extend),
            Just(Command::Answer),
            (0u8..7).prop_map(|rating| Command::Confirm { rating }),
            Just(Command::AddInformation),
            Just(Command::Dispute),
            Just(Command::RemindReporter),
            Just(Command::CloseUnconfirmed),
            Just(Command::Reopen),
            Just(Command::UpholdAppeal),
            Just(Command::RejectAppeal),
        ]
    }

    fn any_role() -> impl Strategy<Value = Role> {
        proptest::sample::select(Role::ALL.to_vec())
    }

    fn any_kind() -> impl Strategy<Value = ReportKind> {
        proptest::sample::select(ReportKind::ALL.to_vec())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(10_000))]

        /// Random command sequences: refusals change nothing, every acceptance records one event,
        /// an open report has exactly one owner and a deadline, a closed one has neither and only
        /// accepts a reopen, extensions and disputes stay within their limits.
        #[test]
        fn invariants_hold_for_random_command_sequences(
            kind in any_kind(),
            tz in proptest::sample::select(vec![420, 480, 540]),
            start_minutes in 0i64..(3 * 365 * 24 * 60),
            // Half the commands come from a role allowed to give them, so sequences go deep.
            steps in proptest::collection::vec(
                (any_command(), any_role(), any::<bool>(), 0i64..(20 * 24 * 60))
                    .prop_map(|(c, r, allowed, wait)| {
                        let role = if allowed { c.roles()[0] } else { r };
                        (c, role, wait)
                    }),
                1..40,
            ),
        ) {
            let mut now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 1, 1, 0, 0, 0).unwrap()
                + Duration::minutes(start_minutes);
            let mut state = LifecycleState::new(kind);
            let mut clock = Clock { due_at: Some(deadline(now, tz, 3)), paused_days: None };
            let mut stage_start = now;
            for (command, role, wait) in steps {
                now += Duration::minutes(wait);
                let before = state.clone();
                // `apply` only borrows the state (the compiler proves a refusal changes
                // nothing); what a refusal can get wrong is its reason, checked below.
                match apply(&state, &command, role) {
                    Ok(t) => {
                        prop_assert!(command.roles().contains(&role));
                        if before.status.is_closed() {
                            prop_assert_eq!(&command, &Command::Reopen);
                        }
                        state = t.state;
                        prop_assert_eq!(t.clock == ClockAction::Stop, state.status.is_closed());
                        let old = clock;
                        clock = clock.after(t.clock, &state, now, tz);
                        match t.clock {
                            ClockAction::Restart | ClockAction::PauseAndRestart | ClockAction::Resume => {
                                stage_start = now;
                            }
                            ClockAction::Extend(_) => prop_assert!(clock.due_at > old.due_at),
                            _ => {}
                        }
                        // A deadline is never before its stage started, and exists exactly while open.
                        prop_assert_eq!(clock.due_at.is_some(), !state.status.is_closed());
                        if let Some(due) = clock.due_at {
                            prop_assert!(due > stage_start);
                        }
                    }
                    // A refusal is never for a role the command names, unless the state is wrong.
                    Err(Refusal::RoleNotAllowed) => prop_assert!(!command.roles().contains(&role)),
                    Err(_) => prop_assert!(command.roles().contains(&role)),
                }
                prop_assert_eq!(state.owner.is_some(), !state.status.is_closed());
                prop_assert_eq!(state.stage_days().is_some(), !state.status.is_closed());
                prop_assert!(state.extensions <= MAX_EXTENSIONS);
                prop_assert!(state.disputes <= 2 || state.status != ReportStatus::Appealed);
                if matches!(state.status, ReportStatus::Dispatched | ReportStatus::InProcess) {
                    prop_assert_eq!(state.owner, state.agency.map(Owner::Agency));
                }
            }
        }
    }
}
