use sea_orm::entity::prelude::*;

/// A province (`76`) or regency/city (`76.04`), by Kemendagri code.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "regions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub name: String,
    pub parent_code: Option<String>,
    /// `province` or `regency`.
    pub level: String,
    /// The region's time zone, minutes east of UTC (WIB 420, WITA 480, WIT 540).
    pub utc_offset_minutes: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
