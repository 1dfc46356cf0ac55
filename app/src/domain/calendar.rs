//! Working days (*hari kerja*): Monday to Friday, except national holidays (*hari libur
//! nasional*) and collective leave days (*cuti bersama*) set each year by the joint decree of three
//! ministers (SKB 3 Menteri). The dates ship here as data; admin editing comes with the admin
//! screens.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Utc, Weekday};

/// Western Indonesia Time (UTC+7), the default when a report names no region.
pub const WIB_OFFSET_MINUTES: i32 = 7 * 60;
/// Working days a verifier has to act on a new report.
pub const VERIFICATION_DAYS: u32 = 3;

/// Why a date is not a working day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayOff {
    Holiday,
    CutiBersama,
}

/// National holidays and *cuti bersama*, sorted. 2025 and 2026 follow the SKB 3 Menteri for those
/// years (2026: No. 1497/2025, 2/2025, 5/2025). 2027's decree is not published yet: only the
/// fixed-date holidays and those whose dates are certain are listed, and the rest must be added
/// when it is (`PROVISIONAL_FROM`). Each with its name as the decree gives it.
pub const DAYS_OFF: &[((i32, u32, u32), DayOff, &str)] = &[
    // 2025
    ((2025, 1, 1), DayOff::Holiday, "Tahun Baru Masehi"),
    ((2025, 1, 27), DayOff::Holiday, "Isra Mikraj"),
    ((2025, 1, 28), DayOff::CutiBersama, "Cuti bersama Imlek"),
    ((2025, 1, 29), DayOff::Holiday, "Tahun Baru Imlek"),
    ((2025, 3, 28), DayOff::CutiBersama, "Cuti bersama Nyepi"),
    ((2025, 3, 29), DayOff::Holiday, "Nyepi"),
    ((2025, 3, 31), DayOff::Holiday, "Idul Fitri 1446 H"),
    ((2025, 4, 1), DayOff::Holiday, "Idul Fitri 1446 H"),
    ((2025, 4, 2), DayOff::CutiBersama, "Cuti bersama Idul Fitri"),
    ((2025, 4, 3), DayOff::CutiBersama, "Cuti bersama Idul Fitri"),
    ((2025, 4, 4), DayOff::CutiBersama, "Cuti bersama Idul Fitri"),
    ((2025, 4, 7), DayOff::CutiBersama, "Cuti bersama Idul Fitri"),
    ((2025, 4, 18), DayOff::Holiday, "Wafat Yesus Kristus"),
    ((2025, 4, 20), DayOff::Holiday, "Paskah"),
    ((2025, 5, 1), DayOff::Holiday, "Hari Buruh"),
    ((2025, 5, 12), DayOff::Holiday, "Waisak"),
    ((2025, 5, 13), DayOff::CutiBersama, "Cuti bersama Waisak"),
    ((2025, 5, 29), DayOff::Holiday, "Kenaikan Yesus Kristus"),
    ((2025, 5, 30), DayOff::CutiBersama, "Cuti bersama Kenaikan"),
    ((2025, 6, 1), DayOff::Holiday, "Hari Lahir Pancasila"),
    ((2025, 6, 6), DayOff::Holiday, "Idul Adha 1446 H"),
    ((2025, 6, 9), DayOff::CutiBersama, "Cuti bersama Idul Adha"),
    ((2025, 6, 27), DayOff::Holiday, "Tahun Baru Islam 1447 H"),
    ((2025, 8, 17), DayOff::Holiday, "Proklamasi Kemerdekaan"),
    (
        (2025, 8, 18),
        DayOff::CutiBersama,
        "Cuti bersama Proklamasi Kemerdekaan",
    ),
    ((2025, 9, 5), DayOff::Holiday, "Maulid Nabi"),
    ((2025, 12, 25), DayOff::Holiday, "Natal"),
    ((2025, 12, 26), DayOff::CutiBersama, "Cuti bersama Natal"),
    // 2026
    ((2026, 1, 1), DayOff::Holiday, "Tahun Baru Masehi"),
    ((2026, 1, 16), DayOff::Holiday, "Isra Mikraj"),
    ((2026, 2, 16), DayOff::CutiBersama, "Cuti bersama Imlek"),
    ((2026, 2, 17), DayOff::Holiday, "Tahun Baru Imlek 2577"),
    ((2026, 3, 18), DayOff::CutiBersama, "Cuti bersama Nyepi"),
    ((2026, 3, 19), DayOff::Holiday, "Nyepi, Saka 1948"),
    (
        (2026, 3, 20),
        DayOff::CutiBersama,
        "Cuti bersama Idul Fitri",
    ),
    ((2026, 3, 21), DayOff::Holiday, "Idul Fitri 1447 H"),
    ((2026, 3, 22), DayOff::Holiday, "Idul Fitri 1447 H"),
    (
        (2026, 3, 23),
        DayOff::CutiBersama,
        "Cuti bersama Idul Fitri",
    ),
    (
        (2026, 3, 24),
        DayOff::CutiBersama,
        "Cuti bersama Idul Fitri",
    ),
    ((2026, 4, 3), DayOff::Holiday, "Wafat Yesus Kristus"),
    ((2026, 4, 5), DayOff::Holiday, "Paskah"),
    ((2026, 5, 1), DayOff::Holiday, "Hari Buruh"),
    ((2026, 5, 14), DayOff::Holiday, "Kenaikan Yesus Kristus"),
    ((2026, 5, 15), DayOff::CutiBersama, "Cuti bersama Kenaikan"),
    ((2026, 5, 27), DayOff::Holiday, "Idul Adha 1447 H"),
    ((2026, 5, 28), DayOff::CutiBersama, "Cuti bersama Idul Adha"),
    ((2026, 5, 31), DayOff::Holiday, "Waisak 2570 BE"),
    ((2026, 6, 1), DayOff::Holiday, "Hari Lahir Pancasila"),
    ((2026, 6, 16), DayOff::Holiday, "Tahun Baru Islam 1448 H"),
    ((2026, 8, 17), DayOff::Holiday, "Proklamasi Kemerdekaan"),
    ((2026, 8, 25), DayOff::Holiday, "Maulid Nabi"),
    ((2026, 12, 24), DayOff::CutiBersama, "Cuti bersama Natal"),
    ((2026, 12, 25), DayOff::Holiday, "Natal"),
    // 2027 (provisional: fixed dates and certain ones only)
    ((2027, 1, 1), DayOff::Holiday, "Tahun Baru Masehi"),
    ((2027, 2, 6), DayOff::Holiday, "Tahun Baru Imlek 2578"),
    ((2027, 3, 26), DayOff::Holiday, "Wafat Yesus Kristus"),
    ((2027, 3, 28), DayOff::Holiday, "Paskah"),
    ((2027, 5, 1), DayOff::Holiday, "Hari Buruh"),
    ((2027, 5, 6), DayOff::Holiday, "Kenaikan Yesus Kristus"),
    ((2027, 6, 1), DayOff::Holiday, "Hari Lahir Pancasila"),
    ((2027, 8, 17), DayOff::Holiday, "Proklamasi Kemerdekaan"),
    ((2027, 12, 25), DayOff::Holiday, "Natal"),
];

/// From this date on, the list above is incomplete until the year's decree is added.
pub const PROVISIONAL_FROM: (i32, u32, u32) = (2027, 1, 1);

/// Why `d` is not a working day, if it is a holiday or *cuti bersama*.
pub fn day_off(d: NaiveDate) -> Option<DayOff> {
    match overridden(d) {
        Some(Override::DayOff(k)) => return Some(k),
        Some(Override::WorkingDay) => return None,
        None => {}
    }
    let key = (d.year(), d.month(), d.day());
    DAYS_OFF
        .binary_search_by(|(k, _, _)| k.cmp(&key))
        .ok()
        .map(|i| DAYS_OFF[i].1)
}

pub fn is_working_day(d: NaiveDate) -> bool {
    match overridden(d) {
        Some(Override::DayOff(_)) => false,
        Some(Override::WorkingDay) => true,
        None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && day_off(d).is_none(),
    }
}

/// A correction of the built-in calendar kept by system administrators (in the database,
/// installed in every process): a national holiday or *cuti bersama* added, or a listed day
/// made a working day again. Deadlines computed after it follow it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Override {
    DayOff(DayOff),
    WorkingDay,
}

/// The corrections in force in this process, and the years whose decree is complete.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Corrections {
    pub days: std::collections::BTreeMap<NaiveDate, Override>,
    /// Years an administrator confirmed as complete (the SKB's days all entered).
    pub confirmed_years: std::collections::BTreeSet<i32>,
}

fn corrections() -> &'static std::sync::RwLock<Corrections> {
    static C: std::sync::OnceLock<std::sync::RwLock<Corrections>> = std::sync::OnceLock::new();
    C.get_or_init(Default::default)
}

/// Installs the corrections read from the database (at start, after a change, every minute).
pub fn install_corrections(c: Corrections) {
    *corrections().write().unwrap_or_else(|p| p.into_inner()) = c;
}

fn overridden(d: NaiveDate) -> Option<Override> {
    let c = corrections().read().unwrap_or_else(|p| p.into_inner());
    if c.days.is_empty() {
        return None;
    }
    c.days.get(&d).copied()
}

/// From which date the calendar is provisional: the first day of the first year, from
/// `PROVISIONAL_FROM` on, that no administrator has confirmed.
pub fn provisional_from() -> NaiveDate {
    let (y0, m0, d0) = PROVISIONAL_FROM;
    let c = corrections().read().unwrap_or_else(|p| p.into_inner());
    let mut y = y0;
    while c.confirmed_years.contains(&y) {
        y += 1;
    }
    if y == y0 {
        NaiveDate::from_ymd_opt(y0, m0, d0).expect("valid date")
    } else {
        NaiveDate::from_ymd_opt(y, 1, 1).expect("valid date")
    }
}

/// Months ahead the calendar must be confirmed for; within them a provisional calendar warns.
pub const CONFIRMED_AHEAD_MONTHS: u32 = 6;

/// The date the calendar turns provisional, if that is within `CONFIRMED_AHEAD_MONTHS` of
/// `today`: deadlines crossing it may miss holidays nobody entered yet.
pub fn provisional_warning(today: NaiveDate) -> Option<NaiveDate> {
    let horizon = today
        .checked_add_months(chrono::Months::new(CONFIRMED_AHEAD_MONTHS))
        .unwrap_or(today);
    let from = provisional_from();
    (from <= horizon).then_some(from)
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
    fn the_holiday_table_is_sorted_and_unique() {
        assert!(DAYS_OFF.windows(2).all(|w| w[0].0 < w[1].0));
        for ((y, m, day), _, name) in DAYS_OFF {
            assert!(!name.is_empty());
            assert!(NaiveDate::from_ymd_opt(*y, *m, *day).is_some());
        }
        // 2026 per SKB: 17 national holidays and 8 cuti bersama.
        let in_2026 = |kind| {
            DAYS_OFF
                .iter()
                .filter(|((y, _, _), k, _)| *y == 2026 && *k == kind)
                .count()
        };
        assert_eq!(in_2026(DayOff::Holiday), 17);
        assert_eq!(in_2026(DayOff::CutiBersama), 8);
    }

    #[test]
    fn around_idul_fitri_2026() {
        // Submitted Thursday 19 March 2026 (Nyepi): 20–24 March are off, so three working days
        // are 25, 26, 27 March.
        assert_eq!(add_working_days(d(2026, 3, 19), 3), d(2026, 3, 27));
        // Tuesday 17 March: 18–24 off; 3 working days → 25, 26, 27 March.
        assert_eq!(add_working_days(d(2026, 3, 17), 3), d(2026, 3, 27));
        assert!(!is_working_day(d(2026, 3, 23)));
        assert_eq!(day_off(d(2026, 3, 23)), Some(DayOff::CutiBersama));
        // In WITA, a report sent at 23:30 on Monday 16 March WIB-time is already Tuesday.
        let at = Utc.with_ymd_and_hms(2026, 3, 16, 16, 30, 0).unwrap(); // 23:30 WIB, 00:30 WITA
        assert_eq!(
            deadline(at, WIB_OFFSET_MINUTES, 3),
            end_of_day(d(2026, 3, 26), WIB_OFFSET_MINUTES)
        );
        assert_eq!(deadline(at, 8 * 60, 3), end_of_day(d(2026, 3, 27), 8 * 60));
    }

    #[test]
    fn around_the_year_end_2026() {
        // Wednesday 23 Dec 2026: 24 (cuti bersama), 25 (Natal), weekend, 1 Jan 2027 off.
        // Five working days: 28, 29, 30, 31 Dec, 4 Jan.
        assert_eq!(add_working_days(d(2026, 12, 23), 5), d(2027, 1, 4));
        // In WIT (UTC+9) 31 Dec 16:00 UTC is already 1 Jan.
        let at = Utc.with_ymd_and_hms(2026, 12, 31, 16, 0, 0).unwrap();
        assert_eq!(local_date(at, 9 * 60), d(2027, 1, 1));
        assert_eq!(deadline(at, 9 * 60, 1), end_of_day(d(2027, 1, 4), 9 * 60));
        assert_eq!(
            deadline(at, WIB_OFFSET_MINUTES, 1),
            end_of_day(d(2027, 1, 4), WIB_OFFSET_MINUTES)
        );
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
            // the day before the deadline still left one working day to go
            prop_assert_eq!(working_days_between(start, due.pred_opt().unwrap()), n as i64 - 1);
        }
    }
}
