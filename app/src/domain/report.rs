//! A report's input: the raw form as typed, and the parsed `NewReport` that only holds valid
//! values ("parse, don't validate").

use super::error::{Field, FieldError, FieldErrors};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Title length limits, in characters.
pub const TITLE_MIN: usize = 10;
pub const TITLE_MAX: usize = 150;
/// Description length limits, in characters.
pub const DESCRIPTION_MIN: usize = 30;
pub const DESCRIPTION_MAX: usize = 5_000;
/// Reporter name limit, in characters.
pub const NAME_MAX: usize = 100;

/// The three kinds of report SP4N-LAPOR! knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// *Pengaduan*.
    Complaint,
    /// *Aspirasi*.
    Aspiration,
    /// *Permintaan informasi*.
    InformationRequest,
}

impl ReportKind {
    pub const ALL: [ReportKind; 3] = [
        ReportKind::Complaint,
        ReportKind::Aspiration,
        ReportKind::InformationRequest,
    ];

    /// The stable wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Complaint => "complaint",
            ReportKind::Aspiration => "aspiration",
            ReportKind::InformationRequest => "information_request",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// A report title: trimmed, 10–150 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportTitle(String);

impl ReportTitle {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let t = collapse_spaces(s);
        check_length(&t, TITLE_MIN, TITLE_MAX)?;
        Ok(Self(t))
    }
}

impl AsRef<str> for ReportTitle {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A report description: trimmed, 30–5,000 characters; line breaks kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReportDescription(String);

impl ReportDescription {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let t = s.trim().replace("\r\n", "\n");
        if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            return Err(FieldError::Invalid);
        }
        check_length(&t, DESCRIPTION_MIN, DESCRIPTION_MAX)?;
        Ok(Self(t))
    }
}

impl AsRef<str> for ReportDescription {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_length(s: &str, min: usize, max: usize) -> Result<(), FieldError> {
    let n = s.chars().count();
    if n == 0 {
        Err(FieldError::Required)
    } else if n < min {
        Err(FieldError::TooShort { min })
    } else if n > max {
        Err(FieldError::TooLong { max })
    } else {
        Ok(())
    }
}

/// A category id as given; whether it exists is checked by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CategoryId(pub i32);

impl CategoryId {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        s.trim()
            .parse::<i32>()
            .ok()
            .filter(|n| *n > 0)
            .map(Self)
            .ok_or(FieldError::Invalid)
    }
}

/// A region code in the Kemendagri form: `76` (province) or `76.04` (regency/city).
/// Whether it exists is checked by the server.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let ok = match s.split_once('.') {
            None => is_two_digits(s),
            Some((p, r)) => is_two_digits(p) && is_two_digits(r),
        };
        if ok {
            Ok(Self(s.to_string()))
        } else {
            Err(FieldError::Invalid)
        }
    }

    /// The province part (`76` of `76.04`).
    pub fn province(&self) -> &str {
        &self.0[..2]
    }
}

impl AsRef<str> for RegionCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

fn is_two_digits(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())
}

/// What the reporter chose about who may see the report. Adjustable later only towards more
/// privacy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Privacy {
    /// *Anonim*: the reporter's identity is hidden from the public and from the agency.
    pub anonymous: bool,
    /// *Rahasia*: the report is not public at all.
    pub confidential: bool,
    /// The reporter chose to show their name on the public report (an explicit, separate
    /// choice; never with `anonymous`).
    #[serde(default)]
    pub name_public: bool,
}

/// How to reach the reporter. Personal data: deliberately **not** `Serialize`, so it cannot be put
/// into any response by mistake, and `Debug` redacts it so it cannot reach the logs.
#[derive(Clone, PartialEq, Eq)]
pub struct ReporterContact {
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
}

impl fmt::Debug for ReporterContact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReporterContact(<redacted>)")
    }
}

impl ReporterContact {
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    pub fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
    pub fn phone(&self) -> Option<&str> {
        self.phone.as_deref()
    }
}

/// Parses an email address (a pragmatic check: one `@`, a dotted domain, no spaces).
pub fn parse_email(s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    let valid = s.len() <= 254
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        && match s.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if valid {
        Ok(s.to_string())
    } else {
        Err(FieldError::InvalidEmail)
    }
}

/// Parses a phone number: digits with optional spaces, dashes, dots or brackets and an optional
/// leading `+`; 8 to 15 digits. Returns the normalized number (`+` and digits only).
pub fn parse_phone(s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    let (plus, rest) = match s.strip_prefix('+') {
        Some(r) => (true, r),
        None => (false, s),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return Err(FieldError::InvalidPhone);
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if !(8..=15).contains(&digits.len()) {
        return Err(FieldError::InvalidPhone);
    }
    Ok(if plus { format!("+{digits}") } else { digits })
}

/// The report form exactly as the reporter typed it. This is the one input shape for the HTML
/// form, the JSON API and the browser's own validation; nothing typed is ever dropped from it, so a
/// refused form can be shown again as it was.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportForm {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub category_id: String,
    /// Province code (`76`), or empty.
    pub province: String,
    /// Regency/city code (`76.04`), or empty.
    pub regency: String,
    /// `YYYY-MM-DD`, or empty.
    pub incident_date: String,
    pub anonymous: bool,
    pub confidential: bool,
    pub name: String,
    /// "Show my name on the public report" (unticked by default).
    #[serde(default)]
    pub show_name: bool,
    pub email: String,
    pub phone: String,
}

/// A report whose every field is valid (existence of the category and region aside, which only
/// the server can check).
#[derive(Clone, Debug)]
pub struct NewReport {
    pub kind: ReportKind,
    pub title: ReportTitle,
    pub description: ReportDescription,
    pub category: Option<CategoryId>,
    pub region: Option<RegionCode>,
    pub incident_date: Option<NaiveDate>,
    pub privacy: Privacy,
    pub reporter: Option<ReporterContact>,
}

/// Parses an incident date: `YYYY-MM-DD`, not after `today`.
pub fn parse_incident_date(s: &str, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| FieldError::Invalid)?;
    if d > today {
        Err(FieldError::InFuture)
    } else if d < NaiveDate::from_ymd_opt(1945, 8, 17).expect("valid date") {
        Err(FieldError::Invalid)
    } else {
        Ok(d)
    }
}

/// Keeps a parsed value, or records the field's error.
fn take<T>(errors: &mut FieldErrors, field: Field, r: Result<T, FieldError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.insert(field, e);
            None
        }
    }
}

fn non_empty(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

/// The form field names of `ReportForm`, as posted by the HTML form.
pub const FORM_FIELDS: [&str; 13] = [
    "kind",
    "title",
    "description",
    "category_id",
    "province",
    "regency",
    "incident_date",
    "anonymous",
    "confidential",
    "name",
    "show_name",
    "email",
    "phone",
];

impl ReportForm {
    /// Builds the form from posted name/value pairs (the HTML form in the browser and the
    /// server's urlencoded body alike). A checkbox counts as ticked when it is present.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Self {
        let text = |name: &str| get(name).unwrap_or_default();
        Self {
            kind: text("kind"),
            title: text("title"),
            description: text("description"),
            category_id: text("category_id"),
            province: text("province"),
            regency: text("regency"),
            incident_date: text("incident_date"),
            anonymous: get("anonymous").is_some(),
            confidential: get("confidential").is_some(),
            name: text("name"),
            show_name: get("show_name").is_some(),
            email: text("email"),
            phone: text("phone"),
        }
    }

    /// The most specific region the form names: the regency if given, else the province.
    pub fn region_code(&self) -> Option<&str> {
        non_empty(&self.regency).or_else(|| non_empty(&self.province))
    }

    /// Validates one field; `None` when it is fine. Used for instant messages in the browser.
    pub fn check(&self, field: Field, today: NaiveDate) -> Option<FieldError> {
        self.parse(today).err().and_then(|e| e.get(&field).copied())
    }

    /// Parses the whole form. `today` is the latest date an incident may have happened on.
    pub fn parse(&self, today: NaiveDate) -> Result<NewReport, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = take(
            &mut errors,
            Field::Kind,
            match non_empty(&self.kind) {
                None => Err(FieldError::Required),
                Some(k) => ReportKind::parse(k).ok_or(FieldError::Invalid),
            },
        );
        let title = take(&mut errors, Field::Title, ReportTitle::parse(&self.title));
        let description = take(
            &mut errors,
            Field::Description,
            ReportDescription::parse(&self.description),
        );
        let category = take(
            &mut errors,
            Field::CategoryId,
            non_empty(&self.category_id)
                .map(CategoryId::parse)
                .transpose(),
        );
        let region = take(
            &mut errors,
            Field::RegionCode,
            self.region_code()
                .map(|code| {
                    let region = RegionCode::parse(code)?;
                    match non_empty(&self.province) {
                        Some(p) if p != region.province() => Err(FieldError::Invalid),
                        _ => Ok(region),
                    }
                })
                .transpose(),
        );
        let incident_date = take(
            &mut errors,
            Field::IncidentDate,
            non_empty(&self.incident_date)
                .map(|d| parse_incident_date(d, today))
                .transpose(),
        );
        let name = take(
            &mut errors,
            Field::Name,
            non_empty(&self.name)
                .map(|n| {
                    let n = collapse_spaces(n);
                    if n.chars().count() > NAME_MAX {
                        Err(FieldError::TooLong { max: NAME_MAX })
                    } else {
                        Ok(n)
                    }
                })
                .transpose(),
        );
        let email = take(
            &mut errors,
            Field::Email,
            non_empty(&self.email).map(parse_email).transpose(),
        );
        let phone = take(
            &mut errors,
            Field::Phone,
            non_empty(&self.phone).map(parse_phone).transpose(),
        );

        if !errors.is_empty() {
            return Err(errors);
        }
        let (name, email, phone) = (name.flatten(), email.flatten(), phone.flatten());
        let reporter = (name.is_some() || email.is_some() || phone.is_some())
            .then_some(ReporterContact { name, email, phone });
        Ok(NewReport {
            kind: kind.expect("checked above"),
            title: title.expect("checked above"),
            description: description.expect("checked above"),
            category: category.flatten(),
            region: region.flatten(),
            incident_date: incident_date.flatten(),
            privacy: Privacy {
                anonymous: self.anonymous,
                confidential: self.confidential,
                name_public: self.show_name && !self.anonymous,
            },
            reporter,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn valid_form() -> ReportForm {
        ReportForm {
            kind: "complaint".into(),
            title: "Jalan berlubang di depan SDN 1 Mamuju".into(),
            description: "Lubang besar di jalan depan sekolah sudah tiga bulan tidak diperbaiki."
                .into(),
            province: "76".into(),
            regency: "76.04".into(),
            incident_date: "2026-11-20".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_valid_form_parses() {
        let r = valid_form().parse(today()).unwrap();
        assert_eq!(r.kind, ReportKind::Complaint);
        assert_eq!(r.region.unwrap().as_ref(), "76.04");
        assert!(r.reporter.is_none());
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let form = ReportForm {
            kind: "rumor".into(),
            title: "short".into(),
            description: "".into(),
            category_id: "x".into(),
            province: "76".into(),
            regency: "73.01".into(),
            incident_date: "2026-12-01".into(),
            email: "not-an-email".into(),
            phone: "12".into(),
            name: "a".repeat(101),
            ..Default::default()
        };
        let e = form.parse(today()).unwrap_err();
        assert_eq!(e[&Field::Kind], FieldError::Invalid);
        assert_eq!(e[&Field::Title], FieldError::TooShort { min: 10 });
        assert_eq!(e[&Field::Description], FieldError::Required);
        assert_eq!(e[&Field::CategoryId], FieldError::Invalid);
        assert_eq!(e[&Field::RegionCode], FieldError::Invalid);
        assert_eq!(e[&Field::IncidentDate], FieldError::InFuture);
        assert_eq!(e[&Field::Email], FieldError::InvalidEmail);
        assert_eq!(e[&Field::Phone], FieldError::InvalidPhone);
        assert_eq!(e[&Field::Name], FieldError::TooLong { max: 100 });
    }

    #[test]
    fn contact_is_kept_and_debug_redacts_it() {
        let form = ReportForm {
            name: "  Siti   Aminah ".into(),
            email: "siti@example.id".into(),
            phone: "0812-3456-7890".into(),
            ..valid_form()
        };
        let r = form.parse(today()).unwrap();
        let c = r.reporter.unwrap();
        assert_eq!(c.name(), Some("Siti Aminah"));
        assert_eq!(c.phone(), Some("081234567890"));
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("Siti") && !dbg.contains("0812") && !dbg.contains("example"));
    }

    #[test]
    fn incident_date_today_is_fine_tomorrow_is_not() {
        assert!(parse_incident_date("2026-11-27", today()).is_ok());
        assert_eq!(
            parse_incident_date("2026-11-28", today()),
            Err(FieldError::InFuture)
        );
        assert_eq!(
            parse_incident_date("27/11/2026", today()),
            Err(FieldError::Invalid)
        );
    }

    #[test]
    fn region_codes() {
        assert!(RegionCode::parse("76").is_ok());
        assert!(RegionCode::parse("76.04").is_ok());
        for bad in ["7", "760", "76.4", "76.04.01", "ab", "76-04"] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn title_accepts_exactly_the_allowed_lengths(s in "\\PC{0,200}") {
            let collapsed = collapse_spaces(&s);
            let n = collapsed.chars().count();
            let r = ReportTitle::parse(&s);
            prop_assert_eq!(r.is_ok(), (TITLE_MIN..=TITLE_MAX).contains(&n));
            if let Ok(t) = r {
                prop_assert_eq!(t.as_ref(), collapsed.as_str());
            }
        }

        #[test]
        fn description_length_limits_hold(n in 0usize..6000) {
            let s = "a".repeat(n);
            let r = ReportDescription::parse(&s);
            prop_assert_eq!(r.is_ok(), (DESCRIPTION_MIN..=DESCRIPTION_MAX).contains(&n));
        }

        #[test]
        fn parsing_never_panics(kind in "\\PC{0,20}", title in "\\PC{0,40}",
                                desc in "\\PC{0,80}", cat in "\\PC{0,5}",
                                prov in "[0-9.]{0,6}", reg in "[0-9.]{0,6}",
                                date in "\\PC{0,12}", email in "\\PC{0,20}", phone in "\\PC{0,20}") {
            let form = ReportForm { kind, title, description: desc, category_id: cat,
                province: prov, regency: reg, incident_date: date, email, phone,
                ..Default::default() };
            let _ = form.parse(today());
        }

        #[test]
        fn valid_phones_normalize_to_digits(d in "[0-9]{8,15}") {
            let pretty = format!("+{} {}", &d[..2], &d[2..]);
            prop_assert_eq!(parse_phone(&pretty).unwrap(), format!("+{d}"));
        }
    }
}
