use sea_orm::entity::prelude::*;

/// A reply an agency reuses, with placeholders filled from the report ({nomor}, {judul},
/// {instansi}, {tanggal}).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "response_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub agency_id: i32,
    pub title: String,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
