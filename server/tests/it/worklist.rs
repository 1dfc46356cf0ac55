//! The work list for a working day, on real databases: the count and 50-row keyset pages that
//! neither skip nor repeat a report, the orders, what "needs me now" means for each role, and
//! assigning (one report or many at once) — who may assign what to whom, all or none, audited,
//! and released when the report changes hands.

use crate::common;

use app::domain::access::{AccountRole, Actor, StaffActor};
use app::domain::casework::{Assign, ListFilter};
use app::domain::lifecycle::{Command, Role};
use app::domain::{AppError, Field, FieldError, ReportForm, ReportStatus};
use app::server::casework::{self, PAGE_SIZE};
use app::server::entities::{audit_log, report, report_event};
use app::server::{accounts, lifecycle};
use chrono::{Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashSet;

const DINKES: i32 = 2;
const PUPR: i32 = 3;

fn staff(account: i64, role: AccountRole, agency: Option<i32>) -> Actor {
    Actor::Staff(StaffActor {
        account,
        role,
        agency,
        scope: match agency {
            Some(a) if role.is_agency_scoped() => vec![a],
            _ => vec![],
        },
    })
}

async fn account(db: &DatabaseConnection, role: &str, agency: Option<&str>, tag: &str) -> i64 {
    accounts::create_account(
        db,
        &accounts::NewAccount {
            login: format!("{role}-{tag}@uji.example.org"),
            display_name: format!("Petugas {tag}"),
            password: "kata sandi uji 2026".into(),
            role: role.into(),
            agency_code: agency.map(str::to_string),
        },
        None,
        Utc::now(),
    )
    .await
    .unwrap()
}

async fn submit(db: &DatabaseConnection, title: &str) -> i64 {
    let receipt = app::server::intake::submit_form(
        db,
        &ReportForm {
            kind: "complaint".into(),
            title: title.into(),
            description: format!("{title}: uraian yang cukup panjang untuk diterima formulir."),
            category_id: "1".into(),
            province: "76".into(),
            regency: "76.04".into(),
            ..Default::default()
        },
        Utc::now(),
    )
    .await
    .unwrap();
    common::report_id(db, &receipt.reference).await
}

async fn assigned(db: &DatabaseConnection, id: i64) -> Option<i64> {
    report::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .assigned_to
}

/// Every page of a list, following the cursors; the ids in order.
async fn all_pages(db: &DatabaseConnection, actor: &Actor, filter: &ListFilter) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut f = filter.clone();
    let mut pages = 0;
    loop {
        let page = casework::work_list(db, actor, &f, Utc::now())
            .await
            .unwrap();
        assert!(page.rows.len() as u64 <= PAGE_SIZE);
        ids.extend(page.rows.iter().map(|r| r.id));
        pages += 1;
        match page.next {
            Some(c) => f.after = Some(c),
            None => break,
        }
        assert!(pages < 20, "paging does not end");
    }
    ids
}

#[tokio::test]
async fn pages_of_fifty_neither_skip_nor_repeat_in_every_order() {
    for t in common::databases().await {
        let db = &t.db;
        let v = account(db, "verifier", None, "v").await;
        let verifier = staff(v, AccountRole::Verifier, None);
        let mut ids = Vec::new();
        for i in 0..120 {
            ids.push(submit(db, &format!("Laporan kerja nomor {i}")).await);
        }
        // Three urgent, five high: they lead the default order whatever their age.
        for &id in &ids[100..103] {
            casework::set_priority(db, &verifier, id, 2, Utc::now())
                .await
                .unwrap();
        }
        for &id in &ids[50..55] {
            casework::set_priority(db, &verifier, id, 1, Utc::now())
                .await
                .unwrap();
        }
        // Some reports age: their verification deadline is sooner.
        for &id in &ids[10..20] {
            report::Entity::update_many()
                .col_expr(
                    report::Column::DueAt,
                    sea_orm::sea_query::Expr::value(Utc::now() - Duration::days(2)),
                )
                .filter(report::Column::Id.eq(id))
                .exec(db)
                .await
                .unwrap();
        }
        let first = casework::work_list(db, &verifier, &ListFilter::default(), Utc::now())
            .await
            .unwrap();
        assert_eq!(first.total, 120, "{}", t.backend);
        assert_eq!(first.rows.len(), 50);
        assert!(first.next.is_some());
        let urgent: Vec<i64> = first.rows[..3].iter().map(|r| r.id).collect();
        assert_eq!(
            urgent,
            ids[100..103].to_vec(),
            "urgent first, oldest first among them"
        );
        let high: Vec<i64> = first.rows[3..8].iter().map(|r| r.id).collect();
        assert_eq!(high, ids[50..55].to_vec());
        // Then the overdue ones (their deadline passed two days ago).
        let late: Vec<i64> = first.rows[8..18].iter().map(|r| r.id).collect();
        assert_eq!(late, ids[10..20].to_vec());

        for sort in [None, Some("tenggat"), Some("terbaru"), Some("terlama")] {
            let f = ListFilter {
                sort: sort.map(str::to_string),
                ..Default::default()
            };
            let seen = all_pages(db, &verifier, &f).await;
            assert_eq!(seen.len(), 120, "{sort:?} on {}", t.backend);
            let unique: HashSet<i64> = seen.iter().copied().collect();
            assert_eq!(unique.len(), 120, "{sort:?}: a report repeated");
            // Each order is the one asked for.
            match sort {
                Some("terbaru") => assert!(seen.windows(2).all(|w| w[0] > w[1])),
                Some("terlama") => assert!(seen.windows(2).all(|w| w[0] < w[1])),
                Some("tenggat") => assert_eq!(&seen[..10], &ids[10..20]),
                _ => assert_eq!(&seen[..3], &ids[100..103]),
            }
        }
        // A report arriving while someone pages is not repeated, nor does it shift the pages.
        let page1 = casework::work_list(db, &verifier, &ListFilter::default(), Utc::now())
            .await
            .unwrap();
        submit(db, "Laporan yang datang di tengah").await;
        let page2 = casework::work_list(
            db,
            &verifier,
            &ListFilter {
                after: page1.next.clone(),
                ..Default::default()
            },
            Utc::now(),
        )
        .await
        .unwrap();
        let one: HashSet<i64> = page1.rows.iter().map(|r| r.id).collect();
        assert!(page2.rows.iter().all(|r| !one.contains(&r.id)));
        // A cursor that is not one of ours is a refusal, not a guess.
        assert!(matches!(
            casework::work_list(
                db,
                &verifier,
                &ListFilter {
                    after: Some("kemarin".into()),
                    ..Default::default()
                },
                Utc::now()
            )
            .await,
            Err(AppError::Validation(_))
        ));
        // The JSON list: the same page, with the total and the next page's cursor in headers.
        let router = server::startup::router(db.clone(), &common::settings(100)).unwrap();
        let email = "verif-json@uji.example.org";
        let acc = common::add_account(db, "verifier", None, email).await;
        let secret = common::enable_totp(db, acc).await;
        let cookie = common::session_cookie_totp(
            &router,
            email,
            common::TEST_PASSWORD,
            Some(common::code_now(&secret)),
        )
        .await;
        let mut after = String::new();
        let mut seen = HashSet::new();
        for page in 0..3 {
            let res = common::send(
                &router,
                common::get_as(
                    &format!("/api/v1/staff/reports?sort=terlama&after={after}"),
                    Some(&cookie),
                ),
            )
            .await;
            assert_eq!(res.status, http::StatusCode::OK, "{}", res.body);
            assert_eq!(res.headers["x-total-count"], "121", "{}", t.backend);
            let rows: Vec<serde_json::Value> = serde_json::from_str(&res.body).unwrap();
            assert_eq!(rows.len(), [50, 50, 21][page]);
            seen.extend(rows.iter().map(|r| r["id"].as_i64().unwrap()));
            match res.headers.get("x-next-cursor") {
                Some(c) => after = c.to_str().unwrap().to_string(),
                None => assert_eq!(page, 2, "the last page has no cursor"),
            }
        }
        assert_eq!(seen.len(), 121);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn needs_me_assignment_and_the_stage_clock() {
    for t in common::databases().await {
        let db = &t.db;
        let v = account(db, "verifier", None, "v1").await;
        let v2 = account(db, "verifier", None, "v2").await;
        let admin = account(db, "agency_admin", Some("76-PUPR"), "adm").await;
        let o1 = account(db, "agency_officer", Some("76-PUPR"), "o1").await;
        let o2 = account(db, "agency_officer", Some("76-PUPR"), "o2").await;
        let other = account(db, "agency_officer", Some("76-DINKES"), "dk").await;
        let sup = account(db, "supervisor", Some("76-PUPR"), "sup").await;
        let verifier = staff(v, AccountRole::Verifier, None);
        let admin_a = staff(admin, AccountRole::AgencyAdmin, Some(PUPR));
        let officer1 = staff(o1, AccountRole::AgencyOfficer, Some(PUPR));
        let officer2 = staff(o2, AccountRole::AgencyOfficer, Some(PUPR));
        let supervisor = staff(sup, AccountRole::Supervisor, Some(PUPR));
        let needs = ListFilter {
            view: Some("perlu".into()),
            ..Default::default()
        };
        let list = |actor: Actor, f: ListFilter| async move {
            let mut ids: Vec<i64> = casework::work_list(db, &actor, &f, Utc::now())
                .await
                .unwrap()
                .rows
                .iter()
                .map(|r| r.id)
                .collect();
            ids.sort();
            ids
        };

        let waiting = submit(db, "Menunggu verifikasi").await;
        let a = submit(db, "Jalan rusak satu").await;
        let b = submit(db, "Jalan rusak dua").await;
        let c = submit(db, "Puskesmas tutup").await;
        // A verifier takes a report before dispatching it; the dispatch ends that assignment.
        assert_eq!(
            casework::update_reports(db, &verifier, &[a], Assign::To(v2), None, Utc::now())
                .await
                .unwrap(),
            1
        );
        assert_eq!(assigned(db, a).await, Some(v2));
        common::dispatch(db, a, PUPR).await;
        common::dispatch(db, b, PUPR).await;
        common::dispatch(db, c, DINKES).await;
        assert_eq!(
            assigned(db, a).await,
            None,
            "dispatch moved it to other hands"
        );

        // What needs each of them now.
        assert_eq!(
            list(verifier.clone(), needs.clone()).await,
            vec![waiting],
            "{}",
            t.backend
        );
        assert_eq!(list(admin_a.clone(), needs.clone()).await, vec![a, b]);
        assert_eq!(list(officer1.clone(), needs.clone()).await, vec![a, b]);
        assert_eq!(
            casework::needs_me_count(db, &officer1, Utc::now())
                .await
                .unwrap(),
            2
        );

        // The administrator gives both to officer 1 at once: officer 2 no longer has them.
        assert_eq!(
            casework::update_reports(db, &admin_a, &[a, b], Assign::To(o1), None, Utc::now())
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            list(officer2.clone(), needs.clone()).await,
            Vec::<i64>::new()
        );
        assert_eq!(list(officer1.clone(), needs.clone()).await, vec![a, b]);
        let mine = ListFilter {
            assigned: Some("saya".into()),
            ..Default::default()
        };
        assert_eq!(list(officer1.clone(), mine.clone()).await, vec![a, b]);
        let unassigned = ListFilter {
            assigned: Some("belum".into()),
            ..Default::default()
        };
        assert_eq!(list(admin_a.clone(), unassigned).await, Vec::<i64>::new());
        let row = casework::work_list(db, &officer1, &mine, Utc::now())
            .await
            .unwrap()
            .rows
            .remove(0);
        assert_eq!(row.assignee.as_deref(), Some("Petugas o1"));
        // Audited, one entry per report.
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("report.assigned"))
            .filter(audit_log::Column::ActorAccountId.eq(admin))
            .all(db)
            .await
            .unwrap();
        assert_eq!(audited.len(), 2);
        assert_eq!(audited[0].detail.as_deref(), Some(&*format!("- -> {o1}")));

        // Who may not: an officer gives a report to a colleague; an administrator to another
        // agency's officer; an officer releases a colleague's report; a verifier assigns what an
        // agency holds; a supervisor anything. Nothing changes.
        let refused = [
            (officer2.clone(), vec![a], Assign::To(o1)),
            (admin_a.clone(), vec![a], Assign::To(other)),
            (officer2.clone(), vec![a], Assign::Release),
            (verifier.clone(), vec![b], Assign::Release),
            (supervisor.clone(), vec![b], Assign::Release),
        ];
        for (actor, ids, assign) in refused {
            let r = casework::update_reports(db, &actor, &ids, assign, None, Utc::now()).await;
            assert!(r.is_err(), "{actor:?} {assign:?}: {r:?}");
        }
        assert!(matches!(
            casework::update_reports(db, &officer2, &[a], Assign::To(o1), None, Utc::now()).await,
            Err(AppError::Validation(e)) if e.get(&Field::Assignee) == Some(&FieldError::Unknown)
        ));
        // All or none: one report outside the administrator's hands refuses the whole set.
        assert!(
            casework::update_reports(db, &admin_a, &[a, c], Assign::Release, None, Utc::now())
                .await
                .is_err()
        );
        assert_eq!(assigned(db, a).await, Some(o1), "nothing changed");
        // An officer takes an unassigned report, and releases their own.
        let d = submit(db, "Drainase tersumbat").await;
        common::dispatch(db, d, PUPR).await;
        casework::update_reports(db, &officer2, &[d], Assign::To(o2), None, Utc::now())
            .await
            .unwrap();
        assert_eq!(assigned(db, d).await, Some(o2));
        casework::update_reports(db, &officer2, &[d], Assign::Release, None, Utc::now())
            .await
            .unwrap();
        assert_eq!(assigned(db, d).await, None);

        // Priority for several at once: verifiers only.
        let e = submit(db, "Lampu padam").await;
        let f = submit(db, "Sampah menumpuk").await;
        assert_eq!(
            casework::update_reports(
                db,
                &verifier,
                &[e, f],
                app::domain::casework::Assign::Keep,
                Some(2),
                Utc::now()
            )
            .await
            .unwrap(),
            2
        );
        assert!(
            casework::update_reports(db, &admin_a, &[a], Assign::Keep, Some(2), Utc::now())
                .await
                .is_err()
        );

        // The supervisor's "needs me": what is overdue in the scope.
        report::Entity::update_many()
            .col_expr(
                report::Column::DueAt,
                sea_orm::sea_query::Expr::value(Utc::now() - Duration::days(1)),
            )
            .filter(report::Column::Id.eq(b))
            .exec(db)
            .await
            .unwrap();
        assert_eq!(list(supervisor.clone(), needs.clone()).await, vec![b]);

        // The stage clock: a report waiting for its reporter shows no staff countdown.
        for cmd in [Command::FollowUp, Command::Answer] {
            lifecycle::transition(db, a, &cmd, Role::AgencyOfficer, None, Utc::now())
                .await
                .unwrap();
        }
        let rows = casework::work_list(
            db,
            &admin_a,
            &ListFilter {
                view: Some("semua".into()),
                ..Default::default()
            },
            Utc::now(),
        )
        .await
        .unwrap()
        .rows;
        let answered = rows.iter().find(|r| r.id == a).unwrap();
        assert_eq!(answered.status, ReportStatus::AwaitingReporter);
        assert_eq!(
            answered.time_left, None,
            "the reporter's clock is not the agency's"
        );
        assert!(rows.iter().find(|r| r.id == b).unwrap().time_left.is_some());
        t.cleanup().await;
    }
}

/// A deep link that asked for a sign-in is where the sign-in leads (through the second factor
/// too), and only when it is one of this site's signed-in pages; the refused page links there.
#[tokio::test]
async fn signing_in_returns_to_the_page_that_asked_for_it() {
    use http::StatusCode;
    for t in common::databases().await {
        let db = &t.db;
        let router = server::startup::router(db.clone(), &common::settings(100)).unwrap();
        let citizen =
            common::add_account(db, "citizen", None, "warga-lanjut@uji.example.org").await;
        let verifier =
            common::add_account(db, "verifier", None, "verif-lanjut@uji.example.org").await;
        common::enable_totp(db, verifier).await;
        let _ = citizen;
        let sign_in = |login: &'static str, back: &'static str| {
            common::multipart(
                "/masuk",
                None,
                &[
                    ("_act", "sign_in"),
                    ("_form", "login-form"),
                    ("login", login),
                    ("password", common::TEST_PASSWORD),
                    ("lanjut", back),
                ],
                &[],
            )
        };
        let location = |r: &common::Res| {
            r.headers
                .get(http::header::LOCATION)
                .map(|v| v.to_str().unwrap().to_string())
        };
        // A citizen asked to sign in on their notifications goes back there.
        let r = common::send(
            &router,
            sign_in("warga-lanjut@uji.example.org", "/notifikasi"),
        )
        .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", t.backend, r.body);
        assert_eq!(location(&r).as_deref(), Some("/notifikasi"));
        // Never to another site, nor to a page that is not a signed-in one.
        for back in [
            "//evil.example/staf",
            "https://evil.example/",
            "/\\evil.example",
            "/lapor",
        ] {
            let r = common::send(&router, sign_in("warga-lanjut@uji.example.org", back)).await;
            assert_eq!(location(&r).as_deref(), Some("/laporan-saya"), "{back}");
        }
        // A verifier's report link survives the second factor: the code page carries it.
        let r = common::send(
            &router,
            sign_in("verif-lanjut@uji.example.org", "/staf/laporan/7"),
        )
        .await;
        assert_eq!(
            location(&r).as_deref(),
            Some("/masuk/kode?lanjut=%2Fstaf%2Flaporan%2F7")
        );
        // The refused page links to the sign-in with the way back.
        let page = common::send(&router, common::get("/staf/laporan/7?templat=2")).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(
            page.body
                .contains("/masuk?lanjut=%2Fstaf%2Flaporan%2F7%3Ftemplat%3D2"),
            "{}",
            page.body
        );
        t.cleanup().await;
    }
}

#[tokio::test]
async fn previous_and_next_follow_the_work_list() {
    for t in common::databases().await {
        let db = &t.db;
        let v = account(db, "verifier", None, "pn").await;
        let verifier = staff(v, AccountRole::Verifier, None);
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(submit(db, &format!("Laporan urutan nomor {i}")).await);
        }
        let [a, b, c, d, e] = ids[..] else {
            unreachable!()
        };
        // One urgent leads the list: c, a, b, d, e (then by deadline and age).
        casework::set_priority(db, &verifier, c, 2, Utc::now())
            .await
            .unwrap();
        let around = |id: i64| {
            let verifier = verifier.clone();
            async move {
                let p = casework::report_page(db, &verifier, id, None, None, Utc::now())
                    .await
                    .unwrap();
                (p.previous.map(|x| x.0), p.next.map(|x| x.0))
            }
        };
        assert_eq!(
            around(c).await,
            (None, Some(a)),
            "the first has no previous"
        );
        assert_eq!(around(a).await, (Some(c), Some(b)));
        assert_eq!(around(b).await, (Some(a), Some(d)));
        // The last goes on to the list's first.
        assert_eq!(around(e).await, (Some(d), Some(c)));
        // Dispatched, c has left the list: its next is the list's first, a.
        lifecycle::transition(
            db,
            c,
            &Command::Dispatch {
                agency: PUPR,
                needs_investigation: false,
            },
            Role::Verifier,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(around(c).await.1, Some(a));
        // Titles come along, for the links.
        let p = casework::report_page(db, &verifier, b, None, None, Utc::now())
            .await
            .unwrap();
        assert_eq!(p.next.unwrap().1, "Laporan urutan nomor 3");
    }
}

#[tokio::test]
async fn several_reports_dispatched_at_once_all_or_none() {
    for t in common::databases().await {
        let db = &t.db;
        let v = account(db, "verifier", None, "bd").await;
        let verifier = staff(v, AccountRole::Verifier, None);
        let o = account(db, "agency_officer", Some("76-PUPR"), "bdo").await;
        let officer = staff(o, AccountRole::AgencyOfficer, Some(PUPR));
        let mut ids = Vec::new();
        for i in 0..4 {
            ids.push(submit(db, &format!("Jalan rusak bersama nomor {i}")).await);
        }
        // One of them already went elsewhere: the whole batch is refused, nothing moves.
        lifecycle::transition(
            db,
            ids[3],
            &Command::Dispatch {
                agency: DINKES,
                needs_investigation: false,
            },
            Role::Verifier,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
        let refused = casework::dispatch_reports(db, &verifier, &ids, PUPR, Utc::now()).await;
        assert!(matches!(refused, Err(AppError::Refused(_))), "{refused:?}");
        for &id in &ids[..3] {
            let r = report::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(r.status, ReportStatus::AwaitingVerification.as_str());
            assert_eq!(r.agency_id, None);
        }
        // An officer cannot dispatch, not even one.
        assert!(matches!(
            casework::dispatch_reports(db, &officer, &ids[..1], PUPR, Utc::now()).await,
            Err(AppError::Forbidden | AppError::NotFound)
        ));
        // The three that await verification go together (a repeated id counts once).
        let batch = [ids[0], ids[1], ids[2], ids[0]];
        assert_eq!(
            casework::dispatch_reports(db, &verifier, &batch, PUPR, Utc::now())
                .await
                .unwrap(),
            3
        );
        for &id in &ids[..3] {
            let r = report::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(r.status, ReportStatus::Dispatched.as_str());
            assert_eq!(r.agency_id, Some(PUPR));
            // Each is recorded as its own dispatch in the report's (hash-chained) timeline.
            let events = report_event::Entity::find()
                .filter(report_event::Column::ReportId.eq(id))
                .filter(report_event::Column::Event.eq("dispatched"))
                .all(db)
                .await
                .unwrap();
            assert_eq!(events.len(), 1, "report {id}: {events:?}");
            assert!(events[0].hash.is_some());
        }
    }
}

#[tokio::test]
async fn saved_views_are_personal_replaced_by_name_bounded_and_audited() {
    use app::domain::casework::MAX_VIEWS;
    use app::server::saved_views;
    for t in common::databases().await {
        let db = &t.db;
        let v1 = account(db, "verifier", None, "sv1").await;
        let v2 = account(db, "verifier", None, "sv2").await;
        let (me, other) = (
            staff(v1, AccountRole::Verifier, None),
            staff(v2, AccountRole::Verifier, None),
        );
        let now = Utc::now();
        // Only the list's parameters are kept: never the page cursor, nothing unknown.
        let id = saved_views::save(
            db,
            &me,
            " Mendesak ",
            "urut=tenggat&setelah=2.123.9&x=1&status=awaiting_verification",
            now,
        )
        .await
        .unwrap();
        let mine = saved_views::list(db, &me).await.unwrap();
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].name, "Mendesak");
        assert_eq!(mine[0].query, "urut=tenggat&status=awaiting_verification");
        // The same name again replaces the filters.
        assert_eq!(
            saved_views::save(db, &me, "Mendesak", "terlambat=1", now)
                .await
                .unwrap(),
            id
        );
        assert_eq!(
            saved_views::list(db, &me).await.unwrap()[0].query,
            "terlambat=1"
        );
        // Another person neither sees nor removes it.
        assert!(saved_views::list(db, &other).await.unwrap().is_empty());
        assert!(matches!(
            saved_views::remove(db, &other, id, now).await,
            Err(AppError::NotFound)
        ));
        // A citizen has no work list to save.
        assert!(matches!(
            saved_views::save(db, &Actor::Citizen { account: v1 }, "x", "q=a", now).await,
            Err(AppError::Forbidden)
        ));
        // Nothing to keep, or a value with characters an address would not carry: refused.
        for bad in ["setelah=1.2.3", "q=<script>", "tanpa-tanda-sama"] {
            assert!(
                saved_views::save(db, &me, "Buruk", bad, now).await.is_err(),
                "{bad}"
            );
        }
        // At most MAX_VIEWS each.
        for i in 1..MAX_VIEWS {
            saved_views::save(db, &me, &format!("Tampilan {i}"), "q=jalan", now)
                .await
                .unwrap();
        }
        let full = saved_views::save(db, &me, "Satu lagi", "q=jalan", now).await;
        assert_eq!(
            full,
            Err(AppError::field(
                Field::Name,
                FieldError::TooMany { max: MAX_VIEWS }
            ))
        );
        saved_views::remove(db, &me, id, now).await.unwrap();
        assert_eq!(
            saved_views::list(db, &me).await.unwrap().len(),
            MAX_VIEWS - 1
        );
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Subject.eq(format!("view:{id}")))
            .order_by_asc(audit_log::Column::Id)
            .all(db)
            .await
            .unwrap();
        let actions: Vec<&str> = audited.iter().map(|a| a.action.as_str()).collect();
        assert_eq!(actions, ["view.saved", "view.saved", "view.removed"]);
    }
}
