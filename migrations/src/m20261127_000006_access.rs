//! Identity and access: accounts, database-held sessions (shared by every instance), login
//! failures for throttling, TOTP recovery codes, staff invites, integration tokens, the audit log
//! of non-report changes, agency details, the reporter's account on a report and the acting
//! account on a report event.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Agencies {
    Table,
    Id,
    Kind,
    UtcOffsetMinutes,
    HeadName,
    HeadEmail,
}

#[derive(DeriveIden)]
enum Reports {
    Table,
    ReporterAccountId,
}

#[derive(DeriveIden)]
enum ReportEvents {
    Table,
    ActorAccountId,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Email,
    Phone,
    DisplayName,
    PasswordHash,
    Role,
    AgencyId,
    Active,
    TotpSecret,
    TotpEnabled,
    TotpLastStep,
    CreatedAt,
    PasswordChangedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    IdHash,
    AccountId,
    Stage,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum LoginFailures {
    Table,
    Id,
    Key,
    At,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    AccountId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum Invites {
    Table,
    Id,
    TokenHash,
    Email,
    Role,
    AgencyId,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    TokenHash,
    AccountId,
    Name,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorAccountId,
    ActorRole,
    Action,
    Subject,
    Detail,
}

fn account_fk(table: impl IntoIden, col: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, col)
        .to(Accounts::Table, Accounts::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let agency_columns = [
            string(Agencies::Kind).default("opd").take(),
            integer_null(Agencies::UtcOffsetMinutes),
            string_null(Agencies::HeadName),
            string_null(Agencies::HeadEmail),
        ];
        for mut col in agency_columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Agencies::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .exec_stmt(
                Query::update()
                    .table(Agencies::Table)
                    .value(Agencies::Kind, "province")
                    .and_where(Expr::col(Agencies::Id).eq(1))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Reports::Table)
                    .add_column(&mut big_integer_null(Reports::ReporterAccountId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ReportEvents::Table)
                    .add_column(&mut big_integer_null(ReportEvents::ActorAccountId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_reports_reporter_account")
                    .table(Reports::Table)
                    .col(Reports::ReporterAccountId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Accounts::Table)
                    .col(big_pk_auto(Accounts::Id))
                    // A citizen signs in with an email address or a mobile number (at least one).
                    .col(string_null(Accounts::Email).unique_key())
                    .col(string_null(Accounts::Phone).unique_key())
                    .col(string(Accounts::DisplayName))
                    .col(string(Accounts::PasswordHash))
                    .col(string(Accounts::Role))
                    .col(integer_null(Accounts::AgencyId))
                    .col(boolean(Accounts::Active).default(true))
                    .col(string_null(Accounts::TotpSecret))
                    .col(boolean(Accounts::TotpEnabled).default(false))
                    .col(big_integer_null(Accounts::TotpLastStep))
                    .col(timestamp_with_time_zone(Accounts::CreatedAt))
                    .col(timestamp_with_time_zone(Accounts::PasswordChangedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Accounts::Table, Accounts::AgencyId)
                            .to(Agencies::Table, Agencies::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(string(Sessions::IdHash).primary_key())
                    .col(big_integer(Sessions::AccountId))
                    .col(string(Sessions::Stage))
                    .col(timestamp_with_time_zone(Sessions::CreatedAt))
                    .col(timestamp_with_time_zone(Sessions::LastSeenAt))
                    .col(timestamp_with_time_zone(Sessions::ExpiresAt))
                    .foreign_key(&mut account_fk(Sessions::Table, Sessions::AccountId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sessions_account")
                    .table(Sessions::Table)
                    .col(Sessions::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .col(big_pk_auto(LoginFailures::Id))
                    .col(string(LoginFailures::Key))
                    .col(timestamp_with_time_zone(LoginFailures::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_failures_key_at")
                    .table(LoginFailures::Table)
                    .col(LoginFailures::Key)
                    .col(LoginFailures::At)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RecoveryCodes::Table)
                    .col(big_pk_auto(RecoveryCodes::Id))
                    .col(big_integer(RecoveryCodes::AccountId))
                    .col(string(RecoveryCodes::CodeHash))
                    .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                    .foreign_key(&mut account_fk(
                        RecoveryCodes::Table,
                        RecoveryCodes::AccountId,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Invites::Table)
                    .col(big_pk_auto(Invites::Id))
                    .col(string_uniq(Invites::TokenHash))
                    .col(string(Invites::Email))
                    .col(string(Invites::Role))
                    .col(integer_null(Invites::AgencyId))
                    .col(big_integer_null(Invites::CreatedBy))
                    .col(timestamp_with_time_zone(Invites::CreatedAt))
                    .col(timestamp_with_time_zone(Invites::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invites::UsedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(big_pk_auto(ApiTokens::Id))
                    .col(string_uniq(ApiTokens::TokenHash))
                    .col(big_integer(ApiTokens::AccountId))
                    .col(string(ApiTokens::Name))
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(&mut account_fk(ApiTokens::Table, ApiTokens::AccountId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(big_integer_null(AuditLog::ActorAccountId))
                    .col(string(AuditLog::ActorRole))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::Subject))
                    .col(text_null(AuditLog::Detail))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
