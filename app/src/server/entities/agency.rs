use sea_orm::entity::prelude::*;

/// A government body or unit; agencies form a tree through `parent_id`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "agencies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(unique)]
    pub code: String,
    pub name: String,
    pub parent_id: Option<i32>,
    pub region_code: Option<String>,
    pub active: bool,
    /// `ministry`, `province`, `regency`, `opd` or `unit`.
    pub kind: String,
    /// The agency's time zone (minutes east of UTC); `None` follows its region.
    pub utc_offset_minutes: Option<i32>,
    pub head_name: Option<String>,
    pub head_email: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
