//! Corrections of the holiday calendar kept by system administrators: a national holiday or
//! *cuti bersama* added, or a listed day made a working day again (`holidays`), and the years
//! whose joint decree (SKB) is fully entered (`holiday_years`). Deadlines computed afterwards
//! follow them.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Holidays {
    Table,
    Day,
    Kind,
    Name,
    SetBy,
    SetAt,
}

#[derive(DeriveIden)]
enum HolidayYears {
    Table,
    Year,
    ConfirmedBy,
    ConfirmedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Holidays::Table)
                    .col(date(Holidays::Day).primary_key())
                    .col(string(Holidays::Kind))
                    .col(string(Holidays::Name))
                    .col(big_integer_null(Holidays::SetBy))
                    .col(timestamp_with_time_zone(Holidays::SetAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(HolidayYears::Table)
                    .col(integer(HolidayYears::Year).primary_key())
                    .col(big_integer_null(HolidayYears::ConfirmedBy))
                    .col(timestamp_with_time_zone(HolidayYears::ConfirmedAt))
                    .to_owned(),
            )
            .await
    }
}
