//! Two `aduan` processes on different ports against one database (PostgreSQL, the scale-out
//! engine; SQLite too, as two processes on one file): a session made on one works on the other
//! and ends on both; a photo written by one is served by the other (a shared files directory);
//! every email is delivered exactly once although both instances deliver; every scheduled
//! escalation is written once although both instances run the jobs at the same moment.

use crate::common;

use app::domain::{EventKind, ReportForm};
use app::server::entities::{attachment, outbox, report, report_event};
use chrono::{Duration as Days, Utc};
use common::process::{add_staff, message_id, post, ready, report_body, sign_in, smtp, start};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;
use std::time::{Duration, Instant};

fn jpeg() -> Vec<u8> {
    let img = image::RgbImage::from_fn(40, 30, |x, y| {
        image::Rgb([(x * 6) as u8, (y * 8) as u8, 60])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

async fn get(client: &reqwest::Client, url: String, cookie: Option<&str>) -> (u16, String) {
    let mut req = client.get(url);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let res = req.send().await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Waits (at most `secs`) until `done` holds.
async fn wait_for<F, Fut>(secs: u64, what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(secs);
    while !done().await {
        assert!(Instant::now() < deadline, "timed out waiting: {what}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_share_sessions_jobs_and_files() {
    let smtp = smtp().await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for t in common::databases().await {
        let db = t.db.clone();
        let tag = format!("{}{}", t.backend, rand::random::<u32>());

        // Work for the scheduled jobs, there before either instance starts: reports submitted
        // two weeks ago and never verified, so overdue and due for escalation.
        let past = Utc::now() - Days::days(14);
        let mut late = Vec::new();
        for n in 0..12 {
            let form = ReportForm {
                kind: "complaint".into(),
                title: format!("Laporan lama {tag} nomor {n}"),
                description: "Saluran air tersumbat sejak lama dan belum ada tindakan.".into(),
                province: "76".into(),
                regency: "76.04".into(),
                ..Default::default()
            };
            let receipt = app::server::intake::submit_form(&db, &form, past)
                .await
                .unwrap();
            late.push(receipt.reference);
        }
        let officer = format!("petugas-{tag}@uji.example.org");
        add_staff(&db, "agency_officer", "76-PUPR", &officer).await;
        // A verification deadline missed for two weeks goes up to the system administrators
        // (docs/lifecycle.md): an email each per escalation, work for both instances' senders.
        for n in 0..3 {
            let login = format!("admin-{n}-{tag}@uji.example.org");
            common::add_account(&db, "system_admin", None, &login).await;
        }

        let files = tempfile::tempdir().unwrap();
        let env = [("ADUAN_SMTP_URL", smtp.url())];
        let mut a = start(&t.url, files.path(), &env);
        let mut b = start(&t.url, files.path(), &env);
        ready(&client, &a.base).await;
        ready(&client, &b.base).await;

        // A session made on A works on B.
        let cookie = sign_in(&client, &a.base, &officer, None).await;
        let (status, me) = get(&client, format!("{}/api/v1/me", b.base), Some(&cookie)).await;
        assert_eq!(status, 200, "{}: {me}", t.backend);
        assert!(me.contains(&officer), "{me}");
        let (status, _) = get(&client, format!("{}/api/v1/me", b.base), None).await;
        assert_eq!(status, 401);

        // A photo sent with a report through A is served by B.
        let photo = jpeg();
        let (content_type, body) = common::multipart_body(
            &[
                ("kind", "complaint"),
                ("title", "Jembatan kayu di Simboro rusak"),
                (
                    "description",
                    "Papan jembatan banyak yang patah, warga takut melintas.",
                ),
                ("category_id", "1"),
                ("province", "76"),
                ("regency", "76.04"),
                ("email", &format!("foto-{tag}@example.org")),
            ],
            &[("jembatan.jpg", photo)],
        );
        let res = client
            .post(format!("{}/lapor", a.base))
            .header("content-type", content_type)
            .header("cookie", common::csrf_cookie())
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 303, "{}", t.backend);
        let location = res.headers()["location"].to_str().unwrap().to_string();
        let code = location
            .trim_start_matches("/lacak/")
            .split('?')
            .next()
            .unwrap()
            .to_string();
        let hash = app::domain::TrackingCode::parse(&code)
            .unwrap()
            .lookup_hash();
        let r = report::Entity::find()
            .filter(report::Column::TrackingHash.eq(hash))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let file = attachment::Entity::find()
            .filter(attachment::Column::ReportId.eq(r.id))
            .one(&db)
            .await
            .unwrap()
            .expect("the photo is stored");
        let res = client
            .get(format!("{}/lacak/{code}/lampiran/{}", b.base, file.id))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status().as_u16(),
            200,
            "{}: B serves A's file",
            t.backend
        );
        assert_eq!(res.headers()["content-type"], "image/jpeg");
        let bytes = res.bytes().await.unwrap();
        assert_eq!(bytes.len() as i64, file.size_bytes);
        assert!(image::load_from_memory(&bytes).is_ok(), "a real image");

        // Reports through both instances at once (the escalations below make the emails).
        for n in 0..30 {
            let base = if n % 2 == 0 { &a.base } else { &b.base };
            let (status, body, _) = post(
                &client,
                format!("{base}/api/v1/reports"),
                None,
                report_body(
                    &format!("Laporan dua instans {tag} nomor {n}"),
                    &format!("warga-{tag}-{n}@example.org"),
                ),
            )
            .await
            .unwrap();
            assert_eq!(status, 201, "{body}");
        }
        // Both instances' job loops escalate the old reports at start.
        let late_ids: Vec<i64> = report::Entity::find()
            .filter(report::Column::Reference.is_in(late.clone()))
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(late_ids.len(), late.len());
        wait_for(90, "emails sent", || async {
            outbox::Entity::find()
                .filter(outbox::Column::Status.ne("sent"))
                .count(&db)
                .await
                .unwrap()
                == 0
        })
        .await;
        wait_for(90, "overdue reports escalated", || async {
            report::Entity::find()
                .filter(report::Column::Id.is_in(late_ids.clone()))
                .filter(report::Column::OverdueLevel.eq(0))
                .count(&db)
                .await
                .unwrap()
                == 0
        })
        .await;

        // Signed out on B: the session is gone on A too.
        let res = client
            .delete(format!("{}/api/v1/session", b.base))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        let (status, _) = get(&client, format!("{}/api/v1/me", a.base), Some(&cookie)).await;
        assert_eq!(status, 401, "{}: signed out everywhere", t.backend);

        // Let a second runner finish whatever it started, then stop both.
        tokio::time::sleep(Duration::from_secs(2)).await;
        a.kill();
        b.kill();

        // Each escalation once, whoever wrote it.
        for id in &late_ids {
            let r = report::Entity::find_by_id(*id)
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            let events = report_event::Entity::find()
                .filter(report_event::Column::ReportId.eq(*id))
                .all(&db)
                .await
                .unwrap();
            let mut kinds: HashMap<String, usize> = HashMap::new();
            for e in &events {
                *kinds.entry(e.event.clone()).or_default() += 1;
            }
            let overdue = kinds
                .get(EventKind::MarkedOverdue.as_str())
                .copied()
                .unwrap_or(0);
            let escalated = kinds
                .get(EventKind::EscalatedToSupervisor.as_str())
                .copied()
                .unwrap_or(0);
            // The runners see the same clock, so the first pass takes each report straight to
            // its level (two weeks late: the system administrators) in one event; a second writer would
            // add another.
            assert_eq!(
                overdue + escalated,
                1,
                "{}: report {id}: {kinds:?}",
                t.backend
            );
            assert!(r.overdue_level >= 1, "{}: report {id}", t.backend);
        }
        // Nothing left for a third runner at the same moment.
        let again = app::server::lifecycle::run_jobs(&db, Utc::now())
            .await
            .unwrap();
        assert_eq!(again.escalated, 0, "{}: {again:?}", t.backend);
        app::server::audit::verify_all(&db).await.unwrap();

        // Every email of this database, delivered exactly once.
        let rows = outbox::Entity::find().all(&db).await.unwrap();
        let mut ids: HashMap<String, usize> = rows.iter().map(|m| (message_id(m), 0)).collect();
        for id in smtp.message_ids() {
            if let Some(n) = ids.get_mut(&id) {
                *n += 1;
            }
        }
        assert!(
            rows.len() >= 3 * late_ids.len(),
            "{}: {} emails",
            t.backend,
            rows.len()
        );
        for (id, n) in &ids {
            assert_eq!(*n, 1, "{}: {id} delivered {n} times", t.backend);
        }
        println!(
            "two instances on {}: session shared, photo served across, {} emails each delivered once, {} reports escalated once",
            t.backend,
            rows.len(),
            late_ids.len()
        );
        t.cleanup().await;
    }
}
