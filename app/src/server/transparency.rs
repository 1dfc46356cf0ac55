//! What anyone may read: public reports, their search, support ("dukung") and following, and
//! the verifier's moderation of the public text.
//!
//! Every public read starts from `public_reports()`: reports that went public (their first
//! dispatch) and are not confidential. Rows become `PublicReportRow`/`PublicReportView`, types
//! with no field for the reporter's contact; the text shown is the moderated public version,
//! never the original the agency works with.

use super::accounts::audit;
use super::entities::{account, category, message, region, report, report_follow, report_support};
use super::intake::{details, parse_stored, Details};
use super::internal;
use crate::domain::access::{can_triage, Actor};
use crate::domain::calendar::WIB_OFFSET_MINUTES;
use crate::domain::stats::{parse_months, Measure};
use crate::domain::transparency::{auto_redact, detect_pii, highlight, index_terms, SearchQuery};
use crate::domain::views::{
    AgencyRef, CategoryOption, FoundPii, PublicAnswer, PublicDraft, PublicFilter, PublicListPage,
    PublicReportRow, PublicReportView, PublicSort, PublicViewer, RegionOption, ReporterShown,
};
use crate::domain::{
    AppError, Field, FieldError, FieldErrors, ReportDescription, ReportKind, ReportStatus,
    ReportTitle,
};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Select, Set, Statement, TransactionSession, TransactionTrait, TryInsertResult,
};
use std::collections::HashMap;

/// Rows per page of the public list.
pub const PAGE_SIZE: u64 = 20;

/// The one rule of every public read: published and not confidential.
pub fn public_reports() -> Select<report::Entity> {
    report::Entity::find()
        .filter(report::Column::PublishedAt.is_not_null())
        .filter(report::Column::Confidential.eq(false))
}

/// The names the reporter gave (on the report and on their account): masked wherever they
/// appear in public text. Read here for masking only; they never leave this module.
async fn reporter_names<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
) -> Result<Vec<String>, AppError> {
    let mut names = Vec::new();
    if let Some(name) = super::casework::contact_name(db, r.id).await? {
        names.push(name);
    }
    if let Some(id) = r.reporter_account_id {
        if let Some(name) = account::Entity::find_by_id(id)
            .select_only()
            .column(account::Column::DisplayName)
            .into_tuple::<String>()
            .one(db)
            .await
            .map_err(internal("loading reporter account name"))?
        {
            names.push(name);
        }
    }
    Ok(names)
}

fn as_strs(names: &[String]) -> Vec<&str> {
    names.iter().map(String::as_str).collect()
}

/// The public version of a report at publication: what the verifier set, else the automatic
/// proposal (everything found masked), and its search terms.
pub(crate) struct Publication {
    pub title: String,
    pub text: String,
    pub terms: String,
}

pub(crate) async fn publication<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
) -> Result<Publication, AppError> {
    let names = reporter_names(db, r).await?;
    let names = as_strs(&names);
    let title = r
        .public_title
        .clone()
        .unwrap_or_else(|| auto_redact(&r.title, &names));
    let text = r
        .public_text
        .clone()
        .unwrap_or_else(|| auto_redact(&r.description, &names));
    let terms = index_terms(&format!("{title}\n{text}"));
    Ok(Publication { title, text, terms })
}

/// The two search indexes: public reports (their public text), and every report's original
/// text for staff (searched within what each may see).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SearchIndex {
    Public,
    Staff,
}

impl SearchIndex {
    fn table(self) -> &'static str {
        match self {
            SearchIndex::Public => "report_search",
            SearchIndex::Staff => "report_search_staff",
        }
    }
}

/// Puts a report's terms in the public search index (replacing what was there).
pub(crate) async fn index<C: ConnectionTrait>(
    db: &C,
    report_id: i64,
    terms: &str,
) -> Result<(), AppError> {
    index_in(db, SearchIndex::Public, report_id, terms).await
}

/// Puts a report's terms in one search index (replacing what was there).
pub(crate) async fn index_in<C: ConnectionTrait>(
    db: &C,
    which: SearchIndex,
    report_id: i64,
    terms: &str,
) -> Result<(), AppError> {
    index_terms_in(db, which, report_id, terms, false).await
}

/// `index_in` for a report written in the same transaction: nothing to replace.
pub(crate) async fn index_new_in<C: ConnectionTrait>(
    db: &C,
    which: SearchIndex,
    report_id: i64,
    terms: &str,
) -> Result<(), AppError> {
    index_terms_in(db, which, report_id, terms, true).await
}

async fn index_terms_in<C: ConnectionTrait>(
    db: &C,
    which: SearchIndex,
    report_id: i64,
    terms: &str,
    new: bool,
) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let table = which.table();
    let statements = match backend {
        DbBackend::Sqlite if new => vec![Statement::from_sql_and_values(
            backend,
            format!("INSERT INTO {table} (rowid, terms) VALUES (?, ?)"),
            [report_id.into(), terms.into()],
        )],
        DbBackend::Sqlite => vec![
            Statement::from_sql_and_values(
                backend,
                format!("DELETE FROM {table} WHERE rowid = ?"),
                [report_id.into()],
            ),
            Statement::from_sql_and_values(
                backend,
                format!("INSERT INTO {table} (rowid, terms) VALUES (?, ?)"),
                [report_id.into(), terms.into()],
            ),
        ],
        _ => vec![Statement::from_sql_and_values(
            backend,
            format!(
                "INSERT INTO {table} (report_id, terms) VALUES ($1, $2) \
                 ON CONFLICT (report_id) DO UPDATE SET terms = EXCLUDED.terms"
            ),
            [report_id.into(), terms.into()],
        )],
    };
    for s in statements {
        db.execute_raw(s)
            .await
            .map_err(internal("writing the search index"))?;
    }
    Ok(())
}

/// Takes a report out of the public search index.
pub async fn unindex<C: ConnectionTrait>(db: &C, report_id: i64) -> Result<(), AppError> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => "DELETE FROM report_search WHERE rowid = ?",
        _ => "DELETE FROM report_search WHERE report_id = $1",
    };
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql,
        [report_id.into()],
    ))
    .await
    .map_err(internal("removing from the search index"))?;
    Ok(())
}

/// Reports whose terms in the public index match `q` (the same terms on both databases).
fn matching(backend: DbBackend, q: &SearchQuery) -> SimpleExpr {
    matching_in(backend, SearchIndex::Public, q)
}

/// Reports whose terms in `which` index match `q`.
pub(crate) fn matching_in(backend: DbBackend, which: SearchIndex, q: &SearchQuery) -> SimpleExpr {
    let table = which.table();
    match backend {
        DbBackend::Sqlite => Expr::cust_with_values(
            format!("reports.id IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)"),
            [q.fts5()],
        ),
        _ => Expr::cust_with_values(
            format!(
                "reports.id IN (SELECT report_id FROM {table} \
                 WHERE tsv @@ to_tsquery('simple', $1))"
            ),
            [q.tsquery()],
        ),
    }
}

/// Indexes for staff the reports that are not in the staff index yet (reports from before it
/// existed; idempotent; at start). Returns how many.
pub async fn index_staff_backlog<C: ConnectionTrait + TransactionTrait>(
    db: &C,
) -> Result<u64, AppError> {
    let backend = db.get_database_backend();
    let count = |sql: &'static str| async move {
        db.query_one_raw(Statement::from_string(backend, sql))
            .await
            .map_err(internal("counting the staff index"))?
            .map(|r| r.try_get::<i64>("", "n"))
            .transpose()
            .map_err(internal("reading a count"))
            .map(|n| n.unwrap_or(0))
    };
    let reports = count("SELECT COUNT(*) AS n FROM reports").await?;
    let indexed = count("SELECT COUNT(*) AS n FROM report_search_staff").await?;
    if reports == indexed {
        return Ok(0);
    }
    let missing = match backend {
        DbBackend::Sqlite => {
            "SELECT id FROM reports WHERE id NOT IN (SELECT rowid FROM report_search_staff)"
        }
        _ => "SELECT id FROM reports WHERE id NOT IN (SELECT report_id FROM report_search_staff)",
    };
    let ids: Vec<i64> = db
        .query_all_raw(Statement::from_string(backend, missing))
        .await
        .map_err(internal("finding unindexed reports"))?
        .iter()
        .map(|r| r.try_get::<i64>("", "id"))
        .collect::<Result<_, _>>()
        .map_err(internal("reading ids"))?;
    for chunk in ids.chunks(500) {
        let rows = report::Entity::find()
            .filter(report::Column::Id.is_in(chunk.to_vec()))
            .all(db)
            .await
            .map_err(internal("loading reports to index"))?;
        // One transaction per chunk: two instances starting at once take turns, and a report
        // is never left half indexed.
        let txn = db.begin().await.map_err(internal("starting transaction"))?;
        for r in rows {
            let terms = index_terms(&format!("{}\n{}", r.title, r.description));
            index_in(&txn, SearchIndex::Staff, r.id, &terms).await?;
        }
        txn.commit()
            .await
            .map_err(internal("committing the staff index"))?;
    }
    Ok(ids.len() as u64)
}

/// Publishes reports that were dispatched before publication existed (idempotent; at start).
pub async fn publish_backlog<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<u64, AppError> {
    let waiting = report::Entity::find()
        .filter(report::Column::PublishedAt.is_null())
        .filter(report::Column::Confidential.eq(false))
        .filter(report::Column::AgencyId.is_not_null())
        .all(db)
        .await
        .map_err(internal("loading unpublished reports"))?;
    let mut n = 0;
    for r in waiting {
        let p = publication(db, &r).await?;
        let txn = db.begin().await.map_err(internal("starting transaction"))?;
        report::Entity::update_many()
            .col_expr(report::Column::PublishedAt, Expr::value(now))
            .col_expr(report::Column::PublicTitle, Expr::value(p.title))
            .col_expr(report::Column::PublicText, Expr::value(p.text))
            .filter(report::Column::Id.eq(r.id))
            .filter(report::Column::PublishedAt.is_null())
            .exec(&txn)
            .await
            .map_err(internal("publishing a report"))?;
        index(&txn, r.id, &p.terms).await?;
        txn.commit()
            .await
            .map_err(internal("committing publication"))?;
        n += 1;
    }
    Ok(n)
}

/// The parsed filter, with errors for values not understood.
struct Parsed {
    search: SearchQuery,
    agency: Option<i32>,
    category: Option<i32>,
    region: Option<String>,
    kind: Option<ReportKind>,
    status: Option<ReportStatus>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    sort: PublicSort,
    /// (supporters, id) of the last row shown.
    after: Option<(i32, i64)>,
    /// Drill-down from a statistic: the measure and its months.
    measure: Option<(Measure, (i32, i32))>,
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    let local = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    DateTime::from_naive_utc_and_offset(local, Utc)
        - chrono::Duration::minutes(WIB_OFFSET_MINUTES as i64)
}

fn parse_filter(f: &PublicFilter) -> (Parsed, FieldErrors) {
    let mut errors = FieldErrors::new();
    let mut num = |v: &str, field: Field| -> Option<i32> {
        if v.is_empty() {
            return None;
        }
        let n = v.parse().ok();
        if n.is_none() {
            errors.insert(field, FieldError::Invalid);
        }
        n
    };
    let agency = num(&f.agency, Field::Agency);
    let category = num(&f.category, Field::CategoryId);
    let kind = (!f.kind.is_empty())
        .then(|| ReportKind::parse(&f.kind))
        .flatten();
    if kind.is_none() && !f.kind.is_empty() {
        errors.insert(Field::Kind, FieldError::Invalid);
    }
    let status = (!f.status.is_empty())
        .then(|| ReportStatus::parse(&f.status))
        .flatten();
    if status.is_none() && !f.status.is_empty() {
        errors.insert(Field::Kind, FieldError::Invalid);
    }
    let mut date = |v: &str, field: Field| -> Option<NaiveDate> {
        if v.is_empty() {
            return None;
        }
        let d = NaiveDate::parse_from_str(v, "%Y-%m-%d").ok();
        if d.is_none() {
            errors.insert(field, FieldError::Invalid);
        }
        d
    };
    let from = date(&f.from, Field::PeriodFrom).map(start_of);
    let to = date(&f.to, Field::PeriodTo).map(|d| start_of(d) + chrono::Duration::days(1));
    if let (Some(a), Some(b)) = (from, to) {
        if b <= a {
            errors.insert(Field::PeriodTo, FieldError::Invalid);
        }
    }
    let after = match f.after.split_once('.') {
        Some((s, i)) => s.parse().ok().zip(i.parse().ok()),
        None => f.after.parse().ok().map(|i| (0, i)),
    };
    let measure = if f.measure.is_empty() {
        None
    } else {
        let months = if f.months.is_empty() {
            Some((0, 999_999))
        } else {
            parse_months(&f.months)
        };
        match (Measure::parse(&f.measure), months) {
            (Some(m), Some(months)) => Some((m, months)),
            _ => {
                errors.insert(Field::PeriodFrom, FieldError::Invalid);
                None
            }
        }
    };
    let region = Some(f.region.clone()).filter(|r| {
        !r.is_empty() && r.len() <= 13 && r.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    });
    (
        Parsed {
            search: SearchQuery::parse(&f.q),
            agency,
            category,
            region,
            kind,
            status,
            from,
            to,
            sort: f.sort(),
            after,
            measure,
        },
        errors,
    )
}

/// A report reference typed as a search (`ADU-ABCD-EFGH`), upper-cased.
pub(crate) fn as_reference(q: &str) -> Option<String> {
    let q = q.trim().to_uppercase();
    let ok = q.len() == 13
        && q.starts_with("ADU-")
        && q.as_bytes()[8] == b'-'
        && q[4..8]
            .bytes()
            .chain(q[9..].bytes())
            .all(|b| b.is_ascii_alphanumeric());
    ok.then_some(q)
}

/// Names of the things a row shows, loaded once per page.
struct Labels {
    categories: HashMap<i32, CategoryOption>,
    regions: HashMap<String, (String, Option<String>)>,
    agencies: HashMap<i32, AgencyRef>,
}

impl Labels {
    async fn load<C: ConnectionTrait>(db: &C) -> Result<Self, AppError> {
        let categories = category::Entity::find()
            .all(db)
            .await
            .map_err(internal("loading categories"))?
            .into_iter()
            .map(|c| {
                (
                    c.id,
                    CategoryOption {
                        id: c.id,
                        name_id: c.name_id,
                        name_en: c.name_en,
                    },
                )
            })
            .collect();
        let regions = region::Entity::find()
            .all(db)
            .await
            .map_err(internal("loading regions"))?
            .into_iter()
            .map(|r| (r.code, (r.name, r.parent_code)))
            .collect();
        let agencies = super::casework::agency_refs(db).await?;
        Ok(Labels {
            categories,
            regions,
            agencies,
        })
    }

    fn region(&self, code: &str) -> Option<String> {
        let (name, parent) = self.regions.get(code)?;
        Some(match parent.as_ref().and_then(|p| self.regions.get(p)) {
            Some((p, _)) => format!("{name}, {p}"),
            None => name.clone(),
        })
    }
}

/// About `EXCERPT` characters of `text`, starting a little before the first word the search
/// matched.
const EXCERPT: usize = 220;

fn excerpt(text: &str, q: &SearchQuery) -> String {
    let first = if q.is_empty() {
        None
    } else {
        crate::domain::transparency::words(text).find(|(_, _, w)| q.matches_word(w))
    };
    let start_char = match first {
        Some((s, _, _)) => text[..s].chars().count().saturating_sub(60),
        None => 0,
    };
    let total = text.chars().count();
    let mut out: String = text.chars().skip(start_char).take(EXCERPT).collect();
    if start_char > 0 {
        out = format!("…{}", out.trim_start());
    }
    if start_char + EXCERPT < total {
        out = format!("{}…", out.trim_end());
    }
    out
}

fn public_row(
    r: &report::Model,
    labels: &Labels,
    q: &SearchQuery,
) -> Result<PublicReportRow, AppError> {
    let title = r.public_title.clone().unwrap_or_default();
    let text = r.public_text.clone().unwrap_or_default();
    Ok(PublicReportRow {
        reference: r.reference.clone(),
        kind: parse_stored(ReportKind::parse(&r.kind), "kind")?,
        title: highlight(&title, q),
        excerpt: highlight(&excerpt(&text, q), q),
        status: parse_stored(ReportStatus::parse(&r.status), "status")?,
        category: r
            .category_id
            .and_then(|c| labels.categories.get(&c).cloned()),
        region_name: r.region_code.as_deref().and_then(|c| labels.region(c)),
        agency: r
            .agency_id
            .and_then(|a| labels.agencies.get(&a).map(|a| a.name.clone())),
        created_at: r.created_at,
        utc_offset_minutes: r.utc_offset_minutes,
        supporters: r.supporters,
    })
}

/// Index windows (of `WINDOW` matches) one request may read: a common word with a filter that
/// keeps few of its matches stops there, says "refine your search", and offers the rest as the
/// next page.
pub const MAX_WINDOWS: u32 = 20;

/// One page of public reports, and whether the search stopped at its work budget.
#[derive(Clone, Debug, Default)]
pub struct Listed {
    pub rows: Vec<PublicReportRow>,
    /// The cursor of the next page (also where a stopped search goes on).
    pub next: Option<String>,
    pub errors: FieldErrors,
    /// The search read `MAX_WINDOWS` windows without filling the page: refine it.
    pub refine: bool,
}

/// The public reports `filter` selects, one page, with the next page's cursor.
pub async fn list_public<C: ConnectionTrait>(
    db: &C,
    filter: &PublicFilter,
) -> Result<(Vec<PublicReportRow>, Option<String>, FieldErrors), AppError> {
    let l = list_public_bounded(db, filter, WINDOW, MAX_WINDOWS).await?;
    Ok((l.rows, l.next, l.errors))
}

/// `list_public`, taking `window` matches from the search index at a time (tests use tiny
/// windows to cross many of them), with no budget.
pub async fn list_public_windowed<C: ConnectionTrait>(
    db: &C,
    filter: &PublicFilter,
    window: u64,
) -> Result<(Vec<PublicReportRow>, Option<String>, FieldErrors), AppError> {
    let l = list_public_bounded(db, filter, window, u32::MAX).await?;
    Ok((l.rows, l.next, l.errors))
}

/// The list with its work bounded: at most `max_windows` windows of `window` index matches.
pub async fn list_public_bounded<C: ConnectionTrait>(
    db: &C,
    filter: &PublicFilter,
    window: u64,
    max_windows: u32,
) -> Result<Listed, AppError> {
    let (p, errors) = parse_filter(filter);
    if !errors.is_empty() {
        return Ok(Listed {
            errors,
            ..Listed::default()
        });
    }
    // A reference typed in the search box finds that report (if public).
    if let Some(reference) = as_reference(&filter.q) {
        let labels = Labels::load(db).await?;
        let rows = public_reports()
            .filter(report::Column::Reference.eq(reference))
            .all(db)
            .await
            .map_err(internal("finding a public report"))?
            .iter()
            .map(|r| public_row(r, &labels, &SearchQuery::default()))
            .collect::<Result<Vec<_>, _>>()?;
        return Ok(Listed {
            rows,
            errors,
            ..Listed::default()
        });
    }
    let sort = p.sort;
    let windowed = !p.search.is_empty() && sort != PublicSort::MostSupported;
    let q = filtered(db, &p, !windowed).await?;
    let (mut found, stopped_at) = if windowed {
        search_windows(db, q, &p, std::cmp::max(window, 1), max_windows).await?
    } else {
        let rows = ordered_page(q, &p)
            .all(db)
            .await
            .map_err(internal("listing public reports"))?;
        (rows, None)
    };
    let next = if found.len() as u64 > PAGE_SIZE {
        found.truncate(PAGE_SIZE as usize);
        found.last().map(|r| match sort {
            PublicSort::MostSupported => format!("{}.{}", r.supporters, r.id),
            _ => r.id.to_string(),
        })
    } else {
        // A search stopped at its budget goes on from the last match it read.
        stopped_at.map(|id| id.to_string())
    };
    let labels = Labels::load(db).await?;
    let rows = found
        .iter()
        .map(|r| public_row(r, &labels, &p.search))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Listed {
        rows,
        next,
        errors,
        refine: stopped_at.is_some(),
    })
}

/// The keyset condition, order and page size of the list.
fn ordered_page(q: Select<report::Entity>, p: &Parsed) -> Select<report::Entity> {
    let q = match (p.sort, p.after) {
        (_, None) => q,
        (PublicSort::Newest, Some((_, id))) => q.filter(report::Column::Id.lt(id)),
        (PublicSort::Oldest, Some((_, id))) => q.filter(report::Column::Id.gt(id)),
        (PublicSort::MostSupported, Some((s, id))) => q.filter(
            Condition::any().add(report::Column::Supporters.lt(s)).add(
                Condition::all()
                    .add(report::Column::Supporters.eq(s))
                    .add(report::Column::Id.lt(id)),
            ),
        ),
    };
    let q = match p.sort {
        PublicSort::Newest => q.order_by_desc(report::Column::Id),
        PublicSort::Oldest => q.order_by_asc(report::Column::Id),
        PublicSort::MostSupported => q
            .order_by_desc(report::Column::Supporters)
            .order_by_desc(report::Column::Id),
    };
    q.limit(PAGE_SIZE + 1)
}

/// Matches taken from the search index at a time, in list order.
pub const WINDOW: u64 = 500;

/// A search ordered by date: the index gives matches newest (or oldest) first, a window at a
/// time, and the other filters keep what they keep, until a page is full, the matches run out,
/// or `max_windows` windows were read (then the last match read is returned too: the next page
/// goes on from it). (Asking the database for "all matches, then the newest 21" costs all the
/// matches.)
async fn search_windows<C: ConnectionTrait>(
    db: &C,
    q: Select<report::Entity>,
    p: &Parsed,
    window: u64,
    max_windows: u32,
) -> Result<(Vec<report::Model>, Option<i64>), AppError> {
    let backend = db.get_database_backend();
    let newest = p.sort == PublicSort::Newest;
    let (cmp, dir) = if newest { ("<", "DESC") } else { (">", "ASC") };
    let mut cursor = p.after.map(|(_, id)| id);
    let mut found: Vec<report::Model> = Vec::new();
    let mut read = 0u32;
    loop {
        if read >= max_windows {
            return Ok((found, cursor));
        }
        read += 1;
        let (sql, values): (String, Vec<sea_orm::Value>) = match (backend, cursor) {
            (DbBackend::Sqlite, None) => (
                format!("SELECT rowid AS id FROM report_search WHERE report_search MATCH ? ORDER BY rowid {dir} LIMIT {window}"),
                vec![p.search.fts5().into()],
            ),
            (DbBackend::Sqlite, Some(c)) => (
                format!("SELECT rowid AS id FROM report_search WHERE report_search MATCH ? AND rowid {cmp} ? ORDER BY rowid {dir} LIMIT {window}"),
                vec![p.search.fts5().into(), c.into()],
            ),
            (_, None) => (
                format!("SELECT report_id AS id FROM report_search WHERE tsv @@ to_tsquery('simple', $1) ORDER BY report_id {dir} LIMIT {window}"),
                vec![p.search.tsquery().into()],
            ),
            (_, Some(c)) => (
                format!("SELECT report_id AS id FROM report_search WHERE tsv @@ to_tsquery('simple', $1) AND report_id {cmp} $2 ORDER BY report_id {dir} LIMIT {window}"),
                vec![p.search.tsquery().into(), c.into()],
            ),
        };
        let ids: Vec<i64> = db
            .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .map_err(internal("searching"))?
            .iter()
            .map(|r| r.try_get::<i64>("", "id"))
            .collect::<Result<_, _>>()
            .map_err(internal("reading search results"))?;
        let Some(&last) = ids.last() else {
            break;
        };
        let want = PAGE_SIZE + 1 - found.len() as u64;
        let page = q.clone().filter(report::Column::Id.is_in(ids.clone()));
        let page = if newest {
            page.order_by_desc(report::Column::Id)
        } else {
            page.order_by_asc(report::Column::Id)
        };
        found.extend(
            page.limit(want)
                .all(db)
                .await
                .map_err(internal("listing search results"))?,
        );
        if found.len() as u64 > PAGE_SIZE || (ids.len() as u64) < window {
            break;
        }
        cursor = Some(last);
    }
    Ok((found, None))
}

/// The public reports the parsed filter selects (no order, no page); the search condition only
/// when `with_search`.
async fn filtered<C: ConnectionTrait>(
    db: &C,
    p: &Parsed,
    with_search: bool,
) -> Result<Select<report::Entity>, AppError> {
    let mut q = public_reports();
    let subtree = match p.agency {
        Some(id) => {
            let tree = super::accounts::agency_tree(db).await?;
            Some(crate::domain::access::subtree(id, &tree))
        }
        None => None,
    };
    match (p.measure, &subtree) {
        // A monthly figure counts the cases of the agency and its units, wherever the
        // report is now; public cases only (the reports are public ones anyway).
        (Some((m, (from, to))), _) if m.case_condition().is_some() => {
            let mut w = format!(
                "month BETWEEN {from} AND {to} AND confidential = false AND ({})",
                m.case_condition().unwrap_or_default()
            );
            if let Some(ids) = &subtree {
                let ids: Vec<String> = ids.iter().map(i32::to_string).collect();
                w.push_str(&format!(" AND agency_id IN ({})", ids.join(",")));
            }
            q = q.filter(Expr::cust(format!(
                "reports.id IN (SELECT report_id FROM report_cases WHERE {w})"
            )));
        }
        (measure, ids) => {
            if let Some(ids) = ids {
                q = q.filter(report::Column::AgencyId.is_in(ids.clone()));
            }
            if let Some((m, _)) = measure {
                q = q.filter(
                    report::Column::Status.is_in(super::stats::HELD.iter().map(|s| s.as_str())),
                );
                if m == Measure::OverdueNow {
                    q = q.filter(report::Column::DueAt.lt(Utc::now()));
                }
            }
        }
    }
    if let Some(c) = p.category {
        q = q.filter(report::Column::CategoryId.eq(c));
    }
    if let Some(region) = &p.region {
        q = q.filter(
            Condition::any()
                .add(report::Column::RegionCode.eq(region.as_str()))
                .add(report::Column::RegionCode.starts_with(format!("{region}."))),
        );
    }
    if let Some(k) = p.kind {
        q = q.filter(report::Column::Kind.eq(k.as_str()));
    }
    if let Some(s) = p.status {
        q = q.filter(report::Column::Status.eq(s.as_str()));
    }
    if let Some(from) = p.from {
        q = q.filter(report::Column::CreatedAt.gte(from));
    }
    if let Some(to) = p.to {
        q = q.filter(report::Column::CreatedAt.lt(to));
    }
    if with_search && !p.search.is_empty() {
        q = q.filter(matching(db.get_database_backend(), &p.search));
    }
    Ok(q)
}

/// The public list page: the rows and what the filter form offers.
pub async fn list_page<C: ConnectionTrait>(
    db: &C,
    filter: PublicFilter,
) -> Result<PublicListPage, AppError> {
    let mut filter = filter;
    let Listed {
        rows,
        next,
        errors,
        refine,
    } = list_public_bounded(db, &filter, WINDOW, MAX_WINDOWS).await?;
    filter.after = String::new();
    let (categories, provinces, regencies) = super::intake::form_options(db).await?;
    let agencies = super::agencies::choices(db).await?;
    Ok(PublicListPage {
        rows,
        next,
        refine,
        filter,
        errors,
        categories,
        provinces,
        regencies: regencies.into_iter().collect::<Vec<RegionOption>>(),
        agencies,
    })
}

/// A public report by its reference, as `viewer` (an account, if signed in) reads it.
pub async fn public_report<C: ConnectionTrait>(
    db: &C,
    reference: &str,
    viewer: Option<i64>,
) -> Result<PublicReportView, AppError> {
    let r = public_reports()
        .filter(report::Column::Reference.eq(reference.trim().to_uppercase()))
        .one(db)
        .await
        .map_err(internal("loading a public report"))?
        .ok_or(AppError::NotFound)?;
    let Details {
        kind,
        status,
        category,
        region_name,
        timeline,
    } = details(db, &r).await?;
    let names = reporter_names(db, &r).await?;
    // Only the name given on the report, as every view shows it (never the account's).
    // The name is read only when the reporter chose to show it to the public.
    let shown_name = if r.name_public && !r.anonymous {
        super::casework::shown_name(db, &r).await?
    } else {
        None
    };
    let agency_names: HashMap<i32, String> = super::casework::agency_refs(db)
        .await?
        .into_iter()
        .map(|(id, a)| (id, a.name))
        .collect();
    let answers = message::Entity::find()
        .filter(message::Column::ReportId.eq(r.id))
        .filter(message::Column::Audience.eq("reporter"))
        .filter(message::Column::Author.eq("agency"))
        .order_by_asc(message::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading answers"))?;
    let events = super::conversation::event_kinds(db, r.id).await?;
    let name_refs = as_strs(&names);
    let answers = answers
        .into_iter()
        .filter(|m| !m.body.trim().is_empty())
        .map(|m| PublicAnswer {
            at: m.created_at,
            agency: m
                .agency_id
                .and_then(|a| agency_names.get(&a).cloned())
                .unwrap_or_default(),
            event: m.event_hash.as_ref().and_then(|h| events.get(h).copied()),
            body: auto_redact(&m.body, &name_refs),
        })
        .collect();
    let viewer = match viewer {
        Some(account) => PublicViewer {
            signed_in: true,
            supported: report_support::Entity::find_by_id((r.id, account))
                .one(db)
                .await
                .map_err(internal("loading support"))?
                .is_some(),
            support_counts: super::entities::account::Entity::find_by_id(account)
                .one(db)
                .await
                .map_err(internal("loading the viewer"))?
                .is_some_and(|a| a.email_verified_at.is_some() || a.role != "citizen"),
            following: report_follow::Entity::find_by_id((r.id, account))
                .one(db)
                .await
                .map_err(internal("loading follow"))?
                .is_some(),
        },
        None => PublicViewer::default(),
    };
    Ok(PublicReportView {
        reference: r.reference.clone(),
        kind,
        title: r.public_title.clone().unwrap_or_default(),
        text: r.public_text.clone().unwrap_or_default(),
        status,
        stage: status.stage(),
        category,
        region_name,
        agency: r.agency_id.and_then(|a| agency_names.get(&a).cloned()),
        incident_date: r.incident_date,
        created_at: r.created_at,
        utc_offset_minutes: r.utc_offset_minutes,
        reporter: ReporterShown::public(r.anonymous, r.name_public, shown_name),
        timeline,
        answers,
        supporters: r.supporters,
        viewer,
    })
}

pub use crate::domain::transparency::ReaderAction;

/// The count rule in SQL: supports of accounts whose email is verified, or of staff (made by an
/// administrator); a free, unverified account's support is kept but not counted.
const COUNTED_SUPPORTS: &str = "(SELECT COUNT(*) FROM report_supports s JOIN accounts a \
     ON a.id = s.account_id WHERE s.report_id = reports.id \
     AND (a.email_verified_at IS NOT NULL OR a.role <> 'citizen'))";

/// Counts a report's supporters again under the rule (in the caller's transaction).
pub(crate) async fn recount_support<C: ConnectionTrait>(
    db: &C,
    report_id: i64,
) -> Result<(), AppError> {
    report::Entity::update_many()
        .col_expr(report::Column::Supporters, Expr::cust(COUNTED_SUPPORTS))
        .filter(report::Column::Id.eq(report_id))
        .exec(db)
        .await
        .map_err(internal("counting support"))?;
    Ok(())
}

/// Counts again every report `account` supports (its email was just verified).
pub(crate) async fn recount_supports_of<C: ConnectionTrait>(
    db: &C,
    account: i64,
) -> Result<(), AppError> {
    let supported = sea_orm::sea_query::Query::select()
        .column(report_support::Column::ReportId)
        .from(report_support::Entity)
        .and_where(report_support::Column::AccountId.eq(account))
        .to_owned();
    report::Entity::update_many()
        .col_expr(report::Column::Supporters, Expr::cust(COUNTED_SUPPORTS))
        .filter(report::Column::Id.in_subquery(supported))
        .exec(db)
        .await
        .map_err(internal("counting supports"))?;
    Ok(())
}

/// Supports or follows a public report (or takes it back): one support per account, counted on
/// the report in the same transaction, audited.
pub async fn reader_action<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    reference: &str,
    action: ReaderAction,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let account = actor.account().ok_or(AppError::Unauthorized)?;
    let r = public_reports()
        .filter(report::Column::Reference.eq(reference.trim().to_uppercase()))
        .one(db)
        .await
        .map_err(internal("loading a public report"))?
        .ok_or(AppError::NotFound)?;
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    let changed = match action {
        ReaderAction::Support => {
            let added = report_support::Entity::insert(report_support::ActiveModel {
                report_id: Set(r.id),
                account_id: Set(account),
                created_at: Set(now),
            })
            .on_conflict_do_nothing()
            .exec_without_returning(&txn)
            .await
            .map_err(internal("adding support"))?;
            let added = matches!(added, TryInsertResult::Inserted(1));
            if added {
                recount_support(&txn, r.id).await?;
            }
            added
        }
        ReaderAction::Unsupport => {
            let gone = report_support::Entity::delete_by_id((r.id, account))
                .exec(&txn)
                .await
                .map_err(internal("removing support"))?
                .rows_affected;
            if gone == 1 {
                recount_support(&txn, r.id).await?;
            }
            gone == 1
        }
        ReaderAction::Follow => {
            let added = report_follow::Entity::insert(report_follow::ActiveModel {
                report_id: Set(r.id),
                account_id: Set(account),
                created_at: Set(now),
            })
            .on_conflict_do_nothing()
            .exec_without_returning(&txn)
            .await
            .map_err(internal("following"))?;
            matches!(added, TryInsertResult::Inserted(1))
        }
        ReaderAction::Unfollow => {
            report_follow::Entity::delete_by_id((r.id, account))
                .exec(&txn)
                .await
                .map_err(internal("unfollowing"))?
                .rows_affected
                == 1
        }
    };
    if changed {
        let name = match action {
            ReaderAction::Support => "report.supported",
            ReaderAction::Unsupport => "report.support_withdrawn",
            ReaderAction::Follow => "report.followed",
            ReaderAction::Unfollow => "report.unfollowed",
        };
        audit(&txn, actor, name, format!("report:{}", r.id), None, now).await?;
    }
    txn.commit().await.map_err(internal("committing"))
}

fn found(text: &str, names: &[&str]) -> Vec<FoundPii> {
    detect_pii(text, names)
        .into_iter()
        .map(|m| FoundPii {
            kind: serde_json::to_value(m.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            text: m.text,
        })
        .collect()
}

/// `draft` of report `id` as `actor` may see it.
pub async fn draft_for<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
) -> Result<Option<PublicDraft>, AppError> {
    let r = super::casework::load_visible(db, actor, id).await?;
    let facts = super::casework::facts_of(db, &r).await?;
    draft(db, actor, &r, &facts).await
}

/// The public version as the verifier moderates it; `None` for anyone who may not.
pub async fn draft<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    r: &report::Model,
    facts: &crate::domain::access::ReportFacts,
) -> Result<Option<PublicDraft>, AppError> {
    if !can_triage(actor, facts) {
        return Ok(None);
    }
    let p = publication(db, r).await?;
    let names = reporter_names(db, r).await?;
    let names = as_strs(&names);
    let mut original = found(&r.title, &names);
    original.extend(found(&r.description, &names));
    let mut remaining = found(&p.title, &names);
    remaining.extend(found(&p.text, &names));
    Ok(Some(PublicDraft {
        title: p.title,
        text: p.text,
        published: r.published_at.is_some(),
        confidential: r.confidential,
        found: original,
        remaining,
    }))
}

/// Sets the public version of a report (verifiers; audited). The agency keeps the original. A
/// report already public is re-indexed at once.
pub async fn set_public_version<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    title: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let r = super::casework::load_visible(db, actor, id).await?;
    if !can_triage(actor, &super::casework::facts_of(db, &r).await?) {
        return Err(AppError::Forbidden);
    }
    let mut errors = FieldErrors::new();
    let title = ReportTitle::parse(title).map_err(|e| errors.insert(Field::Title, e));
    let text = ReportDescription::parse(text).map_err(|e| errors.insert(Field::Description, e));
    let (Ok(title), Ok(text)) = (title, text) else {
        return Err(AppError::Validation(errors));
    };
    let (title, text) = (title.as_ref().to_string(), text.as_ref().to_string());
    let txn = db.begin().await.map_err(internal("starting transaction"))?;
    report::Entity::update_many()
        .col_expr(report::Column::PublicTitle, Expr::value(title.clone()))
        .col_expr(report::Column::PublicText, Expr::value(text.clone()))
        .filter(report::Column::Id.eq(id))
        .exec(&txn)
        .await
        .map_err(internal("setting the public version"))?;
    if r.published_at.is_some() && !r.confidential {
        index(&txn, id, &index_terms(&format!("{title}\n{text}"))).await?;
    }
    audit(
        &txn,
        actor,
        "report.public_version_set",
        format!("report:{id}"),
        None,
        now,
    )
    .await?;
    txn.commit().await.map_err(internal("committing"))
}

/// The service of the reader's action (`crate::act`).
mod acts {
    use super::*;
    use crate::domain::transparency::ReaderAct;
    use crate::server::act::{Ctx, Serve};
    use crate::server::files::Upload;

    impl Serve for ReaderAct {
        async fn serve(self, cx: &Ctx, _: Vec<Upload>) -> Result<(), AppError> {
            let actor = cx.signed_in()?;
            reader_action(&cx.state.db, actor, &self.reference, self.action, cx.now).await
        }
    }
}
