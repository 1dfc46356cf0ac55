//! The error type that crosses the SSR/WASM boundary, and field-level validation errors.
//!
//! Policy: users see field-level messages (in their language) for bad input and an opaque message
//! for anything unexpected; the cause of an unexpected failure goes to the logs only, never to the
//! client. `AppError::Internal` therefore carries no text.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A form field that can carry a validation error. The serialized names are the JSON API's
/// field names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Kind,
    Title,
    Description,
    CategoryId,
    RegionCode,
    IncidentDate,
    Name,
    Email,
    Phone,
    TrackingCode,
    Password,
    Code,
    Role,
    Agency,
    AgencyCode,
    AgencyName,
    ParentAgency,
    AgencyKind,
    Reason,
    NewPassword,
    Login,
    Message,
    Rating,
    Attachments,
    Reference,
    /// The action asked for (a lifecycle command's kind, a priority).
    Command,
    /// The start of a period (a filter).
    PeriodFrom,
    /// The end of a period (a filter).
    PeriodTo,
    /// The reports chosen on a work list (bulk actions).
    Reports,
    /// The staff member a report is assigned to.
    Assignee,
    /// A checkbox saying the person understood what an irreversible action does.
    Confirm,
}

impl Field {
    /// Every field, in the order a form shows them (used by the error summary).
    pub const ALL: [Field; 31] = [
        Field::Kind,
        Field::Title,
        Field::Description,
        Field::CategoryId,
        Field::RegionCode,
        Field::IncidentDate,
        Field::Name,
        Field::Email,
        Field::Phone,
        Field::TrackingCode,
        Field::Password,
        Field::Code,
        Field::Role,
        Field::Agency,
        Field::AgencyCode,
        Field::AgencyName,
        Field::ParentAgency,
        Field::AgencyKind,
        Field::Reason,
        Field::NewPassword,
        Field::Login,
        Field::Message,
        Field::Rating,
        Field::Attachments,
        Field::Reference,
        Field::Command,
        Field::PeriodFrom,
        Field::PeriodTo,
        Field::Reports,
        Field::Assignee,
        Field::Confirm,
    ];

    /// The JSON/form name of the field.
    pub fn name(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Title => "title",
            Field::Description => "description",
            Field::CategoryId => "category_id",
            Field::RegionCode => "region_code",
            Field::IncidentDate => "incident_date",
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::TrackingCode => "tracking_code",
            Field::Password => "password",
            Field::Code => "code",
            Field::Role => "role",
            Field::Agency => "agency",
            Field::AgencyCode => "agency_code",
            Field::AgencyName => "agency_name",
            Field::ParentAgency => "parent",
            Field::AgencyKind => "agency_kind",
            Field::Reason => "reason",
            Field::NewPassword => "new_password",
            Field::Login => "login",
            Field::Message => "note",
            Field::Rating => "rating",
            Field::Attachments => "files",
            Field::Reference => "reference",
            Field::Command => "command",
            Field::PeriodFrom => "dari",
            Field::PeriodTo => "sampai",
            Field::Reports => "reports",
            Field::Assignee => "assignee",
            Field::Confirm => "confirm",
        }
    }

    /// The id of the input element that shows this field, for error-summary links.
    pub fn input_id(self) -> &'static str {
        match self {
            Field::Kind => "f-kind",
            Field::Title => "f-title",
            Field::Description => "f-description",
            Field::CategoryId => "f-category",
            Field::RegionCode => "f-province",
            Field::IncidentDate => "f-incident-date",
            Field::Name => "f-name",
            Field::Email => "f-email",
            Field::Phone => "f-phone",
            Field::TrackingCode => "f-code",
            Field::Password => "f-password",
            Field::Code => "f-otp",
            Field::Role => "f-role",
            Field::Agency => "f-agency",
            Field::AgencyCode => "f-agency-code",
            Field::AgencyName => "f-agency-name",
            Field::ParentAgency => "f-parent",
            Field::AgencyKind => "f-agency-kind",
            Field::Reason => "f-reason-text",
            Field::NewPassword => "f-new-password",
            Field::Login => "f-login",
            Field::Message => "f-note",
            Field::Rating => "f-rating",
            Field::Attachments => "f-files",
            Field::Reference => "f-reference",
            Field::Command => "f-command",
            Field::PeriodFrom => "f-from",
            Field::PeriodTo => "f-to",
            Field::Reports => "f-reports",
            Field::Assignee => "f-assignee",
            Field::Confirm => "f-confirm",
        }
    }
}

/// Why a field was refused. Messages are produced by `i18n`, not here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum FieldError {
    Required,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    Invalid,
    InFuture,
    Unknown,
    InvalidEmail,
    InvalidPhone,
    /// Already used (an email address for another account, an agency code).
    Taken,
    /// A file larger than the limit.
    TooLarge {
        max_mb: u32,
    },
    /// A file whose content is not one of the accepted types (whatever its name says).
    WrongType,
    /// More files than one message may carry.
    TooMany {
        max: usize,
    },
    /// A reply nearly identical to one already sent on another report.
    NearDuplicate,
    /// A consequential change (an account's role) needs an explicit confirmation.
    ConfirmationRequired,
    /// An image with more pixels than the limit (read from its header).
    TooManyPixels {
        max_megapixels: u32,
    },
    /// This client sent more file bytes this hour than it may (or everyone together did).
    UploadBudget {
        mb_per_hour: u32,
    },
}

/// Validation errors by field; at most one per field (the first found).
pub type FieldErrors = BTreeMap<Field, FieldError>;

/// The application's error, as clients (browser and API) see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Some input fields were refused.
    #[error("validation failed")]
    Validation(FieldErrors),
    /// The thing asked for does not exist, or the caller may not know that it does.
    #[error("not found")]
    NotFound,
    /// Too many requests from this client; try again later.
    #[error("too many requests")]
    RateLimited,
    /// The lifecycle refused the command in the report's current state.
    #[error("command refused: {0}")]
    Refused(super::lifecycle::Refusal),
    /// Someone else changed the report first; reload and try again.
    #[error("the report changed meanwhile")]
    Conflict,
    /// Not signed in (or the session ended).
    #[error("unauthorized")]
    Unauthorized,
    /// Signing in failed: the login, the password or the code was wrong (which one is not
    /// told).
    #[error("wrong credentials")]
    BadCredentials,
    /// Signed in, but this actor may not do this.
    #[error("forbidden")]
    Forbidden,
    /// Something unexpected failed; the cause is in the server log, not here.
    #[error("internal error")]
    Internal,
    /// The server's storage is full: nothing was saved. Temporary; the user may try again later.
    #[error("storage full")]
    StorageFull,
    /// An idempotency key already answered a different request (another report sent with the
    /// key of one already received).
    #[error("idempotency key reused for a different request")]
    KeyReused,
    /// The browser could not reach the server (no signal, no connection): nothing was sent.
    /// Made in the browser only.
    #[error("server unreachable")]
    Unreachable,
}

impl Field {
    /// The field posted under `name` (the JSON and form name).
    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl AppError {
    /// The HTTP status every adapter answers this error with (HTML page, server function, JSON).
    pub fn status(&self) -> u16 {
        match self {
            AppError::Validation(_) | AppError::KeyReused => 422,
            AppError::NotFound => 404,
            AppError::RateLimited => 429,
            AppError::Refused(_) | AppError::Conflict => 409,
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::Forbidden => 403,
            AppError::Internal => 500,
            AppError::StorageFull | AppError::Unreachable => 503,
        }
    }

    /// The key of the form-level message (`components::fields::message_text`); validation
    /// errors are shown on their fields instead.
    pub fn message_key(&self) -> Option<&'static str> {
        match self {
            AppError::Validation(_) => None,
            AppError::NotFound => Some("not_found"),
            AppError::RateLimited => Some("throttled"),
            AppError::Refused(_) => Some("refused"),
            AppError::Conflict => Some("conflict"),
            AppError::Unauthorized => Some("sign_in_required"),
            AppError::BadCredentials => Some("bad_credentials"),
            AppError::Forbidden => Some("forbidden"),
            AppError::Internal => Some("internal"),
            AppError::StorageFull => Some("storage_full"),
            AppError::KeyReused => Some("key_reused"),
            AppError::Unreachable => Some("unreachable"),
        }
    }

    /// A single-field validation error.
    pub fn field(field: Field, error: FieldError) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field, error);
        AppError::Validation(errors)
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        match value {
            // The request never got an answer: the person can act on that (signal, retry).
            leptos::server_fn::error::ServerFnErrorErr::Request(_) => AppError::Unreachable,
            // Other transport and (de)serialization failures are unexpected: opaque.
            _ => AppError::Internal,
        }
    }
}
