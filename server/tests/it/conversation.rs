//! The thread between reporter and agency, attachments and email notifications, over HTTP
//! against the real router, real databases and a real SMTP server (Debian's `python3-aiosmtpd`,
//! started here; `scripts/setup test` installs it).

use crate::common;

use app::domain::lifecycle::{CommandInput, CommandKind};
use app::server::entities::{attachment, outbox, report};
use app::server::notify::{deliver_due, Mailer};
use axum::body::Body;
use axum::Router;
use chrono::{Duration, Utc};
use common::process::{smtp, Received, Smtp};
use common::send;
use http::{header, Request, StatusCode};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use serde_json::json;
use std::process::{Command as Process, Stdio};

use common::{add_account, get_as, multipart, TEST_PASSWORD as PASSWORD};
const PUPR: i32 = 3;

// ---------------------------------------------------------------------------------------------
// A real SMTP server: aiosmtpd (common::process).

impl Smtp {
    fn mailer(&self) -> Mailer {
        Mailer::from_url(
            &format!("smtp://127.0.0.1:{}", self.port),
            "Aduan <noreply@aduan.test>",
            "http://aduan.test",
        )
        .unwrap()
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers.

async fn sign_in(app: &Router, email: &str) -> String {
    common::session_cookie(app, email, PASSWORD).await
}

/// A JPEG photo carrying EXIF with a GPS block and a text marker in its metadata.
fn jpeg_with_gps(marker: &str) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
    });
    let mut plain = std::io::Cursor::new(Vec::new());
    img.write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
    let plain = plain.into_inner();
    // TIFF (big-endian): IFD0 with one entry, the GPS IFD pointer; the GPS IFD with
    // GPSLatitudeRef = "S"; then the marker as trailing bytes of the segment.
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"MM\x00\x2a\x00\x00\x00\x08");
    tiff.extend_from_slice(&[0x00, 0x01]); // one entry
    tiff.extend_from_slice(&[
        0x88, 0x25, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1a,
    ]);
    tiff.extend_from_slice(&[0x00, 0x00, 0x00, 0x00]); // no next IFD
    tiff.extend_from_slice(&[0x00, 0x01]); // GPS IFD: one entry
    tiff.extend_from_slice(&[
        0x00, 0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, b'S', 0x00, 0x00, 0x00,
    ]);
    tiff.extend_from_slice(&[0x00, 0x00, 0x00, 0x00]);
    tiff.extend_from_slice(marker.as_bytes());
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(&tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn send_bytes(app: &Router, req: Request<Body>) -> (StatusCode, http::HeaderMap, Vec<u8>) {
    use tower::ServiceExt;
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, body.to_vec())
}

async fn status_of(db: &DatabaseConnection, id: i64) -> String {
    report::Entity::find_by_id(id)
        .one(db)
        .await
        .unwrap()
        .unwrap()
        .status
}

// ---------------------------------------------------------------------------------------------

/// A guest reporter (writing in English) and an agency: dispatch, a follow-up with a photo, an
/// answer, the reporter's confirmation with a rating, each step in the thread and in the emails
/// (English for the reporter, Indonesian for the agency), sent once through a real SMTP server.
#[tokio::test(flavor = "multi_thread")]
async fn thread_files_and_emails_from_dispatch_to_confirmation() {
    let smtp = smtp().await;
    let mailer = smtp.mailer();
    for t in common::databases().await {
        let db = t.db.clone();
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let officer_email = format!("petugas-{tag}@pupr.example.go.id");
        let other_email = format!("petugas-{tag}@dinkes.example.go.id");
        let reporter_email = format!("warga-{tag}@example.org");
        add_account(&db, "agency_officer", Some("76-PUPR"), &officer_email).await;
        add_account(&db, "agency_officer", Some("76-DINKES"), &other_email).await;
        let verifier = add_account(
            &db,
            "verifier",
            Some("PROV-76"),
            &format!("verif-{tag}@prov.example.go.id"),
        )
        .await;

        // The reporter submits in English with an email address.
        let res = send(
            &app,
            common::post_json(
                "/api/v1/reports?lang=en",
                &json!({
                    "kind": "complaint",
                    "title": "Broken street light on Jalan Ahmad Yani",
                    "description": "The street light in front of the market has been off for two weeks.",
                    "category_id": 1,
                    "region_code": "76.04",
                    "reporter": {"name": "Warga Uji", "email": reporter_email}
                })
                .to_string(),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let code = res.json()["tracking_code"].as_str().unwrap().to_string();
        let id = common::report_id(&db, res.json()["reference"].as_str().unwrap()).await;

        // The verifier dispatches to Dinas PUPR (the use case, as the staff page calls it).
        let verifier_actor = app::domain::access::Actor::Staff(app::domain::access::StaffActor {
            account: verifier,
            role: app::domain::access::AccountRole::Verifier,
            agency: Some(1),
            scope: vec![],
        });
        app::server::casework::command(
            &db,
            &verifier_actor,
            id,
            &app::domain::lifecycle::CommandInput {
                agency: Some(PUPR),
                note: Some("Penerangan jalan: kewenangan Dinas PUPR".into()),
                ..CommandInput::of(CommandKind::Dispatch)
            },
            Utc::now(),
        )
        .await
        .unwrap();

        // The officer follows up with a photo (multipart form of the staff page).
        let officer = sign_in(&app, &officer_email).await;
        let marker = format!("GPSKANARI{tag}");
        let photo = jpeg_with_gps(&marker);
        assert!(contains(&photo, b"Exif") && contains(&photo, marker.as_bytes()));
        let res = send(
            &app,
            multipart(
                &format!("/staf/laporan/{id}"),
                Some(&officer),
                &[
                    ("_act", "staff_command"),
                    ("_form", "command-message"),
                    ("report", &id.to_string()),
                    ("command", "follow_up"),
                    ("note", "Tim sudah meninjau lokasi; lampu akan diganti."),
                ],
                &[("lokasi.jpg", photo.clone())],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

        // The reporter sees the message and the photo, with the metadata gone.
        let page = send(&app, common::get(&format!("/lacak/{code}?lang=en"))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Tim sudah meninjau lokasi"),
            "{}",
            page.body
        );
        assert!(
            !page.body.contains("Penerangan jalan: kewenangan"),
            "internal notes stay internal"
        );
        let file = attachment::Entity::find()
            .filter(attachment::Column::ReportId.eq(id))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let canonical = app::domain::TrackingCode::parse(&code).unwrap();
        assert!(page.body.contains(&format!(
            "/lacak/{}/lampiran/{}",
            canonical.as_str(),
            file.id
        )));
        let (status, headers, body) = send_bytes(
            &app,
            get_as(&format!("/lacak/{code}/lampiran/{}", file.id), None),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(headers[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("no-store"));
        assert!(body.starts_with(&[0xFF, 0xD8, 0xFF]));
        assert!(!contains(&body, b"Exif"), "EXIF removed");
        assert!(!contains(&body, marker.as_bytes()), "metadata removed");
        let decoded = image::load_from_memory(&body).expect("still a picture");
        assert_eq!((decoded.width(), decoded.height()), (64, 48));

        // Nobody else opens it: a wrong code, the public, another agency's officer.
        let other = sign_in(&app, &other_email).await;
        let wrong_code = "AAAA-BBBB-CCCC-DDDD";
        for (uri, cookie) in [
            (format!("/lacak/{wrong_code}/lampiran/{}", file.id), None),
            (format!("/lampiran/{}", file.id), None),
            (format!("/lampiran/{}", file.id), Some(other.as_str())),
        ] {
            let (status, _, body) = send_bytes(&app, get_as(&uri, cookie)).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
            assert!(!contains(&body, &[0xFF, 0xD8, 0xFF]));
        }
        let (status, _, _) = send_bytes(
            &app,
            get_as(&format!("/lampiran/{}", file.id), Some(&officer)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "the handling officer opens it");

        // The officer answers; the reporter is asked to confirm.
        let res = send(
            &app,
            multipart(
                &format!("/staf/laporan/{id}"),
                Some(&officer),
                &[
                    ("_act", "staff_command"),
                    ("_form", "command-message"),
                    ("report", &id.to_string()),
                    ("command", "answer"),
                    ("note", "Lampu sudah diganti pada 27 November."),
                ],
                &[],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(status_of(&db, id).await, "awaiting_reporter");

        // Refused confirmations keep what was typed and say why, per field.
        let res = send(
            &app,
            multipart(
                &format!("/lacak/{code}?lang=en"),
                None,
                &[
                    ("_act", "track_command"),
                    ("_form", "reporter-confirm"),
                    ("code", &code),
                    ("command", "confirm"),
                    ("note", "Terima kasih, sudah menyala."),
                ],
                &[],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body.contains("Choose a rating from 1 to 5"),
            "{}",
            res.body
        );
        assert!(
            res.body.contains("Terima kasih, sudah menyala."),
            "the comment is kept"
        );

        let res = send(
            &app,
            multipart(
                &format!("/lacak/{code}"),
                None,
                &[
                    ("_act", "track_command"),
                    ("_form", "reporter-confirm"),
                    ("code", &code),
                    ("command", "confirm"),
                    ("rating", "4"),
                    ("note", "Terima kasih, sudah menyala."),
                ],
                &[],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let r = report::Entity::find_by_id(id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((r.status.as_str(), r.rating), ("resolved", Some(4)));
        let json = send(&app, common::get(&format!("/api/v1/track/{code}")))
            .await
            .json();
        let bodies: Vec<&str> = json["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["body"].as_str().unwrap())
            .collect();
        assert_eq!(
            bodies,
            [
                "Tim sudah meninjau lokasi; lampu akan diganti.",
                "Lampu sudah diganti pada 27 November.",
                "Terima kasih, sudah menyala."
            ]
        );
        assert_eq!(json["messages"][0]["author"], "agency");
        assert_eq!(
            json["messages"][0]["agency"],
            "Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Sulawesi Barat"
        );
        assert_eq!(
            json["messages"][0]["attachments"][0]["media_type"],
            "image/jpeg"
        );

        // Emails: sent by the runner, once each, in each recipient's language.
        let sent = deliver_due(&db, &mailer, Utc::now()).await.unwrap();
        assert_eq!(sent.failed, 0);
        let again = deliver_due(&db, &mailer, Utc::now() + Duration::hours(1))
            .await
            .unwrap();
        assert_eq!(again.sent, 0, "nothing is sent twice");
        let all = smtp.received();
        // This test's messages (the mailbox is shared by both databases' runs).
        let mails: Vec<&Received> = all.iter().filter(|m| m.to.contains(&tag)).collect();
        assert_eq!(mails.len() as u32, sent.sent);
        let to_reporter: Vec<_> = mails
            .iter()
            .filter(|m| m.to.contains(&reporter_email))
            .collect();
        let subjects: Vec<&str> = to_reporter.iter().map(|m| m.subject.as_str()).collect();
        assert_eq!(
            to_reporter.len(),
            3,
            "dispatched, followed up, answered: {subjects:?}"
        );
        for m in &to_reporter {
            assert!(
                m.text.contains("Dear Sir or Madam"),
                "English for the reporter: {}",
                m.text
            );
            assert!(m.text.contains("http://aduan.test/lacak"), "{}", m.text);
            assert!(
                m.html.contains("href=\"http://aduan.test/lacak\""),
                "{}",
                m.html
            );
        }
        assert!(to_reporter
            .iter()
            .any(|m| m.text.contains("Lampu sudah diganti pada 27 November.")));
        let to_officer: Vec<_> = mails
            .iter()
            .filter(|m| m.to.contains(&officer_email))
            .collect();
        assert!(
            !to_officer.is_empty(),
            "the agency hears of the dispatch and the confirmation"
        );
        for m in &to_officer {
            assert!(
                m.text.contains("Yth. Bapak/Ibu"),
                "Indonesian for the officer: {}",
                m.text
            );
            assert!(m
                .text
                .contains(&format!("http://aduan.test/staf/laporan/{id}")));
            assert!(!m.text.contains("Warga Uji") && !m.text.contains(&reporter_email));
        }
        assert!(
            !mails.iter().any(|m| m.to.contains(&other_email)),
            "another agency hears nothing"
        );
        let mut ids: Vec<&str> = mails.iter().map(|m| m.message_id.as_str()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), mails.len(), "one Message-ID per email");
        println!(
            "{}: {} emails received by the SMTP server",
            t.backend,
            mails.len()
        );
        t.cleanup().await;
    }
}

/// Uploads are judged by their content and limits, with a message in the reporter's language
/// and nothing stored when refused.
#[tokio::test(flavor = "multi_thread")]
async fn uploads_are_checked_by_content_size_and_count() {
    for t in common::databases().await {
        let db = t.db.clone();
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let res = send(
            &app,
            common::post_json(
                "/api/v1/reports",
                &json!({
                    "kind": "complaint",
                    "title": "Jalan berlubang di depan sekolah",
                    "description": "Lubang besar di jalan depan SD Negeri 1 membahayakan anak-anak.",
                    "category_id": 1,
                    "region_code": "76.04"
                })
                .to_string(),
            ),
        )
        .await;
        let code = res.json()["tracking_code"].as_str().unwrap().to_string();
        let id: i64 = common::report_id(&db, res.json()["reference"].as_str().unwrap()).await;
        // Put on hold with a question, so the reporter can answer with files.
        move_to(
            &db,
            id,
            app::domain::lifecycle::Command::Hold,
            app::domain::lifecycle::Role::Verifier,
            Some("Di ruas jalan mana tepatnya?"),
        )
        .await;
        let page = send(&app, common::get(&format!("/lacak/{code}"))).await;
        assert!(page.body.contains("Di ruas jalan mana tepatnya?"));
        assert!(page.body.contains("data-testid=\"reporter-answer_hold\""));

        let answer = "Di Jalan Pemuda, depan SD Negeri 1.";
        let cases: Vec<(&str, Vec<(&str, Vec<u8>)>, &str)> = vec![
            (
                "oversized",
                vec![("besar.jpg", {
                    let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0];
                    b.resize(10 * 1024 * 1024 + 10, 0);
                    b
                })],
                "10 MB",
            ),
            (
                "disguised",
                vec![(
                    "foto.jpg",
                    b"<html><script>alert(1)</script></html>".to_vec(),
                )],
                "Hanya foto JPEG atau PNG dan dokumen PDF",
            ),
            (
                "broken image",
                vec![("foto.jpg", vec![0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4])],
                "Hanya foto JPEG atau PNG dan dokumen PDF",
            ),
            (
                "too many",
                (0..6).map(|_| ("a.pdf", common::tiny_pdf())).collect(),
                "Paling banyak 5 berkas per pesan",
            ),
        ];
        for (what, files, message) in cases {
            let res = send(
                &app,
                multipart(
                    &format!("/lacak/{code}"),
                    None,
                    &[
                        ("_act", "track_command"),
                        ("_form", "reporter-answer_hold"),
                        ("code", &code),
                        ("command", "answer_hold"),
                        ("note", answer),
                    ],
                    &files,
                ),
            )
            .await;
            assert_eq!(
                res.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{what}: {}",
                res.body
            );
            assert!(res.body.contains(message), "{what}: {}", res.body);
            assert!(res.body.contains(answer), "{what}: the answer is kept");
            // The files cannot come back in the page: they are asked for again, by name.
            assert!(
                res.body.contains("data-testid=\"files-again\"") && res.body.contains(files[0].0),
                "{what}: the files are asked for again by name"
            );
            assert_eq!(
                status_of(&db, id).await,
                "on_hold",
                "{what}: nothing happened"
            );
        }
        assert_eq!(
            attachment::Entity::find().all(&db).await.unwrap().len(),
            0,
            "nothing stored"
        );
        // An empty answer is refused in the reporter's language.
        let res = send(
            &app,
            multipart(
                &format!("/lacak/{code}?lang=en"),
                None,
                &[
                    ("_act", "track_command"),
                    ("_form", "reporter-answer_hold"),
                    ("code", &code),
                    ("command", "answer_hold"),
                    ("note", " "),
                ],
                &[],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("Enter the message"), "{}", res.body);

        // A real PDF and a PNG go through; the PDF downloads as an attachment.
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(8, 8, image::Rgb([1, 2, 3]))
            .write_to(&mut png, image::ImageFormat::Png)
            .unwrap();
        let res = send(
            &app,
            multipart(
                &format!("/lacak/{code}"),
                None,
                &[
                    ("_act", "track_command"),
                    ("_form", "reporter-answer_hold"),
                    ("code", &code),
                    ("command", "answer_hold"),
                    ("note", answer),
                ],
                &[
                    ("denah.pdf", common::tiny_pdf()),
                    ("peta.png", png.into_inner()),
                ],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(status_of(&db, id).await, "awaiting_verification");
        let files = attachment::Entity::find().all(&db).await.unwrap();
        assert_eq!(files.len(), 2);
        let pdf = files
            .iter()
            .find(|f| f.media_type == "application/pdf")
            .unwrap();
        // Never the uploaded name (it can carry the reporter's identity).
        assert_eq!(pdf.file_name, "lampiran.pdf");
        let (status, headers, _) = send_bytes(
            &app,
            get_as(&format!("/lacak/{code}/lampiran/{}", pdf.id), None),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment;"));
        assert!(headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("sandbox"));

        // The JSON API answers for the reporter as well.
        let res = send(
            &app,
            common::post_json(
                &format!("/api/v1/track/{code}/actions"),
                &json!({"action": "dispute", "note": "x"}).to_string(),
            ),
        )
        .await;
        assert_eq!(
            res.status,
            StatusCode::CONFLICT,
            "not at a stage that accepts a dispute: {}",
            res.body
        );
        // The refusal speaks the client's language (it came out in English only before).
        assert_eq!(
            res.json()["message"],
            "Laporan sedang tidak berada pada tahap yang menerima tindakan ini."
        );
        let res = send(
            &app,
            common::post_json(
                &format!("/api/v1/track/{code}/actions?lang=en"),
                &json!({"action": "dispute", "note": "x"}).to_string(),
            ),
        )
        .await;
        assert_eq!(
            res.json()["message"],
            "The report is not at a stage that accepts this action."
        );
        t.cleanup().await;
    }
}

/// The outbox loses nothing and sends once: a crash after the commit (before any send), a
/// sender that claimed a message and died, and an SMTP server that was down.
#[tokio::test(flavor = "multi_thread")]
async fn outbox_survives_crashes_and_outages_and_sends_once() {
    let smtp = smtp().await;
    for t in common::databases().await {
        let db = t.db.clone();
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let officer_email = format!("petugas-{tag}@pupr.example.go.id");
        add_account(&db, "agency_officer", Some("76-PUPR"), &officer_email).await;
        let mut ids = Vec::new();
        for i in 0..3 {
            let receipt = app::server::intake::submit_form(
                &db,
                &app::domain::ReportForm {
                    kind: "complaint".into(),
                    title: format!("Laporan uji kotak keluar {i}"),
                    description: "Deskripsi laporan untuk pengujian kotak keluar email.".into(),
                    category_id: "1".into(),
                    province: "76".into(),
                    regency: "76.04".into(),
                    email: format!("warga{i}-{tag}@example.org"),
                    ..Default::default()
                },
                Utc::now(),
            )
            .await
            .unwrap();
            let id = common::report_id(&db, &receipt.reference).await;
            // The change commits with its emails; the process "dies" before sending anything.
            move_to(
                &db,
                id,
                app::domain::lifecycle::Command::Dispatch {
                    agency: PUPR,
                    needs_investigation: false,
                },
                app::domain::lifecycle::Role::Verifier,
                None,
            )
            .await;
            ids.push(id);
        }
        let pending = outbox::Entity::find()
            .filter(outbox::Column::Status.eq("pending"))
            .all(&db)
            .await
            .unwrap();
        assert_eq!(
            pending.len(),
            6,
            "reporter + officer for each of 3 dispatches"
        );

        // The SMTP server is down: attempts are counted and retried later, nothing is lost.
        let down = Mailer::from_url(
            "smtp://127.0.0.1:9",
            "Aduan <noreply@aduan.test>",
            "http://aduan.test",
        )
        .unwrap();
        let now = Utc::now();
        let d = deliver_due(&db, &down, now).await.unwrap();
        assert_eq!((d.sent, d.failed), (0, 6));
        let row = outbox::Entity::find_by_id(pending[0].id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((row.status.as_str(), row.attempts), ("pending", 1));
        assert!(row.next_attempt_at > now && row.last_error.is_some());

        // A sender claimed one message and died with it: the lease keeps others off it.
        outbox::Entity::update_many()
            .col_expr(
                outbox::Column::LockedUntil,
                Expr::value(now + Duration::minutes(5)),
            )
            .filter(outbox::Column::Id.eq(pending[1].id))
            .exec(&db)
            .await
            .unwrap();
        let mailer = smtp.mailer();
        let later = now + Duration::minutes(2);
        let d = deliver_due(&db, &mailer, later).await.unwrap();
        assert_eq!(d.sent, 5, "all but the leased one");
        // After the lease, the survivor sends it.
        let d = deliver_due(&db, &mailer, now + Duration::minutes(6))
            .await
            .unwrap();
        assert_eq!(d.sent, 1);
        let d = deliver_due(&db, &mailer, now + Duration::hours(2))
            .await
            .unwrap();
        assert_eq!(d.sent, 0);
        let received = smtp.received();
        let mine: Vec<_> = received.iter().filter(|m| m.to.contains(&tag)).collect();
        assert_eq!(mine.len(), 6, "each email arrived exactly once");
        for i in 0..3 {
            let to = format!("warga{i}-{tag}@example.org");
            assert_eq!(
                mine.iter().filter(|m| m.to.contains(&to)).count(),
                1,
                "{to}"
            );
        }
        assert_eq!(
            mine.iter()
                .filter(|m| m.to.contains(&officer_email))
                .count(),
            3
        );
        assert_eq!(
            outbox::Entity::find()
                .filter(outbox::Column::Status.eq("sent"))
                .all(&db)
                .await
                .unwrap()
                .len(),
            6
        );
        let _ = ids;
        t.cleanup().await;
    }
}

/// A registered citizen: the bell counts the news, the list opens the report in "my reports",
/// where the thread and the same answers work without a tracking code; nobody else gets in.
#[tokio::test(flavor = "multi_thread")]
async fn my_reports_thread_and_the_bell() {
    for t in common::databases().await {
        let db = t.db.clone();
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let mine = format!("warga-{tag}@example.org");
        let other = format!("tetangga-{tag}@example.org");
        let citizen = add_account(&db, "citizen", None, &mine).await;
        add_account(&db, "citizen", None, &other).await;
        let receipt = app::server::intake::submit_form_as(
            &db,
            &app::domain::ReportForm {
                kind: "complaint".into(),
                title: format!("Saluran air tersumbat {tag}"),
                description: "Saluran air di gang kami tersumbat sampah dan meluap saat hujan."
                    .into(),
                category_id: "1".into(),
                province: "76".into(),
                regency: "76.04".into(),
                ..Default::default()
            },
            Some(citizen),
            Utc::now(),
        )
        .await
        .unwrap();
        let id = common::report_id(&db, &receipt.reference).await;
        move_to(
            &db,
            id,
            app::domain::lifecycle::Command::Hold,
            app::domain::lifecycle::Role::Verifier,
            Some("Gang yang mana, dan sejak kapan?"),
        )
        .await;

        let me = sign_in(&app, &mine).await;
        let home = send(&app, get_as("/laporan-saya", Some(&me))).await;
        assert!(
            home.body.contains("data-testid=\"unread\""),
            "the bell shows news"
        );
        assert!(home.body.contains(&format!("/laporan-saya/{id}")));
        let list = send(&app, get_as("/api/v1/notifications", Some(&me)))
            .await
            .json();
        assert_eq!(list[0]["event"], "put_on_hold", "{list}");
        assert_eq!(list[0]["read"], false);
        let page = send(&app, get_as("/notifikasi", Some(&me))).await;
        assert!(page.body.contains(&format!("href=\"/laporan-saya/{id}\"")));

        // The report in the account: the question, and the answer form without any code.
        let page = send(&app, get_as(&format!("/laporan-saya/{id}"), Some(&me))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Gang yang mana, dan sejak kapan?"));
        assert!(page
            .body
            .contains(&format!("action=\"/laporan-saya/{id}#reporter-")));
        let res = send(
            &app,
            multipart(
                &format!("/laporan-saya/{id}"),
                Some(&me),
                &[
                    ("_act", "own_report_command"),
                    ("_form", "reporter-answer_hold"),
                    ("report", &id.to_string()),
                    ("command", "answer_hold"),
                    ("note", "Gang Mawar, sejak Senin."),
                ],
                &[],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(status_of(&db, id).await, "awaiting_verification");

        // Another citizen, the public and the API without a session get nothing.
        let stranger = sign_in(&app, &other).await;
        for (cookie, want) in [
            (Some(stranger.as_str()), StatusCode::NOT_FOUND),
            (None, StatusCode::UNAUTHORIZED),
        ] {
            let page = send(&app, get_as(&format!("/laporan-saya/{id}"), cookie)).await;
            assert_eq!(page.status, want);
            assert!(!page.body.contains("Gang Mawar"));
            let res = send(
                &app,
                multipart(
                    &format!("/laporan-saya/{id}"),
                    cookie,
                    &[
                        ("_act", "own_report_command"),
                        ("_form", "reporter-add_information"),
                        ("report", &id.to_string()),
                        ("command", "add_information"),
                        ("note", "x"),
                    ],
                    &[],
                ),
            )
            .await;
            assert_eq!(res.status, want);
        }
        let theirs = send(&app, get_as("/api/v1/notifications", Some(&stranger)))
            .await
            .json();
        assert_eq!(theirs, json!([]));

        // Marking read empties the bell.
        let res = send(
            &app,
            common::post_form_as("/notifikasi", Some(&me), "action=read_all"),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let home = send(&app, get_as("/laporan-saya", Some(&me))).await;
        assert!(!home.body.contains("data-testid=\"unread\""));
        t.cleanup().await;
    }
}

/// The API takes files too (multipart, same field names as the forms), and a question, a reason
/// or an answer without words is refused per field.
#[tokio::test(flavor = "multi_thread")]
async fn the_api_carries_files_and_refuses_wordless_answers() {
    for t in common::databases().await {
        let db = t.db.clone();
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let officer_email = format!("petugas-api-{tag}@pupr.example.go.id");
        add_account(&db, "agency_officer", Some("76-PUPR"), &officer_email).await;
        let res = send(
            &app,
            common::post_json(
                "/api/v1/reports",
                &json!({
                    "kind": "complaint",
                    "title": "Trotoar rusak di depan kantor pos",
                    "description": "Paving trotoar terlepas sehingga pejalan kaki harus turun ke jalan raya.",
                    "category_id": 1,
                    "region_code": "76.04"
                })
                .to_string(),
            ),
        )
        .await;
        let code = res.json()["tracking_code"].as_str().unwrap().to_string();
        let id = common::report_id(&db, res.json()["reference"].as_str().unwrap()).await;
        move_to(
            &db,
            id,
            app::domain::lifecycle::Command::Dispatch {
                agency: PUPR,
                needs_investigation: false,
            },
            app::domain::lifecycle::Role::Verifier,
            None,
        )
        .await;
        let officer = sign_in(&app, &officer_email).await;
        let uri = format!("/api/v1/staff/reports/{id}/commands");
        let mut png = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(6, 6, image::Rgb([9, 9, 9]))
            .write_to(&mut png, image::ImageFormat::Png)
            .unwrap();
        let res = send(
            &app,
            multipart(
                &uri,
                Some(&officer),
                &[
                    ("command", "follow_up"),
                    ("note", "Foto kondisi trotoar hari ini."),
                ],
                &[("trotoar.png", png.into_inner())],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["event"], "followed_up");
        // JSON, without words: refused on the message field.
        let mut req = common::post_json(&uri, &json!({"command": "answer"}).to_string());
        req.headers_mut()
            .insert(header::COOKIE, officer.parse().unwrap());
        let res = send(&app, req).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.body.contains("\"note\""), "{}", res.body);
        // The reporter adds a PDF through the API once answered.
        let mut req = common::post_json(
            &uri,
            &json!({"command": "answer", "note": "Paving dipasang kembali."}).to_string(),
        );
        req.headers_mut()
            .insert(header::COOKIE, officer.parse().unwrap());
        assert_eq!(send(&app, req).await.status, StatusCode::OK);
        let res = send(
            &app,
            multipart(
                &format!("/api/v1/track/{code}/actions"),
                None,
                &[
                    ("_act", "track_command"),
                    ("_form", "reporter-add_information"),
                    ("code", &code),
                    ("command", "add_information"),
                    ("note", "Masih ada dua paving yang goyang."),
                ],
                &[("denah.pdf", common::tiny_pdf())],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let json = send(&app, common::get(&format!("/api/v1/track/{code}")))
            .await
            .json();
        let kinds: Vec<&str> = json["messages"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|m| m["attachments"].as_array().unwrap().iter())
            .map(|a| a["media_type"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["image/png", "application/pdf"]);
        t.cleanup().await;
    }
}

/// Attachments in an S3-compatible bucket (a real S3 protocol server: `s3rver`, from the npm
/// registry, installed by `scripts/setup`): one instance stores the reporter's photo, another
/// serves it.
#[tokio::test(flavor = "multi_thread")]
async fn attachments_in_an_s3_bucket_are_shared_by_two_instances() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let bin = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../node_modules/.bin/s3rver");
    let mut child = Process::new(&bin)
        .args(["-d"])
        .arg(dir.path())
        .args([
            "-p",
            &port.to_string(),
            "--configure-bucket",
            "aduan",
            "--silent",
        ])
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start {} ({e}): run `scripts/setup test`",
                bin.display()
            )
        });
    let mut up = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
        {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(up, "s3rver did not listen");
    let settings = || {
        let mut s = common::settings(1000);
        s.files_url = Some("s3://aduan/lampiran".into());
        s.files_options = server::config::Secret(vec![
            ("aws_endpoint".into(), format!("http://127.0.0.1:{port}")),
            ("aws_access_key_id".into(), "S3RVER".into()),
            ("aws_secret_access_key".into(), "S3RVER".into()),
            ("aws_region".into(), "us-east-1".into()),
            ("aws_allow_http".into(), "true".into()),
        ]);
        s
    };
    for t in common::databases().await {
        let db = t.db.clone();
        let one = server::startup::router(db.clone(), &settings()).unwrap();
        let two = server::startup::router(db.clone(), &settings()).unwrap();
        let res = send(
            &one,
            common::post_json(
                "/api/v1/reports",
                &json!({
                    "kind": "complaint",
                    "title": "Pohon tumbang menutup jalan desa",
                    "description": "Pohon besar tumbang setelah angin kencang dan menutup seluruh badan jalan desa.",
                    "category_id": 1,
                    "region_code": "76.04"
                })
                .to_string(),
            ),
        )
        .await;
        let code = res.json()["tracking_code"].as_str().unwrap().to_string();
        let id = common::report_id(&db, res.json()["reference"].as_str().unwrap()).await;
        move_to(
            &db,
            id,
            app::domain::lifecycle::Command::Hold,
            app::domain::lifecycle::Role::Verifier,
            Some("Boleh kirim foto lokasinya?"),
        )
        .await;
        let photo = jpeg_with_gps("S3KANARI");
        let res = send(
            &one,
            multipart(
                &format!("/lacak/{code}"),
                None,
                &[
                    ("_act", "track_command"),
                    ("_form", "reporter-answer_hold"),
                    ("code", &code),
                    ("command", "answer_hold"),
                    ("note", "Ini fotonya."),
                ],
                &[("pohon.jpg", photo)],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let file = attachment::Entity::find()
            .filter(attachment::Column::ReportId.eq(id))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert!(
            dir.path().join("aduan").exists(),
            "the bytes went to the bucket's storage"
        );
        let (status, headers, body) = send_bytes(
            &two,
            get_as(&format!("/lacak/{code}/lampiran/{}", file.id), None),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "the other instance serves it");
        assert_eq!(headers[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(body.len() as i64, file.size_bytes);
        assert!(!contains(&body, b"S3KANARI"));
        t.cleanup().await;
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// Moves a report with a lifecycle command given now (a staff step the test does not drive).
async fn move_to(
    db: &sea_orm::DatabaseConnection,
    id: i64,
    command: app::domain::lifecycle::Command,
    role: app::domain::lifecycle::Role,
    note: Option<&str>,
) {
    app::server::lifecycle::transition(db, id, &command, role, note, Utc::now())
        .await
        .unwrap();
}

/// A report can come with photos: the `/lapor` form is multipart. Refused text stores nothing
/// (not even the files); a refused file keeps the typed report and stores nothing either.
#[tokio::test(flavor = "multi_thread")]
async fn reports_can_be_sent_with_photos() {
    for t in common::databases().await {
        let db = t.db.clone();
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let title = format!("Jembatan kayu lapuk {}", t.backend);
        let fields = |title: &str| {
            vec![
                ("kind", "complaint".to_string()),
                ("title", title.to_string()),
                (
                    "description",
                    "Papan jembatan kayu di dusun kami lapuk dan berlubang di beberapa tempat."
                        .to_string(),
                ),
                ("category_id", "1".to_string()),
                ("province", "76".to_string()),
                ("regency", "76.04".to_string()),
            ]
        };
        let post = |fields: Vec<(&'static str, String)>, files: Vec<(&'static str, Vec<u8>)>| {
            let refs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            multipart("/lapor", None, &refs, &files)
        };
        let photo = jpeg_with_gps("LAPORKANARI");
        // Too short a title: refused, the other values kept, nothing stored.
        let res = send(
            &app,
            post(fields("Pendek"), vec![("jembatan.jpg", photo.clone())]),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.body.contains("Papan jembatan kayu di dusun kami"));
        // A disguised file: refused on the file field, the report kept on the page.
        let res = send(
            &app,
            post(
                fields(&title),
                vec![("jembatan.jpg", b"MZ\x90\x00not a photo".to_vec())],
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.body
                .contains("Hanya foto JPEG atau PNG dan dokumen PDF"),
            "{}",
            res.body
        );
        assert!(res.body.contains(&title));
        assert_eq!(report::Entity::find().all(&db).await.unwrap().len(), 0);
        assert_eq!(attachment::Entity::find().all(&db).await.unwrap().len(), 0);

        let res = send(&app, post(fields(&title), vec![("jembatan.jpg", photo)])).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let location = res.headers[header::LOCATION].to_str().unwrap().to_string();
        let page = send(&app, common::get(&location)).await;
        let file = attachment::Entity::find()
            .one(&db)
            .await
            .unwrap()
            .expect("stored");
        assert!(
            page.body.contains(&format!("/lampiran/{}", file.id)),
            "the reporter sees it"
        );
        let code = location
            .trim_start_matches("/lacak/")
            .trim_end_matches("?baru=1");
        let (status, _, body) = send_bytes(
            &app,
            get_as(&format!("/lacak/{code}/lampiran/{}", file.id), None),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(!contains(&body, b"LAPORKANARI") && !contains(&body, b"Exif"));
        t.cleanup().await;
    }
}
