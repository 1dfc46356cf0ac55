use sea_orm::entity::prelude::*;

/// Sign-in attempts under one throttle key (`pair:<login>|<network>`, `net:<network>`,
/// `acct:<login>`) within the current window, shared by every instance.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_attempts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub window_start: DateTimeUtc,
    pub count: i64,
    /// The account's owner was emailed in this window.
    pub alerted: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
