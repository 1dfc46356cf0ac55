use sea_orm::entity::prelude::*;

/// A submission's idempotency key: its hash, what was asked (hash), the report made and the
/// answer sealed under a key derived from the client's key (`server::idempotency`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotent_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key_hash: String,
    pub action: String,
    pub request_hash: String,
    pub report_id: i64,
    #[sea_orm(column_type = "Text")]
    pub sealed: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
