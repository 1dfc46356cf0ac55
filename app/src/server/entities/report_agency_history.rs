use sea_orm::entity::prelude::*;

/// A co-agency whose access to a joint case ended (the case left the lead agency).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_agency_history")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub report_id: i64,
    pub agency_id: i32,
    pub added_by: Option<i64>,
    pub added_at: DateTimeUtc,
    pub ended_at: DateTimeUtc,
    pub ended_by: Option<i64>,
    pub ended_reason: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
