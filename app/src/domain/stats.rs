//! The statistics of agencies and how the performance index is computed from them. Pure: the
//! server counts (see `server::stats`), this module derives shares, the median and the index, so
//! the rules are written (and tested) once. Definitions are in `docs/statistics.md`.
//!
//! A **case** is a report's stay with one agency: it begins when a verifier dispatches the report
//! to the agency (again after a return) and counts in the month it began (WIB), for the agency
//! holding it and every agency above it.

use serde::{Deserialize, Serialize};

/// Working days within which a first follow-up is due (Perpres 76/2013 practice).
pub const FIRST_FOLLOW_UP_DAYS: i32 = 5;
/// Cases an agency needs in the period before it gets an index and a rank.
pub const MIN_CASES: i64 = 5;

/// Weights of the index components (they add up to 1).
pub const WEIGHT_FIRST_FOLLOW_UP: f64 = 0.30;
pub const WEIGHT_ON_TIME: f64 = 0.30;
pub const WEIGHT_CONFIRMED: f64 = 0.20;
pub const WEIGHT_RATING: f64 = 0.10;
pub const WEIGHT_NOT_BOUNCED: f64 = 0.10;

/// What the database counts for a set of agencies and months.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Cases that began in the period.
    pub received: i64,
    /// Of those, passed on to a unit.
    pub delegated: i64,
    /// Of those, returned as not the agency's business.
    pub bounced: i64,
    /// Of those, with a first follow-up within `FIRST_FOLLOW_UP_DAYS` working days.
    pub first_follow_up_in_time: i64,
    /// Of those, with a first follow-up at all.
    pub followed_up: i64,
    /// Working days to the first follow-up: (days, cases), ascending.
    pub follow_up_days: Vec<(i32, i64)>,
    /// Of those, with a completion answer; and by the deadline.
    pub completed: i64,
    pub completed_on_time: i64,
    /// Closed after the reporter confirmed; closed without confirmation.
    pub confirmed: i64,
    pub closed_unconfirmed: i64,
    pub rating_sum: i64,
    pub rating_count: i64,
    /// Cases whose first follow-up is decided: it came, or its deadline passed without it. A case
    /// still inside its deadline is neither on time nor late.
    pub first_follow_up_decided: i64,
    /// Cases whose completion is decided: answered, or its deadline passed without an answer.
    pub completion_decided: i64,
    /// Reports held now (not closed), and of those past their deadline.
    pub open_now: i64,
    pub overdue_now: i64,
}

/// `part / whole`, or `None` when there is nothing to divide.
fn share(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

impl Counts {
    /// Cases the agency kept (received and not returned): the base of the timeliness shares.
    pub fn handled(&self) -> i64 {
        self.received - self.bounced
    }

    /// Of the cases whose first follow-up is decided, the share followed up in time.
    pub fn first_follow_up_share(&self) -> Option<f64> {
        share(self.first_follow_up_in_time, self.first_follow_up_decided)
    }

    /// Cases whose first follow-up came late or not at all within its deadline.
    pub fn first_follow_up_late(&self) -> i64 {
        self.first_follow_up_decided - self.first_follow_up_in_time
    }

    /// Of the cases whose completion is decided, the share answered by the deadline.
    pub fn on_time_share(&self) -> Option<f64> {
        share(self.completed_on_time, self.completion_decided)
    }

    /// Cases answered after the deadline, or not answered by it.
    pub fn completed_late(&self) -> i64 {
        self.completion_decided - self.completed_on_time
    }

    /// Of the cases closed, the share the reporter confirmed (and the rest closed unconfirmed).
    pub fn confirmed_share(&self) -> Option<f64> {
        share(self.confirmed, self.confirmed + self.closed_unconfirmed)
    }

    pub fn closed_unconfirmed_share(&self) -> Option<f64> {
        share(
            self.closed_unconfirmed,
            self.confirmed + self.closed_unconfirmed,
        )
    }

    pub fn bounce_share(&self) -> Option<f64> {
        share(self.bounced, self.received)
    }

    pub fn average_rating(&self) -> Option<f64> {
        share(self.rating_sum, self.rating_count)
    }

    /// The median working days to the first follow-up (the mean of the two middle cases when
    /// their number is even).
    pub fn median_follow_up_days(&self) -> Option<f64> {
        let n: i64 = self.follow_up_days.iter().map(|(_, c)| c).sum();
        if n == 0 {
            return None;
        }
        let nth = |k: i64| {
            let mut seen = 0;
            for (d, c) in &self.follow_up_days {
                seen += c;
                if seen > k {
                    return *d as f64;
                }
            }
            0.0
        };
        Some(if n % 2 == 1 {
            nth(n / 2)
        } else {
            (nth(n / 2 - 1) + nth(n / 2)) / 2.0
        })
    }

    /// The performance index, 0–100: the weighted mean of the components that exist (a
    /// component without data — no case closed yet, no rating — leaves the others to carry the
    /// weight). `None` below `MIN_CASES` cases, and while no case has been judged on time or
    /// late yet (cases inside their deadline are not judged; the index would rest on returns).
    pub fn index(&self) -> Option<f64> {
        if self.received < MIN_CASES
            || (self.first_follow_up_decided == 0 && self.completion_decided == 0)
        {
            return None;
        }
        let parts = [
            (self.first_follow_up_share(), WEIGHT_FIRST_FOLLOW_UP),
            (self.on_time_share(), WEIGHT_ON_TIME),
            (self.confirmed_share(), WEIGHT_CONFIRMED),
            (
                self.average_rating().map(|r| (r - 1.0) / 4.0),
                WEIGHT_RATING,
            ),
            (self.bounce_share().map(|b| 1.0 - b), WEIGHT_NOT_BOUNCED),
        ];
        let (sum, weight) = parts
            .iter()
            .filter_map(|(v, w)| v.map(|v| (v * w, *w)))
            .fold((0.0, 0.0), |(s, t), (v, w)| (s + v, t + w));
        (weight > 0.0).then(|| (100.0 * sum / weight * 10.0).round() / 10.0)
    }

    /// Adds another set of counts (an agency and its units).
    pub fn add(&mut self, o: &Counts) {
        self.received += o.received;
        self.delegated += o.delegated;
        self.bounced += o.bounced;
        self.first_follow_up_in_time += o.first_follow_up_in_time;
        self.followed_up += o.followed_up;
        self.completed += o.completed;
        self.completed_on_time += o.completed_on_time;
        self.confirmed += o.confirmed;
        self.closed_unconfirmed += o.closed_unconfirmed;
        self.rating_sum += o.rating_sum;
        self.rating_count += o.rating_count;
        self.first_follow_up_decided += o.first_follow_up_decided;
        self.completion_decided += o.completion_decided;
        self.open_now += o.open_now;
        self.overdue_now += o.overdue_now;
        for (d, c) in &o.follow_up_days {
            match self.follow_up_days.binary_search_by_key(d, |(x, _)| *x) {
                Ok(i) => self.follow_up_days[i].1 += c,
                Err(i) => self.follow_up_days.insert(i, (*d, *c)),
            }
        }
    }
}

/// A figure whose reports can be listed (the drill-down from a statistic to its reports).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    Received,
    Delegated,
    Bounced,
    FirstFollowUpInTime,
    FirstFollowUpLate,
    CompletedOnTime,
    CompletedLate,
    Confirmed,
    ClosedUnconfirmed,
    /// Held by the agency now (not a monthly figure).
    OpenNow,
    /// Held and past the deadline now (not a monthly figure).
    OverdueNow,
}

impl Measure {
    pub const ALL: [Measure; 11] = [
        Measure::Received,
        Measure::Delegated,
        Measure::Bounced,
        Measure::FirstFollowUpInTime,
        Measure::FirstFollowUpLate,
        Measure::CompletedOnTime,
        Measure::CompletedLate,
        Measure::Confirmed,
        Measure::ClosedUnconfirmed,
        Measure::OpenNow,
        Measure::OverdueNow,
    ];

    /// The value in the URL (`ukuran=`).
    pub fn as_str(self) -> &'static str {
        match self {
            Measure::Received => "diterima",
            Measure::Delegated => "diteruskan",
            Measure::Bounced => "dikembalikan",
            Measure::FirstFollowUpInTime => "tindak_lanjut_tepat",
            Measure::FirstFollowUpLate => "tindak_lanjut_terlambat",
            Measure::CompletedOnTime => "selesai_tepat",
            Measure::CompletedLate => "selesai_terlambat",
            Measure::Confirmed => "dikonfirmasi",
            Measure::ClosedUnconfirmed => "tanpa_konfirmasi",
            Measure::OpenNow => "terbuka",
            Measure::OverdueNow => "terlambat_sekarang",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// The condition on a case (`report_cases` columns), for monthly figures.
    pub fn case_condition(self) -> Option<String> {
        let fu = FIRST_FOLLOW_UP_DAYS;
        Some(match self {
            Measure::Received => "1 = 1".into(),
            Measure::Delegated => "delegated".into(),
            Measure::Bounced => "bounced".into(),
            Measure::FirstFollowUpInTime => format!("first_follow_up_days <= {fu}"),
            Measure::FirstFollowUpLate => format!(
                "(first_follow_up_days > {fu} OR (first_follow_up_at IS NULL AND fu_lapsed AND NOT bounced))"
            ),
            Measure::CompletedOnTime => "completed_on_time".into(),
            Measure::CompletedLate => "((completed_at IS NOT NULL AND NOT completed_on_time) \
                 OR (completed_at IS NULL AND done_lapsed AND NOT bounced))"
                .into(),
            Measure::Confirmed => "outcome = 'confirmed'".into(),
            Measure::ClosedUnconfirmed => "outcome = 'closed_unconfirmed'".into(),
            Measure::OpenNow | Measure::OverdueNow => return None,
        })
    }
}

/// `2026-01..2026-11` → (202601, 202611).
pub fn parse_months(s: &str) -> Option<(i32, i32)> {
    let (a, b) = s.split_once("..")?;
    let (a, b) = (parse_month(a)?, parse_month(b)?);
    (a <= b).then_some((a, b))
}

/// A month as `YYYYMM`.
pub fn month_key(year: i32, month: u32) -> i32 {
    year * 100 + month as i32
}

/// `2026-11` → `202611`.
pub fn parse_month(s: &str) -> Option<i32> {
    let (y, m) = s.trim().split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    ((1..=12).contains(&m) && (2000..=2100).contains(&y)).then(|| month_key(y, m))
}

/// `202611` → `2026-11`.
pub fn month_text(key: i32) -> String {
    format!("{:04}-{:02}", key / 100, key % 100)
}

/// The months from `from` to `to`, inclusive.
pub fn months(from: i32, to: i32) -> Vec<i32> {
    let mut out = Vec::new();
    let mut m = from;
    while m <= to && out.len() < 1200 {
        out.push(m);
        m = if m % 100 == 12 {
            (m / 100 + 1) * 100 + 1
        } else {
            m + 1
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_median_and_index_by_hand() {
        // 10 cases: 2 returned; of the 8 kept, 6 followed up (4 within 5 days: days 1,2,3,5;
        // late: 7, 9), 5 completed, 4 of them on time; closed: 3 confirmed (ratings 5, 4, 3),
        // 1 unconfirmed.
        let c = Counts {
            received: 10,
            delegated: 1,
            bounced: 2,
            first_follow_up_in_time: 4,
            followed_up: 6,
            follow_up_days: vec![(1, 1), (2, 1), (3, 1), (5, 1), (7, 1), (9, 1)],
            completed: 5,
            completed_on_time: 4,
            confirmed: 3,
            closed_unconfirmed: 1,
            rating_sum: 12,
            rating_count: 3,
            first_follow_up_decided: 8,
            completion_decided: 8,
            open_now: 4,
            overdue_now: 1,
        };
        assert_eq!(c.handled(), 8);
        assert_eq!(c.first_follow_up_share(), Some(0.5));
        assert_eq!(c.on_time_share(), Some(0.5));
        assert_eq!(c.confirmed_share(), Some(0.75));
        assert_eq!(c.closed_unconfirmed_share(), Some(0.25));
        assert_eq!(c.average_rating(), Some(4.0));
        assert_eq!(c.bounce_share(), Some(0.2));
        // Six values 1 2 3 5 7 9: the mean of 3 and 5.
        assert_eq!(c.median_follow_up_days(), Some(4.0));
        // 100 × (0.3×0.5 + 0.3×0.5 + 0.2×0.75 + 0.1×0.75 + 0.1×0.8) = 60.5
        assert_eq!(c.index(), Some(60.5));

        // Nothing closed, no rating: the other weights carry it (0.3×0.5+0.3×0.5+0.1×0.8)/0.7.
        let open = Counts {
            confirmed: 0,
            closed_unconfirmed: 0,
            rating_sum: 0,
            rating_count: 0,
            ..c.clone()
        };
        assert_eq!(open.index(), Some(54.3));
        // Too few cases: no index.
        let few = Counts {
            received: 4,
            first_follow_up_decided: 4,
            ..Counts::default()
        };
        assert_eq!(few.index(), None);
        assert_eq!(Counts::default().median_follow_up_days(), None);
        let odd = Counts {
            follow_up_days: vec![(0, 2), (4, 1)],
            ..Counts::default()
        };
        assert_eq!(odd.median_follow_up_days(), Some(0.0));
    }

    #[test]
    fn cases_inside_their_deadline_count_neither_way() {
        // 10 cases: 5 followed up and answered in time, 5 still inside both deadlines.
        let c = Counts {
            received: 10,
            first_follow_up_in_time: 5,
            followed_up: 5,
            first_follow_up_decided: 5,
            completed: 5,
            completed_on_time: 5,
            completion_decided: 5,
            ..Counts::default()
        };
        assert_eq!(c.first_follow_up_share(), Some(1.0));
        assert_eq!(c.on_time_share(), Some(1.0));
        assert_eq!(c.first_follow_up_late(), 0);
        assert_eq!(c.completed_late(), 0);
        // Nothing returned, nothing closed or rated yet: every component present is 1.
        assert_eq!(c.index(), Some(100.0));
        // One deadline passes without a follow-up: that case is now late, the others still wait.
        let lapsed = Counts {
            first_follow_up_decided: 6,
            ..c.clone()
        };
        assert_eq!(lapsed.first_follow_up_share(), Some(5.0 / 6.0));
        assert_eq!(lapsed.first_follow_up_late(), 1);
        // Nothing decided yet: no share at all (not 0 %).
        let fresh = Counts {
            received: 10,
            ..Counts::default()
        };
        assert_eq!(fresh.first_follow_up_share(), None);
        assert_eq!(fresh.on_time_share(), None);
        // Ten new cases, none judged yet: too early for an index (it would rest on returns alone).
        assert_eq!(fresh.index(), None);
    }

    #[test]
    fn adding_counts_merges_the_day_histogram() {
        let mut a = Counts {
            received: 2,
            follow_up_days: vec![(1, 1), (3, 1)],
            ..Counts::default()
        };
        a.add(&Counts {
            received: 3,
            follow_up_days: vec![(2, 2), (3, 1)],
            ..Counts::default()
        });
        assert_eq!(a.received, 5);
        assert_eq!(a.follow_up_days, vec![(1, 1), (2, 2), (3, 2)]);
    }

    #[test]
    fn months_parse_and_count() {
        assert_eq!(parse_month("2026-11"), Some(202611));
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("kemarin"), None);
        assert_eq!(month_text(202601), "2026-01");
        assert_eq!(months(202611, 202702), vec![202611, 202612, 202701, 202702]);
        assert!(months(202611, 202602).is_empty());
    }
}
