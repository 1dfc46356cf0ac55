//! The HTTP surface, in process, against real databases: JSON API, form posts, pages, headers.

use crate::common;

use common::{get, post_form, post_json, send};

use axum::body::Body;
use axum::Router;
use http::{header, Request, StatusCode};
use sea_orm::EntityTrait;
use serde_json::{json, Value};

fn valid_report() -> Value {
    json!({
        "kind": "complaint",
        "title": "Air PDAM keruh selama dua minggu",
        "description": "Air dari PDAM di kompleks kami berwarna coklat dan berbau selama dua minggu.",
        "category_id": 5,
        "region_code": "76.05",
        "incident_date": "2026-11-20",
        "anonymous": false,
        "confidential": false
    })
}

async fn apps(limit: u32) -> Vec<(common::TestDb, Router)> {
    let mut v = Vec::new();
    for t in common::databases().await {
        let router = server::startup::router(t.db.clone(), &common::settings(limit)).unwrap();
        v.push((t, router));
    }
    v
}

#[tokio::test(flavor = "multi_thread")]
async fn json_api_submit_and_track() {
    for (t, app) in apps(100).await {
        let r = send(
            &app,
            post_json("/api/v1/reports", &valid_report().to_string()),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}: {}", t.backend, r.body);
        let created = r.json();
        let code = created["tracking_code"].as_str().unwrap().to_string();
        assert_eq!(created["status"], "awaiting_verification");
        assert!(created["reference"].as_str().unwrap().starts_with("ADU-"));
        assert!(created["due_at"].is_string());
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");

        let r = send(&app, get(&format!("/api/v1/track/{}", code.to_lowercase()))).await;
        assert_eq!(r.status, StatusCode::OK, "{}: {}", t.backend, r.body);
        let tracked = r.json();
        assert_eq!(tracked["reference"], created["reference"]);
        assert_eq!(tracked["kind"], "complaint");
        assert_eq!(tracked["title"], "Air PDAM keruh selama dua minggu");
        assert_eq!(tracked["status"], "awaiting_verification");
        assert_eq!(tracked["overdue"], false);
        assert_eq!(tracked["timeline"][0]["event"], "submitted");
        assert_eq!(tracked["due_at"], created["due_at"]);
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");

        for unknown in ["0000-0000-0000-0000", "not-a-code"] {
            let r = send(&app, get(&format!("/api/v1/track/{unknown}"))).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", t.backend);
            assert_eq!(r.json()["error"], "not_found");
        }
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn json_api_refuses_bad_input_with_field_messages_never_500() {
    for (t, app) in apps(100).await {
        let bad = json!({"kind": "rumor", "title": "short", "incident_date": "2999-01-01",
                         "region_code": "76.99", "reporter": {"email": "nope"}});
        let r = send(&app, post_json("/api/v1/reports", &bad.to_string())).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", t.backend);
        let body = r.json();
        assert_eq!(body["error"], "validation");
        let fields = body["fields"].as_object().unwrap();
        for f in ["kind", "title", "description", "incident_date", "email"] {
            assert!(
                fields.contains_key(f),
                "{}: missing {f} in {body}",
                t.backend
            );
        }
        assert_eq!(fields["title"], "Judul laporan minimal 10 karakter");

        // English on request.
        let mut req = post_json("/api/v1/reports", &json!({"kind": "complaint"}).to_string());
        req.headers_mut()
            .insert(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9".parse().unwrap());
        let r = send(&app, req).await;
        assert_eq!(r.json()["fields"]["title"], "Enter the title");

        // A region that does not exist is a field error too (after parsing succeeds).
        let mut unknown_region = valid_report();
        unknown_region["region_code"] = json!("76.99");
        let r = send(
            &app,
            post_json("/api/v1/reports", &unknown_region.to_string()),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.json()["fields"]["region_code"].is_string());

        for malformed in ["{", "[]", r#"{"title": 5}"#] {
            let r = send(&app, post_json("/api/v1/reports", malformed)).await;
            assert_eq!(
                r.status,
                StatusCode::BAD_REQUEST,
                "{}: {malformed}",
                t.backend
            );
            assert_eq!(r.json()["error"], "malformed");
        }
        let r = send(
            &app,
            Request::post("/api/v1/reports")
                .body(Body::from(valid_report().to_string()))
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn tracking_lookups_are_rate_limited() {
    for (t, app) in apps(3).await {
        for _ in 0..3 {
            let r = send(&app, get("/api/v1/track/0000-0000-0000-0000")).await;
            assert_eq!(r.status, StatusCode::NOT_FOUND);
        }
        let r = send(&app, get("/api/v1/track/0000-0000-0000-0000")).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", t.backend);
        assert_eq!(r.headers[header::RETRY_AFTER], "60");
        assert_eq!(r.json()["error"], "rate_limited");
        // The HTML page shares the same budget.
        let r = send(&app, get("/lacak/0000000000000000")).await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
        // Other pages are unaffected.
        assert_eq!(send(&app, get("/healthz")).await.status, StatusCode::OK);
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn openapi_and_health() {
    for (t, app) in apps(100).await {
        let r = send(&app, get("/api/v1/openapi.json")).await;
        assert_eq!(r.status, StatusCode::OK);
        let doc = r.json();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        assert!(doc["paths"]["/api/v1/reports"]["post"].is_object());
        assert!(doc["components"]["schemas"]["CreateReport"].is_object());
        assert_eq!(send(&app, get("/healthz")).await.body, "ok");
        assert_eq!(
            send(&app, get("/readyz")).await.status,
            StatusCode::OK,
            "{}",
            t.backend
        );
        t.cleanup().await;
    }
}

/// Readiness fails when the attachment store cannot take a write (here: its folder replaced by
/// a file, as an unmounted or broken share looks), and comes back when it can.
#[tokio::test(flavor = "multi_thread")]
async fn readiness_fails_without_the_file_store() {
    for db in common::databases().await {
        let files = common::files_dir();
        let mut settings = common::settings(100);
        settings.files_dir = files.clone();
        let app = server::startup::router(db.db.clone(), &settings).unwrap();
        assert_eq!(send(&app, get("/readyz")).await.status, StatusCode::OK);
        std::fs::remove_dir_all(&files).unwrap();
        std::fs::write(&files, b"not a folder").unwrap();
        let r = send(&app, get("/readyz")).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE, "{}", db.backend);
        assert_eq!(r.body, "file store unreachable");
        // The process is alive all the same (liveness is not readiness).
        assert_eq!(send(&app, get("/healthz")).await.status, StatusCode::OK);
        std::fs::remove_file(&files).unwrap();
        std::fs::create_dir_all(&files).unwrap();
        assert_eq!(send(&app, get("/readyz")).await.status, StatusCode::OK);
        db.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_tracking_page_is_complete_in_the_first_html() {
    for (t, app) in apps(100).await {
        let created = send(
            &app,
            post_json("/api/v1/reports", &valid_report().to_string()),
        )
        .await
        .json();
        let code = created["tracking_code"].as_str().unwrap().replace('-', "");
        let r = send(&app, get(&format!("/lacak/{code}"))).await;
        assert_eq!(r.status, StatusCode::OK, "{}", t.backend);
        // Content is inline, not streamed into a <template>.
        let title_at = r
            .body
            .find("Air PDAM keruh selama dua minggu")
            .expect("title in HTML");
        assert!(!r.body[..title_at].contains("<template"), "{}", t.backend);
        assert!(r.body.contains("Menunggu verifikasi"));
        assert!(r.body.contains("hari kerja") || r.body.contains("batas waktu hari ini"));
        assert!(r.body.contains(r#"<html lang="id""#));
        // Bearer-secret hygiene.
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(r.headers[header::REFERRER_POLICY], "same-origin");
        assert!(r.headers["x-robots-tag"]
            .to_str()
            .unwrap()
            .contains("noindex"));
        let csp = r.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap();
        assert!(
            r.body.contains(&format!("nonce=\"{nonce}\"")),
            "hydration script carries the nonce"
        );

        let r = send(&app, get("/lacak/0000000000000000")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn form_post_without_javascript() {
    for (t, app) in apps(100).await {
        let body = "kind=aspiration&title=Penerangan+jalan+poros+Majene&description=Sebagian+besar+lampu+jalan+di+jalur+poros+Majene+padam+sejak+lama.&category_id=1&province=76&regency=76.01&incident_date=&anonymous=on&name=&email=&phone=";
        let r = send(&app, post_form("/lapor", body)).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}: {}", t.backend, r.body);
        let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
        assert!(
            location.starts_with("/lacak/") && location.ends_with("?baru=1"),
            "{location}"
        );
        let page = send(&app, get(&location)).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Laporan Anda telah terkirim"));
        assert!(page.body.contains("Penerangan jalan poros Majene"));

        // Refused: 422, the form again with every value and messages.
        let body = "kind=complaint&title=Pendek&description=Singkat&province=11&regency=76.01&email=bukan&phone=0812+3456+7890&anonymous=on";
        let r = send(&app, post_form("/lapor", body)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", t.backend);
        assert!(r.body.contains("error-summary"));
        assert!(r.body.contains("Judul laporan minimal 10 karakter"));
        assert!(r
            .body
            .contains("Kabupaten/kota tidak berada di provinsi yang dipilih"));
        assert!(r.body.contains(r#"value="Pendek""#));
        assert!(r.body.contains(r#"value="0812 3456 7890""#));
        assert!(r.body.contains(">Singkat</textarea>"));
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn language_switch_sets_the_cookie_and_the_html_lang() {
    let (t, app) = apps(100).await.into_iter().next().unwrap();
    let r = send(&app, get("/lapor?lang=en")).await;
    assert!(r.body.contains(r#"<html lang="en""#));
    assert!(r.body.contains("Submit a report"));
    let cookies: Vec<&str> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        cookies.iter().any(|c| c.starts_with("aduan_lang=en")),
        "{cookies:?}"
    );
    // The language cookie does not replace the form's anti-forgery cookie.
    assert!(
        cookies.iter().any(|c| c.starts_with("aduan_csrf=")),
        "{cookies:?}"
    );
    let req = Request::get("/")
        .header(header::COOKIE, "aduan_lang=en")
        .body(Body::empty())
        .unwrap();
    let r = send(&app, req).await;
    assert!(r.body.contains(r#"<html lang="en""#));
    let r = send(&app, get("/")).await;
    assert!(r.body.contains(r#"<html lang="id""#));
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn reporter_identity_never_appears_in_reporter_or_public_responses() {
    for (t, app) in apps(100).await {
        let mut report = valid_report();
        report["anonymous"] = json!(true);
        report["reporter"] = json!({"name": "CANARY-NAME-7731", "email": "canary7731@example.id", "phone": "081277317731"});
        let created = send(&app, post_json("/api/v1/reports", &report.to_string())).await;
        assert_eq!(created.status, StatusCode::CREATED);
        let code = created.json()["tracking_code"]
            .as_str()
            .unwrap()
            .replace('-', "");
        let reference = created.json()["reference"].as_str().unwrap().to_string();
        // Each response is the real page or body (status 200 and the report's own reference or
        // title in it: a 500 page or an empty body would pass an absence check alone).
        let pages = [
            ("created", created.status, created.body.clone()),
            {
                let r = send(&app, get(&format!("/api/v1/track/{code}"))).await;
                ("api track", r.status, r.body)
            },
            {
                let r = send(&app, get(&format!("/lacak/{code}"))).await;
                ("track page", r.status, r.body)
            },
            {
                let r = send(&app, get(&format!("/lacak/{code}?baru=1"))).await;
                ("confirmation", r.status, r.body)
            },
        ];
        for (what, status, body) in pages {
            assert!(status.is_success(), "{what}: {status}");
            assert!(
                body.contains(&reference),
                "{what}: the report itself is shown"
            );
            for marker in ["CANARY-NAME-7731", "canary7731", "081277317731"] {
                assert!(
                    !body.contains(marker),
                    "{}: {what}: {marker} leaked",
                    t.backend
                );
            }
        }
        // The positive control: the markers were stored (the staff's audited reveal finds them),
        // so their absence above is the policy's doing.
        let contact = app::server::entities::reporter_contact::Entity::find()
            .all(&t.db)
            .await
            .unwrap();
        let opened = |v: &Option<String>| v.as_deref().and_then(app::server::secrets::open);
        assert!(
            contact
                .iter()
                .any(|c| opened(&c.name).as_deref() == Some("CANARY-NAME-7731")
                    && opened(&c.email).as_deref() == Some("canary7731@example.id")),
            "the reporter's contact is stored"
        );
        let home = send(&app, get("/")).await;
        assert_eq!(home.status, StatusCode::OK);
        assert!(!home.body.contains("CANARY-NAME-7731"));
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cross_site_posts_are_refused() {
    let (t, app) = apps(100).await.into_iter().next().unwrap();
    let body = "kind=complaint&title=Judul+yang+cukup+panjang&description=Deskripsi+yang+cukup+panjang+untuk+diterima+server.";
    let mut req = post_form("/lapor", body);
    req.headers_mut()
        .insert(header::HOST, "aduan.example".parse().unwrap());
    req.headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(send(&app, req).await.status, StatusCode::FORBIDDEN);
    for site in ["cross-site", "same-site"] {
        let mut req = post_form("/lapor", body);
        req.headers_mut()
            .insert("sec-fetch-site", site.parse().unwrap());
        req.headers_mut()
            .insert(header::ORIGIN, "null".parse().unwrap());
        assert_eq!(
            send(&app, req).await.status,
            StatusCode::FORBIDDEN,
            "{site}"
        );
    }
    // `Origin: null` without Fetch Metadata (a sandboxed frame or `data:` page in a browser
    // that sends no `Sec-Fetch-Site`) is refused: our own pages send their real origin.
    let mut req = post_form("/lapor", body);
    req.headers_mut()
        .insert(header::ORIGIN, "null".parse().unwrap());
    assert_eq!(send(&app, req).await.status, StatusCode::FORBIDDEN);
    // Fetch Metadata decides first: same-origin passes whatever `Origin` says.
    let mut req = post_form("/lapor", body);
    req.headers_mut()
        .insert(header::ORIGIN, "null".parse().unwrap());
    req.headers_mut()
        .insert("sec-fetch-site", "same-origin".parse().unwrap());
    assert_eq!(send(&app, req).await.status, StatusCode::SEE_OTHER);
    // Same origin passes.
    let mut req = post_form("/lapor", body);
    req.headers_mut()
        .insert(header::HOST, "aduan.example".parse().unwrap());
    req.headers_mut()
        .insert(header::ORIGIN, "https://aduan.example".parse().unwrap());
    req.headers_mut()
        .insert("sec-fetch-site", "same-origin".parse().unwrap());
    assert_eq!(send(&app, req).await.status, StatusCode::SEE_OTHER);
    t.cleanup().await;
}

/// The hang of `form_post_without_javascript` (issue 14, item 20): building a router generated
/// the route list, which sets leptos's process-global "suppress resource loading" flag while it
/// runs; a tracking page rendering in a parallel test at that moment waited forever (leptos
/// #4773). The route list is now generated once per process: routers built while pages render
/// leave the flag alone, and every render finishes.
#[tokio::test(flavor = "multi_thread")]
async fn routers_built_while_pages_render_never_hang_a_render() {
    use std::sync::atomic::Ordering;
    let (t, app) = apps(1_000_000).await.into_iter().next().unwrap();
    let body = "kind=aspiration&title=Penerangan+jalan+poros+Majene&description=Sebagian+besar+lampu+jalan+di+jalur+poros+Majene+padam+sejak+lama.&category_id=1&province=76&regency=76.01";
    let r = send(&app, post_form("/lapor", body)).await;
    let page = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let generated = server::startup::ROUTE_LIST_GENERATIONS.load(Ordering::SeqCst);
    assert_eq!(generated, 1, "generated once in this process");
    let db = t.db.clone();
    let builders = tokio::task::spawn_blocking(move || {
        for _ in 0..40 {
            let _ = server::startup::router(db.clone(), &common::settings(1_000_000)).unwrap();
        }
    });
    let mut renders = Vec::new();
    for _ in 0..4 {
        let app = app.clone();
        let page = page.clone();
        renders.push(tokio::spawn(async move {
            for _ in 0..10 {
                let r = tokio::time::timeout(
                    std::time::Duration::from_secs(60),
                    send(&app, get(&page)),
                )
                .await
                .expect("a render hung");
                assert_eq!(r.status, StatusCode::OK);
                assert!(r.body.contains("Penerangan jalan poros Majene"));
            }
        }));
    }
    builders.await.unwrap();
    for r in renders {
        r.await.unwrap();
    }
    assert_eq!(
        server::startup::ROUTE_LIST_GENERATIONS.load(Ordering::SeqCst),
        1,
        "40 more routers, no new generation"
    );
    t.cleanup().await;
}

#[tokio::test]
async fn the_component_gallery_is_served_in_development_only() {
    let t = common::databases().await.into_iter().next().unwrap();
    let production = server::startup::router(t.db.clone(), &common::settings(100)).unwrap();
    assert_eq!(
        send(&production, get("/dev/komponen")).await.status,
        StatusCode::NOT_FOUND
    );
    let mut settings = common::settings(100);
    settings.demo = true;
    let dev = server::startup::router(t.db.clone(), &settings).unwrap();
    let page = send(&dev, get("/dev/komponen")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Komponen Aduan"));
    // Every shared piece is on it, rendered by the components themselves.
    for testid in [
        "acted",
        "near-duplicate",
        "countdown",
        "priority",
        "report-list",
        "files-again",
        "error-summary",
    ] {
        assert!(
            page.body.contains(&format!("data-testid=\"{testid}\""))
                || (testid == "error-summary" && page.body.contains("id=\"error-summary\"")),
            "{testid}"
        );
    }
    assert!(page.body.matches("data-testid=\"component\"").count() >= 9);
    t.cleanup().await;
}

/// A first visit is answered in the browser's language (`Accept-Language`); the switch (the
/// cookie) and the address (`?lang=`) win over it; pages say they vary by it; public pages
/// name their versions in each language, other pages none.
#[tokio::test(flavor = "multi_thread")]
async fn a_first_visit_speaks_the_browser_s_language() {
    let t = common::sqlite().await;
    let app = server::startup::router(t.db.clone(), &common::settings(100)).unwrap();
    let page = |uri: &str, accept: Option<&str>, cookie: Option<&str>| {
        let mut b = Request::get(uri);
        if let Some(a) = accept {
            b = b.header(header::ACCEPT_LANGUAGE, a);
        }
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    };
    let lang_of = |body: &str| {
        body.split("<html lang=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
            .unwrap_or_default()
            .to_string()
    };
    let r = send(
        &app,
        page("/laporan", Some("en-US,en;q=0.9,id;q=0.8"), None),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(lang_of(&r.body), "en");
    assert!(
        r.body.contains("Public reports") || r.body.contains("Reports"),
        "English text"
    );
    let vary: Vec<_> = r
        .headers
        .get_all(header::VARY)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        vary.iter().any(|v| v.contains("Accept-Language")),
        "{vary:?}"
    );
    for (lang, href) in [
        ("id", "/laporan?lang=id"),
        ("en", "/laporan?lang=en"),
        ("x-default", "/laporan"),
    ] {
        assert!(
            r.body.contains(&format!(
                r#"<link href="{href}" hreflang="{lang}" rel="alternate">"#
            )),
            "{lang}: {}",
            r.body
        );
    }
    // Indonesian first, or a language Aduan does not speak: Indonesian.
    let r = send(&app, page("/laporan", Some("id-ID,en;q=0.5"), None)).await;
    assert_eq!(lang_of(&r.body), "id");
    let r = send(&app, page("/laporan", Some("fr-FR"), None)).await;
    assert_eq!(lang_of(&r.body), "id");
    // A choice made on the site, or in the address, wins.
    let r = send(&app, page("/laporan", Some("en"), Some("aduan_lang=id"))).await;
    assert_eq!(lang_of(&r.body), "id");
    let r = send(&app, page("/laporan?lang=id", Some("en"), None)).await;
    assert_eq!(lang_of(&r.body), "id");
    // Every page speaks it; only the public ones have alternates.
    let r = send(&app, page("/masuk", Some("en"), None)).await;
    assert_eq!(lang_of(&r.body), "en");
    assert!(
        !r.body.contains("hreflang=\"x-default\""),
        "the sign-in page is no public page"
    );
}
