use sea_orm::entity::prelude::*;

/// One message in a report's thread. `audience` is `reporter` (the reporter and the staff read
/// it) or `internal` (staff only). The author is a role and an account id, never a name: the
/// reporter's identity stays in `reporter_contacts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "messages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub report_id: i64,
    pub event_hash: Option<String>,
    /// `reporter`, `agency`, `verifier`, `system`.
    pub author: String,
    pub author_account_id: Option<i64>,
    pub agency_id: Option<i32>,
    pub audience: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
