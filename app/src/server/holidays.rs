//! The holiday calendar's corrections: system administrators add a national holiday or *cuti
//! bersama*, make a listed day a working day again, and confirm a year once its joint decree
//! (SKB) is fully entered. Every change is audited and installed at once in this process (the
//! job loop installs other instances' changes within a minute); deadlines computed afterwards
//! follow it, deadlines already set stay.

use super::accounts::audit;
use super::entities::{holiday, holiday_year};
use super::internal;
use crate::domain::access::{AccountRole, Actor};
use crate::domain::calendar::{self, Corrections, DayOff, Override, DAYS_OFF};
use crate::domain::views::{HolidayRow, HolidaysPage};
use crate::domain::{AppError, Field, FieldError, FieldErrors};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

fn may_edit(actor: &Actor) -> Result<(), AppError> {
    match actor.role() {
        Some(AccountRole::SystemAdmin) => Ok(()),
        None => Err(AppError::Unauthorized),
        Some(_) => Err(AppError::Forbidden),
    }
}

fn kind_of(s: &str) -> Option<Override> {
    match s {
        "holiday" => Some(Override::DayOff(DayOff::Holiday)),
        "cuti_bersama" => Some(Override::DayOff(DayOff::CutiBersama)),
        "working_day" => Some(Override::WorkingDay),
        _ => None,
    }
}

/// The corrections in the database.
pub async fn load<C: ConnectionTrait>(db: &C) -> Result<Corrections, AppError> {
    let days = holiday::Entity::find()
        .all(db)
        .await
        .map_err(internal("loading holidays"))?
        .into_iter()
        .filter_map(|h| Some((h.day, kind_of(&h.kind)?)))
        .collect();
    let confirmed_years = holiday_year::Entity::find()
        .all(db)
        .await
        .map_err(internal("loading confirmed years"))?
        .into_iter()
        .map(|y| y.year)
        .collect();
    Ok(Corrections {
        days,
        confirmed_years,
    })
}

/// Reads the corrections and puts them in force in this process.
pub async fn refresh<C: ConnectionTrait>(db: &C) -> Result<(), AppError> {
    calendar::install_corrections(load(db).await?);
    Ok(())
}

/// Sets a day's correction (`holiday`, `cuti_bersama` or `working_day`) with its name.
pub async fn set_day<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    day: &str,
    kind: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    may_edit(actor)?;
    let mut errors = FieldErrors::new();
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d").ok();
    if date.is_none() {
        errors.insert(Field::IncidentDate, FieldError::Invalid);
    }
    if kind_of(kind).is_none() {
        errors.insert(Field::Kind, FieldError::Unknown);
    }
    let name = name.trim();
    if name.chars().count() < 3 {
        errors.insert(Field::Name, FieldError::TooShort { min: 3 });
    }
    let Some(date) = date.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let existing = holiday::Entity::find_by_id(date)
        .one(db)
        .await
        .map_err(internal("loading a holiday"))?;
    let row = holiday::ActiveModel {
        day: Set(date),
        kind: Set(kind.to_string()),
        name: Set(name.chars().take(200).collect()),
        set_by: Set(actor.account()),
        set_at: Set(now),
    };
    if existing.is_some() {
        row.update(db).await
    } else {
        row.insert(db).await
    }
    .map_err(internal("saving a holiday"))?;
    audit(
        db,
        actor,
        "holiday.set",
        format!("day:{date}"),
        Some(format!("{kind} {name}")),
        now,
    )
    .await?;
    refresh(db).await
}

/// Removes a day's correction (the built-in calendar applies again).
pub async fn remove_day<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    day: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    may_edit(actor)?;
    let date = NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field(Field::IncidentDate, FieldError::Invalid))?;
    let gone = holiday::Entity::delete_by_id(date)
        .exec(db)
        .await
        .map_err(internal("removing a holiday"))?;
    if gone.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    audit(
        db,
        actor,
        "holiday.removed",
        format!("day:{date}"),
        None,
        now,
    )
    .await?;
    refresh(db).await
}

/// Confirms that `year`'s holidays are all entered (its decree published and checked).
pub async fn confirm_year<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    year: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    may_edit(actor)?;
    if !(2000..=2100).contains(&year) {
        return Err(AppError::field(Field::Kind, FieldError::Invalid));
    }
    let exists = holiday_year::Entity::find_by_id(year)
        .one(db)
        .await
        .map_err(internal("loading a year"))?
        .is_some();
    if !exists {
        holiday_year::ActiveModel {
            year: Set(year),
            confirmed_by: Set(actor.account()),
            confirmed_at: Set(now),
        }
        .insert(db)
        .await
        .map_err(internal("confirming a year"))?;
        audit(
            db,
            actor,
            "holiday_year.confirmed",
            format!("year:{year}"),
            None,
            now,
        )
        .await?;
    }
    refresh(db).await
}

/// The page: this year's and next year's days off (built-in and corrected), which years are
/// confirmed, and the warning when the calendar turns provisional within six months.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    today: NaiveDate,
) -> Result<HolidaysPage, AppError> {
    may_edit(actor)?;
    let c = load(db).await?;
    let names: std::collections::HashMap<NaiveDate, String> = holiday::Entity::find()
        .filter(holiday::Column::Day.gte(NaiveDate::from_ymd_opt(today.year(), 1, 1)))
        .all(db)
        .await
        .map_err(internal("loading holidays"))?
        .into_iter()
        .map(|h| (h.day, h.name))
        .collect();
    let years = [today.year(), today.year() + 1];
    let mut days: std::collections::BTreeMap<NaiveDate, HolidayRow> = DAYS_OFF
        .iter()
        .filter(|((y, _, _), _, _)| years.contains(y))
        .filter_map(|((y, m, d), k, name)| {
            let date = NaiveDate::from_ymd_opt(*y, *m, *d)?;
            Some((
                date,
                HolidayRow {
                    day: date,
                    kind: match k {
                        DayOff::Holiday => "holiday".into(),
                        DayOff::CutiBersama => "cuti_bersama".into(),
                    },
                    name: name.to_string(),
                    corrected: false,
                },
            ))
        })
        .collect();
    // Every correction from this year on, whatever the year; built-in days of this year and
    // the next.
    for (date, o) in &c.days {
        if date.year() < today.year() {
            continue;
        }
        days.insert(
            *date,
            HolidayRow {
                day: *date,
                kind: match o {
                    Override::DayOff(DayOff::Holiday) => "holiday".into(),
                    Override::DayOff(DayOff::CutiBersama) => "cuti_bersama".into(),
                    Override::WorkingDay => "working_day".into(),
                },
                name: names.get(date).cloned().unwrap_or_default(),
                corrected: true,
            },
        );
    }
    Ok(HolidaysPage {
        days: days.into_values().collect(),
        years: years
            .iter()
            .map(|y| {
                (
                    *y,
                    c.confirmed_years.contains(y)
                        || NaiveDate::from_ymd_opt(*y, 12, 31)
                            .is_some_and(|end| end < calendar::provisional_from()),
                )
            })
            .collect(),
        provisional_from: calendar::provisional_warning(today),
    })
}

/// The services of the calendar's actions (`crate::act`).
mod acts {
    use super::*;
    use crate::domain::office::{ConfirmHolidayYear, RemoveHoliday, SetHoliday};
    use crate::server::act::{Ctx, Serve};
    use crate::server::files::Upload;

    impl Serve for SetHoliday {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let actor = cx.signed_in()?;
            set_day(
                &cx.state.db,
                actor,
                &self.day,
                &self.kind,
                &self.name,
                cx.now,
            )
            .await
        }
    }

    impl Serve for RemoveHoliday {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            remove_day(&cx.state.db, cx.signed_in()?, &self.day, cx.now).await
        }
    }

    impl Serve for ConfirmHolidayYear {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            confirm_year(&cx.state.db, cx.signed_in()?, self.year, cx.now).await
        }
    }
}
