use sea_orm::entity::prelude::*;

/// A co-agency of a joint case: it sees the report and contributes follow-ups in its thread;
/// the lead agency (`reports.agency_id`) answers.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_agencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: i32,
    pub added_by: Option<i64>,
    pub added_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
