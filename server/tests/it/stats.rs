//! Statistics on real databases, against figures computed by hand for a small fixed dataset:
//! every figure of an agency (and its parent), public (confidential left out) and oversight
//! (confidential in), by month, with the index, and the drill-down to the reports behind them.

use crate::common;

use common::get_as;

use app::domain::lifecycle::{Command, Role};
use app::domain::views::PublicFilter;
use app::domain::ReportForm;
use app::server::lifecycle::transition;
use app::server::stats::{counts, grouped, GroupBy, Scope};
use chrono::{DateTime, TimeZone, Utc};
use sea_orm::DatabaseConnection;

const PROV: i32 = 1;
const DINKES: i32 = 2;
const PUPR: i32 = 3;

/// 10:00 WITA on a day of 2026.
fn at(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 2, 0, 0).unwrap()
}

async fn report(
    db: &DatabaseConnection,
    title: &str,
    confidential: bool,
    when: DateTime<Utc>,
) -> (i64, String) {
    let receipt = app::server::intake::submit_form(
        db,
        &ReportForm {
            kind: "complaint".into(),
            title: title.into(),
            description: format!(
                "{title}: uraian yang cukup panjang untuk diterima oleh formulir."
            ),
            category_id: "1".into(),
            province: "76".into(),
            regency: "76.04".into(),
            confidential,
            ..Default::default()
        },
        when,
    )
    .await
    .unwrap();
    (
        common::report_id(db, &receipt.reference).await,
        receipt.reference,
    )
}

async fn step(db: &DatabaseConnection, id: i64, command: Command, role: Role, when: DateTime<Utc>) {
    transition(db, id, &command, role, None, when)
        .await
        .unwrap_or_else(|e| panic!("{command:?} at {when}: {e:?}"));
}

fn dispatch(agency: i32) -> Command {
    Command::Dispatch {
        agency,
        needs_investigation: false,
    }
}

fn scope(agencies: &[i32], confidential: bool) -> Scope {
    Scope {
        agencies: Some(agencies.to_vec()),
        from: 202611,
        to: 202611,
        confidential,
    }
}

/// The fixed dataset (see each report's comment); returns the references R1…R6.
async fn dataset(db: &DatabaseConnection) -> [String; 6] {
    let officer = Role::AgencyOfficer;
    // R1: followed up after 1 working day, answered in time, confirmed with 5 stars.
    let (r1, ref1) = report(db, "Satu jalan berlubang", false, at(11, 1)).await;
    step(db, r1, dispatch(PUPR), Role::Verifier, at(11, 2)).await;
    step(db, r1, Command::FollowUp, officer, at(11, 3)).await;
    step(db, r1, Command::Answer, officer, at(11, 5)).await;
    step(
        db,
        r1,
        Command::Confirm { rating: 5 },
        Role::Reporter,
        at(11, 6),
    )
    .await;
    // R2: first follow-up after 7 working days, answered after the deadline, closed
    // without the reporter's confirmation.
    let (r2, ref2) = report(db, "Dua drainase tersumbat", false, at(11, 1)).await;
    step(db, r2, dispatch(PUPR), Role::Verifier, at(11, 2)).await;
    step(db, r2, Command::FollowUp, officer, at(11, 11)).await;
    step(db, r2, Command::Answer, officer, at(12, 3)).await;
    step(db, r2, Command::RemindReporter, Role::System, at(12, 10)).await;
    step(db, r2, Command::CloseUnconfirmed, Role::System, at(12, 17)).await;
    // R3: returned by PUPR as not its business, re-dispatched to Dinkes, followed up after 3.
    let (r3, ref3) = report(db, "Tiga puskesmas tutup", false, at(11, 1)).await;
    step(db, r3, dispatch(PUPR), Role::Verifier, at(11, 2)).await;
    step(db, r3, Command::ReturnNotOurs, Role::AgencyAdmin, at(11, 2)).await;
    step(db, r3, dispatch(DINKES), Role::Verifier, at(11, 3)).await;
    step(db, r3, Command::FollowUp, officer, at(11, 6)).await;
    // R4: no follow-up at all: open, and overdue after 5 working days.
    let (r4, ref4) = report(db, "Empat lampu padam", false, at(11, 1)).await;
    step(db, r4, dispatch(PUPR), Role::Verifier, at(11, 2)).await;
    // R5: confidential, followed up after 2: only in the oversight figures.
    let (r5, ref5) = report(db, "Lima pungutan liar", true, at(11, 1)).await;
    step(db, r5, dispatch(PUPR), Role::Verifier, at(11, 2)).await;
    step(db, r5, Command::FollowUp, officer, at(11, 4)).await;
    // R6: October, followed up the same day.
    let (r6, ref6) = report(db, "Enam trotoar rusak", false, at(10, 4)).await;
    step(db, r6, dispatch(PUPR), Role::Verifier, at(10, 5)).await;
    step(db, r6, Command::FollowUp, officer, at(10, 5)).await;

    [ref1, ref2, ref3, ref4, ref5, ref6]
}

#[tokio::test]
async fn every_figure_matches_the_hand_computed_one() {
    for t in common::databases().await {
        let db = &t.db;
        let [ref1, ref2, ref3, ref4, ref5, ref6] = dataset(db).await;
        let now = at(11, 20);
        // The overdue job marks R4 (no follow-up) and R6 (no answer) late: their deadlines lapsed.
        app::server::lifecycle::run_jobs(db, now).await.unwrap();
        // PUPR, November, public: R1, R2, R3 (returned), R4.
        let c = counts(db, &scope(&[PUPR], false), now).await.unwrap();
        assert_eq!(
            (c.received, c.bounced, c.handled(), c.delegated),
            (4, 1, 3, 0),
            "{}",
            t.backend
        );
        assert_eq!((c.first_follow_up_in_time, c.followed_up), (1, 2));
        assert_eq!(c.follow_up_days, vec![(1, 1), (7, 1)]);
        assert_eq!(c.median_follow_up_days(), Some(4.0));
        assert_eq!((c.completed, c.completed_on_time), (2, 1));
        // Decided: follow-up R1 (in time), R2 (late), R4 (lapsed); completion R1 (in time), R2
        // (late) — R4's completion is not due yet, R3's case was returned.
        assert_eq!(
            (c.first_follow_up_decided, c.completion_decided),
            (3, 2),
            "{}",
            t.backend
        );
        assert_eq!((c.first_follow_up_late(), c.completed_late()), (2, 1));
        assert_eq!(c.on_time_share(), Some(0.5));
        assert_eq!((c.confirmed, c.closed_unconfirmed), (1, 1));
        assert_eq!(c.confirmed_share(), Some(0.5));
        assert_eq!(c.average_rating(), Some(5.0));
        // Held now, whatever the month: R4 (no follow-up) and R6 (in process since October,
        // past its 14 working days): both late.
        assert_eq!(
            (c.open_now, c.overdue_now),
            (2, 2),
            "R4 and R6 are held and late"
        );
        assert_eq!(c.index(), None, "4 cases: too few for an index");

        // Oversight adds R5 (followed up after 2, held, not late).
        let o = counts(db, &scope(&[PUPR], true), now).await.unwrap();
        assert_eq!(
            (o.received, o.first_follow_up_in_time, o.followed_up),
            (5, 2, 3)
        );
        assert_eq!(o.median_follow_up_days(), Some(2.0));
        assert_eq!((o.open_now, o.overdue_now), (3, 2));

        // The province (PUPR + Dinkes), public: five cases.
        let p = counts(db, &scope(&[PROV, DINKES, PUPR], false), now)
            .await
            .unwrap();
        assert_eq!(
            (
                p.received,
                p.bounced,
                p.first_follow_up_in_time,
                p.followed_up
            ),
            (5, 1, 2, 3)
        );
        assert_eq!(p.median_follow_up_days(), Some(3.0));
        // Follow-up decided for R1, R2, R3 at Dinkes, R4: 2 of 4 in time; completion decided for
        // R1 and R2: 1 of 2 (R3 at Dinkes and R4 are still inside their completion deadline).
        // 100 × (0.3×2/4 + 0.3×1/2 + 0.2×1/2 + 0.1×(5−1)/4 + 0.1×(1−1/5)) = 58.0
        assert_eq!(p.index(), Some(58.0));

        // The aggregates kept step by step equal those rebuilt from the cases.
        let scopes = [
            scope(&[PUPR], false),
            scope(&[PUPR], true),
            scope(&[PROV, DINKES, PUPR], false),
        ];
        let mut kept = Vec::new();
        for sc in &scopes {
            kept.push(counts(db, sc, now).await.unwrap());
        }
        app::server::stats::rebuild_aggregates(db).await.unwrap();
        for (sc, k) in scopes.iter().zip(kept) {
            assert_eq!(
                counts(db, sc, now).await.unwrap(),
                k,
                "{sc:?} on {}",
                t.backend
            );
        }

        // By agency and by month.
        let by_agency = grouped(db, &scope(&[PROV, DINKES, PUPR], false), GroupBy::Agency)
            .await
            .unwrap();
        assert_eq!(by_agency[&Some(PUPR.to_string())].received, 4);
        assert_eq!(by_agency[&Some(DINKES.to_string())].received, 1);
        assert_eq!(
            by_agency[&Some(DINKES.to_string())].follow_up_days,
            vec![(3, 1)]
        );
        let year = Scope {
            agencies: Some(vec![PUPR]),
            from: 202601,
            to: 202612,
            confidential: false,
        };
        let by_month = grouped(db, &year, GroupBy::Month).await.unwrap();
        let per_month: Vec<(String, i64)> = by_month
            .iter()
            .map(|(k, c)| (k.clone().unwrap(), c.received))
            .collect();
        assert_eq!(
            per_month,
            vec![("202610".to_string(), 1), ("202611".to_string(), 4)]
        );

        // Drill-down: the reports behind a figure are the public reports it counts.
        let drill = |measure: &str, agency: i32| PublicFilter {
            measure: measure.into(),
            months: "2026-11..2026-11".into(),
            agency: agency.to_string(),
            ..Default::default()
        };
        let refs = |f: PublicFilter| async move {
            let (rows, _, errors) = app::server::transparency::list_public(db, &f)
                .await
                .unwrap();
            assert!(errors.is_empty(), "{errors:?}");
            let mut r: Vec<String> = rows.into_iter().map(|r| r.reference).collect();
            r.sort();
            r
        };
        let sorted = |v: &[&String]| {
            let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        };
        assert_eq!(
            refs(drill("diterima", PUPR)).await,
            sorted(&[&ref1, &ref2, &ref3, &ref4])
        );
        assert_eq!(refs(drill("dikembalikan", PUPR)).await, sorted(&[&ref3]));
        assert_eq!(
            refs(drill("tindak_lanjut_tepat", PUPR)).await,
            sorted(&[&ref1])
        );
        assert_eq!(
            refs(drill("tindak_lanjut_terlambat", PUPR)).await,
            sorted(&[&ref2, &ref4])
        );
        assert_eq!(refs(drill("selesai_tepat", PUPR)).await, sorted(&[&ref1]));
        assert_eq!(
            refs(drill("selesai_terlambat", PUPR)).await,
            sorted(&[&ref2])
        );
        assert_eq!(refs(drill("dikonfirmasi", PUPR)).await, sorted(&[&ref1]));
        assert_eq!(
            refs(drill("tanpa_konfirmasi", PUPR)).await,
            sorted(&[&ref2])
        );
        assert_eq!(
            refs(drill("diterima", PROV)).await,
            sorted(&[&ref1, &ref2, &ref3, &ref4])
        );
        // Never the confidential one, whatever the measure.
        for m in [
            "diterima",
            "tindak_lanjut_tepat",
            "terbuka",
            "terlambat_sekarang",
        ] {
            assert!(!refs(drill(m, PUPR)).await.contains(&ref5), "{m}");
        }
        assert_eq!(refs(drill("terbuka", PUPR)).await, sorted(&[&ref4, &ref6]));

        // Made confidential later: out of the public figures at once, still in oversight.
        let verifier =
            common::add_account(db, "verifier", None, "verifikator@uji.example.org").await;
        let v = app::domain::access::Actor::Staff(app::domain::access::StaffActor {
            account: verifier,
            role: app::domain::access::AccountRole::Verifier,
            agency: None,
            scope: vec![],
        });
        let r1 = common::report_id(db, &ref1).await;
        app::server::casework::raise_privacy(db, &v, r1, false, true, chrono::Utc::now())
            .await
            .unwrap();
        let c = counts(db, &scope(&[PUPR], false), now).await.unwrap();
        assert_eq!(
            (c.received, c.confirmed, c.rating_count),
            (3, 0, 0),
            "{}",
            t.backend
        );
        assert_eq!(
            counts(db, &scope(&[PUPR], true), now)
                .await
                .unwrap()
                .received,
            5
        );
        assert!(!refs(drill("diterima", PUPR)).await.contains(&ref1));
        assert_eq!(
            refs(drill("terlambat_sekarang", PUPR)).await,
            sorted(&[&ref4, &ref6])
        );
        t.cleanup().await;
    }
}

/// The case: an agency that answered everything on time, with more reports still inside
/// their deadline, scores 100 on timeliness; once a deadline passes unanswered, that report (and
/// only it) counts as late.
#[tokio::test]
async fn reports_inside_their_deadline_count_neither_way() {
    for t in common::databases().await {
        let db = &t.db;
        let officer = Role::AgencyOfficer;
        for i in 0..5 {
            let (id, _) = report(db, &format!("Jalan rusak nomor {i}"), false, at(11, 2)).await;
            step(db, id, dispatch(PUPR), Role::Verifier, at(11, 2)).await;
            step(db, id, Command::FollowUp, officer, at(11, 3)).await;
            step(db, id, Command::Answer, officer, at(11, 5)).await;
        }
        let mut waiting = Vec::new();
        for i in 0..5 {
            let (id, reference) =
                report(db, &format!("Lampu jalan padam {i}"), false, at(11, 16)).await;
            step(db, id, dispatch(PUPR), Role::Verifier, at(11, 16)).await;
            waiting.push(reference);
        }
        // Wednesday 18 November: the five new ones are inside their 5 working days.
        let now = at(11, 18);
        app::server::lifecycle::run_jobs(db, now).await.unwrap();
        let c = counts(db, &scope(&[PUPR], false), now).await.unwrap();
        assert_eq!(c.received, 10, "{}", t.backend);
        assert_eq!(
            (c.first_follow_up_decided, c.completion_decided),
            (5, 5),
            "{}",
            t.backend
        );
        assert_eq!(c.first_follow_up_share(), Some(1.0));
        assert_eq!(c.on_time_share(), Some(1.0));
        assert_eq!((c.first_follow_up_late(), c.completed_late()), (0, 0));
        // Nothing returned, nothing closed or rated yet: every component present is full.
        assert_eq!(c.index(), Some(100.0), "{}", t.backend);

        // Wednesday 25 November: the five passed their follow-up deadline untouched.
        let later = at(11, 25);
        app::server::lifecycle::run_jobs(db, later).await.unwrap();
        let c = counts(db, &scope(&[PUPR], false), later).await.unwrap();
        assert_eq!(
            (c.first_follow_up_decided, c.first_follow_up_in_time),
            (10, 5),
            "{}",
            t.backend
        );
        assert_eq!(c.first_follow_up_share(), Some(0.5));
        // Their completion is not due: on time stays 5 of 5.
        assert_eq!(c.completion_decided, 5);
        assert_eq!(c.on_time_share(), Some(1.0));
        let late = app::server::transparency::list_public(
            db,
            &PublicFilter {
                measure: "tindak_lanjut_terlambat".into(),
                months: "2026-11..2026-11".into(),
                agency: PUPR.to_string(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .0;
        let mut late: Vec<String> = late.into_iter().map(|r| r.reference).collect();
        late.sort();
        waiting.sort();
        assert_eq!(late, waiting);
        // Kept step by step (through the job's audited events) equals rebuilt from the cases.
        app::server::stats::rebuild_aggregates(db).await.unwrap();
        assert_eq!(counts(db, &scope(&[PUPR], false), later).await.unwrap(), c);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn the_statistics_page_charts_files_and_oversight_over_http() {
    use http::StatusCode;
    for t in common::databases().await {
        let db = &t.db;
        let [ref1, _, _, ref4, ref5, _] = dataset(db).await;
        let router = server::startup::router(db.clone(), &common::settings(100)).unwrap();
        let q = format!("instansi={PUPR}&dari=2026-11&sampai=2026-11");

        // The page is complete in the first HTML (no JavaScript needed): figures, ranking,
        // charts as images, CSV links, drill-down links.
        let page = common::send(&router, get_as(&format!("/statistik?{q}"), None)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", t.backend);
        assert!(page.body.contains("data-testid=\"figures\""));
        assert!(page
            .body
            .contains("/statistik/grafik/tren.svg?instansi=3&amp;dari=2026-11&amp;sampai=2026-11"));
        assert!(page
            .body
            .contains("ukuran=diterima&amp;instansi=3&amp;bulan=2026-11..2026-11"));
        // Follow-up decided for R1 (in time) and R2 (late); R4 is past its deadline but not
        // marked until the overdue job runs, so not judged yet: 1 of 2, 50,0%.
        assert!(
            page.body.contains("1 (50,0%)"),
            "first follow-up share shown"
        );
        let bad = common::send(&router, get_as("/statistik?dari=2026-13", None)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("f-from-error"));

        // Charts: SVG with a title and the numbers in the description.
        for name in ["tren", "kategori", "peringkat", "peta"] {
            let res = common::send(
                &router,
                get_as(&format!("/statistik/grafik/{name}.svg?{q}"), None),
            )
            .await;
            assert_eq!(res.status, StatusCode::OK, "{name}");
            assert_eq!(res.headers[http::header::CONTENT_TYPE], "image/svg+xml");
            assert!(
                res.body.starts_with("<svg") && res.body.contains("<title"),
                "{name}"
            );
        }
        let map = common::send(
            &router,
            get_as(&format!("/statistik/grafik/peta.svg?{q}"), None),
        )
        .await;
        assert!(map.body.contains("Kabupaten Mamuju: 4"), "{}", map.body);

        // CSV: public figures leave the confidential report out (4 received, not 5).
        let csv = common::send(
            &router,
            get_as(&format!("/statistik/ringkasan.csv?{q}"), None),
        )
        .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.headers[http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv"));
        let lines: Vec<&str> = csv.body.lines().collect();
        assert!(lines[0].starts_with("agency,from,to,received,"));
        assert!(
            lines[1].starts_with("76-PUPR,2026-11,2026-11,4,0,1,1,"),
            "{}",
            lines[1]
        );
        let ranking = common::send(
            &router,
            get_as(
                "/statistik/peringkat.csv?instansi=1&dari=2026-11&sampai=2026-11",
                None,
            ),
        )
        .await;
        assert!(ranking.body.contains("76-PUPR") && ranking.body.contains("76-DINKES"));
        // The drill-down lists public reports only.
        let drill = common::send(
            &router,
            get_as(
                "/laporan?ukuran=diterima&instansi=3&bulan=2026-11..2026-11",
                None,
            ),
        )
        .await;
        assert!(drill.body.contains(&ref1) && !drill.body.contains(&ref5));
        assert!(drill.body.contains("data-testid=\"drill-down\""));

        // The JSON API gives the same public figures.
        let api = common::send(&router, get_as(&format!("/api/v1/statistics?{q}"), None)).await;
        assert_eq!(api.status, StatusCode::OK);
        assert_eq!(api.json()["counts"]["received"], 4);

        // Oversight: nobody signed in is refused; a supervisor of PUPR sees its confidential
        // report in the figures and the overdue list; another agency is refused.
        let res = common::send(
            &router,
            get_as(&format!("/pengawasan/ringkasan.csv?{q}"), None),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        let supervisor = common::add_account(
            db,
            "supervisor",
            Some("76-PUPR"),
            "pengawas@uji.example.org",
        )
        .await;
        let secret = common::enable_totp(db, supervisor).await;
        let cookie = common::session_cookie_totp(
            &router,
            "pengawas@uji.example.org",
            common::TEST_PASSWORD,
            Some(common::code_now(&secret)),
        )
        .await;
        let csv = common::send(
            &router,
            get_as(&format!("/pengawasan/ringkasan.csv?{q}"), Some(&cookie)),
        )
        .await;
        assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
        assert!(
            csv.body
                .lines()
                .nth(1)
                .unwrap()
                .starts_with("76-PUPR,2026-11,2026-11,5,"),
            "{}",
            csv.body
        );
        let overdue =
            common::send(&router, get_as("/pengawasan/terlambat.csv", Some(&cookie))).await;
        // Today R4, R6 and the confidential R5 (due 24 November) are all late; oversight lists
        // the confidential one too.
        assert_eq!(overdue.body.lines().count(), 4, "{}", overdue.body);
        assert!(overdue.body.contains(&ref5) && overdue.body.contains(",true"));
        let page = common::send(&router, get_as("/pengawasan", Some(&cookie))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("data-testid=\"overdue\""));
        // Its drill-down opens the work list, confidential reports included.
        assert!(
            page.body.contains("/staf?ukuran=diterima"),
            "oversight links to the work list"
        );
        let drill = common::send(
            &router,
            get_as(
                "/staf?ukuran=diterima&instansi=3&bulan=2026-11..2026-11",
                Some(&cookie),
            ),
        )
        .await;
        assert_eq!(drill.status, StatusCode::OK);
        assert!(
            drill.body.contains(&ref5) && drill.body.contains(&ref1),
            "{}",
            t.backend
        );
        assert!(drill.body.contains("data-testid=\"drill-down\""));
        let late = common::send(
            &router,
            get_as(
                "/staf?ukuran=tindak_lanjut_tepat&instansi=3&bulan=2026-11..2026-11",
                Some(&cookie),
            ),
        )
        .await;
        assert!(late.body.contains(&ref1) && late.body.contains(&ref5));
        assert!(!late.body.contains(&ref4), "R4 was never followed up");
        let other = common::send(
            &router,
            get_as(
                &format!("/pengawasan/ringkasan.csv?instansi={DINKES}"),
                Some(&cookie),
            ),
        )
        .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        // The public terlambat file does not exist.
        let res = common::send(&router, get_as("/statistik/terlambat.csv", None)).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn agency_heads_get_a_weekly_digest_once_per_week() {
    use app::server::entities::{agency, outbox};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for t in common::databases().await {
        let db = &t.db;
        let [_, _, _, ref4, ref5, _] = dataset(db).await;
        for (id, email) in [
            (PUPR, "kepala.pupr@uji.example.org"),
            (DINKES, "kepala.dinkes@uji.example.org"),
        ] {
            agency::Entity::update_many()
                .col_expr(
                    agency::Column::HeadEmail,
                    sea_orm::sea_query::Expr::value(email),
                )
                .col_expr(
                    agency::Column::HeadName,
                    sea_orm::sea_query::Expr::value("Ir. Uji"),
                )
                .filter(agency::Column::Id.eq(id))
                .exec(db)
                .await
                .unwrap();
        }
        // Monday 30 November 2026, 06:00 WIB: not yet; 08:00 WIB: one each.
        let early = Utc.with_ymd_and_hms(2026, 11, 29, 23, 0, 0).unwrap();
        assert_eq!(
            app::server::digest::plan_weekly(db, early).await.unwrap(),
            0
        );
        let monday = Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap();
        assert_eq!(
            app::server::digest::plan_weekly(db, monday).await.unwrap(),
            2,
            "{}",
            t.backend
        );
        // Again the same week (another instance, a later minute): nothing more.
        assert_eq!(
            app::server::digest::plan_weekly(db, monday + chrono::Duration::hours(30))
                .await
                .unwrap(),
            0
        );
        let mails = outbox::Entity::find()
            .filter(outbox::Column::Event.eq("weekly_digest"))
            .all(db)
            .await
            .unwrap();
        assert_eq!(mails.len(), 2);
        let pupr = mails
            .iter()
            .find(|m| m.recipient == "kepala.pupr@uji.example.org")
            .unwrap();
        assert!(pupr.subject.contains("2026-W49"), "{}", pupr.subject);
        // Its figures for September–November (confidential R5 and October's R6 included: 6
        // received), its rank, its overdue reports.
        assert!(
            pupr.body_text.contains("Laporan diterima (3 bulan): 6"),
            "{}",
            pupr.body_text
        );
        assert!(pupr.body_text.contains("Peringkat: "), "{}", pupr.body_text);
        assert!(pupr.body_text.contains(&ref4) && pupr.body_text.contains(&ref5));
        assert!(pupr.body_html.contains("/statistik?instansi=3"));
        // The next week: again one each.
        let next = monday + chrono::Duration::days(7);
        assert_eq!(app::server::digest::plan_weekly(db, next).await.unwrap(), 2);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn synthetic_data_loads_with_its_cases_aggregates_and_search_terms() {
    use sea_orm::{ConnectionTrait, Statement};
    for t in common::databases().await {
        let db = &t.db;
        let added = server::synthetic::generate(db, 600, 7).await.unwrap();
        assert_eq!(added.reports, 600);
        let count = |sql: &str| {
            let sql = sql.to_string();
            async move {
                db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                    .await
                    .unwrap()
                    .unwrap()
                    .try_get::<i64>("", "n")
                    .unwrap()
            }
        };
        assert_eq!(count("SELECT COUNT(*) AS n FROM reports").await, 600);
        let public_cases =
            count("SELECT COUNT(*) AS n FROM report_cases WHERE confidential = false").await;
        let all = Scope {
            agencies: None,
            from: 200001,
            to: 210012,
            confidential: false,
        };
        let c = counts(db, &all, Utc::now()).await.unwrap();
        assert_eq!(c.received, public_cases, "{}", t.backend);
        assert!(c.first_follow_up_in_time > 0 && c.confirmed > 0, "{c:?}");
        // Public, searchable, and the bench runs.
        let (rows, _, _) = app::server::transparency::list_public(
            db,
            &PublicFilter {
                q: "jalan".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(rows.len(), 20);
        let table = server::synthetic::bench_stats(db, 6).await.unwrap();
        assert!(table.starts_with("| 600 reports, 6 rounds |"), "{table}");
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_delegated_case_counts_for_the_unit_and_every_agency_above_it() {
    use app::domain::access::{AccountRole, Actor, StaffActor};
    for t in common::databases().await {
        let db = &t.db;
        let admin = common::add_account(db, "system_admin", None, "admin@uji.example.org").await;
        let admin = Actor::Staff(StaffActor {
            account: admin,
            role: AccountRole::SystemAdmin,
            agency: None,
            scope: vec![],
        });
        let unit = app::server::agencies::create(
            db,
            &admin,
            &app::server::agencies::AgencyInput {
                code: "76-PUPR-BM".into(),
                name: "Bidang Bina Marga".into(),
                parent_code: Some("76-PUPR".into()),
                kind: Some("unit".into()),
                ..Default::default()
            },
            Utc::now(),
        )
        .await
        .unwrap();
        let (id, _) = report(db, "Jalan poros amblas", false, at(11, 1)).await;
        step(db, id, dispatch(PUPR), Role::Verifier, at(11, 2)).await;
        step(
            db,
            id,
            Command::Delegate { unit },
            Role::AgencyAdmin,
            at(11, 2),
        )
        .await;
        step(db, id, Command::FollowUp, Role::AgencyOfficer, at(11, 4)).await;
        let now = at(11, 20);
        let of = |ids: &[i32]| {
            let sc = scope(ids, false);
            async move { counts(db, &sc, now).await }
        };
        // The unit holds the case; PUPR (with its units) and the province count it too.
        let u = of(&[unit]).await.unwrap();
        assert_eq!(
            (u.received, u.delegated, u.first_follow_up_in_time),
            (1, 1, 1),
            "{}",
            t.backend
        );
        let p = of(&[PUPR, unit]).await.unwrap();
        assert_eq!((p.received, p.delegated, p.open_now), (1, 1, 1));
        assert_eq!(
            of(&[PUPR]).await.unwrap().received,
            0,
            "PUPR alone no longer holds it"
        );
        assert_eq!(of(&[PROV, DINKES, PUPR, unit]).await.unwrap().received, 1);
        // PUPR's statistics page ranks its units.
        let page = app::server::stats::page(
            db,
            &app::domain::views::StatsFilter {
                agency: PUPR.to_string(),
                from: "2026-11".into(),
                to: "2026-11".into(),
            },
            None,
            now,
        )
        .await
        .unwrap();
        assert_eq!(page.counts.delegated, 1);
        assert_eq!(page.ranking.len(), 1);
        assert_eq!(page.ranking[0].agency.id, unit);
        assert_eq!(page.ranking[0].counts.received, 1);
        t.cleanup().await;
    }
}
