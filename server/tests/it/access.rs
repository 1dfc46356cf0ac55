//! Access control over HTTP against the real router and real databases: the authorization
//! matrix (role × action × relation), the identity canary, sessions (fixation, sign-out,
//! timeouts, CSRF), sign-in throttling, two-factor, bearer tokens, invites and agency import.

use crate::common;

use app::server::accounts::{self, NewAccount};
use app::server::entities::{account, report};
use axum::body::Body;
use axum::Router;
use chrono::{Duration, Utc};
use common::{request, send, Res};
use http::{header, Method, Request, StatusCode};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

// ---------------------------------------------------------------------------------------------
// Log capture: every log line of this test binary, to check the canary never reaches the logs.

#[derive(Clone, Default)]
struct LogBuf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogBuf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn logs() -> &'static LogBuf {
    static LOGS: OnceLock<LogBuf> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buf = LogBuf::default();
        let writer = buf.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(move || writer.clone())
            .try_init();
        buf
    })
}

// ---------------------------------------------------------------------------------------------
// The world: an agency tree, one account per role, reports in every relation.

/// Agencies of the seeded reference data, and a unit created below A.
const P: i32 = 1; // Pemerintah Provinsi Sulawesi Barat
const A: i32 = 3; // Dinas PUPR (the staff's agency)
const B: i32 = 2; // Dinas Kesehatan (another agency)

const ROLES: [&str; 7] = [
    "public",
    "citizen",
    "verifier",
    "agency_admin",
    "agency_officer",
    "supervisor",
    "system_admin",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Rel {
    /// The citizen's own report (handled by A).
    Own,
    /// Handled by the staff's agency A.
    Same,
    /// Handled by a unit below A.
    Child,
    /// Handled by A's parent.
    Parent,
    /// Handled by an agency outside A's subtree.
    Other,
    /// Not yet dispatched.
    Unassigned,
    /// Anonymous, handled by A.
    Anonymous,
    /// Confidential, handled by A.
    Confidential,
    /// Confidential, handled by another agency.
    ConfidentialOther,
    /// A joint case led by another agency, with A as a co-agency.
    Joint,
}

const RELS: [Rel; 10] = [
    Rel::Own,
    Rel::Same,
    Rel::Child,
    Rel::Parent,
    Rel::Other,
    Rel::Unassigned,
    Rel::Anonymous,
    Rel::Confidential,
    Rel::ConfidentialOther,
    Rel::Joint,
];

struct World {
    db: DatabaseConnection,
    app: Router,
    unit: i32,
    citizen: i64,
    cookies: HashMap<&'static str, String>,
    secrets: HashMap<&'static str, String>,
    /// The attachment store the router uses, and the file put on each report (by report id).
    files: app::server::files::Files,
    attachments: Mutex<HashMap<i64, i64>>,
}

fn form(title: &str, anonymous: bool, confidential: bool, marker: &str) -> app::domain::ReportForm {
    app::domain::ReportForm {
        kind: "complaint".into(),
        title: title.into(),
        description: "Deskripsi laporan untuk pengujian hak akses yang cukup panjang.".into(),
        category_id: "1".into(),
        province: "76".into(),
        regency: "76.04".into(),
        anonymous,
        confidential,
        name: format!("Nama {marker}"),
        email: format!("{}@canary.example.org", marker.to_lowercase()),
        phone: "081234567890".into(),
        ..Default::default()
    }
}

/// `name=value` of the session cookie a response sets.
fn session_cookie(res: &Res) -> Option<String> {
    res.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("aduan_session=") && !v.contains("Max-Age=0"))
        .map(|v| v.split(';').next().unwrap().to_string())
}

async fn sign_in(app: &Router, email: &str, password: &str, totp: Option<String>) -> Res {
    send(
        app,
        request(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"email": email, "password": password, "totp": totp})),
        ),
    )
    .await
}

const PASSWORD: &str = "kata sandi uji 2026";

async fn add_account(db: &DatabaseConnection, role: &str, agency: Option<&str>) -> (i64, String) {
    let email = format!("{role}@uji.example.org");
    let id = accounts::create_account(
        db,
        &NewAccount {
            login: email.clone(),
            display_name: format!("Uji {role}"),
            password: PASSWORD.into(),
            role: role.into(),
            agency_code: agency.map(str::to_string),
        },
        None,
        Utc::now(),
    )
    .await
    .unwrap();
    (id, email)
}

use common::{code_now, enable_totp};

async fn world(t: &common::TestDb) -> World {
    let db = t.db.clone();
    let settings = common::settings(1000);
    let files =
        app::server::files::Files::local(&settings.files_dir, settings.attachment_max_bytes)
            .unwrap();
    let app = server::startup::router(db.clone(), &settings).unwrap();
    let (admin_id, _) = add_account(&db, "system_admin", None).await;
    let admin = app::domain::access::Actor::Staff(app::domain::access::StaffActor {
        account: admin_id,
        role: app::domain::access::AccountRole::SystemAdmin,
        agency: None,
        scope: vec![],
    });
    let unit = app::server::agencies::create(
        &db,
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
    let mut cookies = HashMap::new();
    let mut secrets = HashMap::new();
    let mut citizen = 0;
    for role in ROLES {
        if role == "public" {
            continue;
        }
        let (id, email) = if role == "system_admin" {
            (admin_id, "system_admin@uji.example.org".to_string())
        } else {
            let agency = match role {
                "verifier" => Some("PROV-76"),
                "citizen" => None,
                _ => Some("76-PUPR"),
            };
            add_account(&db, role, agency).await
        };
        if role == "citizen" {
            citizen = id;
        }
        let totp = if app::domain::access::AccountRole::parse(role)
            .unwrap()
            .requires_mfa()
        {
            let secret = enable_totp(&db, id).await;
            let code = code_now(&secret);
            secrets.insert(role, secret);
            Some(code)
        } else {
            None
        };
        let res = sign_in(&app, &email, PASSWORD, totp).await;
        assert_eq!(res.status, StatusCode::OK, "{role} signs in: {}", res.body);
        cookies.insert(role, session_cookie(&res).expect("session cookie"));
    }
    World {
        db,
        app,
        unit,
        citizen,
        cookies,
        secrets,
        files,
        attachments: Mutex::new(HashMap::new()),
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Want {
    /// As the relation leaves it: dispatched to its agency, or awaiting verification.
    Placed,
    /// Followed up and answered: awaiting the reporter.
    Answered,
    /// Answered and disputed twice: an appeal awaiting a verifier.
    Appealed,
}

impl World {
    fn agency_of(&self, rel: Rel) -> Option<i32> {
        match rel {
            Rel::Own | Rel::Same | Rel::Anonymous | Rel::Confidential => Some(A),
            Rel::Child => Some(self.unit),
            Rel::Parent => Some(P),
            Rel::Other | Rel::ConfidentialOther | Rel::Joint => Some(B),
            Rel::Unassigned => None,
        }
    }

    /// A fresh report in relation `rel`, whose reporter fields carry `marker`.
    async fn report(&self, rel: Rel, want: Want, marker: &str) -> (i64, app::domain::TrackingCode) {
        use app::domain::lifecycle::{Command, Role};
        let anonymous = rel == Rel::Anonymous;
        let confidential = matches!(rel, Rel::Confidential | Rel::ConfidentialOther);
        let owner = (rel == Rel::Own).then_some(self.citizen);
        let now = Utc::now();
        let receipt = app::server::intake::submit_form_as(
            &self.db,
            &form(
                &format!("Laporan uji hak akses {rel:?}"),
                anonymous,
                confidential,
                marker,
            ),
            owner,
            now,
        )
        .await
        .unwrap();
        let id = report::Entity::find()
            .filter(report::Column::Reference.eq(&receipt.reference))
            .one(&self.db)
            .await
            .unwrap()
            .unwrap()
            .id;
        // The reporter's photo, on a message the reporter and the staff read.
        let stored = app::server::files::store_uploads(
            &self.files,
            id,
            vec![app::server::files::Upload {
                file_name: "foto.png".into(),
                bytes: common::tiny_png(),
                client: None,
            }],
        )
        .await
        .unwrap();
        let message = app::server::entities::message::ActiveModel {
            report_id: Set(id),
            author: Set("reporter".into()),
            audience: Set("reporter".into()),
            body: Set("Foto lokasi".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await
        .unwrap();
        let mut row = app::server::files::row(id, &stored[0], now);
        row.message_id = Set(Some(message.id));
        let file = row.insert(&self.db).await.unwrap();
        self.attachments.lock().unwrap().insert(id, file.id);
        let t = |c: Command, r: Role| {
            let db = self.db.clone();
            async move {
                app::server::lifecycle::transition(&db, id, &c, r, None, now)
                    .await
                    .unwrap();
            }
        };
        if let Some(agency) = self.agency_of(rel) {
            t(
                Command::Dispatch {
                    agency,
                    needs_investigation: false,
                },
                Role::Verifier,
            )
            .await;
            if rel == Rel::Joint {
                app::server::entities::report_agency::ActiveModel {
                    report_id: Set(id),
                    agency_id: Set(A),
                    added_by: Set(None),
                    added_at: Set(now),
                }
                .insert(&self.db)
                .await
                .unwrap();
            }
            if want != Want::Placed {
                t(Command::FollowUp, Role::AgencyOfficer).await;
                t(Command::Answer, Role::AgencyOfficer).await;
            }
            if want == Want::Appealed {
                t(Command::Dispute, Role::Reporter).await;
                t(Command::Answer, Role::AgencyOfficer).await;
                t(Command::Dispute, Role::Reporter).await;
            }
        }
        (id, receipt.tracking_code)
    }

    async fn call(&self, role: &str, method: Method, uri: &str, body: Option<Value>) -> Res {
        let cookie = self.cookies.get(role).map(String::as_str);
        send(&self.app, request(method, uri, cookie, body)).await
    }
}

// ---------------------------------------------------------------------------------------------
// The authorization matrix.

/// The typed action (`app::act`) behind one of the matrix's JSON routes, by the route's last
/// segment: these cells are tried through all three adapters.
fn act_of(uri: &str) -> Option<&'static str> {
    Some(match uri.rsplit('/').next()? {
        "commands" => "staff_command",
        "identity" => "reveal_identity",
        "priority" => "set_priority",
        "privacy" => "raise_privacy",
        "co-agencies" => "add_co_agency",
        "co-agency-requests" => "request_co_agency",
        "public-version" => "set_public_version",
        "bulk" => "update_reports",
        _ => return None,
    })
}

/// A JSON body as the fields a page's form posts (with the report, which the JSON route takes
/// from its address).
fn fields_of(id: i64, body: &Option<Value>) -> Vec<(String, String)> {
    let mut fields = vec![("report".to_string(), id.to_string())];
    if let Some(Value::Object(map)) = body {
        for (k, v) in map {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Bool(b) => {
                    if *b {
                        "1".into()
                    } else {
                        String::new()
                    }
                }
                // A list: the form's checkboxes, `name[]` once per value.
                Value::Array(items) => {
                    for item in items {
                        fields.push((format!("{k}[]"), item.to_string()));
                    }
                    continue;
                }
                other => other.to_string(),
            };
            fields.push((k.clone(), text));
        }
    }
    fields
}

/// The two browser adapters of a typed action.
#[derive(Clone, Copy, Debug)]
enum Adapter {
    /// The form posted without JavaScript to the page's own address.
    Form,
    /// The hydrated page's server function.
    ServerFn,
}

impl World {
    async fn act(
        &self,
        role: &str,
        adapter: Adapter,
        page: &str,
        key: &str,
        fields: &[(String, String)],
    ) -> Res {
        self.act_form(role, adapter, page, key, "matrix", fields)
            .await
    }

    async fn act_form(
        &self,
        role: &str,
        adapter: Adapter,
        page: &str,
        key: &str,
        form: &str,
        fields: &[(String, String)],
    ) -> Res {
        let cookie = self.cookies.get(role).map(String::as_str);
        let mut all: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        all.push(("_act", key));
        all.push(("_form", form));
        let uri = match adapter {
            Adapter::Form => page.to_string(),
            Adapter::ServerFn => common::act_path(key),
        };
        send(&self.app, common::multipart(&uri, cookie, &all, &[])).await
    }
}

/// One action of the matrix: how to try it and who is expected to succeed. The back-office
/// issue adds its endpoints here.
struct MatrixAction {
    name: &'static str,
    /// The state the report needs for an allowed actor to succeed.
    want: Want,
    /// Whether the action changes the report (then each cell gets a fresh one).
    mutates: bool,
    /// Method, path and body for report `id` (the world gives the unit's id).
    call: fn(i64, &World) -> (Method, String, Option<Value>),
    /// For list actions: success means the report is in the list.
    listed: bool,
    /// The expected outcome, written out independently of the policy under test.
    expected: fn(&str, Rel) -> bool,
}

fn in_a_scope(rel: Rel) -> bool {
    matches!(
        rel,
        Rel::Own | Rel::Same | Rel::Child | Rel::Anonymous | Rel::Confidential | Rel::Joint
    )
}

/// Who sees a report: verifiers and system admins all, agency staff and supervisors their
/// subtree, a citizen their own, the public nothing (through these doors).
fn sees(role: &str, rel: Rel) -> bool {
    match role {
        "verifier" | "system_admin" => true,
        "agency_admin" | "agency_officer" | "supervisor" => in_a_scope(rel),
        "citizen" => rel == Rel::Own,
        _ => false,
    }
}

fn matrix() -> Vec<MatrixAction> {
    vec![
        MatrixAction {
            name: "view",
            want: Want::Placed,
            mutates: false,
            call: |id, _| (Method::GET, format!("/api/v1/staff/reports/{id}"), None),
            listed: false,
            expected: sees,
        },
        MatrixAction {
            name: "download_attachment",
            want: Want::Placed,
            mutates: false,
            call: |id, w| {
                let file = w.attachments.lock().unwrap()[&id];
                (Method::GET, format!("/lampiran/{file}"), None)
            },
            listed: false,
            expected: sees,
        },
        MatrixAction {
            name: "set_priority",
            want: Want::Placed,
            mutates: false,
            call: |id, _| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/priority"),
                    Some(json!({"priority": 1})),
                )
            },
            listed: false,
            // Triage belongs to the verifiers.
            expected: |role, _| role == "verifier",
        },
        MatrixAction {
            name: "bulk_priority",
            want: Want::Placed,
            mutates: false,
            call: |id, _| {
                (
                    Method::POST,
                    "/api/v1/staff/reports/bulk".to_string(),
                    Some(json!({"reports": [id], "priority": 1})),
                )
            },
            listed: false,
            // Triage belongs to the verifiers, one report or many.
            expected: |role, _| role == "verifier",
        },
        MatrixAction {
            name: "bulk_release",
            want: Want::Placed,
            mutates: false,
            call: |id, _| {
                (
                    Method::POST,
                    "/api/v1/staff/reports/bulk".to_string(),
                    Some(json!({"reports": [id], "assign": "lepas"})),
                )
            },
            listed: false,
            // Only the hands holding a report (un)assign it: the verifiers before dispatch, the
            // agency (and the agencies above it) after; a co-agency does not.
            expected: |role, rel| match role {
                "verifier" => rel == Rel::Unassigned,
                "agency_admin" | "agency_officer" => matches!(
                    rel,
                    Rel::Own | Rel::Same | Rel::Child | Rel::Anonymous | Rel::Confidential
                ),
                _ => false,
            },
        },
        MatrixAction {
            name: "raise_privacy",
            want: Want::Placed,
            mutates: true,
            call: |id, _| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/privacy"),
                    Some(json!({"confidential": true})),
                )
            },
            listed: false,
            expected: |role, _| role == "verifier",
        },
        MatrixAction {
            name: "set_public_version",
            want: Want::Placed,
            mutates: true,
            call: |id, _| {
                (
                    Method::PUT,
                    format!("/api/v1/staff/reports/{id}/public-version"),
                    Some(json!({
                        "title": "Lampu jalan padam di dekat pasar",
                        "description": "Lampu penerangan jalan padam sejak seminggu, jalan gelap di malam hari."
                    })),
                )
            },
            listed: false,
            expected: |role, _| role == "verifier",
        },
        MatrixAction {
            name: "add_co_agency",
            want: Want::Placed,
            mutates: true,
            call: |id, _| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/co-agencies"),
                    Some(json!({"agency": 4})),
                )
            },
            listed: false,
            // Verifiers on any dispatched report (they decide who else reads it).
            expected: |role, rel| role == "verifier" && rel != Rel::Unassigned,
        },
        MatrixAction {
            name: "request_co_agency",
            want: Want::Placed,
            mutates: true,
            call: |id, _| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/co-agency-requests"),
                    Some(json!({"agency": 4, "reason": "Perlu instansi pendidikan"})),
                )
            },
            listed: false,
            // The lead agency's administrators ask; the verifiers decide.
            expected: |role, rel| role == "agency_admin" && in_a_scope(rel) && rel != Rel::Joint,
        },
        MatrixAction {
            name: "dispatch_help",
            want: Want::Placed,
            mutates: false,
            call: |id, _| {
                (
                    Method::GET,
                    format!("/api/v1/staff/reports/{id}/dispatch-help"),
                    None,
                )
            },
            listed: false,
            // Triage help (similar reports) is for the verifiers only.
            expected: |role, _| role == "verifier",
        },
        MatrixAction {
            name: "list",
            want: Want::Placed,
            mutates: false,
            call: |_, _| (Method::GET, "/api/v1/staff/reports".into(), None),
            listed: true,
            expected: sees,
        },
        MatrixAction {
            name: "reveal_identity",
            want: Want::Placed,
            mutates: false,
            call: |id, _| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/identity"),
                    Some(json!({"reason": "pemeriksaan matriks"})),
                )
            },
            listed: false,
            expected: |role, _| matches!(role, "verifier" | "system_admin"),
        },
        MatrixAction {
            name: "follow_up",
            want: Want::Placed,
            mutates: true,
            call: |id, _| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/commands"),
                    Some(json!({"command": "follow_up", "note": "Sedang ditinjau"})),
                )
            },
            listed: false,
            expected: |role, rel| {
                matches!(role, "agency_admin" | "agency_officer") && in_a_scope(rel)
            },
        },
        MatrixAction {
            name: "dispatch",
            want: Want::Placed,
            mutates: true,
            call: |id, _| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/commands"),
                    Some(json!({"command": "dispatch", "agency": B})),
                )
            },
            listed: false,
            // Only unassigned reports await dispatch; only verifiers dispatch.
            expected: |role, rel| role == "verifier" && rel == Rel::Unassigned,
        },
        MatrixAction {
            name: "bulk_dispatch",
            want: Want::Placed,
            mutates: true,
            call: |id, _| {
                (
                    Method::POST,
                    "/api/v1/staff/reports/bulk".to_string(),
                    Some(json!({"reports": [id], "action": "teruskan", "agency": B})),
                )
            },
            listed: false,
            // The same rule as one report's dispatch: verifiers, reports awaiting verification.
            expected: |role, rel| role == "verifier" && rel == Rel::Unassigned,
        },
        MatrixAction {
            name: "delegate",
            want: Want::Placed,
            mutates: true,
            call: |id, w| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/commands"),
                    Some(json!({"command": "delegate", "unit": w.unit})),
                )
            },
            listed: false,
            // Agency admins delegate within their subtree, not to where it already is; a
            // co-agency does not delegate the lead's report.
            expected: |role, rel| {
                role == "agency_admin" && in_a_scope(rel) && !matches!(rel, Rel::Child | Rel::Joint)
            },
        },
        MatrixAction {
            name: "confirm",
            want: Want::Answered,
            mutates: true,
            call: |id, _| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/commands"),
                    Some(json!({"command": "confirm", "rating": 5})),
                )
            },
            listed: false,
            expected: |role, rel| role == "citizen" && rel == Rel::Own,
        },
        MatrixAction {
            name: "uphold_appeal",
            want: Want::Appealed,
            mutates: true,
            call: |id, _| {
                (
                    Method::POST,
                    format!("/api/v1/staff/reports/{id}/commands"),
                    Some(
                        json!({"command": "uphold_appeal", "note": "Jawaban belum menjawab pokok aduan"}),
                    ),
                )
            },
            listed: false,
            // Appeals go to verifiers; supervisors only read. (Unassigned reports cannot be
            // appealed: they were never answered.)
            expected: |role, rel| role == "verifier" && rel != Rel::Unassigned,
        },
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn authorization_matrix() {
    logs();
    for t in common::databases().await {
        let w = world(&t).await;
        let actions = matrix();
        let mut shared = HashMap::new();
        for rel in RELS {
            shared.insert(
                (rel, Want::Placed),
                w.report(rel, Want::Placed, "SHARED").await.0,
            );
        }
        let mut cells = 0;
        let mut adapted = 0;
        let mut wrong = Vec::new();
        for action in &actions {
            for rel in RELS {
                for role in ROLES {
                    let id = if action.mutates {
                        w.report(rel, action.want, "CELL").await.0
                    } else {
                        shared[&(rel, action.want)]
                    };
                    let (method, uri, body) = (action.call)(id, &w);
                    let res = w.call(role, method.clone(), &uri, body).await;
                    let allowed = if action.listed {
                        res.status == StatusCode::OK
                            && res.json().as_array().unwrap().iter().any(|r| r["id"] == id)
                    } else {
                        res.status.is_success()
                    };
                    // A refusal is a refusal, never a crash.
                    assert!(
                        res.status.is_success()
                            || matches!(res.status.as_u16(), 401 | 403 | 404 | 409),
                        "{role} {} {rel:?}: unexpected {} {}",
                        action.name,
                        res.status,
                        res.body
                    );
                    if allowed != (action.expected)(role, rel) {
                        wrong.push(format!(
                            "{role} × {} × {rel:?}: expected {}, got {} {}",
                            action.name,
                            if (action.expected)(role, rel) {
                                "allow"
                            } else {
                                "deny"
                            },
                            res.status,
                            res.body.chars().take(120).collect::<String>()
                        ));
                    }
                    cells += 1;
                    // The same action through the page's form and its server function: the
                    // same answer, refusals under the same status.
                    let Some(key) = act_of(&uri).filter(|_| method != Method::GET) else {
                        continue;
                    };
                    for adapter in [Adapter::Form, Adapter::ServerFn] {
                        let id = if action.mutates {
                            w.report(rel, action.want, "CELL").await.0
                        } else {
                            id
                        };
                        let (_, _, body) = (action.call)(id, &w);
                        let page = format!("/staf/laporan/{id}");
                        let r = w
                            .act(role, adapter, &page, key, &fields_of(id, &body))
                            .await;
                        let ok = match adapter {
                            Adapter::Form => matches!(r.status.as_u16(), 200 | 303),
                            Adapter::ServerFn => r.status == StatusCode::OK,
                        };
                        if ok != allowed || (!ok && r.status != res.status) {
                            wrong.push(format!(
                                "{role} × {} × {rel:?} through {adapter:?}: {} where JSON gave {} ({})",
                                action.name,
                                r.status,
                                res.status,
                                r.body.chars().take(120).collect::<String>()
                            ));
                        }
                        cells += 1;
                        adapted += 1;
                    }
                }
            }
        }
        let acts = actions
            .iter()
            .filter(|a| {
                let (method, uri, _) = (a.call)(1, &w);
                method != Method::GET && act_of(&uri).is_some()
            })
            .count();
        println!(
            "authorization matrix on {}: {cells} cells ({} roles × {} actions × {} relations, \
             {acts} of the actions also through the form post and the server function: {adapted})",
            t.backend,
            ROLES.len(),
            actions.len(),
            RELS.len()
        );
        assert!(
            wrong.is_empty(),
            "{} wrong cells:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
        assert_eq!(adapted, 2 * ROLES.len() * acts * RELS.len());
        assert_eq!(cells, ROLES.len() * (actions.len() + 2 * acts) * RELS.len());
        t.cleanup().await;
    }
}

/// One try of a typed action through all three adapters.
struct AdapterCase {
    what: &'static str,
    role: &'static str,
    key: &'static str,
    /// The page whose forms post it (no JavaScript).
    page: String,
    /// The JSON API route and body.
    json: (Method, String, Value),
    /// The form's fields (what the page posts).
    fields: Vec<(String, String)>,
    /// Which form of the page posts it (where a refusal is shown).
    form: &'static str,
}

#[allow(clippy::too_many_arguments)]
fn case(
    what: &'static str,
    role: &'static str,
    key: &'static str,
    form: &'static str,
    page: String,
    json: (Method, String, Value),
    report: (&str, String),
) -> AdapterCase {
    let mut fields = fields_of(0, &Some(json.2.clone()));
    fields.retain(|(k, _)| k != "report");
    fields.push((report.0.to_string(), report.1));
    AdapterCase {
        what,
        role,
        key,
        page,
        json,
        fields,
        form,
    }
}

impl AdapterCase {
    /// One more field the page's form posts (the JSON route has it in its address).
    fn with(mut self, name: &str, value: &str) -> Self {
        self.fields.push((name.to_string(), value.to_string()));
        self
    }

    /// A JSON field the form names otherwise.
    fn without(mut self, name: &str) -> Self {
        self.fields.retain(|(k, _)| k != name);
        self
    }
}

/// What one adapter answered: success, or the status and the field messages (in Indonesian).
#[derive(Debug, PartialEq)]
enum Answer {
    Done,
    Refused(u16, Vec<(String, String)>),
}

#[tokio::test(flavor = "multi_thread")]
async fn every_action_answers_alike_through_the_form_the_server_function_and_json() {
    let t_id = app::i18n::Lang::Id.texts();
    let message = |f: &str, e: app::domain::FieldError| {
        let field = app::domain::Field::from_name(f).unwrap();
        t_id.field_error(field, e)
    };
    for t in common::databases().await {
        let w = world(&t).await;
        let mut tried = std::collections::BTreeSet::new();
        let mut compared = 0;
        // Each case gets a fresh report per adapter (some succeed and change it).
        type Make = fn(i64, &str, &World) -> AdapterCase;
        let cases: Vec<(Rel, Want, Make)> = vec![
            (Rel::Unassigned, Want::Placed, |id, _, _| {
                case(
                    "hold without a question",
                    "verifier",
                    "staff_command",
                    "command-hold",
                    format!("/staf/laporan/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/staff/reports/{id}/commands"),
                        json!({"command": "hold", "note": " "}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |id, _, _| {
                case(
                    "dispatch without an agency",
                    "verifier",
                    "staff_command",
                    "command-dispatch",
                    format!("/staf/laporan/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/staff/reports/{id}/commands"),
                        json!({"command": "dispatch"}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |id, _, _| {
                case(
                    "an agency that is not a number",
                    "verifier",
                    "staff_command",
                    "command-dispatch",
                    format!("/staf/laporan/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/staff/reports/{id}/commands"),
                        json!({"command": "dispatch", "agency": "tiga"}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |id, _, _| {
                case(
                    "an unknown command",
                    "verifier",
                    "staff_command",
                    "command-hold",
                    format!("/staf/laporan/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/staff/reports/{id}/commands"),
                        json!({"command": "terbang"}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |id, _, _| {
                case(
                    "dispatch",
                    "verifier",
                    "staff_command",
                    "command-dispatch",
                    format!("/staf/laporan/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/staff/reports/{id}/commands"),
                        json!({"command": "dispatch", "agency": A, "needs_investigation": true}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |id, _, _| {
                case(
                    "a duplicate of nothing",
                    "verifier",
                    "mark_duplicate",
                    "duplicate-form",
                    format!("/staf/laporan/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/staff/reports/{id}/duplicate"),
                        json!({"reference": "ADU-0000-0000"}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |id, _, _| {
                case(
                    "a public version without words",
                    "verifier",
                    "set_public_version",
                    "public-version-form",
                    format!("/staf/laporan/{id}"),
                    (
                        Method::PUT,
                        format!("/api/v1/staff/reports/{id}/public-version"),
                        json!({"title": "", "description": "pendek"}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |id, _, _| {
                case(
                    "a priority that is not a number",
                    "verifier",
                    "set_priority",
                    "priority-form",
                    format!("/staf/laporan/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/staff/reports/{id}/priority"),
                        json!({"priority": "tinggi"}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Same, Want::Answered, |_, code, _| {
                case(
                    "confirm without a rating",
                    "public",
                    "track_command",
                    "reporter-confirm",
                    format!("/lacak/{code}"),
                    (
                        Method::POST,
                        format!("/api/v1/track/{code}/actions"),
                        json!({"action": "confirm", "note": "Terima kasih"}),
                    ),
                    ("code", code.to_string()),
                )
            }),
            (Rel::Same, Want::Answered, |_, code, _| {
                case(
                    "dispute",
                    "public",
                    "track_command",
                    "reporter-dispute",
                    format!("/lacak/{code}"),
                    (
                        Method::POST,
                        format!("/api/v1/track/{code}/actions"),
                        json!({"action": "dispute", "note": "Lampu masih padam"}),
                    ),
                    ("code", code.to_string()),
                )
            }),
            (Rel::Same, Want::Answered, |_, code, _| {
                case(
                    "a staff command by tracking code",
                    "public",
                    "track_command",
                    "reporter-add_information",
                    format!("/lacak/{code}"),
                    (
                        Method::POST,
                        format!("/api/v1/track/{code}/actions"),
                        json!({"action": "follow_up", "note": "x"}),
                    ),
                    ("code", code.to_string()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a report",
                    "public",
                    "submit_report",
                    "report-form",
                    "/lapor".into(),
                    (
                        Method::POST,
                        "/api/v1/reports".into(),
                        json!({"kind": "complaint", "title": "Trotoar rusak di depan kantor camat",
                            "description": "Trotoar di depan kantor camat pecah-pecah dan membahayakan pejalan kaki.",
                            "anonymous": true}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a report with a short title",
                    "public",
                    "submit_report",
                    "report-form",
                    "/lapor".into(),
                    (
                        Method::POST,
                        "/api/v1/reports".into(),
                        json!({"kind": "complaint", "title": "Pendek",
                            "description": "Trotoar di depan kantor camat pecah-pecah dan membahayakan pejalan kaki."}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a reply template",
                    "agency_admin",
                    "create_template",
                    "template-form",
                    "/staf/templat".into(),
                    (
                        Method::POST,
                        "/api/v1/templates".into(),
                        json!({"title": "Jawaban umum penerangan jalan", "body": "Terima kasih, laporan {nomor} sedang kami tindak lanjuti."}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a template without a title",
                    "agency_admin",
                    "create_template",
                    "template-form",
                    "/staf/templat".into(),
                    (
                        Method::POST,
                        "/api/v1/templates".into(),
                        json!({"title": "", "body": "Isi"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a template by a verifier",
                    "verifier",
                    "create_template",
                    "template-form",
                    "/staf/templat".into(),
                    (
                        Method::POST,
                        "/api/v1/templates".into(),
                        json!({"title": "Jawaban umum", "body": "Isi jawaban umum"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "retiring no template",
                    "agency_admin",
                    "retire_template",
                    "retire-999999",
                    "/staf/templat".into(),
                    (
                        Method::DELETE,
                        "/api/v1/templates/999999".into(),
                        json!({"id": 999999}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a routing rule",
                    "system_admin",
                    "add_routing_rule",
                    "rule-form",
                    "/admin/rute".into(),
                    (
                        Method::POST,
                        "/api/v1/routing-rules".into(),
                        json!({"category_id": 1, "agency_id": 3}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a routing rule without an agency",
                    "system_admin",
                    "add_routing_rule",
                    "rule-form",
                    "/admin/rute".into(),
                    (
                        Method::POST,
                        "/api/v1/routing-rules".into(),
                        json!({"category_id": 1}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a routing rule by a verifier",
                    "verifier",
                    "add_routing_rule",
                    "rule-form",
                    "/admin/rute".into(),
                    (
                        Method::POST,
                        "/api/v1/routing-rules".into(),
                        json!({"category_id": 1, "agency_id": 3}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "removing no rule",
                    "system_admin",
                    "remove_routing_rule",
                    "remove-999999",
                    "/admin/rute".into(),
                    (
                        Method::DELETE,
                        "/api/v1/routing-rules/999999".into(),
                        json!({"id": 999999}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |id, _, _| {
                case(
                    "a staff command by someone not signed in",
                    "public",
                    "staff_command",
                    "command-hold",
                    format!("/staf/laporan/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/staff/reports/{id}/commands"),
                        json!({"command": "hold", "note": "Di mana tepatnya?"}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Own, Want::Answered, |id, _, _| {
                case(
                    "an empty dispute",
                    "citizen",
                    "own_report_command",
                    "reporter-dispute",
                    format!("/laporan-saya/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/my/reports/{id}/actions"),
                        json!({"action": "dispute", "note": ""}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Own, Want::Answered, |id, _, _| {
                case(
                    "confirm",
                    "citizen",
                    "own_report_command",
                    "reporter-confirm",
                    format!("/laporan-saya/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/my/reports/{id}/actions"),
                        json!({"action": "confirm", "rating": 4}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            (Rel::Other, Want::Answered, |id, _, _| {
                case(
                    "someone else's report",
                    "citizen",
                    "own_report_command",
                    "reporter-confirm",
                    format!("/laporan-saya/{id}"),
                    (
                        Method::POST,
                        format!("/api/v1/my/reports/{id}/actions"),
                        json!({"action": "confirm", "rating": 4}),
                    ),
                    ("report", id.to_string()),
                )
            }),
            // The back office's settings and accounts (no report involved).
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a holiday",
                    "system_admin",
                    "set_holiday",
                    "holiday-form",
                    "/admin/libur".into(),
                    (
                        Method::PUT,
                        "/api/v1/holidays/2031-03-03".into(),
                        json!({"kind": "holiday", "name": "Hari uji"}),
                    ),
                    ("day", "2031-03-03".into()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a holiday without a name",
                    "system_admin",
                    "set_holiday",
                    "holiday-form",
                    "/admin/libur".into(),
                    (
                        Method::PUT,
                        "/api/v1/holidays/2031-03-04".into(),
                        json!({"kind": "holiday", "name": ""}),
                    ),
                    ("day", "2031-03-04".into()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a holiday by a verifier",
                    "verifier",
                    "set_holiday",
                    "holiday-form",
                    "/admin/libur".into(),
                    (
                        Method::PUT,
                        "/api/v1/holidays/2031-03-05".into(),
                        json!({"kind": "holiday", "name": "Hari uji"}),
                    ),
                    ("day", "2031-03-05".into()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "removing a day by a verifier",
                    "verifier",
                    "remove_holiday",
                    "holiday-remove-2031-03-03",
                    "/admin/libur".into(),
                    (
                        Method::DELETE,
                        "/api/v1/holidays/2031-03-03".into(),
                        json!({}),
                    ),
                    ("day", "2031-03-03".into()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "confirming a year",
                    "system_admin",
                    "confirm_holiday_year",
                    "holiday-year-2031",
                    "/admin/libur".into(),
                    (
                        Method::POST,
                        "/api/v1/holidays/years/2031/confirm".into(),
                        json!({}),
                    ),
                    ("year", "2031".into()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "an agency without a name",
                    "system_admin",
                    "create_agency",
                    "agency-form",
                    "/admin/instansi".into(),
                    (
                        Method::POST,
                        "/api/v1/agencies".into(),
                        json!({"code": "76-UJI", "name": "", "kind": "opd"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "an agency by an agency administrator",
                    "agency_admin",
                    "create_agency",
                    "agency-form",
                    "/admin/instansi".into(),
                    (
                        Method::POST,
                        "/api/v1/agencies".into(),
                        json!({"code": "76-UJI", "name": "Dinas Uji", "kind": "opd"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "an agency renamed to nothing",
                    "system_admin",
                    "update_agency",
                    "agency-edit-form",
                    format!("/admin/instansi/{A}"),
                    (
                        Method::PUT,
                        format!("/api/v1/agencies/{A}"),
                        json!({"name": " ", "kind": "opd"}),
                    ),
                    ("id", A.to_string()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "an agency deactivated by a verifier",
                    "verifier",
                    "set_agency_active",
                    "agency-status-2",
                    "/admin/instansi".into(),
                    (
                        Method::POST,
                        format!("/api/v1/agencies/{B}/active?active=false"),
                        json!({}),
                    ),
                    ("agency", B.to_string()),
                )
                .with("active", "false")
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "an import preview",
                    "system_admin",
                    "import_agencies",
                    "import-form",
                    "/admin/instansi".into(),
                    (
                        Method::POST,
                        "/api/v1/agencies/import".into(),
                        json!({"csv": "code,name\n76-UJI-IMPOR,Dinas Uji Impor\n", "mode": "preview"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "an import by an agency administrator",
                    "agency_admin",
                    "import_agencies",
                    "import-form",
                    "/admin/instansi".into(),
                    (
                        Method::POST,
                        "/api/v1/agencies/import".into(),
                        json!({"csv": "code,name\n76-UJI-IMPOR,Dinas Uji Impor\n", "mode": "apply"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "an invite without an email",
                    "system_admin",
                    "invite_staff",
                    "invite-form",
                    "/admin/pengguna".into(),
                    (
                        Method::POST,
                        "/api/v1/invites".into(),
                        json!({"email": "", "role": "verifier"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "an invite by a citizen",
                    "citizen",
                    "invite_staff",
                    "invite-form",
                    "/admin/pengguna".into(),
                    (
                        Method::POST,
                        "/api/v1/invites".into(),
                        json!({"email": "baru@uji.example.org", "role": "verifier"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, w| {
                case(
                    "a role that does not exist",
                    "system_admin",
                    "change_role",
                    Box::leak(format!("role-{}", w.citizen).into_boxed_str()),
                    "/admin/pengguna".into(),
                    (
                        Method::PUT,
                        format!("/api/v1/accounts/{}/role", w.citizen),
                        json!({"role": "raja"}),
                    ),
                    ("account", w.citizen.to_string()),
                )
                .with("confirm", "1")
            }),
            (Rel::Unassigned, Want::Placed, |_, _, w| {
                case(
                    "an account deactivated by a verifier",
                    "verifier",
                    "set_account_active",
                    Box::leak(format!("account-status-{}", w.citizen).into_boxed_str()),
                    "/admin/pengguna".into(),
                    (
                        Method::POST,
                        format!("/api/v1/accounts/{}/active?active=false", w.citizen),
                        json!({}),
                    ),
                    ("account", w.citizen.to_string()),
                )
                .with("active", "false")
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a new password too short",
                    "citizen",
                    "change_password",
                    "password-form",
                    "/akun".into(),
                    (
                        Method::PUT,
                        "/api/v1/me/password".into(),
                        json!({"current_password": PASSWORD, "new_password": "pendek"}),
                    ),
                    ("password", PASSWORD.into()),
                )
                .without("current_password")
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "erasing an account without confirming",
                    "citizen",
                    "erase_account",
                    "erase-form",
                    "/akun".into(),
                    (
                        Method::DELETE,
                        "/api/v1/me".into(),
                        json!({"password": PASSWORD, "confirm": false}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a token without a name",
                    "verifier",
                    "create_token",
                    "token-form",
                    "/akun".into(),
                    (
                        Method::POST,
                        "/api/v1/tokens".into(),
                        json!({"name": "", "scope": "read"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "revoking no token",
                    "verifier",
                    "revoke_token",
                    "revoke-999999",
                    "/akun".into(),
                    (Method::DELETE, "/api/v1/tokens/999999".into(), json!({})),
                    ("id", "999999".into()),
                )
            }),
            // Signing in and out, registering, invites, claims, notifications, public reports.
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a sign-in without a password",
                    "public",
                    "sign_in",
                    "login-form",
                    "/masuk".into(),
                    (
                        Method::POST,
                        "/api/v1/session".into(),
                        json!({"email": "citizen@uji.example.org", "password": ""}),
                    ),
                    ("_none", String::new()),
                )
            }),
            // Saved views belong to the work list's page (no JSON route).
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a saved view by a citizen (no work list)",
                    "citizen",
                    "save_view",
                    "save-view-form",
                    "/staf?tampil=semua".into(),
                    (
                        Method::POST,
                        String::new(),
                        json!({"name": "Semua", "query": "tampil=semua"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "removing a saved view that is not there",
                    "verifier",
                    "remove_view",
                    "remove-view-1",
                    "/staf".into(),
                    (Method::POST, String::new(), json!({"view": 999999})),
                    ("_none", String::new()),
                )
            }),
            // A forgotten password: pages of the browser (the link comes by email).
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a reset link asked for an address with no account",
                    "public",
                    "request_password_reset",
                    "forgot-form",
                    "/lupa-sandi".into(),
                    (
                        Method::POST,
                        String::new(),
                        json!({"login": "tidak-ada@uji.example.org"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a new password through a link that is not there",
                    "public",
                    "reset_password",
                    "reset-form",
                    "/atur-sandi/bukan-tautan".into(),
                    (
                        Method::POST,
                        String::new(),
                        json!({"token": "bukan-tautan", "new_password": "kata sandi baru 2026"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            // The second factor and its set-up are steps of a browser's sign-in (an API
            // client sends the code with the password): no JSON route.
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a code with no sign-in under way",
                    "public",
                    "sign_in_code",
                    "code-form",
                    "/masuk/kode".into(),
                    (Method::POST, String::new(), json!({"code": "123456"})),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "two-step set-up with no sign-in under way",
                    "public",
                    "confirm_enrolment",
                    "enrol-form",
                    "/akun/2fa".into(),
                    (Method::POST, String::new(), json!({"code": "123456"})),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "signing out with no session",
                    "public",
                    "sign_out",
                    "sign-out-form",
                    "/keluar".into(),
                    (Method::DELETE, "/api/v1/session".into(), json!({})),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "a registration without a name",
                    "public",
                    "register",
                    "register-form",
                    "/daftar".into(),
                    (
                        Method::POST,
                        "/api/v1/accounts".into(),
                        json!({"login": "baru@uji.example.org", "display_name": "", "password": "kata sandi panjang 1"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "an invite that does not exist",
                    "public",
                    "accept_invite",
                    "invite-form",
                    "/undangan/tidak-ada".into(),
                    (
                        Method::POST,
                        "/api/v1/invites/tidak-ada/accept".into(),
                        json!({"display_name": "Staf Baru", "password": "kata sandi panjang 1"}),
                    ),
                    ("token", "tidak-ada".into()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "claiming with a malformed code",
                    "citizen",
                    "claim_report",
                    "claim-form",
                    "/laporan-saya".into(),
                    (
                        Method::POST,
                        "/api/v1/my/reports/claim".into(),
                        json!({"tracking_code": "xyz"}),
                    ),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "marking every notification read",
                    "citizen",
                    "mark_all_read",
                    "read-all-form",
                    "/notifikasi".into(),
                    (Method::POST, "/api/v1/notifications/read".into(), json!({})),
                    ("_none", String::new()),
                )
            }),
            (Rel::Unassigned, Want::Placed, |_, _, _| {
                case(
                    "supporting a report that is not public",
                    "citizen",
                    "reader_action",
                    "support-form",
                    "/laporan/ADU-0000-0000".into(),
                    (
                        Method::POST,
                        "/api/v1/public/reports/ADU-0000-0000/actions".into(),
                        json!({"action": "support"}),
                    ),
                    ("reference", "ADU-0000-0000".into()),
                )
            }),
        ];
        for (rel, want, make) in cases {
            let mut answers = Vec::new();
            for adapter in ["json", "form", "server_fn"] {
                let (id, code) = w.report(rel, want, "ADAPTER").await;
                let c = make(id, code.as_str(), &w);
                if adapter == "json" && c.json.1.is_empty() {
                    continue;
                }
                tried.insert(c.key);
                let res = match adapter {
                    "json" => {
                        w.call(c.role, c.json.0.clone(), &c.json.1, Some(c.json.2.clone()))
                            .await
                    }
                    "form" => {
                        w.act_form(c.role, Adapter::Form, &c.page, c.key, c.form, &c.fields)
                            .await
                    }
                    _ => {
                        w.act_form(c.role, Adapter::ServerFn, &c.page, c.key, c.form, &c.fields)
                            .await
                    }
                };
                let status = res.status.as_u16();
                let answer = match (adapter, status) {
                    ("form", 200 | 201 | 303) | ("json", 200 | 201 | 204) | ("server_fn", 200) => {
                        Answer::Done
                    }
                    ("json", _) => {
                        let mut fields: Vec<(String, String)> = res.json()["fields"]
                            .as_object()
                            .map(|m| {
                                m.iter()
                                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                                    .collect()
                            })
                            .unwrap_or_default();
                        fields.sort();
                        Answer::Refused(status, fields)
                    }
                    ("server_fn", _) => {
                        let error: app::domain::AppError = serde_json::from_str(&res.body)
                            .unwrap_or_else(|e| {
                                panic!(
                                    "{}: a typed error from the server function: {e}: {}",
                                    c.what, res.body
                                )
                            });
                        let mut fields: Vec<(String, String)> = match error {
                            app::domain::AppError::Validation(errors) => errors
                                .into_iter()
                                .map(|(f, e)| (f.name().to_string(), message(f.name(), e)))
                                .collect(),
                            _ => Vec::new(),
                        };
                        fields.sort();
                        Answer::Refused(status, fields)
                    }
                    _ => Answer::Refused(status, Vec::new()),
                };
                // Not signed in (or the session ended): the page asks to sign in (the form's
                // message, or the page's own when it is not shown to the public), never "wrong
                // password".
                if adapter == "form" && status == 401 {
                    assert!(
                        res.body.contains("Silakan masuk"),
                        "{}: asks to sign in",
                        c.what
                    );
                    assert!(
                        !res.body.contains(t_id.form_message("bad_credentials")),
                        "{}",
                        c.what
                    );
                }
                // The page without JavaScript shows each message the other two name.
                if let (Answer::Refused(_, fields), Some(Answer::Refused(_, json_fields))) =
                    (&answer, answers.first())
                {
                    if adapter == "form" {
                        for (_, text) in json_fields {
                            assert!(
                                res.body.contains(text.as_str()),
                                "{}: the page says {text:?}",
                                c.what
                            );
                        }
                        assert!(fields.is_empty());
                        answers.push(Answer::Refused(status, json_fields.clone()));
                        continue;
                    }
                }
                answers.push(answer);
            }
            let c = make(0, "X", &w);
            assert!(
                answers.iter().all(|a| *a == answers[0]),
                "{} ({}): json, form, server function answered {:?}",
                c.what,
                t.backend,
                answers
            );
            compared += 1;
        }
        // Every action is tried here or in the authorization matrix (through all three).
        let matrix: Vec<&str> = matrix()
            .iter()
            .filter_map(|a| act_of(&(a.call)(1, &w).1))
            .collect();
        for entry in app::api::acts::registry() {
            assert!(
                tried.contains(entry.key) || matrix.contains(&entry.key),
                "action {} is tried through no adapter test",
                entry.key
            );
        }
        println!(
            "{}: {compared} cases, each through three adapters, answered alike",
            t.backend
        );
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// The identity canary.

/// Every page and API response reachable by agency staff, supervisors, other citizens and the
/// public, for a report whose anonymous reporter's fields hold unique markers.
const CANARY_SWEEP: [&str; 23] = [
    "/admin/libur",
    "/api/v1/staff/reports",
    "/api/v1/staff/reports/{id}/dispatch-help",
    "/api/v1/staff/reports/{id}",
    "/api/v1/my/reports",
    "/api/v1/me",
    "/api/v1/agencies",
    "/api/v1/accounts",
    "/api/v1/track/{code}",
    "/lacak/{code}",
    "/staf",
    "/staf/laporan/{id}",
    "/laporan-saya",
    "/akun",
    "/admin/pengguna",
    "/admin/instansi",
    "/masuk",
    "/notifikasi",
    "/api/v1/notifications",
    "/laporan-saya/{id}",
    "/metrics",
    "/api/v1/me/data",
    "/akun/data-saya",
];

#[tokio::test(flavor = "multi_thread")]
async fn identity_canary_never_reaches_agency_supervisor_public_or_logs() {
    let logs = logs();
    for t in common::databases().await {
        let w = world(&t).await;
        let marker = format!("KANARI{}", rand_hex());
        let (id, code) = w.report(Rel::Anonymous, Want::Placed, &marker).await;
        let reference = app::server::entities::report::Entity::find_by_id(id)
            .one(&w.db)
            .await
            .unwrap()
            .expect("the report")
            .reference;
        let mut acts_swept = 0;
        let marker_lc = marker.to_lowercase();
        let leaks = |body: &str| body.contains(&marker) || body.contains(&marker_lc);

        // Positive control: the markers are there, and a verifier's audited reveal finds them.
        let res = w
            .call(
                "verifier",
                Method::POST,
                &format!("/api/v1/staff/reports/{id}/identity"),
                Some(json!({"reason": "klarifikasi dugaan pungli"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert!(
            leaks(&res.body),
            "the reveal shows the identity: {}",
            res.body
        );

        let mut swept = 0;
        for role in [
            "public",
            "citizen",
            "agency_admin",
            "agency_officer",
            "supervisor",
        ] {
            for path in CANARY_SWEEP {
                let uri = path
                    .replace("{id}", &id.to_string())
                    .replace("{code}", code.as_str());
                let res = w.call(role, Method::GET, &uri, None).await;
                assert!(
                    !leaks(&res.body),
                    "{role} GET {path} leaked the reporter: {}",
                    res.body
                );
                swept += 1;
            }
            // A command's answer too.
            let res = w
                .call(
                    role,
                    Method::POST,
                    &format!("/api/v1/staff/reports/{id}/commands"),
                    Some(json!({"command": "follow_up"})),
                )
                .await;
            assert!(!leaks(&res.body), "{role} command answer leaked");
            swept += 1;
            // And every typed action's answer, through its server function and the page's form
            // post (the reveal included: refused to these roles, never a leak). The registry is
            // the list, so an action added later is swept without touching this test. Only
            // signing out is left out: it would end the role's session for the rest of the sweep.
            for entry in app::api::acts::registry() {
                if entry.key == "sign_out" {
                    continue;
                }
                let fields: Vec<(String, String)> = [
                    ("report", id.to_string()),
                    ("reference", reference.clone()),
                    ("reason", "pemeriksaan kanari".to_string()),
                    ("command", "follow_up".to_string()),
                    ("note", "Ditinjau".to_string()),
                    ("priority", "1".to_string()),
                    ("reports[]", id.to_string()),
                    ("assign", "lepas".to_string()),
                ]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect();
                for adapter in [Adapter::ServerFn, Adapter::Form] {
                    let page = format!("/staf/laporan/{id}");
                    let res = w.act(role, adapter, &page, entry.key, &fields).await;
                    assert!(
                        !leaks(&res.body),
                        "{role} {} through {adapter:?} leaked: {}",
                        entry.key,
                        res.body
                    );
                    swept += 1;
                }
            }
            acts_swept = app::api::acts::registry().len() - 1;
        }
        // The agency sees the report itself, marked anonymous, with no identity at all.
        let res = w
            .call(
                "agency_officer",
                Method::GET,
                &format!("/api/v1/staff/reports/{id}"),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        assert_eq!(res.json()["reporter"], json!({"shown": "anonymous"}));
        // The HTML pages swept are the real ones: the officer's report page shows the report.
        let page = w
            .call(
                "agency_officer",
                Method::GET,
                &format!("/staf/laporan/{id}"),
                None,
            )
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Laporan uji hak akses Anonymous") && page.body.contains("Anonim")
        );
        // Notifications: the emails planned so far (the dispatch told the reporter and the
        // agency). The reporter's own address receives theirs; no other email carries it.
        let mails = app::server::entities::outbox::Entity::find()
            .all(&w.db)
            .await
            .unwrap();
        assert!(
            mails.iter().any(|m| leaks(&m.recipient)),
            "the reporter is emailed at their own address"
        );
        let to_staff: Vec<_> = mails.iter().filter(|m| !leaks(&m.recipient)).collect();
        assert!(!to_staff.is_empty(), "the agency staff are emailed");
        for m in &to_staff {
            assert!(
                !leaks(&m.subject) && !leaks(&m.body_text) && !leaks(&m.body_html),
                "an email to staff leaked the reporter"
            );
            swept += 1;
        }
        // The operator's scraper: counts only (every role above was refused it).
        let res = common::send(
            &w.app,
            Request::get("/metrics")
                .header(
                    header::AUTHORIZATION,
                    format!("Bearer {}", common::TEST_METRICS_TOKEN),
                )
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("aduan_verifier_reports_open"));
        assert!(!leaks(&res.body), "the metrics leaked the reporter");
        swept += 1;
        // The attachment of the report, as each of them.
        let file = w.attachments.lock().unwrap()[&id];
        for role in ["public", "citizen", "agency_officer", "supervisor"] {
            let res = w
                .call(role, Method::GET, &format!("/lampiran/{file}"), None)
                .await;
            assert!(!leaks(&res.body), "{role} attachment download leaked");
            swept += 1;
        }
        println!(
            "identity canary on {}: {swept} responses swept over {} paths, {acts_swept} actions \
             (two adapters each), emails and files",
            t.backend,
            CANARY_SWEEP.len()
        );
        let logged = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
        assert!(!logged.is_empty(), "logs are captured");
        assert!(!leaks(&logged), "the logs leaked the reporter");
        t.cleanup().await;
    }
}

fn rand_hex() -> String {
    use rand::RngCore;
    let mut b = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02X}")).collect()
}

// ---------------------------------------------------------------------------------------------
// Sessions.

#[tokio::test(flavor = "multi_thread")]
async fn sessions_resist_fixation_end_on_sign_out_and_password_change_and_time_out() {
    for t in common::databases().await {
        let app = server::startup::router(t.db.clone(), &common::settings(1000)).unwrap();
        let (id, email) = add_account(&t.db, "citizen", None).await;

        // Fixation: a cookie planted before sign-in is not adopted; sign-in issues a new one.
        let planted =
            "aduan_session=0000000000000000000000000000000000000000000000000000000000000000";
        let res = send(
            &app,
            request(Method::GET, "/api/v1/me", Some(planted), None),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        let res = send(
            &app,
            Request::post("/api/v1/session")
                .header(header::COOKIE, planted)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(
                    json!({"email": email, "password": PASSWORD}).to_string(),
                ))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let set = res.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        let cookie = session_cookie(&res).unwrap();
        assert_ne!(cookie, planted);
        let me = send(
            &app,
            request(Method::GET, "/api/v1/me", Some(&cookie), None),
        )
        .await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!(me.json()["role"], "citizen");
        assert_eq!(me.json()["id"], id);
        // Signed-in responses are never stored by shared caches.
        assert_eq!(me.headers[header::CACHE_CONTROL], "private, no-store");

        // The HTML form signs in the same way: 303 to "my reports" with a session cookie, or
        // the page again (401) with the login kept and the password dropped.
        let form = |body: String| {
            Request::post("/masuk")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, common::csrf_cookie())
                .body(Body::from(format!("{body}&csrf={}", common::CSRF)))
                .unwrap()
        };
        let res = send(&app, form(format!("login={email}&password=salah+sekali"))).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert!(
            res.body.contains("Email, kata sandi atau kode salah.") && res.body.contains(&email)
        );
        assert!(!res.body.contains("salah sekali"));
        let pw = PASSWORD.replace(' ', "+");
        let res = send(&app, form(format!("login={email}&password={pw}"))).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        assert_eq!(res.headers[header::LOCATION], "/laporan-saya");
        assert!(session_cookie(&res).is_some());

        // Sign-out ends the session server-side: the old cookie is worthless.
        let out = send(
            &app,
            request(Method::DELETE, "/api/v1/session", Some(&cookie), None),
        )
        .await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert!(out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0"));
        let me = send(
            &app,
            request(Method::GET, "/api/v1/me", Some(&cookie), None),
        )
        .await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);

        // A password change (over the API) ends every session of the account.
        let a = session_cookie(&sign_in(&app, &email, PASSWORD, None).await).unwrap();
        let b = session_cookie(&sign_in(&app, &email, PASSWORD, None).await).unwrap();
        let res = send(
            &app,
            request(
                Method::PUT,
                "/api/v1/me/password",
                Some(&a),
                Some(json!({"current_password": "salah", "new_password": "kata sandi baru 2026"})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        let res = send(
            &app,
            request(
                Method::PUT,
                "/api/v1/me/password",
                Some(&a),
                Some(json!({"current_password": PASSWORD, "new_password": "kata sandi baru 2026"})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
        for c in [a, b] {
            let me = send(&app, request(Method::GET, "/api/v1/me", Some(&c), None)).await;
            assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        }

        // Idle and absolute time-outs, with the clock moved.
        let s = accounts::login(
            &t.db,
            &email,
            "kata sandi baru 2026",
            None,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
        let t0 = Utc::now();
        let idle = accounts::SESSION_IDLE + Duration::minutes(1);
        assert!(
            accounts::resolve_session(&t.db, &s.token.0, t0 + Duration::minutes(30))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            accounts::resolve_session(&t.db, &s.token.0, t0 + Duration::minutes(30) + idle)
                .await
                .unwrap()
                .is_none()
        );
        let s = accounts::login(&t.db, &email, "kata sandi baru 2026", None, None, t0)
            .await
            .unwrap();
        let mut at = t0;
        while at < t0 + accounts::SESSION_ABSOLUTE - Duration::minutes(30) {
            at += Duration::minutes(30);
            assert!(accounts::resolve_session(&t.db, &s.token.0, at)
                .await
                .unwrap()
                .is_some());
        }
        assert!(accounts::resolve_session(
            &t.db,
            &s.token.0,
            t0 + accounts::SESSION_ABSOLUTE + Duration::minutes(1)
        )
        .await
        .unwrap()
        .is_none());
        // Expired sessions are purged by the job loop; live ones stay.
        let live = accounts::login(
            &t.db,
            &email,
            "kata sandi baru 2026",
            None,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
        let stale = accounts::login(
            &t.db,
            &email,
            "kata sandi baru 2026",
            None,
            None,
            t0 - Duration::days(1),
        )
        .await
        .unwrap();
        let purged = accounts::purge_expired(&t.db, Utc::now()).await.unwrap();
        assert!(purged.sessions >= 1);
        assert!(accounts::resolve_session(&t.db, &live.token.0, Utc::now())
            .await
            .unwrap()
            .is_some());
        assert!(accounts::resolve_session(&t.db, &stale.token.0, Utc::now())
            .await
            .unwrap()
            .is_none());
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn cross_site_posts_are_refused() {
    for t in common::databases().await {
        let app = server::startup::router(t.db.clone(), &common::settings(1000)).unwrap();
        let (_, email) = add_account(&t.db, "citizen", None).await;
        let body = json!({"email": email, "password": PASSWORD}).to_string();
        // The HTML sign-in form too.
        let res = send(
            &app,
            Request::post("/masuk")
                .header("sec-fetch-site", "cross-site")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("email={email}&password=x")))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        for (name, value) in [
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ] {
            let res = send(
                &app,
                Request::post("/api/v1/session")
                    .header(header::HOST, "aduan.example")
                    .header(name, value)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.clone()))
                    .unwrap(),
            )
            .await;
            assert_eq!(res.status, StatusCode::FORBIDDEN, "{name}: {value}");
            assert!(session_cookie(&res).is_none());
        }
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_is_throttled_per_account() {
    for t in common::databases().await {
        let app = server::startup::router(t.db.clone(), &common::settings(1000)).unwrap();
        let (_, email) = add_account(&t.db, "citizen", None).await;
        for _ in 0..accounts::MAX_FAILURES_PER_ACCOUNT {
            let res = sign_in(&app, &email, "salah sekali", None).await;
            assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        }
        // Now even the right password is refused until the window passes.
        let res = sign_in(&app, &email, PASSWORD, None).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
        let later = Utc::now() + accounts::THROTTLE_WINDOW + Duration::minutes(1);
        assert!(accounts::login(&t.db, &email, PASSWORD, None, None, later)
            .await
            .is_ok());
        // Unknown accounts answer exactly like wrong passwords.
        let res = sign_in(&app, "tidak.ada@uji.example.org", PASSWORD, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        // Per address: many accounts tried from one address are throttled too (this test's
        // requests all come from one address), even for an account with no failures.
        let (_, fresh) = add_account(&t.db, "agency_officer", Some("76-PUPR")).await;
        let mut n = 0;
        loop {
            let res = sign_in(&app, &format!("coba{n}@uji.example.org"), "salah", None).await;
            if res.status == StatusCode::TOO_MANY_REQUESTS {
                break;
            }
            assert_eq!(res.status, StatusCode::UNAUTHORIZED);
            n += 1;
            assert!(
                n <= accounts::MAX_FAILURES_PER_ADDRESS,
                "the address is never throttled"
            );
        }
        let res = sign_in(&app, &fresh, PASSWORD, None).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_factor_enrolment_codes_and_recovery() {
    for t in common::databases().await {
        let app = server::startup::router(t.db.clone(), &common::settings(1000)).unwrap();
        let (id, email) = add_account(&t.db, "verifier", Some("PROV-76")).await;

        // Without two-factor set up, the API refuses and asks for enrolment in the browser.
        let res = sign_in(&app, &email, PASSWORD, None).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert_eq!(res.json()["error"], "mfa_enrolment_required");

        // Enrolment through the use cases the enrolment page uses.
        let half = accounts::login(&t.db, &email, PASSWORD, None, None, Utc::now())
            .await
            .unwrap();
        assert_eq!(half.stage, accounts::Stage::Enrol);
        let (current, _) = accounts::resolve_session(&t.db, &half.token.0, Utc::now())
            .await
            .unwrap()
            .unwrap();
        let (secret, uri) = accounts::begin_enrolment(&t.db, id).await.unwrap();
        assert!(uri.starts_with("otpauth://totp/Aduan:") && uri.contains(&secret));
        let wrong = accounts::confirm_enrolment(&t.db, &current, "000000", Utc::now()).await;
        assert!(
            matches!(wrong, Err(app::domain::AppError::Validation(_)))
                || code_now(&secret) == "000000"
        );
        // The code used to enrol (kept: a replay below sends exactly this one, even if the
        // 30-second step has moved on meanwhile).
        let enrol_code = code_now(&secret);
        let (active, recovery) =
            accounts::confirm_enrolment(&t.db, &current, &enrol_code, Utc::now())
                .await
                .unwrap();
        assert_eq!(recovery.len(), 10);
        assert_ne!(active.0, half.token.0, "a new session id after enrolment");
        assert!(accounts::resolve_session(&t.db, &half.token.0, Utc::now())
            .await
            .unwrap()
            .is_none());

        // Sign-in: no code → 401 totp_required; the code just used cannot be replayed.
        let res = sign_in(&app, &email, PASSWORD, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        assert_eq!(res.json()["error"], "totp_required");
        let res = sign_in(&app, &email, PASSWORD, Some(enrol_code.clone())).await;
        assert_eq!(
            res.status,
            StatusCode::UNAUTHORIZED,
            "replayed code refused"
        );
        // A recovery code works once.
        let res = sign_in(&app, &email, PASSWORD, Some(recovery[0].to_uppercase())).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = sign_in(&app, &email, PASSWORD, Some(recovery[0].clone())).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);

        // An officer does not need two-factor, but once they turn it on it is asked for.
        let (officer, officer_email) = add_account(&t.db, "agency_officer", Some("76-PUPR")).await;
        let res = sign_in(&app, &officer_email, PASSWORD, None).await;
        assert_eq!(res.status, StatusCode::OK);
        let secret = enable_totp(&t.db, officer).await;
        let res = sign_in(&app, &officer_email, PASSWORD, None).await;
        assert_eq!(res.json()["error"], "totp_required");
        let res = sign_in(&app, &officer_email, PASSWORD, Some(code_now(&secret))).await;
        assert_eq!(res.status, StatusCode::OK);
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn bearer_tokens_act_as_their_account_and_cannot_mint_more() {
    for t in common::databases().await {
        let w = world(&t).await;
        let res = w
            .call(
                "agency_officer",
                Method::POST,
                "/api/v1/tokens",
                Some(json!({"name": "integrasi uji", "scope": "read_write"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let token = res.json()["token"].as_str().unwrap().to_string();
        let bearer = |uri: &str, method: Method, body: Option<Value>| {
            let mut b = Request::builder()
                .method(method)
                .uri(uri)
                .header(header::AUTHORIZATION, format!("Bearer {token}"));
            if body.is_some() {
                b = b.header(header::CONTENT_TYPE, "application/json");
            }
            b.body(Body::from(body.map(|v| v.to_string()).unwrap_or_default()))
                .unwrap()
        };
        let (id, _) = w.report(Rel::Same, Want::Placed, "TOKEN").await;
        let res = send(&w.app, bearer("/api/v1/me", Method::GET, None)).await;
        assert_eq!(res.json()["role"], "agency_officer");
        let res = send(
            &w.app,
            bearer(
                &format!("/api/v1/staff/reports/{id}/commands"),
                Method::POST,
                Some(json!({"command": "follow_up"})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = send(
            &w.app,
            bearer(
                "/api/v1/tokens",
                Method::POST,
                Some(json!({"name": "lagi"})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = send(
            &w.app,
            Request::get("/api/v1/me")
                .header(header::AUTHORIZATION, "Bearer adu_bukan_token")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        // Listed by name (never the token), revoked by its owner: it stops working at once.
        let res = w
            .call("agency_officer", Method::GET, "/api/v1/tokens", None)
            .await;
        assert_eq!(res.json()[0]["name"], "integrasi uji");
        assert!(!res.body.contains(&token));
        let token_id = res.json()[0]["id"].as_i64().unwrap();
        let res = w
            .call(
                "agency_admin",
                Method::DELETE,
                &format!("/api/v1/tokens/{token_id}"),
                None,
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::NOT_FOUND,
            "not someone else's token"
        );
        let res = w
            .call(
                "agency_officer",
                Method::DELETE,
                &format!("/api/v1/tokens/{token_id}"),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let res = send(&w.app, bearer("/api/v1/me", Method::GET, None)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        // The event records the acting account.
        let events = app::server::entities::report_event::Entity::find()
            .filter(app::server::entities::report_event::Column::ReportId.eq(id))
            .all(&w.db)
            .await
            .unwrap();
        let officer = account::Entity::find()
            .filter(account::Column::Email.eq("agency_officer@uji.example.org"))
            .one(&w.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(events.last().unwrap().actor_account_id, Some(officer.id));
        assert!(app::server::audit::verify_all(&w.db).await.is_ok());
        let _ = &w.secrets;
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn invites_role_changes_and_claims() {
    for t in common::databases().await {
        let w = world(&t).await;
        // An agency admin invites an officer into their subtree, not a verifier, not elsewhere.
        let invite =
            |body: Value| w.call("agency_admin", Method::POST, "/api/v1/invites", Some(body));
        let res = invite(
            json!({"email": "baru@uji.example.org", "role": "verifier", "agency_code": "76-PUPR"}),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = invite(json!({"email": "baru@uji.example.org", "role": "agency_officer", "agency_code": "76-DINKES"})).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        let res = invite(
            json!({"email": "bukan-email", "role": "agency_officer", "agency_code": "76-PUPR"}),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(res.json()["fields"]["email"].is_string());
        let res = invite(json!({"email": "baru@uji.example.org", "role": "agency_officer", "agency_code": "76-PUPR-BM"})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let url = res.json()["url"].as_str().unwrap().to_string();
        let token = url.trim_start_matches("/undangan/");
        let accept = |body: Value| {
            send(
                &w.app,
                request(
                    Method::POST,
                    &format!("/api/v1/invites/{token}/accept"),
                    None,
                    Some(body),
                ),
            )
        };
        let res = accept(json!({"display_name": "Petugas Baru", "password": "pendek"})).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "short password refused"
        );
        let res =
            accept(json!({"display_name": "Petugas Baru", "password": "cukup panjang 2026"})).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let new_id = res.json()["id"].as_i64().unwrap();
        let res = accept(json!({"display_name": "Lagi", "password": "cukup panjang 2026"})).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "an invite works once");

        // Role change by the agency admin within the subtree, audited.
        let res = w
            .call(
                "agency_admin",
                Method::PUT,
                &format!("/api/v1/accounts/{new_id}/role"),
                Some(json!({"role": "agency_admin", "agency_code": "76-PUPR-BM"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let audited = app::server::entities::audit_log::Entity::find()
            .filter(app::server::entities::audit_log::Column::Action.eq("account.role_changed"))
            .all(&w.db)
            .await
            .unwrap();
        assert_eq!(audited.len(), 1);
        let res = w
            .call("agency_admin", Method::GET, "/api/v1/accounts", None)
            .await;
        let emails: Vec<String> = res
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["email"].as_str().unwrap().to_string())
            .collect();
        assert!(emails.contains(&"baru@uji.example.org".to_string()));
        assert!(!emails.contains(&"verifier@uji.example.org".to_string()));

        // A citizen claims a guest report with its tracking code; nobody else can then.
        let (id, code) = w.report(Rel::Same, Want::Placed, "KLAIM").await;
        let res = w
            .call(
                "citizen",
                Method::POST,
                "/api/v1/my/reports/claim",
                Some(json!({"tracking_code": code.as_str()})),
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let res = w
            .call("citizen", Method::GET, "/api/v1/my/reports", None)
            .await;
        assert!(res.json().as_array().unwrap().iter().any(|r| r["id"] == id));
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn agency_tree_edits_and_csv_import_with_per_row_errors() {
    for t in common::databases().await {
        let w = world(&t).await;
        let import = |csv: &'static str, dry: bool| {
            send(
                &w.app,
                Request::post(format!("/api/v1/agencies/import?dry_run={dry}"))
                    .header(header::COOKIE, w.cookies["system_admin"].clone())
                    .header(header::CONTENT_TYPE, "text/csv")
                    .body(Body::from(csv))
                    .unwrap(),
            )
        };
        let bad = "code,name,parent_code,kind,region_code,head_email\n\
                   76-BAPPEDA,Bappeda,PROV-76,opd,76,bappeda@sulbar.example\n\
                   76-PUPR,Duplikat,PROV-76,opd,,\n\
                   76-X,,TIDAK-ADA,planet,99,bukan-email\n\
                   76-BAPPEDA-TI,Bidang TI,76-BAPPEDA,unit,,\n";
        let res = import(bad, false).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let v = res.json();
        assert_eq!(v["applied"], false);
        let rows = v["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 4);
        assert!(
            rows[0]["errors"].as_array().unwrap().is_empty(),
            "{}",
            res.body
        );
        assert_eq!(rows[1]["line"], 3);
        assert_eq!(rows[1]["errors"][0]["field"], "agency_code");
        let fields: Vec<&str> = rows[2]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            [
                "agency_name",
                "parent",
                "agency_kind",
                "region_code",
                "email"
            ]
        );
        assert!(
            rows[3]["errors"].as_array().unwrap().is_empty(),
            "parent from an earlier row"
        );
        // Nothing was written.
        let tree = send(&w.app, request(Method::GET, "/api/v1/agencies", None, None)).await;
        assert!(!tree.body.contains("76-BAPPEDA"));

        let good = "code,name,parent_code,kind\n\
                    76-BAPPEDA,Bappeda,PROV-76,opd\n\
                    76-BAPPEDA-TI,Bidang TI,76-BAPPEDA,unit\n";
        let res = import(good, true).await;
        assert_eq!(res.json()["applied"], false, "dry run writes nothing");
        let res = import(good, false).await;
        assert_eq!(res.json()["applied"], true, "{}", res.body);
        let tree = send(&w.app, request(Method::GET, "/api/v1/agencies", None, None)).await;
        let nodes = tree.json();
        let ti = nodes
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["code"] == "76-BAPPEDA-TI")
            .unwrap()
            .clone();
        assert_eq!(ti["depth"], 2);

        // Moving an agency below its own descendant is refused; a real move works.
        let bappeda = nodes
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["code"] == "76-BAPPEDA")
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let res = w
            .call(
                "system_admin",
                Method::PUT,
                &format!("/api/v1/agencies/{bappeda}"),
                Some(json!({"code": "76-BAPPEDA", "name": "Bappeda", "parent_code": "76-BAPPEDA-TI"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(res.json()["fields"]["parent"].is_string());
        // Only system administrators manage agencies.
        let res = w
            .call(
                "agency_admin",
                Method::POST,
                "/api/v1/agencies",
                Some(json!({"code": "76-Y", "name": "Dinas Y"})),
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // Deactivated agencies cannot receive reports.
        let res = w
            .call(
                "system_admin",
                Method::POST,
                &format!("/api/v1/agencies/{bappeda}/active?active=false"),
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::OK);
        let (id, _) = w.report(Rel::Unassigned, Want::Placed, "NONAKTIF").await;
        let res = w
            .call(
                "verifier",
                Method::POST,
                &format!("/api/v1/staff/reports/{id}/commands"),
                Some(json!({"command": "dispatch", "agency": bappeda})),
            )
            .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        t.cleanup().await;
    }
}

#[test]
fn user_add_command_reads_the_password_from_stdin_and_explains_refusals() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/cli.db?mode=rwc", dir.path().display());
    let config = concat!(env!("CARGO_MANIFEST_DIR"), "/../Leptos.toml");
    let run = |args: &[&str], stdin: &str| {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_aduan"))
            .args(args)
            .env("ADUAN_CONFIG", config)
            .env("ADUAN_DATABASE_URL", &url)
            .env("RUST_LOG", "error")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let ok = run(
        &[
            "user",
            "add",
            "--email",
            "Admin@Sulbar.example",
            "--role",
            "system_admin",
        ],
        "kata sandi awal 2026\n",
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("account 1 created"));
    let bad = run(
        &[
            "user",
            "add",
            "--email",
            "admin@sulbar.example",
            "--role",
            "raja",
            "--agency",
            "NOPE",
        ],
        "pendek\n",
    );
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    for field in ["login:", "password:", "role:", "agency:"] {
        assert!(err.contains(field), "{field} explained in: {err}");
    }
    assert!(!err.contains("pendek"), "the password is never echoed");
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_share_sessions_through_the_database() {
    for t in common::databases().await {
        // Two routers are two stateless instances: nothing but the database is shared.
        let one = server::startup::router(t.db.clone(), &common::settings(1000)).unwrap();
        let two = server::startup::router(t.db.clone(), &common::settings(1000)).unwrap();
        let (_, email) = add_account(&t.db, "citizen", None).await;
        let cookie = session_cookie(&sign_in(&one, &email, PASSWORD, None).await).unwrap();
        let me = send(
            &two,
            request(Method::GET, "/api/v1/me", Some(&cookie), None),
        )
        .await;
        assert_eq!(me.status, StatusCode::OK);
        let out = send(
            &two,
            request(Method::DELETE, "/api/v1/session", Some(&cookie), None),
        )
        .await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        let me = send(
            &one,
            request(Method::GET, "/api/v1/me", Some(&cookie), None),
        )
        .await;
        assert_eq!(me.status, StatusCode::UNAUTHORIZED);
        t.cleanup().await;
    }
}

/// Account and agency management: every role × every administrative action, expected outcomes
/// written out (the report matrix covers report actions).
#[tokio::test(flavor = "multi_thread")]
async fn administration_matrix() {
    for t in common::databases().await {
        let w = world(&t).await;
        let mut cells = 0;
        let mut wrong = Vec::new();
        type Expect = fn(&str) -> bool;
        let admins: Expect = |r| matches!(r, "system_admin" | "agency_admin");
        let sysadmin: Expect = |r| r == "system_admin";
        for role in ROLES {
            // A target account inside the agency admin's subtree, fresh for this role.
            let (target, _) = {
                let email = format!("sasaran-{role}@uji.example.org");
                let id = accounts::create_account(
                    &w.db,
                    &NewAccount {
                        login: email.clone(),
                        display_name: "Sasaran".into(),
                        password: PASSWORD.into(),
                        role: "agency_officer".into(),
                        agency_code: Some("76-PUPR-BM".into()),
                    },
                    None,
                    Utc::now(),
                )
                .await
                .unwrap();
                (id, email)
            };
            let cases: Vec<(&str, Method, String, Option<Value>, Expect)> = vec![
                (
                    "list_accounts",
                    Method::GET,
                    "/api/v1/accounts".into(),
                    None,
                    admins,
                ),
                (
                    "invite_in_subtree",
                    Method::POST,
                    "/api/v1/invites".into(),
                    Some(
                        json!({"email": format!("a-{role}@uji.example.org"), "role": "agency_officer", "agency_code": "76-PUPR-BM"}),
                    ),
                    admins,
                ),
                (
                    "invite_elsewhere",
                    Method::POST,
                    "/api/v1/invites".into(),
                    Some(
                        json!({"email": format!("b-{role}@uji.example.org"), "role": "agency_officer", "agency_code": "76-DINKES"}),
                    ),
                    sysadmin,
                ),
                (
                    "invite_verifier",
                    Method::POST,
                    "/api/v1/invites".into(),
                    Some(
                        json!({"email": format!("c-{role}@uji.example.org"), "role": "verifier", "agency_code": "PROV-76"}),
                    ),
                    sysadmin,
                ),
                (
                    "change_role",
                    Method::PUT,
                    format!("/api/v1/accounts/{target}/role"),
                    Some(json!({"role": "agency_admin", "agency_code": "76-PUPR-BM"})),
                    admins,
                ),
                (
                    "deactivate_account",
                    Method::POST,
                    format!("/api/v1/accounts/{target}/active?active=false"),
                    None,
                    admins,
                ),
                (
                    "create_agency",
                    Method::POST,
                    "/api/v1/agencies".into(),
                    Some(
                        json!({"code": format!("76-UJI-{}", role.to_uppercase()), "name": "Badan Uji", "parent_code": "PROV-76"}),
                    ),
                    sysadmin,
                ),
                (
                    "move_agency",
                    Method::PUT,
                    format!("/api/v1/agencies/{}", w.unit),
                    Some(
                        json!({"code": "76-PUPR-BM", "name": "Bidang Bina Marga", "parent_code": "76-PUPR"}),
                    ),
                    sysadmin,
                ),
                (
                    "deactivate_agency",
                    Method::POST,
                    format!("/api/v1/agencies/{}/active?active=true", w.unit),
                    None,
                    sysadmin,
                ),
            ];
            for (name, method, uri, body, expect) in cases {
                let res = w.call(role, method, &uri, body).await;
                assert!(
                    res.status.is_success() || matches!(res.status.as_u16(), 401 | 403 | 404),
                    "{role} {name}: unexpected {} {}",
                    res.status,
                    res.body
                );
                if res.status.is_success() != expect(role) {
                    wrong.push(format!("{role} × {name}: got {} {}", res.status, res.body));
                }
                cells += 1;
            }
        }
        println!(
            "administration matrix on {}: {cells} cells ({} roles × 9 actions)",
            t.backend,
            ROLES.len()
        );
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // Deactivated accounts cannot sign in; every change above is in the audit log.
        let res = sign_in(
            &w.app,
            "sasaran-system_admin@uji.example.org",
            PASSWORD,
            None,
        )
        .await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        let logged = app::server::entities::audit_log::Entity::find()
            .all(&w.db)
            .await
            .unwrap();
        for action in [
            "account.role_changed",
            "account.deactivated",
            "invite.created",
            "agency.created",
            "agency.updated",
            "agency.activated",
        ] {
            assert!(
                logged.iter().any(|e| e.action == action),
                "{action} audited"
            );
        }
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn citizens_register_with_an_email_or_a_mobile_number() {
    for t in common::databases().await {
        let app = server::startup::router(t.db.clone(), &common::settings(1000)).unwrap();
        let register = |login: &str, password: &str| {
            send(
                &app,
                request(
                    Method::POST,
                    "/api/v1/accounts",
                    None,
                    Some(json!({"login": login, "display_name": "Warga", "password": password})),
                ),
            )
        };
        let res = register("0812-3456-7890", PASSWORD).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        // The same number written another way is the same account.
        let res = register("+62 812 3456 7890", PASSWORD).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            res.json()["fields"]["login"],
            "Email atau nomor HP ini sudah terdaftar"
        );
        let res = register("bukan nomor", "pendek").await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            res.json()["fields"]["login"].is_string()
                && res.json()["fields"]["password"].is_string()
        );
        // Sign in with the number as typed differently again.
        let res = sign_in(&app, "6281234567890", PASSWORD, None).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(res.json()["phone"], "+6281234567890");
        assert_eq!(res.json()["email"], Value::Null);
        // Staff cannot be created with a phone number.
        let r = accounts::create_account(
            &t.db,
            &NewAccount {
                login: "081299998888".into(),
                display_name: "Staf".into(),
                password: PASSWORD.into(),
                role: "verifier".into(),
                agency_code: Some("PROV-76".into()),
            },
            None,
            Utc::now(),
        )
        .await;
        assert!(
            matches!(r, Err(app::domain::AppError::Validation(e)) if e.contains_key(&app::domain::Field::Login))
        );
        t.cleanup().await;
    }
}

/// Sign-in asks for both fields the same way through the page and the JSON API (the check is
/// in the service): a message per field, and nothing counted against the client.
#[tokio::test(flavor = "multi_thread")]
async fn sign_in_requires_both_fields_through_the_page_and_the_api() {
    let t = common::databases().await.into_iter().next().unwrap();
    let app = server::startup::router(t.db.clone(), &common::settings(1000)).unwrap();
    let res = send(
        &app,
        request(
            Method::POST,
            "/api/v1/session",
            None,
            Some(json!({"email": " ", "password": ""})),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let fields = res.json()["fields"].clone();
    assert!(
        fields["login"].is_string() && fields["password"].is_string(),
        "{fields}"
    );
    let page = send(&app, common::post_form("/masuk", "login=&password=")).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (_, text) in fields.as_object().unwrap() {
        assert!(
            page.body.contains(text.as_str().unwrap()),
            "the page says {text}"
        );
    }
    let counted = app::server::entities::login_attempt::Entity::find()
        .all(&t.db)
        .await
        .unwrap();
    assert!(counted.is_empty(), "nothing counted: {counted:?}");
    t.cleanup().await;
}
