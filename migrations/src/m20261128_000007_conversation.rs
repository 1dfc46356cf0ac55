//! The conversation around a report and the news it sends: messages (the thread between the
//! reporter and the staff, plus internal notes), attachments (files kept in the object store),
//! the notification outbox (written in the same transaction as the change it tells about, sent
//! by the job runner) and in-app notifications. The language a reporter or account reads in.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Reports {
    Table,
    Id,
    Lang,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    Lang,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    ReportId,
    EventHash,
    Author,
    AuthorAccountId,
    AgencyId,
    Audience,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Attachments {
    Table,
    Id,
    ReportId,
    MessageId,
    ObjectKey,
    MediaType,
    SizeBytes,
    FileName,
    Sha256,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Channel,
    Recipient,
    AccountId,
    ReportId,
    Event,
    Lang,
    Subject,
    BodyText,
    BodyHtml,
    Status,
    Attempts,
    NextAttemptAt,
    LockedUntil,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    AccountId,
    ReportId,
    Event,
    CreatedAt,
    ReadAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Reports::Table)
                    .add_column(&mut string(Reports::Lang).default("id").take())
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Accounts::Table)
                    .add_column(&mut string(Accounts::Lang).default("id").take())
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .col(big_pk_auto(Messages::Id))
                    .col(big_integer(Messages::ReportId))
                    // The audit event the message travelled with, when it came with a command.
                    .col(string_null(Messages::EventHash))
                    // reporter | agency | verifier | system
                    .col(string(Messages::Author))
                    .col(big_integer_null(Messages::AuthorAccountId))
                    .col(integer_null(Messages::AgencyId))
                    // reporter (the reporter and the staff read it) | internal (staff only)
                    .col(string(Messages::Audience))
                    .col(text(Messages::Body))
                    .col(timestamp_with_time_zone(Messages::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Messages::Table, Messages::ReportId)
                            .to(Reports::Table, Reports::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_messages_report")
                    .table(Messages::Table)
                    .col(Messages::ReportId)
                    .col(Messages::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Attachments::Table)
                    .col(big_pk_auto(Attachments::Id))
                    .col(big_integer(Attachments::ReportId))
                    .col(big_integer_null(Attachments::MessageId))
                    .col(string_uniq(Attachments::ObjectKey))
                    .col(string(Attachments::MediaType))
                    .col(big_integer(Attachments::SizeBytes))
                    .col(string(Attachments::FileName))
                    .col(string(Attachments::Sha256))
                    .col(timestamp_with_time_zone(Attachments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Attachments::Table, Attachments::ReportId)
                            .to(Reports::Table, Reports::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attachments_report")
                    .table(Attachments::Table)
                    .col(Attachments::ReportId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(big_pk_auto(Outbox::Id))
                    // email (in-app notices have their own table)
                    .col(string(Outbox::Channel))
                    .col(string(Outbox::Recipient))
                    .col(big_integer_null(Outbox::AccountId))
                    .col(big_integer_null(Outbox::ReportId))
                    .col(string(Outbox::Event))
                    .col(string(Outbox::Lang))
                    .col(string(Outbox::Subject))
                    .col(text(Outbox::BodyText))
                    .col(text(Outbox::BodyHtml))
                    // pending | sent | dead
                    .col(string(Outbox::Status).default("pending"))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(timestamp_with_time_zone_null(Outbox::LockedUntil))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::Status)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(big_pk_auto(Notifications::Id))
                    .col(big_integer(Notifications::AccountId))
                    .col(big_integer(Notifications::ReportId))
                    .col(string(Notifications::Event))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Notifications::Table, Notifications::AccountId)
                            .to(Accounts::Table, Accounts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_account")
                    .table(Notifications::Table)
                    .col(Notifications::AccountId)
                    .col(Notifications::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
