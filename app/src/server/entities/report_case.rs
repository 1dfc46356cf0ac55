use sea_orm::entity::prelude::*;

/// A case: a report's stay with one agency, from its dispatch (or re-dispatch after a return)
/// to its return or closing. The facts every statistic is computed from.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub report_id: i64,
    /// The agency holding the case (after a delegation, the unit).
    pub agency_id: i32,
    /// `YYYYMM` (WIB) of `received_at`.
    pub month: i32,
    pub received_at: DateTimeUtc,
    pub kind: String,
    pub category_id: Option<i32>,
    pub region_code: Option<String>,
    pub confidential: bool,
    /// Passed on to a unit of the agency.
    pub delegated: bool,
    /// Returned as not the agency's business.
    pub bounced: bool,
    pub first_follow_up_at: Option<DateTimeUtc>,
    /// Working days from receipt to the first follow-up.
    pub first_follow_up_days: Option<i32>,
    /// The first completion answer.
    pub completed_at: Option<DateTimeUtc>,
    /// The completion answer came by the stage's deadline.
    pub completed_on_time: Option<bool>,
    /// `confirmed` (the reporter accepted) or `closed_unconfirmed`; `None` while open.
    pub outcome: Option<String>,
    pub rating: Option<i32>,
    /// The first-follow-up deadline passed without a follow-up (the report marked overdue while
    /// dispatched): from then on the case counts as late.
    pub fu_lapsed: bool,
    /// The completion deadline passed without an answer (marked overdue while in process).
    pub done_lapsed: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
