use sea_orm::entity::prelude::*;

/// One entry of a report's timeline, appended in the same transaction as the change it records.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub report_id: i64,
    pub at: DateTimeUtc,
    pub event: String,
    pub from_status: Option<String>,
    pub to_status: String,
    /// `reporter`, `system`, or a staff role.
    pub actor_role: String,
    pub note: Option<String>,
    /// Hash of the previous event of the same report (`None` for the first).
    pub prev_hash: Option<String>,
    /// SHA-256 over `prev_hash` and the canonical encoding of this event.
    pub hash: Option<String>,
    /// The command's data as JSON (agency, reason, rating, ...).
    pub payload: Option<String>,
    /// The account that gave the command (`None` for the system and for guest reporters).
    pub actor_account_id: Option<i64>,
    /// SHA-256 of `note` and `payload` (`audit::content_digest`), which the hash covers instead
    /// of the texts (format `v3`); `None` for events written before, which hash the texts.
    pub content_digest: Option<String>,
    /// When the retention job erased `note` and `payload` (format `v3` events only).
    pub erased_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::report::Entity",
        from = "Column::ReportId",
        to = "super::report::Column::Id"
    )]
    Report,
}

impl Related<super::report::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Report.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
