//! Working days (*hari kerja*). For now only weekends are non-working; national holidays and
//! *cuti bersama* come with the lifecycle engine.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};

/// Western Indonesia Time (UTC+7), the default when a report names no region.
pub const WIB_OFFSET_MINUTES: i32 = 7 * 60;
/// Working days a verifier has to act on a new report.
pub const VERIFICATION_DAYS: u32 = 3;

pub fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The latest calendar date anywhere in Indonesia at `now` (WIT, UTC+9): no incident can have
/// happened after it.
pub fn latest_local_date(now: DateTime<Utc>) -> NaiveDate {
    local_date(now, 9 * 60)
}

/// The date `n` working days after `start` (`start` itself never counts).
pub fn add_working_days(start: NaiveDate, n: u32) -> NaiveDate {
    let mut d = start;
    let mut left = n;
    while left > 0 {
        d = d.succ_opt().expect("date in range");
        if is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// Working days strictly after `from` up to and including `to` (0 when `to <= from`).
pub fn working_days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d.succ_opt().expect("date in range");
        if is_working_day(d) {
            n += 1;
        }
    }
    n
}

fn offset(minutes: i32) -> FixedOffset {
    FixedOffset::east_opt(minutes * 60).expect("offset within a day")
}

/// The local calendar date of an instant in a zone given as minutes east of UTC.
pub fn local_date(at: DateTime<Utc>, utc_offset_minutes: i32) -> NaiveDate {
    at.with_timezone(&offset(utc_offset_minutes)).date_naive()
}

/// A stage deadline: the end (local midnight) of the `n`-th working day after `start`, local time.
pub fn deadline(start: DateTime<Utc>, utc_offset_minutes: i32, n: u32) -> DateTime<Utc> {
    let due_date = add_working_days(local_date(start, utc_offset_minutes), n);
    end_of_day(due_date, utc_offset_minutes)
}

/// The instant a local date ends (the next local midnight).
pub fn end_of_day(d: NaiveDate, utc_offset_minutes: i32) -> DateTime<Utc> {
    let next = d.succ_opt().expect("date in range");
    offset(utc_offset_minutes)
        .from_local_datetime(&next.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("fixed offsets are unambiguous")
        .with_timezone(&Utc)
}

/// How much time a stage has left, as a citizen reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TimeLeft {
    /// This many working days after today remain.
    WorkingDays(i64),
    /// Today is the last day.
    DueToday,
    /// The deadline has passed.
    Overdue,
}

pub fn time_left(now: DateTime<Utc>, due_at: DateTime<Utc>, utc_offset_minutes: i32) -> TimeLeft {
    if now >= due_at {
        return TimeLeft::Overdue;
    }
    let today = local_date(now, utc_offset_minutes);
    let due_date = local_date(due_at - Duration::seconds(1), utc_offset_minutes);
    match working_days_between(today, due_date) {
        0 => TimeLeft::DueToday,
        n => TimeLeft::WorkingDays(n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn friday_plus_three_is_wednesday() {
        // 2026-11-27 is a Friday.
        assert_eq!(add_working_days(d(2026, 11, 27), 3), d(2026, 12, 2));
        // Saturday counts from Monday.
        assert_eq!(add_working_days(d(2026, 11, 28), 3), d(2026, 12, 2));
        assert_eq!(add_working_days(d(2026, 11, 23), 3), d(2026, 11, 26));
    }

    #[test]
    fn deadline_is_local_midnight() {
        // Friday 2026-11-27 20:00 UTC is already Saturday 03:00 in WIB.
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 20, 0, 0).unwrap();
        let due = deadline(at, WIB_OFFSET_MINUTES, 3);
        // Saturday → Mon, Tue, Wed 2 Dec; ends at Thu 3 Dec 00:00 WIB = Wed 17:00 UTC.
        assert_eq!(due, Utc.with_ymd_and_hms(2026, 12, 2, 17, 0, 0).unwrap());
        // WITA (UTC+8) ends an hour earlier in UTC.
        let due_wita = deadline(at, 8 * 60, 3);
        assert_eq!(
            due_wita,
            Utc.with_ymd_and_hms(2026, 12, 2, 16, 0, 0).unwrap()
        );
    }

    #[test]
    fn time_left_counts_down() {
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap(); // Fri 09:00 WIB
        let due = deadline(start, WIB_OFFSET_MINUTES, 3);
        assert_eq!(
            time_left(start, due, WIB_OFFSET_MINUTES),
            TimeLeft::WorkingDays(3)
        );
        let tue = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
        assert_eq!(
            time_left(tue, due, WIB_OFFSET_MINUTES),
            TimeLeft::WorkingDays(1)
        );
        let wed = Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).unwrap();
        assert_eq!(time_left(wed, due, WIB_OFFSET_MINUTES), TimeLeft::DueToday);
        assert_eq!(time_left(due, due, WIB_OFFSET_MINUTES), TimeLeft::Overdue);
    }

    proptest! {
        #[test]
        fn deadlines_land_on_working_days_after_start(days in 0i64..4000, n in 1u32..70) {
            let start = d(2024, 1, 1) + Duration::days(days);
            let due = add_working_days(start, n);
            prop_assert!(due > start);
            prop_assert!(is_working_day(due));
            prop_assert_eq!(working_days_between(start, due), n as i64);
            // never more than n + 2 weekends' worth of days per week
            prop_assert!((due - start).num_days() <= (n as i64) * 7 / 5 + 3);
        }
    }
}
