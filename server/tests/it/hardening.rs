//! Hostile-client tests of the hardening issue: each one tries a leak or an abuse path the
//! review found, as an attacker (or a careless user) would, on SQLite and PostgreSQL, against
//! the real router and use cases. Each failed on aa98b77.

use crate::common;

use app::domain::access::AccountRole;
use app::domain::lifecycle::{Command, Role};
use app::server::entities::{account, notification, outbox, report, report_agency};
use app::server::{accounts, casework, lifecycle};
use axum::body::Body;
use chrono::{Duration, Utc};
use common::{request, send, TEST_PASSWORD};
use http::{header, Method, Request, StatusCode};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;

/// Two offices of the seeded province.
const DINKES: i32 = 2;
const PUPR: i32 = 3;

fn form(title: &str, anonymous: bool, confidential: bool) -> app::domain::ReportForm {
    app::domain::ReportForm {
        kind: "complaint".into(),
        title: title.into(),
        description: "Jalan berlubang besar di depan pasar, sudah tiga bulan tidak diperbaiki."
            .into(),
        category_id: "1".into(),
        province: "76".into(),
        regency: "76.04".into(),
        anonymous,
        confidential,
        name: "Siti Rahma".into(),
        email: "siti.rahma@contoh.example.org".into(),
        ..Default::default()
    }
}

async fn submit(
    db: &DatabaseConnection,
    f: &app::domain::ReportForm,
    owner: Option<i64>,
) -> (i64, String) {
    let receipt = app::server::intake::submit_form_as(db, f, owner, Utc::now())
        .await
        .unwrap();
    (
        common::report_id(db, &receipt.reference).await,
        receipt.tracking_code.as_str().to_string(),
    )
}

/// Signs an account in (with its second factor when the role needs one).
async fn signed_in(
    app: &axum::Router,
    db: &DatabaseConnection,
    id: i64,
    email: &str,
    role: &str,
) -> String {
    let totp = if AccountRole::parse(role).unwrap().requires_mfa() {
        let secret = common::enable_totp(db, id).await;
        Some(common::code_now(&secret))
    } else {
        None
    };
    common::session_cookie_totp(app, email, TEST_PASSWORD, totp).await
}

// ---------------------------------------------------------------------------------------------
// 1. Dispatch help.

#[tokio::test(flavor = "multi_thread")]
async fn dispatch_help_is_for_verifiers_and_never_shows_confidential_reports() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        // Earlier reports of the same category × region, dispatched: one confidential.
        let (open, _) = submit(
            db,
            &form("Jalan rusak terbuka di Mamuju", false, false),
            None,
        )
        .await;
        common::dispatch(db, open, PUPR).await;
        let (secret, _) = submit(db, &form("Dugaan pungli pegawai PUPR", false, true), None).await;
        common::dispatch(db, secret, PUPR).await;
        // A citizen's own new report, and an officer's report.
        let citizen = common::add_account(db, "citizen", None, "warga@uji.example.org").await;
        let (mine, _) = submit(
            db,
            &form("Laporan saya sendiri", false, false),
            Some(citizen),
        )
        .await;
        let officer = common::add_account(
            db,
            "agency_officer",
            Some("76-PUPR"),
            "petugas@uji.example.org",
        )
        .await;
        let verifier =
            common::add_account(db, "verifier", Some("PROV-76"), "verif@uji.example.org").await;
        let c_cookie = signed_in(&app, db, citizen, "warga@uji.example.org", "citizen").await;
        let o_cookie = signed_in(
            &app,
            db,
            officer,
            "petugas@uji.example.org",
            "agency_officer",
        )
        .await;
        let v_cookie = signed_in(&app, db, verifier, "verif@uji.example.org", "verifier").await;

        // The citizen asks for help on their own report; the officer on a report they hold.
        let uri = format!("/api/v1/staff/reports/{mine}/dispatch-help");
        let res = send(&app, request(Method::GET, &uri, Some(&c_cookie), None)).await;
        assert!(
            matches!(res.status.as_u16(), 403 | 404),
            "citizen got dispatch help: {} {}",
            res.status,
            res.body
        );
        assert!(!res.body.contains("pungli"));
        let uri_open = format!("/api/v1/staff/reports/{open}/dispatch-help");
        let res = send(&app, request(Method::GET, &uri_open, Some(&o_cookie), None)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
        assert!(!res.body.contains("pungli"));

        // The verifier gets it, without the confidential report.
        let res = send(&app, request(Method::GET, &uri, Some(&v_cookie), None)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let similar: Vec<i64> = res.json()["similar"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_i64().unwrap())
            .collect();
        assert!(similar.contains(&open), "{}", res.body);
        assert!(
            !similar.contains(&secret),
            "confidential report shown: {}",
            res.body
        );
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 2 and 3. Who hears about what.

struct People {
    verifier: i64,
    sysadmin: i64,
    pupr_admin: i64,
    pupr_officer: i64,
    dinkes_officer: i64,
    sup_prov: i64,
    sup_pupr: i64,
    sup_dinkes: i64,
}

async fn people(db: &DatabaseConnection) -> People {
    let add = |role: &'static str, agency: Option<&'static str>, email: &'static str| {
        let db = db.clone();
        async move { common::add_account(&db, role, agency, email).await }
    };
    People {
        verifier: add("verifier", Some("PROV-76"), "v@uji.example.org").await,
        sysadmin: add("system_admin", None, "sa@uji.example.org").await,
        pupr_admin: add("agency_admin", Some("76-PUPR"), "pa@uji.example.org").await,
        pupr_officer: add("agency_officer", Some("76-PUPR"), "po@uji.example.org").await,
        dinkes_officer: add("agency_officer", Some("76-DINKES"), "do@uji.example.org").await,
        sup_prov: add("supervisor", Some("PROV-76"), "sp@uji.example.org").await,
        sup_pupr: add("supervisor", Some("76-PUPR"), "su@uji.example.org").await,
        sup_dinkes: add("supervisor", Some("76-DINKES"), "sd@uji.example.org").await,
    }
}

/// Who was notified (in the app) of `event` on report `id`, and who was emailed.
async fn heard(db: &DatabaseConnection, id: i64, event: &str) -> (BTreeSet<i64>, BTreeSet<i64>) {
    let in_app = notification::Entity::find()
        .filter(notification::Column::ReportId.eq(id))
        .filter(notification::Column::Event.eq(event))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.account_id)
        .collect();
    let mails = outbox::Entity::find()
        .filter(outbox::Column::ReportId.eq(id))
        .filter(outbox::Column::Event.eq(event))
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|m| m.account_id)
        .collect();
    (in_app, mails)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_notice_goes_exactly_to_those_who_may_see_the_report() {
    for t in common::databases().await {
        let db = &t.db;
        let p = people(db).await;
        let set = |ids: &[i64]| ids.iter().copied().collect::<BTreeSet<i64>>();

        // A confidential report dispatched to PUPR: the agency hears, nobody else on staff.
        let (id, _) = submit(db, &form("Dugaan pungli di loket PUPR", false, true), None).await;
        common::dispatch(db, id, PUPR).await;
        let (in_app, mails) = heard(db, id, "dispatched").await;
        assert_eq!(in_app, set(&[p.pupr_admin, p.pupr_officer]));
        assert_eq!(mails, set(&[p.pupr_admin, p.pupr_officer]));

        // Overdue at the agency: level 1 the agency, level 2 the supervisors over PUPR (the
        // province's and PUPR's), never Dinkes's supervisor.
        let r = report::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let due = r.due_at.unwrap();
        lifecycle::run_jobs(db, due + Duration::hours(1))
            .await
            .unwrap();
        let (in_app, mails) = heard(db, id, "marked_overdue").await;
        assert_eq!(in_app, set(&[p.pupr_admin, p.pupr_officer]));
        assert_eq!(mails, in_app);
        lifecycle::run_jobs(db, due + Duration::days(10))
            .await
            .unwrap();
        let (in_app, mails) = heard(db, id, "escalated_to_supervisor").await;
        assert_eq!(
            in_app,
            set(&[p.sup_prov, p.sup_pupr]),
            "supervisors over PUPR only"
        );
        assert_eq!(mails, in_app);
        assert!(!in_app.contains(&p.sup_dinkes) && !in_app.contains(&p.dinkes_officer));

        // A report still in verification: level 1 the verifiers, level 2 the system
        // administrators; no agency, no supervisor (none of them can open it).
        let (waiting, _) = submit(db, &form("Lampu jalan padam", false, false), None).await;
        let r = report::Entity::find_by_id(waiting)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let due = r.due_at.unwrap();
        lifecycle::run_jobs(db, due + Duration::hours(1))
            .await
            .unwrap();
        let (in_app, _) = heard(db, waiting, "marked_overdue").await;
        assert_eq!(
            in_app,
            set(&[p.verifier]),
            "a missed verification deadline warns the verifiers"
        );
        lifecycle::run_jobs(db, due + Duration::days(10))
            .await
            .unwrap();
        let (in_app, mails) = heard(db, waiting, "escalated_to_supervisor").await;
        assert_eq!(in_app, set(&[p.sysadmin]));
        assert_eq!(mails, in_app);

        // Every notice ever written reached only someone who can open its report (or a
        // follower of a public one): the same rule as `visible_to`.
        for n in notification::Entity::find().all(db).await.unwrap() {
            let a = account::Entity::find_by_id(n.account_id)
                .one(db)
                .await
                .unwrap()
                .unwrap();
            let who = accounts::actor_of(db, &a).await.unwrap();
            let visible = casework::visible_to(&who)
                .filter(report::Column::Id.eq(n.report_id))
                .one(db)
                .await
                .unwrap();
            assert!(
                visible.is_some(),
                "{} told of report {} it cannot see",
                a.role,
                n.report_id
            );
        }
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_bell_counts_only_what_it_shows() {
    for t in common::databases().await {
        let db = &t.db;
        let p = people(db).await;
        let (id, _) = submit(db, &form("Pipa bocor di Simboro", false, false), None).await;
        common::dispatch(db, id, PUPR).await;
        // A notice about a report the officer cannot see (held by Dinkes, not public).
        let (other, _) = submit(db, &form("Obat habis di puskesmas", false, true), None).await;
        common::dispatch(db, other, DINKES).await;
        notification::ActiveModel {
            account_id: Set(p.pupr_officer),
            report_id: Set(other),
            event: Set("dispatched".into()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
        let a = account::Entity::find_by_id(p.pupr_officer)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        let who = accounts::actor_of(db, &a).await.unwrap();
        let shown = app::server::inbox::list(db, &who).await.unwrap();
        let unread = app::server::inbox::unread(db, &who).await.unwrap();
        assert_eq!(shown.iter().filter(|n| !n.read).count() as u64, unread);
        assert_eq!(unread, 1, "only the PUPR report");
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Co-agencies.

#[tokio::test(flavor = "multi_thread")]
async fn co_agencies_are_added_by_verifiers_and_lose_access_when_the_case_leaves_the_lead() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let p = people(db).await;
        let (id, _) = submit(db, &form("Dugaan pungli di puskesmas", false, true), None).await;
        common::dispatch(db, id, PUPR).await;
        let lead_admin =
            signed_in(&app, db, p.pupr_admin, "pa@uji.example.org", "agency_admin").await;
        let verifier = signed_in(&app, db, p.verifier, "v@uji.example.org", "verifier").await;
        let dinkes = signed_in(
            &app,
            db,
            p.dinkes_officer,
            "do@uji.example.org",
            "agency_officer",
        )
        .await;
        let view = format!("/api/v1/staff/reports/{id}");

        // The lead agency's admin cannot grant another agency the report, only ask.
        let res = send(
            &app,
            request(
                Method::POST,
                &format!("{view}/co-agencies"),
                Some(&lead_admin),
                Some(json!({"agency": DINKES})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
        let res = send(
            &app,
            request(
                Method::POST,
                &format!("{view}/co-agency-requests"),
                Some(&lead_admin),
                Some(json!({"agency": DINKES, "reason": "Puskesmas di bawah Dinas Kesehatan"})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            send(&app, request(Method::GET, &view, Some(&dinkes), None))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let (asked, _) = heard(db, id, "co_agency_requested").await;
        assert_eq!(asked, [p.verifier].into_iter().collect());

        // The verifier adds it: Dinkes reads the report.
        let res = send(
            &app,
            request(
                Method::POST,
                &format!("{view}/co-agencies"),
                Some(&verifier),
                Some(json!({"agency": DINKES})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(
            send(&app, request(Method::GET, &view, Some(&dinkes), None))
                .await
                .status,
            StatusCode::OK
        );

        // PUPR returns it as not its business: the co-agency's access ends, with history.
        lifecycle::transition(
            db,
            id,
            &Command::ReturnNotOurs,
            Role::AgencyAdmin,
            Some("Bukan kewenangan kami"),
            Utc::now(),
        )
        .await
        .unwrap();
        assert_eq!(
            send(&app, request(Method::GET, &view, Some(&dinkes), None))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        let res = send(
            &app,
            request(
                Method::POST,
                &format!("{view}/commands"),
                Some(&dinkes),
                Some(json!({"command": "follow_up", "note": "Kami tindak lanjuti"})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::NOT_FOUND);
        assert!(report_agency::Entity::find()
            .filter(report_agency::Column::ReportId.eq(id))
            .all(db)
            .await
            .unwrap()
            .is_empty());
        let history = app::server::entities::report_agency_history::Entity::find()
            .filter(app::server::entities::report_agency_history::Column::ReportId.eq(id))
            .all(db)
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        assert_eq!(history[0].agency_id, DINKES);
        assert_eq!(history[0].added_by, Some(p.verifier));
        assert_eq!(history[0].ended_reason, "returned_not_ours");
        let audited = app::server::entities::audit_log::Entity::find()
            .filter(app::server::entities::audit_log::Column::Action.eq("report.co_agency_ended"))
            .all(db)
            .await
            .unwrap();
        assert_eq!(audited.len(), 1);
        // Re-dispatched elsewhere, Dinkes still sees nothing.
        common::dispatch(db, id, 4).await;
        assert_eq!(
            send(&app, request(Method::GET, &view, Some(&dinkes), None))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Over-broad data.

#[tokio::test(flavor = "multi_thread")]
async fn public_agency_list_account_list_and_routing_rules_show_only_what_each_may_see() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let p = people(db).await;
        // A head with a name and an address.
        app::server::entities::agency::Entity::update_many()
            .col_expr(
                app::server::entities::agency::Column::HeadName,
                sea_orm::sea_query::Expr::value("Kepala Dinas Rahasia"),
            )
            .col_expr(
                app::server::entities::agency::Column::HeadEmail,
                sea_orm::sea_query::Expr::value("kadis.pupr@contoh.example.org"),
            )
            .filter(app::server::entities::agency::Column::Id.eq(PUPR))
            .exec(db)
            .await
            .unwrap();
        let res = send(&app, request(Method::GET, "/api/v1/agencies", None, None)).await;
        assert_eq!(res.status, StatusCode::OK);
        assert!(res.body.contains("76-PUPR"));
        assert!(
            !res.body.contains("kadis.pupr") && !res.body.contains("Kepala Dinas Rahasia"),
            "{}",
            res.body
        );
        let admin = signed_in(&app, db, p.sysadmin, "sa@uji.example.org", "system_admin").await;
        let res = send(
            &app,
            request(Method::GET, "/api/v1/agencies", Some(&admin), None),
        )
        .await;
        assert!(
            res.body.contains("kadis.pupr"),
            "system administrators keep it"
        );

        // An agency admin lists only accounts it may manage.
        let lead = signed_in(&app, db, p.pupr_admin, "pa@uji.example.org", "agency_admin").await;
        let res = send(
            &app,
            request(Method::GET, "/api/v1/accounts", Some(&lead), None),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        let roles: BTreeSet<String> = res
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["role"].as_str().unwrap().to_string())
            .collect();
        assert!(
            roles
                .iter()
                .all(|r| r == "agency_admin" || r == "agency_officer"),
            "{roles:?}"
        );
        assert!(
            !res.body.contains("su@uji.example.org"),
            "PUPR's supervisor is not PUPR's admin's to manage"
        );
        let page = send(
            &app,
            request(Method::GET, "/admin/pengguna", Some(&lead), None),
        )
        .await;
        assert!(page.body.contains("po@uji.example.org"));
        assert!(!page.body.contains("su@uji.example.org"));

        // Routing rules: system administrators only, page and API alike.
        let officer = signed_in(
            &app,
            db,
            p.pupr_officer,
            "po@uji.example.org",
            "agency_officer",
        )
        .await;
        let res = send(
            &app,
            request(Method::GET, "/api/v1/routing-rules", Some(&officer), None),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
        let res = send(
            &app,
            request(Method::GET, "/api/v1/routing-rules", Some(&admin), None),
        )
        .await;
        assert_eq!(res.status, StatusCode::OK);
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 7. The reporter's name on the public page.

#[tokio::test(flavor = "multi_thread")]
async fn the_public_sees_no_reporter_name_unless_the_reporter_chose_it() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        // Named in "Kontak Anda", the show-name box not ticked (the form's default).
        let (quiet, _) = submit(db, &form("Trotoar rusak di Rimuku", false, false), None).await;
        common::dispatch(db, quiet, PUPR).await;
        let mut chose = form("Drainase tersumbat di Binanga", false, false);
        chose.show_name = true;
        let (shown, _) = submit(db, &chose, None).await;
        common::dispatch(db, shown, PUPR).await;
        let reference = |id: i64| async move {
            report::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .reference
        };
        let quiet_page = send(
            &app,
            request(
                Method::GET,
                &format!("/laporan/{}", reference(quiet).await),
                None,
                None,
            ),
        )
        .await;
        assert_eq!(quiet_page.status, StatusCode::OK);
        assert!(
            !quiet_page.body.contains("Siti Rahma"),
            "name published without the reporter's choice"
        );
        let api = send(
            &app,
            request(
                Method::GET,
                &format!("/api/v1/public/reports/{}", reference(quiet).await),
                None,
                None,
            ),
        )
        .await;
        assert!(!api.body.contains("Siti Rahma"), "{}", api.body);
        let shown_page = send(
            &app,
            request(
                Method::GET,
                &format!("/laporan/{}", reference(shown).await),
                None,
                None,
            ),
        )
        .await;
        assert!(
            shown_page.body.contains("Siti Rahma"),
            "the reporter chose to be named"
        );
        // The agency still sees the name of a report that is not anonymous.
        let officer =
            common::add_account(db, "agency_officer", Some("76-PUPR"), "po2@uji.example.org").await;
        let cookie = signed_in(&app, db, officer, "po2@uji.example.org", "agency_officer").await;
        let res = send(
            &app,
            request(
                Method::GET,
                &format!("/api/v1/staff/reports/{quiet}"),
                Some(&cookie),
                None,
            ),
        )
        .await;
        assert!(res.body.contains("Siti Rahma"));
        // The form says so, and the box starts unticked.
        let page = send(&app, request(Method::GET, "/lapor", None, None)).await;
        assert!(page.body.contains("name=\"show_name\""));
        assert!(!page.body.contains("tidak pernah ditampilkan kepada publik"));
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 9. A careless click on the accounts page.

#[tokio::test(flavor = "multi_thread")]
async fn saving_an_untouched_account_row_changes_nothing_and_a_change_needs_confirmation() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let p = people(db).await;
        let citizen = common::add_account(db, "citizen", None, "warga@uji.example.org").await;
        let admin = signed_in(&app, db, p.sysadmin, "sa@uji.example.org", "system_admin").await;
        // The row shows the citizen as a citizen.
        let page = send(
            &app,
            request(Method::GET, "/admin/pengguna", Some(&admin), None),
        )
        .await;
        let row_start = page.body.find("warga@uji.example.org").unwrap();
        let row = &page.body[row_start..row_start + page.body[row_start..].find("</tr>").unwrap()];
        assert!(row.contains("<option value=\"citizen\" selected"), "{row}");
        let post = |body: String| common::post_form_as("/admin/pengguna", Some(&admin), &body);
        let role_of = |id: i64| async move {
            account::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .role
        };
        let audits = || async {
            app::server::entities::audit_log::Entity::find()
                .filter(app::server::entities::audit_log::Column::Action.eq("account.role_changed"))
                .all(db)
                .await
                .unwrap()
                .len()
        };
        // Saved as it is: nothing changes, nothing is audited.
        let res = send(
            &app,
            post(format!(
                "_act=change_role&_form=role-{citizen}&account={citizen}&role=citizen&agency_code="
            )),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(role_of(citizen).await, "citizen");
        assert_eq!(audits().await, 0);
        // A changed role without the confirmation: refused, said why, nothing changed.
        let res = send(
            &app,
            post(format!(
                "_act=change_role&_form=role-{citizen}&account={citizen}&role=verifier&agency_code=PROV-76"
            )),
        )
        .await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
        assert!(
            res.body.contains("untuk mengubah peran akun ini"),
            "the reason is said"
        );
        assert_eq!(role_of(citizen).await, "citizen");
        // Confirmed: changed and audited.
        let res = send(
            &app,
            post(format!(
                "_act=change_role&_form=role-{citizen}&account={citizen}&role=verifier&agency_code=PROV-76&confirm=1"
            )),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        assert_eq!(role_of(citizen).await, "verifier");
        assert_eq!(audits().await, 1);
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 6. Files carry identity too.

#[tokio::test(flavor = "multi_thread")]
async fn attachments_lose_pdf_metadata_and_their_uploaded_names() {
    for t in common::databases().await {
        let db = &t.db;
        let settings = common::settings(1000);
        let app = server::startup::router(db.clone(), &settings).unwrap();
        let marker = "SitiAminahKANARI";
        let pdf = common::pdf_by(Some(marker));
        assert!(
            String::from_utf8_lossy(&pdf).contains(marker),
            "positive control"
        );
        // An anonymous report with `KTP_Siti_Aminah.pdf`, through the no-JS form.
        let (content_type, body) = common::multipart_body(
            &[
                ("kind", "complaint"),
                ("title", "Pungutan liar saat mengurus KTP"),
                (
                    "description",
                    "Petugas meminta uang tambahan untuk mempercepat KTP elektronik.",
                ),
                ("category_id", "1"),
                ("province", "76"),
                ("regency", "76.04"),
                ("anonymous", "on"),
            ],
            &[("KTP_SitiAminahKANARI.pdf", pdf)],
        );
        let res = send(
            &app,
            Request::post("/lapor")
                .header(header::CONTENT_TYPE, content_type)
                .header(header::COOKIE, common::csrf_cookie())
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let r = report::Entity::find()
            .order_by_desc(report::Column::Id)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        common::dispatch(db, r.id, PUPR).await;
        let files = app::server::entities::attachment::Entity::find()
            .filter(app::server::entities::attachment::Column::ReportId.eq(r.id))
            .all(db)
            .await
            .unwrap();
        assert_eq!(files.len(), 1);
        assert!(
            !files[0].file_name.contains(marker),
            "uploaded name stored: {}",
            files[0].file_name
        );
        // The officer's view and download.
        let officer =
            common::add_account(db, "agency_officer", Some("76-PUPR"), "po@uji.example.org").await;
        let cookie = signed_in(&app, db, officer, "po@uji.example.org", "agency_officer").await;
        let view = send(
            &app,
            request(
                Method::GET,
                &format!("/api/v1/staff/reports/{}", r.id),
                Some(&cookie),
                None,
            ),
        )
        .await;
        assert_eq!(view.status, StatusCode::OK);
        assert!(!view.body.contains(marker), "{}", view.body);
        let page = send(
            &app,
            request(
                Method::GET,
                &format!("/staf/laporan/{}", r.id),
                Some(&cookie),
                None,
            ),
        )
        .await;
        assert!(!page.body.contains(marker));
        let res = app
            .clone()
            .oneshot_file(&format!("/lampiran/{}", files[0].id), &cookie)
            .await;
        assert_eq!(res.0, StatusCode::OK);
        assert!(!res.1.contains(marker), "disposition: {}", res.1);
        assert!(res.2.starts_with(b"%PDF-"), "still a PDF");
        let text = String::from_utf8_lossy(&res.2);
        assert!(!text.contains(marker), "PDF metadata survived");
        assert!(
            lopdf::Document::load_mem(&res.2).is_ok(),
            "a PDF that still opens"
        );
        t.cleanup().await;
    }
}

/// A download: status, `Content-Disposition`, bytes.
trait Download {
    async fn oneshot_file(self, uri: &str, cookie: &str) -> (StatusCode, String, Vec<u8>);
}

impl Download for axum::Router {
    async fn oneshot_file(self, uri: &str, cookie: &str) -> (StatusCode, String, Vec<u8>) {
        use tower::ServiceExt;
        let res = self
            .oneshot(request(Method::GET, uri, Some(cookie), None))
            .await
            .unwrap();
        let status = res.status();
        let disposition = res
            .headers()
            .get(header::CONTENT_DISPOSITION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, disposition, bytes.to_vec())
    }
}

// ---------------------------------------------------------------------------------------------
// 10. Decompression bombs.

#[tokio::test(flavor = "multi_thread")]
async fn an_image_claiming_too_many_pixels_is_refused_before_decoding() {
    // 8000 × 6000 of one colour: a small file that decodes to 192 MB.
    let img = image::GrayImage::from_pixel(8000, 6000, image::Luma([0]));
    let mut png = std::io::Cursor::new(Vec::new());
    img.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let png = png.into_inner();
    assert!(png.len() < 400_000, "a small file: {}", png.len());
    let files = app::server::files::Files::in_memory();
    let res = app::server::files::store_uploads(
        &files,
        0,
        vec![app::server::files::Upload {
            file_name: "bom.png".into(),
            bytes: png,
            client: None,
        }],
    )
    .await;
    match res {
        Err(app::domain::AppError::Validation(e)) => assert!(matches!(
            e.get(&app::domain::Field::Attachments),
            Some(app::domain::FieldError::TooManyPixels { .. })
        )),
        other => panic!("accepted or wrong refusal: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// 11. Sign-in throttle.

async fn sign_in_from(app: &axum::Router, email: &str, password: &str, from: &str) -> StatusCode {
    let mut req = request(
        Method::POST,
        "/api/v1/session",
        None,
        Some(json!({"email": email, "password": password})),
    );
    let addr: std::net::SocketAddr = format!("{from}:40000")
        .parse()
        .unwrap_or_else(|_| format!("[{from}]:40000").parse().unwrap());
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    send(app, req).await.status
}

#[tokio::test(flavor = "multi_thread")]
async fn parallel_guesses_cannot_pass_the_throttle_and_cannot_lock_the_owner_out() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let email = "warga@uji.example.org";
        common::add_account(db, "citizen", None, email).await;
        // 20 wrong guesses at once from one network: at most the limit are checked.
        let guesses = (0..20).map(|i| {
            let app = app.clone();
            async move { sign_in_from(&app, email, &format!("salah {i}"), "203.0.113.7").await }
        });
        let outcomes = futures::future::join_all(guesses).await;
        let checked = outcomes
            .iter()
            .filter(|s| **s == StatusCode::UNAUTHORIZED)
            .count();
        let refused = outcomes
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count();
        assert_eq!(checked + refused, 20, "{outcomes:?}");
        assert!(
            checked as u64 <= accounts::MAX_FAILURES_PER_ACCOUNT,
            "{checked} guesses checked"
        );
        // That network stays refused, even with the right password; another /64 of the same
        // IPv6 subscriber counts as the same network.
        assert_eq!(
            sign_in_from(&app, email, TEST_PASSWORD, "203.0.113.7").await,
            StatusCode::TOO_MANY_REQUESTS
        );
        // The owner, elsewhere, signs in.
        assert_eq!(
            sign_in_from(&app, email, TEST_PASSWORD, "198.51.100.20").await,
            StatusCode::OK
        );
        for i in 0..6 {
            sign_in_from(
                &app,
                email,
                &format!("salah {i}"),
                &format!("2001:db8:7:9::{i:x}"),
            )
            .await;
        }
        assert_eq!(
            sign_in_from(&app, email, TEST_PASSWORD, "2001:db8:7:9:ffff::1").await,
            StatusCode::TOO_MANY_REQUESTS,
            "one IPv6 /64 is one network"
        );
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_under_attack_is_slowed_not_locked_and_its_owner_is_told_once() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let email = "verif@uji.example.org";
        let id = common::add_account(db, "citizen", None, email).await;
        // Failures from many networks: more than the account's threshold.
        for i in 0..accounts::SLOW_AFTER_ACCOUNT_FAILURES + 2 {
            let s = sign_in_from(&app, email, "tebakan", &format!("192.0.2.{}", i + 1)).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED);
        }
        // The owner still signs in with the right password from a clean network.
        assert_eq!(
            sign_in_from(&app, email, TEST_PASSWORD, "198.51.100.99").await,
            StatusCode::OK
        );
        let alerts = outbox::Entity::find()
            .filter(outbox::Column::Event.eq("sign_in_failures"))
            .filter(outbox::Column::AccountId.eq(id))
            .all(db)
            .await
            .unwrap();
        assert_eq!(alerts.len(), 1, "one email per window");
        assert_eq!(alerts[0].recipient, email);
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 15. Form posts need their anti-forgery token.

#[tokio::test(flavor = "multi_thread")]
async fn forms_without_their_token_are_refused_and_origin_null_is_not_trusted() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let email = "warga@uji.example.org";
        common::add_account(db, "citizen", None, email).await;
        let login = format!("login={email}&password=kata+sandi+uji+2026");
        // A sandboxed frame of another site (no Fetch Metadata, `Origin: null`) posts the
        // sign-in form: login CSRF.
        let res = send(
            &app,
            Request::post("/masuk")
                .header(header::ORIGIN, "null")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(login.clone()))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // No Origin at all, no token: refused too.
        let res = send(
            &app,
            Request::post("/masuk")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(login.clone()))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(
            res.body.contains("Formulir kedaluwarsa"),
            "a page of the site"
        );
        // A token that does not match the cookie: refused.
        let res = send(
            &app,
            Request::post("/masuk")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, common::csrf_cookie())
                .body(Body::from(format!("{login}&csrf={}", "f".repeat(64))))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        // The page hands out the token (cookie) and every form carries it.
        let page = send(&app, request(Method::GET, "/masuk", None, None)).await;
        let set = page
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("aduan_csrf="))
            .expect("token cookie");
        let token = set
            .trim_start_matches("aduan_csrf=")
            .split(';')
            .next()
            .unwrap()
            .to_string();
        assert!(page
            .body
            .contains(&format!("name=\"csrf\" value=\"{token}\"")));
        let res = send(
            &app,
            Request::post("/masuk")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("aduan_csrf={token}"))
                .body(Body::from(format!("{login}&csrf={token}")))
                .unwrap(),
        )
        .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 16. Secrets at rest, and tokens that end.

#[tokio::test(flavor = "multi_thread")]
async fn two_step_secrets_are_sealed_and_recovery_codes_keyed() {
    for t in common::databases().await {
        let db = &t.db;
        // The router installs the tests' key, as `serve` installs ADUAN_SECRET_KEY.
        let _app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let email = "verif@uji.example.org";
        let id = common::add_account(db, "verifier", Some("PROV-76"), email).await;
        let half = accounts::login(db, email, TEST_PASSWORD, None, None, Utc::now())
            .await
            .unwrap();
        let (current, _) = accounts::resolve_session(db, &half.token.0, Utc::now())
            .await
            .unwrap()
            .unwrap();
        let (secret, _) = accounts::begin_enrolment(db, id).await.unwrap();
        let stored = account::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .totp_secret
            .unwrap();
        assert!(
            !stored.contains(&secret),
            "TOTP secret stored in plain text"
        );
        assert!(stored.starts_with("v1:"));
        let (_, codes) =
            accounts::confirm_enrolment(db, &current, &common::code_now(&secret), Utc::now())
                .await
                .unwrap();
        let hashes: Vec<String> = app::server::entities::recovery_code::Entity::find()
            .filter(app::server::entities::recovery_code::Column::AccountId.eq(id))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.code_hash)
            .collect();
        for c in &codes {
            let bare = app::server::credentials::token_hash(
                &app::server::credentials::normalise_recovery_code(c),
            );
            assert!(
                !hashes.contains(&bare),
                "a recovery code stored as bare SHA-256"
            );
        }
        // A code still works once.
        let ok = accounts::login(db, email, TEST_PASSWORD, Some(&codes[0]), None, Utc::now()).await;
        assert!(ok.is_ok(), "{ok:?}");
        // A secret stored in plain text by an earlier version is sealed at start.
        account::Entity::update_many()
            .col_expr(
                account::Column::TotpSecret,
                sea_orm::sea_query::Expr::value("JBSWY3DPEHPK3PXP"),
            )
            .filter(account::Column::Id.eq(id))
            .exec(db)
            .await
            .unwrap();
        assert_eq!(accounts::seal_totp_secrets(db).await.unwrap(), 1);
        let stored = account::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .totp_secret
            .unwrap();
        assert!(stored.starts_with("v1:") && !stored.contains("JBSWY3DP"));
        assert_eq!(
            app::server::secrets::open(&stored).as_deref(),
            Some("JBSWY3DPEHPK3PXP")
        );
        t.cleanup().await;
    }
}

#[test]
fn the_server_refuses_to_start_without_a_secret_key_outside_demo_mode() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_aduan"))
        .arg("serve")
        .current_dir(common::process::repo())
        .env(
            "ADUAN_DATABASE_URL",
            format!("sqlite://{}/k.db?mode=rwc", dir.path().display()),
        )
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env_remove("ADUAN_SECRET_KEY")
        .env_remove("ADUAN_DEMO")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ADUAN_SECRET_KEY is required"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_have_a_scope_an_expiry_and_end_with_a_password_change() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let email = "po@uji.example.org";
        let id = common::add_account(db, "agency_officer", Some("76-PUPR"), email).await;
        let who = accounts::actor_of(
            db,
            &account::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap(),
        )
        .await
        .unwrap();
        let bearer = |token: &str, method: Method, uri: &str, body: Option<Value>| {
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
        let (rid, _) = submit(db, &form("Jalan rusak di Tapalang", false, false), None).await;
        common::dispatch(db, rid, PUPR).await;
        let follow = json!({"command": "follow_up", "note": "Sedang kami periksa"});
        let commands = format!("/api/v1/staff/reports/{rid}/commands");

        // Read-only by default: it reads, it cannot write.
        let read = accounts::create_api_token(db, &who, "dasbor", "", None, Utc::now())
            .await
            .unwrap();
        assert_eq!(
            send(&app, bearer(&read, Method::GET, "/api/v1/me", None))
                .await
                .status,
            StatusCode::OK
        );
        let res = send(
            &app,
            bearer(&read, Method::POST, &commands, Some(follow.clone())),
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
        // Last use shown, with the expiry (90 days).
        let listed = accounts::list_api_tokens(db, &who).await.unwrap();
        assert!(listed[0].last_used_at.is_some());
        let days = (listed[0].expires_at.unwrap() - Utc::now()).num_days();
        assert!((89..=90).contains(&days), "{days}");
        // Expired: refused.
        let short = accounts::create_api_token(
            db,
            &who,
            "lama",
            "read",
            Some(1),
            Utc::now() - Duration::days(2),
        )
        .await
        .unwrap();
        assert_eq!(
            send(&app, bearer(&short, Method::GET, "/api/v1/me", None))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
        // Read-write writes, until the password changes.
        let rw = accounts::create_api_token(db, &who, "sinkron", "read_write", None, Utc::now())
            .await
            .unwrap();
        let res = send(&app, bearer(&rw, Method::POST, &commands, Some(follow))).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        accounts::change_password(db, id, TEST_PASSWORD, "kata sandi baru 2027", Utc::now())
            .await
            .unwrap();
        for tok in [&read, &rw] {
            assert_eq!(
                send(&app, bearer(tok, Method::GET, "/api/v1/me", None))
                    .await
                    .status,
                StatusCode::UNAUTHORIZED
            );
        }
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 17. Secrets in request logs.

#[test]
fn invite_tokens_and_tracking_codes_never_reach_the_request_log() {
    use server::telemetry::redacted_path;
    for (path, secret) in [
        ("/undangan/9f8e7d6c5b4a39281706f5e4d3c2b1a0", "9f8e7d6c5b4a"),
        (
            "/api/v1/invites/9f8e7d6c5b4a39281706f5e4d3c2b1a0/accept",
            "9f8e7d6c5b4a",
        ),
        ("/lacak/7K2M9QXPAB12CDEF/lampiran/3", "7K2M9QXP"),
        ("/api/v1/track/7K2M9QXPAB12CDEF/actions", "7K2M9QXP"),
    ] {
        let logged = redacted_path(path);
        assert!(!logged.contains(secret), "{path} logged as {logged}");
    }
}

// ---------------------------------------------------------------------------------------------
// 18. The audit log is chained.

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_is_chained_and_a_rewrite_is_found() {
    use app::server::audit::{log_head, seal_log, verify_log};
    use app::server::entities::audit_log;
    for t in common::databases().await {
        let db = &t.db;
        let p = people(db).await;
        let (id, _) = submit(db, &form("Pungli di loket", true, false), None).await;
        let verifier = accounts::actor_of(
            db,
            &account::Entity::find_by_id(p.verifier)
                .one(db)
                .await
                .unwrap()
                .unwrap(),
        )
        .await
        .unwrap();
        casework::reveal_identity(db, &verifier, id, "klarifikasi laporan", Utc::now())
            .await
            .unwrap();
        casework::set_priority(db, &verifier, id, 2, Utc::now())
            .await
            .unwrap();
        let sealed = seal_log(db).await.unwrap();
        assert!(sealed >= 10, "accounts, reveal, priority: {sealed}");
        let ok = verify_log(db).await.unwrap();
        assert_eq!(ok.sealed, sealed);
        assert_eq!(ok.head, log_head(db).await.unwrap().1);
        // Several sealers at once: one wins, nothing is sealed twice.
        casework::set_priority(db, &verifier, id, 1, Utc::now())
            .await
            .unwrap();
        let (a, b) = tokio::join!(seal_log(db), seal_log(db));
        assert_eq!(a.unwrap_or(0) + b.unwrap_or(0), 1);
        verify_log(db).await.unwrap();
        // Someone with database access hides the identity reveal: found.
        let reveal = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("identity.revealed"))
            .one(db)
            .await
            .unwrap()
            .unwrap();
        audit_log::Entity::update_many()
            .col_expr(
                audit_log::Column::Action,
                sea_orm::sea_query::Expr::value("report.priority_set"),
            )
            .filter(audit_log::Column::Id.eq(reveal.id))
            .exec(db)
            .await
            .unwrap();
        assert!(verify_log(db).await.is_err(), "a changed entry is found");
        audit_log::Entity::delete_by_id(reveal.id)
            .exec(db)
            .await
            .unwrap();
        assert!(verify_log(db).await.is_err(), "a deleted entry is found");
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 10. Upload floods.

#[tokio::test(flavor = "multi_thread")]
async fn a_client_past_its_hourly_upload_budget_gets_a_field_message_and_keeps_its_text() {
    let t = common::sqlite().await;
    let mut settings = common::settings(1000);
    settings.upload_client_mb_per_hour = 1;
    let app = server::startup::router(t.db.clone(), &settings).unwrap();
    // A 600 KB PDF, twice from one client: the second is over its 1 MB an hour.
    let pdf = {
        use lopdf::dictionary;
        let mut doc = lopdf::Document::load_mem(&common::tiny_pdf()).unwrap();
        // A scanned page's worth of image data.
        doc.add_object(lopdf::Stream::new(dictionary! {}, vec![7u8; 600 * 1024]));
        let mut out = Vec::new();
        doc.save_to(&mut out).unwrap();
        out
    };
    assert!(pdf.len() > 600 * 1024);
    let post = |from: &'static str, title: &'static str| {
        let (content_type, body) = common::multipart_body(
            &[
                ("kind", "complaint"),
                ("title", title),
                (
                    "description",
                    "Banjir setinggi lutut setiap hujan di depan sekolah dasar.",
                ),
                ("category_id", "1"),
                ("province", "76"),
                ("regency", "76.04"),
            ],
            &[("denah.pdf", pdf.clone())],
        );
        let mut req = Request::post("/lapor")
            .header(header::CONTENT_TYPE, content_type)
            .header(header::COOKIE, common::csrf_cookie())
            .body(Body::from(body))
            .unwrap();
        let addr: std::net::SocketAddr = format!("{from}:5555").parse().unwrap();
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(addr));
        req
    };
    let first = send(&app, post("203.0.113.50", "Banjir di depan SD pertama")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let second = send(&app, post("203.0.113.50", "Banjir di depan SD kedua")).await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        second.body.contains("Batas unggahan tercapai"),
        "the reason on the form"
    );
    assert!(
        second.body.contains("Banjir di depan SD kedua"),
        "the typed title is kept"
    );
    // Another network is not affected.
    let other = send(&app, post("198.51.100.60", "Banjir di depan SD ketiga")).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    t.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// 13. Registration floods.

#[tokio::test(flavor = "multi_thread")]
async fn registrations_are_limited_per_client_network() {
    for t in common::databases().await {
        let app = server::startup::router(t.db.clone(), &common::settings(1000)).unwrap();
        let register = |i: u64, from: &'static str| {
            let mut req = request(
                Method::POST,
                "/api/v1/accounts",
                None,
                Some(
                    json!({"login": format!("warga{i}@uji.example.org"), "display_name": "Warga", "password": "kata sandi panjang 1"}),
                ),
            );
            let addr: std::net::SocketAddr = format!("{from}:7000").parse().unwrap();
            req.extensions_mut()
                .insert(axum::extract::ConnectInfo(addr));
            req
        };
        for i in 0..accounts::MAX_REGISTRATIONS_PER_NETWORK {
            let res = send(&app, register(i, "203.0.113.80")).await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        }
        let res = send(&app, register(99, "203.0.113.80")).await;
        assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "{}", res.body);
        let res = send(&app, register(100, "198.51.100.80")).await;
        assert_eq!(res.status, StatusCode::CREATED, "another network registers");
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 12 and 14. Client addresses and tracking-code lookups.

fn from(mut req: Request<Body>, peer: &str, forwarded: Option<&str>) -> Request<Body> {
    let addr: std::net::SocketAddr = format!("{peer}:6000").parse().unwrap();
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    if let Some(f) = forwarded {
        req.headers_mut()
            .insert("x-forwarded-for", f.parse().unwrap());
    }
    req
}

#[tokio::test(flavor = "multi_thread")]
async fn a_client_cannot_escape_the_limits_by_writing_its_own_forwarded_for() {
    let t = common::sqlite().await;
    let mut settings = common::settings(3);
    settings.trusted_proxies = server::net::TrustedProxies::parse("10.0.0.0/8").unwrap();
    let app = server::startup::router(t.db.clone(), &settings).unwrap();
    let lookup = || request(Method::GET, "/api/v1/track/0000-0000-0000-0000", None, None);
    // Behind our proxy, a client puts a new invented address first in every request.
    for i in 0..3 {
        let r = send(
            &app,
            from(
                lookup(),
                "10.0.0.2",
                Some(&format!("1.2.3.{i}, 203.0.113.9")),
            ),
        )
        .await;
        assert_eq!(r.status, StatusCode::NOT_FOUND);
    }
    let r = send(
        &app,
        from(lookup(), "10.0.0.2", Some("1.2.3.99, 203.0.113.9")),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the real client is the rightmost untrusted hop"
    );
    // A header from outside our proxies is not believed at all.
    let r = send(&app, from(lookup(), "198.51.100.3", Some("203.0.113.77"))).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "counted as 198.51.100.3");
    t.cleanup().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_place_a_code_is_accepted_counts_and_a_reporters_own_photos_do_not() {
    let t = common::sqlite().await;
    let db = &t.db;
    let app = server::startup::router(db.clone(), &common::settings(3)).unwrap();
    // Claims count: a citizen guessing codes through the claim endpoints is limited.
    let citizen = common::add_account(db, "citizen", None, "warga@uji.example.org").await;
    let cookie = signed_in(&app, db, citizen, "warga@uji.example.org", "citizen").await;
    let claim = || {
        from(
            request(
                Method::POST,
                "/api/v1/my/reports/claim",
                Some(&cookie),
                Some(json!({"tracking_code": "0000-0000-0000-0000"})),
            ),
            "203.0.113.5",
            None,
        )
    };
    for _ in 0..3 {
        let r = send(&app, claim()).await;
        assert_ne!(r.status, StatusCode::TOO_MANY_REQUESTS);
    }
    let r = send(&app, claim()).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "claims count as lookups"
    );
    let form = common::post_form_as("/laporan-saya", Some(&cookie), "kode=0000000000000000");
    let r = send(&app, from(form, "203.0.113.5", None)).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the claim form too"
    );
    // The reporter's action by code through the hydrated page's server function counts too
    // (another client, its own budget).
    let act = || {
        from(
            common::multipart(
                &common::act_path("track_command"),
                None,
                &[
                    ("_act", "track_command"),
                    ("code", "0000000000000000"),
                    ("command", "add_information"),
                    ("note", "x"),
                ],
                &[],
            ),
            "203.0.113.6",
            None,
        )
    };
    for _ in 0..3 {
        let r = send(&app, act()).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.body);
    }
    let r = send(&app, act()).await;
    assert_eq!(
        r.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the reporter's action by code counts as a lookup"
    );
    // Past the limit, the HTML answer is a page of the site: the lookup form, saying why.
    let page = send(
        &app,
        from(
            request(Method::GET, "/lacak/0000000000000000", None, None),
            "203.0.113.5",
            None,
        ),
    )
    .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.body.contains("data-testid=\"track-form\""),
        "the lookup form"
    );
    assert!(page.body.contains("Terlalu banyak percobaan"), "the reason");
    assert!(
        page.body.contains("href=\"/lapor\""),
        "the site's navigation: a way on"
    );

    // A reporter opens their own report with three photos: one lookup, not four.
    let (content_type, body) = common::multipart_body(
        &[
            ("kind", "complaint"),
            ("title", "Tiga foto jalan berlubang di Tapalang"),
            (
                "description",
                "Lubang besar di tengah jalan poros, sudah ada korban jatuh.",
            ),
            ("category_id", "1"),
            ("province", "76"),
            ("regency", "76.04"),
        ],
        &[
            ("a.png", common::tiny_png()),
            ("b.png", common::tiny_png()),
            ("c.png", common::tiny_png()),
        ],
    );
    let req = Request::post("/lapor")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, common::csrf_cookie())
        .body(Body::from(body))
        .unwrap();
    let r = send(&app, from(req, "198.51.100.40", None)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let code = r.headers[header::LOCATION]
        .to_str()
        .unwrap()
        .trim_start_matches("/lacak/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let files: Vec<i64> = app::server::entities::attachment::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(files.len(), 3);
    for _ in 0..3 {
        let p = send(
            &app,
            from(
                request(Method::GET, &format!("/lacak/{code}"), None, None),
                "198.51.100.40",
                None,
            ),
        )
        .await;
        assert_eq!(p.status, StatusCode::OK);
        for f in &files {
            let r = send(
                &app,
                from(
                    request(
                        Method::GET,
                        &format!("/lacak/{code}/lampiran/{f}"),
                        None,
                        None,
                    ),
                    "198.51.100.40",
                    None,
                ),
            )
            .await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "photos of a resolved code are free"
            );
        }
    }
    t.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// 19. The holiday calendar.

#[tokio::test(flavor = "multi_thread")]
async fn administrators_correct_the_holiday_calendar_and_deadlines_follow() {
    use app::domain::calendar::{add_working_days, provisional_warning};
    use chrono::NaiveDate;
    let t = common::sqlite().await;
    let db = &t.db;
    let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
    let p = people(db).await;
    let admin = signed_in(&app, db, p.sysadmin, "sa@uji.example.org", "system_admin").await;
    let officer = signed_in(
        &app,
        db,
        p.pupr_officer,
        "po@uji.example.org",
        "agency_officer",
    )
    .await;
    let form = |cookie: &str, body: &str| common::post_form_as("/admin/libur", Some(cookie), body);
    // 2031-03-10 is a Monday not in the built-in list: three working days after Friday 7 March
    // end on Wednesday 12 March, until it becomes a holiday.
    let friday = NaiveDate::from_ymd_opt(2031, 3, 7).unwrap();
    assert_eq!(
        add_working_days(friday, 3),
        NaiveDate::from_ymd_opt(2031, 3, 12).unwrap()
    );
    let res = send(
        &app,
        form(
            &officer,
            "_act=set_holiday&_form=holiday-form&day=2031-03-10&kind=holiday&name=Libur+uji",
        ),
    )
    .await;
    assert_eq!(
        res.status,
        StatusCode::FORBIDDEN,
        "only system administrators"
    );
    let res = send(
        &app,
        form(
            &admin,
            "_act=set_holiday&_form=holiday-form&day=2031-3-x&kind=holiday&name=Libur+uji",
        ),
    )
    .await;
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a field message for a bad date"
    );
    let said = app::i18n::Lang::Id.texts().field_error(
        app::domain::Field::IncidentDate,
        app::domain::FieldError::Invalid,
    );
    assert!(res.body.contains(said.as_str()), "the page says {said:?}");
    let res = send(
        &app,
        form(
            &admin,
            "_act=set_holiday&_form=holiday-form&day=2031-03-10&kind=holiday&name=Libur+uji",
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        add_working_days(friday, 3),
        NaiveDate::from_ymd_opt(2031, 3, 13).unwrap(),
        "deadlines computed afterwards skip the new holiday"
    );
    let audited = app::server::entities::audit_log::Entity::find()
        .filter(app::server::entities::audit_log::Column::Action.eq("holiday.set"))
        .count(db)
        .await
        .unwrap();
    assert_eq!(audited, 1);
    // The page warns while the coming months are provisional, and stops once confirmed.
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    assert!(
        provisional_warning(today).is_some(),
        "2027's decree is not entered"
    );
    let page = send(
        &app,
        request(Method::GET, "/admin/libur", Some(&admin), None),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("data-testid=\"calendar-warning\""),
        "the page warns"
    );
    assert!(page.body.contains("Libur uji"), "the correction is listed");
    let res = send(&app, form(&admin, "_act=confirm_holiday_year&year=2027")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        provisional_warning(today).is_none(),
        "2027 confirmed: no warning before 2028"
    );
    // Removing the correction restores the built-in calendar.
    let res = send(&app, form(&admin, "_act=remove_holiday&day=2031-03-10")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        add_working_days(friday, 3),
        NaiveDate::from_ymd_opt(2031, 3, 12).unwrap()
    );
    // Back as it was for the other tests of this binary.
    app::domain::calendar::install_corrections(Default::default());
    t.cleanup().await;
}

// ---------------------------------------------------------------------------------------------
// 13. Search work per request.

#[tokio::test(flavor = "multi_thread")]
async fn a_broad_search_with_a_filter_that_keeps_nothing_stops_and_asks_to_be_refined() {
    use app::domain::views::PublicFilter;
    use app::server::transparency::list_public_bounded;
    for t in common::databases().await {
        let db = &t.db;
        // 12 public reports with the word "jalan", all in category 1.
        for n in 0..12 {
            let (id, _) = submit(
                db,
                &form(&format!("Jalan rusak nomor {n} di Mamuju"), false, false),
                None,
            )
            .await;
            common::dispatch(db, id, PUPR).await;
        }
        let filter = |pairs: &[(&str, &str)]| PublicFilter::from_pairs(pairs.iter().copied());
        // A common word and a category none of them has: one match a window, at most 5 windows.
        let l = list_public_bounded(db, &filter(&[("q", "jalan"), ("kategori", "2")]), 1, 5)
            .await
            .unwrap();
        assert!(l.refine, "stopped at the budget");
        assert!(l.rows.is_empty());
        let cursor = l.next.clone().expect("the next page goes on");
        // Going on from the cursor reads the next windows, not the first again.
        let more = list_public_bounded(
            db,
            &filter(&[("q", "jalan"), ("kategori", "2"), ("setelah", &cursor)]),
            1,
            5,
        )
        .await
        .unwrap();
        assert!(more.refine);
        assert_ne!(more.next, l.next);
        // With enough budget the search ends normally: nothing matches, nothing to refine.
        let all = list_public_bounded(db, &filter(&[("q", "jalan"), ("kategori", "2")]), 1, 100)
            .await
            .unwrap();
        assert!(!all.refine && all.rows.is_empty() && all.next.is_none());
        // A search that fills its page within the budget never asks.
        let ok = list_public_bounded(db, &filter(&[("q", "jalan")]), 500, 1)
            .await
            .unwrap();
        assert!(!ok.refine && ok.rows.len() == 12);
        t.cleanup().await;
    }
}

// ---------------------------------------------------------------------------------------------
// 13. Free accounts do not inflate rankings.

#[tokio::test(flavor = "multi_thread")]
async fn support_counts_only_once_the_supporters_email_is_verified() {
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let (id, _) = submit(
            db,
            &form("Jembatan gantung di Kalukku putus", false, false),
            None,
        )
        .await;
        common::dispatch(db, id, PUPR).await;
        let reference = report::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .reference;
        let supporters = || async {
            report::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .supporters
        };
        // A fresh registration through the API: a verification link goes to the outbox.
        let res = send(
            &app,
            request(
                Method::POST,
                "/api/v1/accounts",
                None,
                Some(json!({"login": "baru@uji.example.org", "display_name": "Warga Baru", "password": "kata sandi panjang 1"})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let mail = outbox::Entity::find()
            .filter(outbox::Column::Event.eq("email_verification"))
            .one(db)
            .await
            .unwrap()
            .expect("a verification email");
        assert_eq!(mail.recipient, "baru@uji.example.org");
        let link = mail
            .body_text
            .split_whitespace()
            .find(|w| w.contains("/verifikasi-email/"))
            .unwrap()
            .replace(app::server::notify::BASE_URL, "");
        // Unverified: the support is recorded, not counted, and the page says so.
        let cookie =
            common::session_cookie(&app, "baru@uji.example.org", "kata sandi panjang 1").await;
        let support = common::post_form_as(
            &format!("/laporan/{reference}"),
            Some(&cookie),
            "action=dukung",
        );
        assert_eq!(send(&app, support).await.status, StatusCode::SEE_OTHER);
        assert_eq!(supporters().await, 0, "a free account does not count");
        let page = send(
            &app,
            request(
                Method::GET,
                &format!("/laporan/{reference}"),
                Some(&cookie),
                None,
            ),
        )
        .await;
        assert!(page.body.contains("data-testid=\"support-pending\""));
        // The link verifies the address: the support counts, once; the link works once.
        let res = send(&app, request(Method::GET, &link, None, None)).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        assert_eq!(supporters().await, 1);
        let again = send(&app, request(Method::GET, &link, None, None)).await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
        assert_eq!(supporters().await, 1);
        // A mobile-number account has no address to verify: its support stays uncounted.
        let mobile = common::add_account(db, "citizen", None, "081234500001").await;
        let cookie = common::session_cookie(&app, "081234500001", TEST_PASSWORD).await;
        let _ = mobile;
        let support = common::post_form_as(
            &format!("/laporan/{reference}"),
            Some(&cookie),
            "action=dukung",
        );
        assert_eq!(send(&app, support).await.status, StatusCode::SEE_OTHER);
        assert_eq!(supporters().await, 1);
        t.cleanup().await;
    }
}

#[tokio::test]
async fn a_forgotten_password_is_reset_through_a_one_hour_link_used_once() {
    use app::domain::{AppError, Field, FieldError};
    use app::server::entities::audit_log;
    for t in common::databases().await {
        let db = &t.db;
        let app = server::startup::router(db.clone(), &common::settings(1000)).unwrap();
        let login = "lupa@uji.example.org";
        let res = send(
            &app,
            request(
                Method::POST,
                "/api/v1/accounts",
                None,
                Some(json!({"login": login, "display_name": "Warga Lupa", "password": "kata sandi lama 2026"})),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let old_session = common::session_cookie(&app, login, "kata sandi lama 2026").await;
        // The way there: a link on the sign-in page, and the form.
        assert!(send(&app, common::get("/masuk"))
            .await
            .body
            .contains("href=\"/lupa-sandi\""));
        assert!(send(&app, common::get("/lupa-sandi"))
            .await
            .body
            .contains("data-testid=\"forgot-form\""));
        let now = Utc::now();
        let mails = || async {
            outbox::Entity::find()
                .filter(outbox::Column::Event.eq("password_reset"))
                .all(db)
                .await
                .unwrap()
        };
        // An address with no account gets the same answer, and nothing is sent.
        accounts::request_password_reset(db, "tidak-ada@uji.example.org", Some("10.1.1.1"), now)
            .await
            .unwrap();
        assert!(mails().await.is_empty());
        // The account's address: a link in the outbox (the token only there).
        accounts::request_password_reset(db, " LUPA@uji.example.org ", Some("10.1.1.1"), now)
            .await
            .unwrap();
        let sent = mails().await;
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].recipient, login);
        let token = |body: &str| {
            body.split_whitespace()
                .find_map(|w| w.split("/atur-sandi/").nth(1))
                .unwrap()
                .to_string()
        };
        let first = token(&sent[0].body_text);
        // A weak password is refused on its field; the link still works after that.
        assert_eq!(
            accounts::reset_password(db, &first, "pendek", now).await,
            Err(AppError::field(
                Field::NewPassword,
                FieldError::TooShort { min: 10 }
            ))
        );
        accounts::reset_password(db, &first, "kata sandi baru 2026", now)
            .await
            .unwrap();
        // Every session ended; the new password signs in.
        let page = send(
            &app,
            request(Method::GET, "/akun", Some(&old_session), None),
        )
        .await;
        assert!(page.body.contains("Silakan masuk"), "the old session ended");
        common::session_cookie(&app, login, "kata sandi baru 2026").await;
        // Once only.
        assert_eq!(
            accounts::reset_password(db, &first, "kata sandi lain 2026", now).await,
            Err(AppError::NotFound)
        );
        // One hour only.
        accounts::request_password_reset(db, login, Some("10.1.1.1"), now)
            .await
            .unwrap();
        let second = token(&mails().await[1].body_text);
        assert_eq!(
            accounts::reset_password(
                db,
                &second,
                "kata sandi lain 2026",
                now + Duration::minutes(61)
            )
            .await,
            Err(AppError::NotFound)
        );
        // Asked too often for one address: refused for the hour.
        for _ in 0..3 {
            accounts::request_password_reset(db, login, Some("10.1.1.2"), now)
                .await
                .unwrap();
        }
        assert_eq!(
            accounts::request_password_reset(db, login, Some("10.1.1.3"), now).await,
            Err(AppError::RateLimited)
        );
        // Audited: each link asked for, and the reset.
        let actions: Vec<String> = audit_log::Entity::find()
            .filter(audit_log::Column::Action.starts_with("account.password_reset"))
            .all(db)
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.action)
            .collect();
        assert_eq!(
            actions
                .iter()
                .filter(|a| *a == "account.password_reset")
                .count(),
            1
        );
        assert_eq!(
            actions
                .iter()
                .filter(|a| *a == "account.password_reset_requested")
                .count(),
            5
        );
        t.cleanup().await;
    }
}
