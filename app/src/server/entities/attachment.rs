use sea_orm::entity::prelude::*;

/// A file on a report (on one of its messages), kept in the object store under `object_key`.
/// `media_type` was decided from the content; images were re-encoded without their metadata.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub report_id: i64,
    pub message_id: Option<i64>,
    #[sea_orm(unique)]
    pub object_key: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub file_name: String,
    pub sha256: String,
    pub created_at: DateTimeUtc,
    /// The file was deleted when its retention period ended; this record stays.
    pub erased_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
