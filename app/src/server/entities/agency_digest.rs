use sea_orm::entity::prelude::*;

/// A weekly digest planned for an agency's head (`week`: ISO week, `2026-W48`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agency_digests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub week: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub agency_id: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
