//! Transparency on real databases (SQLite and PostgreSQL, same fixtures, same expectations):
//! what the public may see of reports (never confidential ones, never an anonymous reporter's
//! name, personal data masked), search with Indonesian affixes, filters and keyset pages,
//! support and follow, the Atom feed, and the verifier's moderation of the public text.

use crate::common;

use app::domain::access::{AccountRole, Actor, StaffActor};
use app::domain::lifecycle::{Command, Role};
use app::domain::views::{PublicFilter, PublicSort, ReporterShown};
use app::domain::{AppError, Field, ReportForm};
use app::server::entities::{audit_log, notification, report};
use app::server::transparency::{list_public, public_report};
use app::server::{accounts, casework, lifecycle, transparency};
use axum::body::Body;
use chrono::{DateTime, Duration, TimeZone, Utc};
use common::send;
use http::{header, Request, StatusCode};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use common::{add_account, get_as, TEST_PASSWORD as PASSWORD};
const PROV: i32 = 1;
const DINKES: i32 = 2;
const PUPR: i32 = 3;

struct Fixture<'a> {
    title: &'a str,
    description: &'a str,
    category: &'a str,
    regency: &'a str,
    kind: &'a str,
    anonymous: bool,
    confidential: bool,
    name: &'a str,
}

impl Default for Fixture<'_> {
    fn default() -> Self {
        Fixture {
            title: "Jalan rusak di poros Mamuju",
            description: "Jalan berlubang besar di depan pasar, berbahaya untuk pengendara motor.",
            category: "1",
            regency: "76.04",
            kind: "complaint",
            anonymous: false,
            confidential: false,
            name: "",
        }
    }
}

/// Submits a report at `at`; returns (id, reference).
async fn submit(db: &DatabaseConnection, f: Fixture<'_>, at: DateTime<Utc>) -> (i64, String) {
    let receipt = app::server::intake::submit_form(
        db,
        &ReportForm {
            kind: f.kind.into(),
            title: f.title.into(),
            description: f.description.into(),
            category_id: f.category.into(),
            province: f.regency.split('.').next().unwrap().into(),
            regency: if f.regency.contains('.') {
                f.regency.into()
            } else {
                String::new()
            },
            anonymous: f.anonymous,
            confidential: f.confidential,
            name: f.name.into(),
            // The named fixtures chose to show their name publicly (without the choice the
            // public sees none: `hardening.rs`).
            show_name: !f.name.is_empty(),
            ..Default::default()
        },
        at,
    )
    .await
    .unwrap();
    (
        common::report_id(db, &receipt.reference).await,
        receipt.reference,
    )
}

async fn dispatch(db: &DatabaseConnection, id: i64, agency: i32, at: DateTime<Utc>) {
    lifecycle::transition(
        db,
        id,
        &Command::Dispatch {
            agency,
            needs_investigation: false,
        },
        Role::Verifier,
        None,
        at,
    )
    .await
    .unwrap();
}

fn verifier(account: i64) -> Actor {
    Actor::Staff(StaffActor {
        account,
        role: AccountRole::Verifier,
        agency: None,
        scope: vec![],
    })
}

fn filter(pairs: &[(&str, &str)]) -> PublicFilter {
    PublicFilter::from_pairs(pairs.iter().copied())
}

async fn refs(db: &DatabaseConnection, pairs: &[(&str, &str)]) -> Vec<String> {
    let (rows, _, errors) = list_public(db, &filter(pairs)).await.unwrap();
    assert!(errors.is_empty(), "{pairs:?}: {errors:?}");
    rows.into_iter().map(|r| r.reference).collect()
}

fn post_as(uri: &str, cookie: Option<&str>, body: &str) -> Request<Body> {
    common::post_form_as(uri, cookie, body)
}

fn t(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

const NIK: &str = "7306012345670001";
const PHONE: &str = "081234567890";
const EMAIL: &str = "siti.aminah@contoh.id";
const PLATE: &str = "DC 1234 AB";

#[tokio::test]
async fn the_public_sees_published_reports_only_with_personal_data_masked() {
    for tdb in common::databases().await {
        let db = &tdb.db;
        let router = server::startup::router(db.clone(), &common::settings(100)).unwrap();
        let (named, named_ref) = submit(
            db,
            Fixture {
                title: "Pungutan liar di kantor kelurahan",
                description: &format!(
                    "Saya Siti Aminah, NIK {NIK}, HP {PHONE}, email {EMAIL}. Petugas meminta uang tambahan."
                ),
                name: "Siti Aminah",
                ..Default::default()
            },
            t(2, 3),
        )
        .await;
        let (anon, anon_ref) = submit(
            db,
            Fixture {
                title: "Truk parkir di trotoar",
                description: &format!("Truk {PLATE} milik Pak Budi parkir di trotoar setiap pagi."),
                anonymous: true,
                name: "Budi Santoso",
                ..Default::default()
            },
            t(3, 3),
        )
        .await;
        let (secret, secret_ref) = submit(
            db,
            Fixture {
                title: "Rahasiakata kepala dinas",
                description: "Laporan rahasia tentang kepala dinas yang menerima suap proyek.",
                confidential: true,
                ..Default::default()
            },
            t(4, 3),
        )
        .await;
        let (_, waiting_ref) = submit(
            db,
            Fixture {
                title: "Belumverifikasi lampu padam",
                description: "Lampu jalan padam sejak minggu lalu di depan sekolah dasar.",
                ..Default::default()
            },
            t(5, 3),
        )
        .await;
        for id in [named, anon, secret] {
            dispatch(db, id, PUPR, t(6, 3)).await;
        }

        // Lists, search, report pages: published and not confidential only, newest first.
        assert_eq!(
            refs(db, &[]).await,
            vec![anon_ref.clone(), named_ref.clone()],
            "{}",
            tdb.backend
        );
        for word in ["rahasiakata", "suap", "belumverifikasi"] {
            assert!(
                refs(db, &[("q", word)]).await.is_empty(),
                "{word} found ({})",
                tdb.backend
            );
        }
        for r in [&secret_ref, &waiting_ref] {
            assert_eq!(public_report(db, r, None).await, Err(AppError::NotFound));
            assert!(refs(db, &[("q", r)]).await.is_empty());
        }

        // Personal data masked; the anonymous reporter is "Anonim", the named one named.
        let a = public_report(db, &named_ref, None).await.unwrap();
        assert_eq!(
            a.reporter,
            ReporterShown::Named {
                name: "Siti Aminah".into()
            }
        );
        for leaked in [NIK, PHONE, EMAIL, "Siti", "Aminah"] {
            assert!(!a.text.contains(leaked), "{leaked} in {}", a.text);
        }
        assert!(
            a.text.contains("[NIK]") && a.text.contains("[telepon]") && a.text.contains("[email]"),
            "{}",
            a.text
        );
        let b = public_report(db, &anon_ref, None).await.unwrap();
        assert_eq!(b.reporter, ReporterShown::Anonymous);
        assert!(
            !b.text.contains(PLATE) && !b.text.contains("Budi"),
            "{}",
            b.text
        );
        assert!(b.text.contains("[plat]"), "{}", b.text);
        // The agency keeps the original.
        let original = report::Entity::find_by_id(named)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert!(original.description.contains(NIK));

        // Over HTTP: the list, the pages, the feed.
        let list = send(&router, get_as("/laporan", None)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert!(list.body.contains(&named_ref) && list.body.contains(&anon_ref));
        let page = send(&router, get_as(&format!("/laporan/{anon_ref}"), None)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Anonim"));
        let page = send(&router, get_as(&format!("/laporan/{named_ref}"), None)).await;
        let feed = send(&router, get_as("/laporan.atom", None)).await;
        assert_eq!(feed.status, StatusCode::OK);
        assert!(feed.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml"));
        assert!(feed
            .body
            .contains(&format!("http://aduan.test/laporan/{named_ref}")));
        for body in [&list.body, &page.body, &feed.body] {
            for leaked in [
                NIK,
                PHONE,
                EMAIL,
                PLATE,
                "Budi",
                "Rahasiakata",
                "Belumverifikasi",
                &secret_ref,
                &waiting_ref,
            ] {
                assert!(!body.contains(leaked), "{leaked} leaked ({})", tdb.backend);
            }
        }
        for r in [&secret_ref, &waiting_ref] {
            let res = send(&router, get_as(&format!("/laporan/{r}"), None)).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND);
            let res = send(
                &router,
                get_as(&format!("/api/v1/public/reports/{r}"), None),
            )
            .await;
            assert_eq!(res.status, StatusCode::NOT_FOUND);
        }
        // The JSON API: the same use case, the same privacy.
        let api = send(&router, get_as("/api/v1/public/reports", None)).await;
        assert_eq!(api.status, StatusCode::OK);
        let refs_json: Vec<String> = api.json()["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["reference"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(refs_json, vec![anon_ref.clone(), named_ref.clone()]);
        for leaked in [NIK, PHONE, EMAIL, PLATE, "Budi"] {
            assert!(!api.body.contains(leaked), "{leaked} in the JSON");
        }
        let one = send(
            &router,
            get_as(&format!("/api/v1/public/reports/{anon_ref}"), None),
        )
        .await;
        assert_eq!(one.json()["reporter"]["shown"], "anonymous");
        let bad = send(&router, get_as("/api/v1/public/reports?dari=kemarin", None)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

        // Made confidential later: gone from the list, the search, the page and the feed.
        let v = verifier(add_account(db, "verifier", None, "verifikator@uji.example.org").await);
        casework::raise_privacy(db, &v, named, false, true, Utc::now())
            .await
            .unwrap();
        assert_eq!(refs(db, &[]).await, vec![anon_ref.clone()]);
        assert!(refs(db, &[("q", "pungutan")]).await.is_empty());
        assert_eq!(
            public_report(db, &named_ref, None).await,
            Err(AppError::NotFound)
        );
        let feed = send(&router, get_as("/laporan.atom", None)).await;
        assert!(!feed.body.contains(&named_ref));
        tdb.cleanup().await;
    }
}

#[tokio::test]
async fn search_tolerates_indonesian_affixes_the_same_on_both_databases() {
    for tdb in common::databases().await {
        let db = &tdb.db;
        let mut r = Vec::new();
        for (i, (title, description)) in [
            (
                "Jalan rusak di Mamuju",
                "Aspal mengelupas sepanjang dua kilometer.",
            ),
            (
                "Perbaikan jembatan belum selesai",
                "Pekerjaan berhenti sejak bulan lalu.",
            ),
            (
                "Lampu jalanan padam",
                "Seluruh lampu di kompleks perumahan mati.",
            ),
            (
                "Kebersihan pasar buruk",
                "Sampahnya menumpuk dan tidak diangkut.",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let (id, reference) = submit(
                db,
                Fixture {
                    title,
                    description,
                    ..Default::default()
                },
                t(2, 3 + i as u32),
            )
            .await;
            dispatch(db, id, PUPR, t(3, 3)).await;
            r.push(reference);
        }
        let expect = |q: &str, want: &[usize]| {
            let want: Vec<String> = want.iter().rev().map(|i| r[*i].clone()).collect();
            (q.to_string(), want)
        };
        for (q, want) in [
            expect("jalan", &[0, 2]),
            expect("kerusakan", &[0]),
            expect("memperbaiki", &[1]),
            expect("bersih", &[3]),
            expect("sampah", &[3]),
            expect("Jalan RUSAK", &[0]),
            expect("jalan perumahan", &[2]),
            expect("kata-yang-tidak-ada", &[]),
            expect(&r[1].to_lowercase(), &[1]),
        ] {
            assert_eq!(refs(db, &[("q", &q)]).await, want, "{q} on {}", tdb.backend);
        }
        // Taking matches from the index two at a time gives the same pages.
        for (q, agency) in [("jalan", ""), ("rusak", ""), ("lampu", "3"), ("jalan", "2")] {
            let f = filter(&[("q", q), ("instansi", agency)]);
            let whole = list_public(db, &f).await.unwrap().0;
            let small = app::server::transparency::list_public_windowed(db, &f, 1)
                .await
                .unwrap()
                .0;
            assert_eq!(small, whole, "{q} {agency} on {}", tdb.backend);
        }

        // Highlights: the matched words, as written.
        let (rows, _, _) = list_public(db, &filter(&[("q", "jalan")])).await.unwrap();
        let marked: Vec<String> = rows
            .iter()
            .flat_map(|row| row.title.iter().filter(|(_, m)| *m).map(|(t, _)| t.clone()))
            .collect();
        assert_eq!(marked, vec!["jalanan", "Jalan"]);
        tdb.cleanup().await;
    }
}

#[tokio::test]
async fn filters_sorting_and_keyset_pages() {
    for tdb in common::databases().await {
        let db = &tdb.db;
        let mut all = Vec::new();
        // 25 reports over 25 hours: odd ones to Dinkes (health, Majene), even ones to PUPR.
        for i in 0..25u32 {
            let to_dinkes = i % 2 == 1;
            let (id, reference) = submit(
                db,
                Fixture {
                    category: if to_dinkes { "2" } else { "1" },
                    regency: if to_dinkes { "76.01" } else { "76.04" },
                    kind: if i % 5 == 0 {
                        "aspiration"
                    } else {
                        "complaint"
                    },
                    ..Default::default()
                },
                t(2, 0) + Duration::hours(i as i64),
            )
            .await;
            dispatch(db, id, if to_dinkes { DINKES } else { PUPR }, t(3, 3)).await;
            all.push(reference);
        }
        let newest: Vec<String> = all.iter().rev().cloned().collect();

        // Pages of 20 by keyset: no gap, no repeat.
        let (first, next, _) = list_public(db, &filter(&[])).await.unwrap();
        let next = next.expect("a second page");
        let (second, last, _) = list_public(db, &filter(&[("setelah", &next)]))
            .await
            .unwrap();
        assert!(last.is_none());
        let paged: Vec<String> = first
            .iter()
            .chain(second.iter())
            .map(|r| r.reference.clone())
            .collect();
        assert_eq!(paged, newest, "{}", tdb.backend);
        // The same pages when searching, whatever the number of matches taken at a time.
        for window in [1, 7, 500] {
            let (a, next, _) = app::server::transparency::list_public_windowed(
                db,
                &filter(&[("q", "jalan")]),
                window,
            )
            .await
            .unwrap();
            let next = next.expect("a second page");
            let (b, last, _) = app::server::transparency::list_public_windowed(
                db,
                &filter(&[("q", "jalan"), ("setelah", &next)]),
                window,
            )
            .await
            .unwrap();
            assert!(last.is_none());
            let paged: Vec<String> = a
                .iter()
                .chain(b.iter())
                .map(|r| r.reference.clone())
                .collect();
            assert_eq!(paged, newest, "window {window} on {}", tdb.backend);
            let (o, _, _) = app::server::transparency::list_public_windowed(
                db,
                &filter(&[("q", "jalan"), ("urut", "terlama")]),
                window,
            )
            .await
            .unwrap();
            assert_eq!(
                o.iter().map(|r| r.reference.clone()).collect::<Vec<_>>(),
                all[..20].to_vec()
            );
        }
        let oldest = refs(db, &[("urut", PublicSort::Oldest.as_str())]).await;
        assert_eq!(oldest, all[..20].to_vec());

        let expect = |pick: &dyn Fn(usize) -> bool| -> Vec<String> {
            (0..25)
                .rev()
                .filter(|i| pick(*i))
                .map(|i| all[i].clone())
                .collect::<Vec<_>>()
                .into_iter()
                .take(20)
                .collect()
        };
        assert_eq!(
            refs(db, &[("instansi", &DINKES.to_string())]).await,
            expect(&|i| i % 2 == 1)
        );
        // An agency covers its units: the province covers both.
        assert_eq!(
            refs(db, &[("instansi", &PROV.to_string())]).await,
            newest[..20].to_vec()
        );
        assert_eq!(
            refs(db, &[("kategori", "1")]).await,
            expect(&|i| i % 2 == 0)
        );
        assert_eq!(
            refs(db, &[("wilayah", "76.01")]).await,
            expect(&|i| i % 2 == 1)
        );
        assert_eq!(refs(db, &[("wilayah", "76")]).await, newest[..20].to_vec());
        assert_eq!(
            refs(db, &[("jenis", "aspiration")]).await,
            expect(&|i| i % 5 == 0)
        );
        assert_eq!(
            refs(
                db,
                &[
                    ("status", "dispatched"),
                    ("kategori", "2"),
                    ("jenis", "aspiration")
                ]
            )
            .await,
            expect(&|i| i % 2 == 1 && i % 5 == 0)
        );
        // The period is in WIB: 2026-11-02 00:00 WIB is 2026-11-01 17:00 UTC; reports of hour
        // 0..=16 UTC on the 2nd are on the 2nd in WIB, 17.. on the 3rd.
        assert_eq!(
            refs(db, &[("sampai", "2026-11-02")]).await,
            expect(&|i| i <= 16)
        );
        assert_eq!(
            refs(db, &[("dari", "2026-11-03")]).await,
            expect(&|i| i >= 17)
        );

        // Refused values come back per field, with no rows.
        let (rows, _, errors) = list_public(db, &filter(&[("dari", "kemarin"), ("instansi", "x")]))
            .await
            .unwrap();
        assert!(rows.is_empty());
        assert!(errors.contains_key(&Field::PeriodFrom) && errors.contains_key(&Field::Agency));
        let (_, _, errors) = list_public(
            db,
            &filter(&[("dari", "2026-11-05"), ("sampai", "2026-11-01")]),
        )
        .await
        .unwrap();
        assert!(errors.contains_key(&Field::PeriodTo));
        let router = server::startup::router(db.clone(), &common::settings(100)).unwrap();
        let res = send(&router, get_as("/laporan?dari=kemarin", None)).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("f-from-error"),
            "the field's message is shown"
        );

        // Most supported first; ties newest first; pages by (supporters, id).
        let c1 = add_account(db, "citizen", None, "warga1@uji.example.org").await;
        let c2 = add_account(db, "citizen", None, "warga2@uji.example.org").await;
        for c in [c1, c2] {
            app::server::accounts::mark_email_verified(db, c, Utc::now())
                .await
                .unwrap();
        }
        for (account, who) in [(c1, &all[3]), (c2, &all[3]), (c1, &all[7])] {
            transparency::reader_action(
                db,
                &Actor::Citizen { account },
                who,
                transparency::ReaderAction::Support,
                Utc::now(),
            )
            .await
            .unwrap();
        }
        let sort = [("urut", PublicSort::MostSupported.as_str())];
        let (first, next, _) = list_public(db, &filter(&sort)).await.unwrap();
        let head: Vec<String> = first.iter().take(3).map(|r| r.reference.clone()).collect();
        assert_eq!(head, vec![all[3].clone(), all[7].clone(), all[24].clone()]);
        let next = next.unwrap();
        let (second, _, _) = list_public(db, &filter(&[sort[0], ("setelah", &next)]))
            .await
            .unwrap();
        let mut seen: Vec<String> = first
            .iter()
            .chain(second.iter())
            .map(|r| r.reference.clone())
            .collect();
        assert_eq!(seen.len(), 25);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 25, "no report twice across pages");
        tdb.cleanup().await;
    }
}

#[tokio::test]
async fn support_once_per_account_and_follow_over_http() {
    for tdb in common::databases().await {
        let db = &tdb.db;
        let router = server::startup::router(db.clone(), &common::settings(100)).unwrap();
        let (id, reference) = submit(db, Fixture::default(), t(2, 3)).await;
        let (secret, secret_ref) = submit(
            db,
            Fixture {
                confidential: true,
                ..Default::default()
            },
            t(2, 4),
        )
        .await;
        dispatch(db, id, PUPR, t(3, 3)).await;
        dispatch(db, secret, PUPR, t(3, 3)).await;
        let c1 = add_account(db, "citizen", None, "warga1@uji.example.org").await;
        let c2 = add_account(db, "citizen", None, "warga2@uji.example.org").await;
        // Verified addresses: their support counts (`hardening.rs` covers unverified ones).
        for c in [c1, c2] {
            app::server::accounts::mark_email_verified(db, c, Utc::now())
                .await
                .unwrap();
        }
        let one = common::session_cookie(&router, "warga1@uji.example.org", PASSWORD).await;
        let two = common::session_cookie(&router, "warga2@uji.example.org", PASSWORD).await;
        let uri = format!("/laporan/{reference}");

        // Nobody signed in: the page again, asking to sign in; nothing counted.
        let res = send(&router, post_as(&uri, None, "action=dukung")).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert!(res.body.contains("href=\"/masuk\""), "a way to sign in");
        let page = send(&router, get_as(&uri, None)).await;
        assert!(page.body.contains("0 orang mendukung"));
        assert!(
            !page.body.contains("data-testid=\"support\""),
            "no button for guests"
        );

        for cookie in [&one, &one, &two] {
            let res = send(&router, post_as(&uri, Some(cookie), "action=dukung")).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        }
        let supporters = |db: &DatabaseConnection| {
            let db = db.clone();
            async move {
                report::Entity::find_by_id(id)
                    .one(&db)
                    .await
                    .unwrap()
                    .unwrap()
                    .supporters
            }
        };
        assert_eq!(
            supporters(db).await,
            2,
            "one support per account ({})",
            tdb.backend
        );
        send(&router, post_as(&uri, Some(&one), "action=batal_dukung")).await;
        send(&router, post_as(&uri, Some(&one), "action=batal_dukung")).await;
        assert_eq!(supporters(db).await, 1);
        let page = send(&router, get_as(&uri, Some(&two))).await;
        assert!(page.body.contains("1 orang mendukung"));
        assert!(
            page.body.contains("Batalkan dukungan"),
            "the supporter can take it back"
        );
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Subject.eq(format!("report:{id}")))
            .filter(
                audit_log::Column::Action.is_in(["report.supported", "report.support_withdrawn"]),
            )
            .count(db)
            .await
            .unwrap();
        assert_eq!(
            audited, 3,
            "two supports and one withdrawal, each audited once"
        );

        // A confidential report cannot be supported or followed: it does not exist publicly.
        let res = send(
            &router,
            post_as(
                &format!("/laporan/{secret_ref}"),
                Some(&one),
                "action=dukung",
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        let res = send(&router, post_as(&uri, Some(&one), "action=apa")).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);

        // A follower hears of the agency's follow-up in the app, on the public page.
        send(&router, post_as(&uri, Some(&two), "action=ikuti")).await;
        lifecycle::transition_posting(
            db,
            id,
            &Command::FollowUp,
            Role::AgencyOfficer,
            None,
            &lifecycle::Posting {
                note: Some("Tim sudah turun ke lokasi untuk menambal jalan."),
                agency: Some(PUPR),
                files: Vec::new(),
            },
            t(4, 3),
        )
        .await
        .unwrap();
        let heard = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(c2))
            .all(db)
            .await
            .unwrap();
        assert_eq!(heard.len(), 1, "{}", tdb.backend);
        let list = app::server::inbox::list(db, &Actor::Citizen { account: c2 })
            .await
            .unwrap();
        assert_eq!(list[0].href, uri);
        // And by email (the account has an address): the public title and page, no original.
        let mails = app::server::entities::outbox::Entity::find()
            .filter(app::server::entities::outbox::Column::Recipient.eq("warga2@uji.example.org"))
            .all(db)
            .await
            .unwrap();
        assert_eq!(mails.len(), 1, "{}", tdb.backend);
        assert!(mails[0]
            .body_text
            .contains(&format!("/laporan/{reference}")));
        assert!(
            !mails[0].body_text.contains("Tim sudah turun"),
            "no message text in the email"
        );
        let page = send(&router, get_as(&uri, None)).await;
        assert!(
            page.body.contains("Tim sudah turun ke lokasi"),
            "the agency's answer is public"
        );
        tdb.cleanup().await;
    }
}

#[tokio::test]
async fn verifiers_moderate_the_public_text_and_the_agency_keeps_the_original() {
    for tdb in common::databases().await {
        let db: &DatabaseConnection = &tdb.db;
        let v = verifier(add_account(db, "verifier", None, "verifikator@uji.example.org").await);
        let officer_id = add_account(
            db,
            "agency_officer",
            Some("76-PUPR"),
            "petugas@uji.example.org",
        )
        .await;
        let officer_account = app::server::entities::account::Entity::find_by_id(officer_id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let officer = accounts::actor_of(db, &officer_account).await.unwrap();
        let (id, reference) = submit(
            db,
            Fixture {
                title: "Pelayanan KTP lambat",
                description: &format!(
                    "Nama saya Rahmat Hidayat, NIK {NIK}. Antrean KTP lebih dari lima jam."
                ),
                name: "Rahmat Hidayat",
                ..Default::default()
            },
            t(2, 3),
        )
        .await;

        // Proposed before the report goes public: found in the original, masked in the proposal.
        let draft = transparency::draft_for(db, &v, id)
            .await
            .unwrap()
            .expect("verifiers moderate");
        let kinds: Vec<&str> = draft.found.iter().map(|f| f.kind.as_str()).collect();
        assert_eq!(kinds, vec!["name", "nik"]);
        assert!(!draft.published && draft.remaining.is_empty());
        assert_eq!(
            draft.text,
            "Nama saya [nama], NIK [NIK]. Antrean KTP lebih dari lima jam."
        );
        // Agency staff do not moderate (and do not see it before dispatch at all).
        assert_eq!(
            transparency::draft_for(db, &officer, id).await,
            Err(AppError::NotFound)
        );

        // The verifier's own wording; refused input comes back per field.
        let refused = transparency::set_public_version(db, &v, id, "", "pendek", Utc::now()).await;
        let Err(AppError::Validation(errors)) = refused else {
            panic!("{refused:?}")
        };
        assert!(errors.contains_key(&Field::Title) && errors.contains_key(&Field::Description));
        transparency::set_public_version(
            db,
            &v,
            id,
            "Pelayanan KTP lambat di Mamuju",
            "Antrean perekaman KTP elektronik lebih dari lima jam di kantor dinas.",
            Utc::now(),
        )
        .await
        .unwrap();
        dispatch(db, id, PUPR, t(3, 3)).await;
        let public_view = public_report(db, &reference, None).await.unwrap();
        assert_eq!(public_view.title, "Pelayanan KTP lambat di Mamuju");
        assert!(!public_view.text.contains("Rahmat"));
        assert_eq!(
            refs(db, &[("q", "perekaman")]).await,
            vec![reference.clone()]
        );
        // The agency works with the original.
        let agency_view = casework::report_view(db, &officer, id, Utc::now())
            .await
            .unwrap();
        assert!(agency_view.description.contains(NIK));
        assert_eq!(transparency::draft_for(db, &officer, id).await, Ok(None));
        let refused = transparency::set_public_version(
            db,
            &officer,
            id,
            "Judul lain sekali",
            "Teks lain yang cukup panjang untuk diterima.",
            Utc::now(),
        )
        .await;
        assert_eq!(refused, Err(AppError::Forbidden));

        // Edited after publication: the search follows at once; audited each time.
        transparency::set_public_version(
            db,
            &v,
            id,
            "Antrean KTP berjam-jam",
            "Antrean kartu identitas berjam-jam di kantor dinas kependudukan.",
            Utc::now(),
        )
        .await
        .unwrap();
        assert!(refs(db, &[("q", "perekaman")]).await.is_empty());
        assert_eq!(
            refs(db, &[("q", "kependudukan")]).await,
            vec![reference.clone()]
        );
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("report.public_version_set"))
            .count(db)
            .await
            .unwrap();
        assert_eq!(audited, 2);

        // Reports dispatched before publication existed are published at start, masked.
        let (old, old_ref) = submit(
            db,
            Fixture {
                description: &format!("Hubungi saya di {PHONE} untuk detail lokasi lubang."),
                ..Default::default()
            },
            t(2, 5),
        )
        .await;
        dispatch(db, old, PUPR, t(3, 3)).await;
        sea_orm::ConnectionTrait::execute_unprepared(db, &format!("UPDATE reports SET published_at = NULL, public_title = NULL, public_text = NULL WHERE id = {old}")).await.unwrap();
        transparency::unindex(db, old).await.unwrap();
        assert_eq!(
            public_report(db, &old_ref, None).await,
            Err(AppError::NotFound)
        );
        assert_eq!(
            transparency::publish_backlog(db, Utc::now()).await.unwrap(),
            1
        );
        assert_eq!(
            transparency::publish_backlog(db, Utc::now()).await.unwrap(),
            0
        );
        let republished = public_report(db, &old_ref, None).await.unwrap();
        assert!(republished.text.contains("[telepon]") && !republished.text.contains(PHONE));
        assert_eq!(refs(db, &[("q", "lubang")]).await, vec![old_ref]);
        tdb.cleanup().await;
    }
}

#[tokio::test]
async fn staff_search_finds_words_within_what_each_may_see() {
    use app::domain::casework::ListFilter;
    use app::server::casework::list_reports;
    for tdb in common::databases().await {
        let db = &tdb.db;
        let v = verifier(add_account(db, "verifier", None, "verifikator@uji.example.org").await);
        let pupr = add_account(
            db,
            "agency_officer",
            Some("76-PUPR"),
            "pupr@uji.example.org",
        )
        .await;
        let dinkes = add_account(
            db,
            "agency_officer",
            Some("76-DINKES"),
            "dinkes@uji.example.org",
        )
        .await;
        let actor = |id: i64| async move {
            let a = app::server::entities::account::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap();
            accounts::actor_of(db, &a).await.unwrap()
        };
        let (pupr, dinkes) = (actor(pupr).await, actor(dinkes).await);
        let (bridge, _) = submit(
            db,
            Fixture {
                title: "Jembatan retak di Kalukku",
                description: "Keretakan jembatan makin lebar setelah banjir.",
                confidential: true,
                ..Default::default()
            },
            t(2, 3),
        )
        .await;
        let (waiting, _) = submit(
            db,
            Fixture {
                title: "Puskesmas kekurangan obat",
                ..Default::default()
            },
            t(2, 4),
        )
        .await;
        dispatch(db, bridge, PUPR, t(3, 3)).await;
        let ids = |rows: Vec<app::domain::views::StaffReportRow>| {
            rows.into_iter().map(|r| r.id).collect::<Vec<_>>()
        };
        let search = |actor: &Actor, q: &str| {
            let (actor, f) = (
                actor.clone(),
                ListFilter {
                    q: Some(q.into()),
                    ..Default::default()
                },
            );
            async move { ids(list_reports(db, &actor, &f, Utc::now()).await.unwrap()) }
        };
        // Affixes tolerated, in the original text (confidential and unpublished reports too) …
        assert_eq!(
            search(&v, "meretakkan").await,
            vec![bridge],
            "{}",
            tdb.backend
        );
        assert_eq!(search(&v, "obatnya").await, vec![waiting]);
        assert_eq!(search(&pupr, "keretakan jembatan").await, vec![bridge]);
        // … but only what each may see.
        assert!(search(&dinkes, "jembatan").await.is_empty());
        assert!(
            search(&pupr, "puskesmas").await.is_empty(),
            "not dispatched to PUPR"
        );
        // Reports from before the staff index existed are indexed at start.
        sea_orm::ConnectionTrait::execute_unprepared(db, "DELETE FROM report_search_staff")
            .await
            .unwrap();
        assert!(search(&v, "puskesmas").await.is_empty());
        assert_eq!(
            app::server::transparency::index_staff_backlog(db)
                .await
                .unwrap(),
            2
        );
        assert_eq!(
            app::server::transparency::index_staff_backlog(db)
                .await
                .unwrap(),
            0
        );
        assert_eq!(search(&v, "puskesmas").await, vec![waiting]);
        tdb.cleanup().await;
    }
}
