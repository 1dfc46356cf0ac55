use sea_orm::entity::prelude::*;

/// An account following a public report: it is told of the report's public steps.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_follows")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub report_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub account_id: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
