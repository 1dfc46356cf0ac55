use sea_orm::entity::prelude::*;

/// A change outside a report's own timeline: accounts, roles, agencies, tokens, and every reveal
/// of a reporter's identity.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub actor_account_id: Option<i64>,
    pub actor_role: String,
    /// e.g. `account.created`, `account.role_changed`, `identity.revealed`.
    pub action: String,
    /// What changed, e.g. `account:12`, `report:40`, `agency:7`.
    pub subject: String,
    pub detail: Option<String>,
    /// Its place in the chain, once sealed (`audit::seal_log`).
    pub seq: Option<i64>,
    /// SHA-256 of the previous entry's chain hash and this entry's canonical form.
    pub chain_hash: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
