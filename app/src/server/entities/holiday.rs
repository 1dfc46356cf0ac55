use sea_orm::entity::prelude::*;

/// A correction of the built-in holiday calendar: `holiday`, `cuti_bersama` or `working_day`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "holidays")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub kind: String,
    pub name: String,
    pub set_by: Option<i64>,
    pub set_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
