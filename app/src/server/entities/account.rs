use sea_orm::entity::prelude::*;

/// A person who signs in: a citizen or a staff member. The password hash and TOTP secret never
/// leave the server (`Debug` redacts them; no view type carries them).
#[derive(Clone, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "accounts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Lower-case; staff always have one.
    #[sea_orm(unique)]
    pub email: Option<String>,
    /// `+62…`; citizens may register with a mobile number instead of an email address.
    #[sea_orm(unique)]
    pub phone: Option<String>,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub agency_id: Option<i32>,
    pub active: bool,
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    /// When the owner proved the address by following the emailed link.
    pub email_verified_at: Option<DateTimeUtc>,
    pub totp_last_step: Option<i64>,
    pub created_at: DateTimeUtc,
    pub password_changed_at: DateTimeUtc,
    /// `id` or `en`: the language of this person's emails.
    pub lang: String,
    /// The owner erased the account: its personal data is gone, the row stays anonymous (its
    /// number is in the event chains and the audit log).
    pub erased_at: Option<DateTimeUtc>,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "account::Model {{ id: {}, role: {}, agency_id: {:?}, .. <redacted> }}",
            self.id, self.role, self.agency_id
        )
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
