use sea_orm::entity::prelude::*;

/// A report. The reporter's identity is **not** here: it lives in `reporter_contacts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Public reference number; not a secret and grants nothing.
    #[sea_orm(unique)]
    pub reference: String,
    /// SHA-256 (hex) of the tracking code; the code itself is never stored.
    #[sea_orm(unique)]
    pub tracking_hash: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub category_id: Option<i32>,
    pub region_code: Option<String>,
    pub incident_date: Option<Date>,
    pub anonymous: bool,
    pub confidential: bool,
    /// The reporter chose to show their name on the public report (never for anonymous ones).
    pub name_public: bool,
    pub status: String,
    pub utc_offset_minutes: i32,
    pub due_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Hash of the newest event: a truncated chain is detected too.
    pub chain_head: Option<String>,
    /// `verifiers`, `agency:<id>`, `reporter`, `supervisor`; `None` when closed.
    pub owner: Option<String>,
    pub agency_id: Option<i32>,
    pub needs_investigation: bool,
    pub bounces: i32,
    pub extensions: i32,
    pub disputes: i32,
    pub reminded: bool,
    /// Verification working days left when the report was put on hold.
    pub paused_days: Option<i32>,
    /// 0 on time; 1 overdue (escalated to the agency head); 2 escalated to the supervisor.
    pub overdue_level: i32,
    pub rating: Option<i32>,
    /// The citizen account that submitted or claimed the report.
    pub reporter_account_id: Option<i64>,
    /// The language the reporter wrote in (`id`, `en`): the language of their emails.
    pub lang: String,
    /// 0 normal, 1 high, 2 urgent: set by verifiers, sorts the work lists.
    pub priority: i32,
    /// The report this one duplicates (merged into it).
    pub duplicate_of: Option<i64>,
    /// The current stage's "deadline is near" warning went out.
    pub due_soon_warned: bool,
    /// The public version of the title (personal data removed); `None` until moderated or
    /// published. The agency keeps working with `title`.
    pub public_title: Option<String>,
    /// The public version of the description; the agency keeps `description`.
    pub public_text: Option<String>,
    /// When the report went public (first dispatch of a report that is not confidential).
    pub published_at: Option<DateTimeUtc>,
    /// Accounts that support ("dukung") the report.
    pub supporters: i32,
    /// The staff account the report is assigned to (in the hands holding it now).
    pub assigned_to: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::report_event::Entity")]
    Events,
}

impl Related<super::report_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Events.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
