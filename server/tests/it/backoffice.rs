//! The verifier's workspace and the agency's tools on real databases: queue filters and priority,
//! raising privacy, merging duplicates, routing rules and similar reports, reply templates with
//! the copy-paste check, and joint cases.

use crate::common;

use app::domain::access::{AccountRole, Actor, StaffActor};
use app::domain::casework::ListFilter;
use app::domain::lifecycle::{Command, CommandInput, CommandKind, Role};
use app::domain::{AppError, Field, FieldError, ReportForm};
use app::server::casework;
use app::server::entities::{audit_log, notification, report};
use app::server::{accounts, lifecycle, routing, templates};
use chrono::Utc;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

const PROV: i32 = 1;
const DINKES: i32 = 2;
const PUPR: i32 = 3;
const DIKBUD: i32 = 4;

fn staff_actor(account: i64, role: AccountRole, agency: i32) -> Actor {
    Actor::Staff(StaffActor {
        account,
        role,
        agency: Some(agency),
        scope: if role.is_agency_scoped() {
            vec![agency]
        } else {
            vec![]
        },
    })
}

async fn account(db: &DatabaseConnection, role: &str, agency: &str, tag: &str) -> i64 {
    accounts::create_account(
        db,
        &accounts::NewAccount {
            login: format!("{role}-{}-{tag}@uji.example.org", agency.to_lowercase()),
            display_name: format!("Uji {role}"),
            password: "kata sandi uji 2026".into(),
            role: role.into(),
            agency_code: Some(agency.into()),
        },
        None,
        Utc::now(),
    )
    .await
    .unwrap()
}

async fn submit(
    db: &DatabaseConnection,
    kind: &str,
    title: &str,
    category: &str,
    regency: &str,
) -> i64 {
    let receipt = app::server::intake::submit_form(
        db,
        &ReportForm {
            kind: kind.into(),
            title: title.into(),
            description: format!(
                "{title}: uraian yang cukup panjang untuk diterima oleh formulir."
            ),
            category_id: category.into(),
            province: regency.split('.').next().unwrap().into(),
            // A province code alone: no regency.
            regency: if regency.contains('.') {
                regency.into()
            } else {
                String::new()
            },
            ..Default::default()
        },
        Utc::now(),
    )
    .await
    .unwrap();
    common::report_id(&db, &receipt.reference).await
}

fn ids(rows: &[app::domain::views::StaffReportRow]) -> Vec<i64> {
    rows.iter().map(|r| r.id).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_queue_filters_searches_and_puts_priority_first() {
    for t in common::databases().await {
        let db = &t.db;
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let verifier = staff_actor(
            account(db, "verifier", "PROV-76", &tag).await,
            AccountRole::Verifier,
            PROV,
        );
        let road = submit(
            db,
            "complaint",
            &format!("Jembatan retak {tag}"),
            "1",
            "76.04",
        )
        .await;
        let idea = submit(
            db,
            "aspiration",
            &format!("Usul taman kota {tag}"),
            "2",
            "76.01",
        )
        .await;
        let elsewhere = submit(db, "complaint", &format!("Jalan longsor {tag}"), "1", "11").await;
        let list = |f: ListFilter| {
            let v = verifier.clone();
            async move {
                ids(&casework::list_reports(db, &v, &f, Utc::now())
                    .await
                    .unwrap())
            }
        };
        let q = |s: &str| ListFilter {
            q: Some(s.into()),
            ..Default::default()
        };
        assert_eq!(
            list(q(&format!("RETAK {tag}"))).await,
            vec![road],
            "case-insensitive search"
        );
        assert_eq!(
            list(ListFilter {
                q: Some(tag.clone()),
                kind: Some("aspiration".into()),
                ..Default::default()
            })
            .await,
            vec![idea]
        );
        let mut c1 = list(ListFilter {
            q: Some(tag.clone()),
            category: Some(1),
            ..Default::default()
        })
        .await;
        c1.sort();
        assert_eq!(c1, vec![road, elsewhere]);
        let mut sulbar = list(ListFilter {
            q: Some(tag.clone()),
            region: Some("76".into()),
            ..Default::default()
        })
        .await;
        sulbar.sort();
        assert_eq!(sulbar, vec![road, idea], "a province covers its regencies");
        assert_eq!(
            list(ListFilter {
                q: Some(tag.clone()),
                region: Some("76.04".into()),
                ..Default::default()
            })
            .await,
            vec![road]
        );
        assert!(list(ListFilter {
            q: Some(tag.clone()),
            older_than_days: Some(3),
            ..Default::default()
        })
        .await
        .is_empty());
        // A typed % is not a wildcard: it is dropped, and an empty pattern matches all.
        assert!(list(q("%")).await.len() >= 3);

        // Urgent first, whatever the deadline.
        casework::set_priority(db, &verifier, elsewhere, 2, Utc::now())
            .await
            .unwrap();
        assert_eq!(list(q(&tag)).await[0], elsewhere);
        assert!(matches!(
            casework::set_priority(db, &verifier, elsewhere, 9, Utc::now()).await,
            Err(AppError::Validation(_))
        ));
        let officer = staff_actor(
            account(db, "agency_admin", "76-PUPR", &tag).await,
            AccountRole::AgencyAdmin,
            PUPR,
        );
        common::dispatch(db, road, PUPR).await;
        assert!(matches!(
            casework::set_priority(db, &officer, road, 1, Utc::now()).await,
            Err(AppError::Forbidden)
        ));
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn privacy_only_goes_up_and_duplicates_are_merged_with_word_to_the_reporter() {
    for t in common::databases().await {
        let db = &t.db;
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let v_id = account(db, "verifier", "PROV-76", &tag).await;
        let verifier = staff_actor(v_id, AccountRole::Verifier, PROV);
        let first = submit(
            db,
            "complaint",
            &format!("Pipa PDAM bocor {tag}"),
            "1",
            "76.04",
        )
        .await;
        let again = submit(
            db,
            "complaint",
            &format!("Pipa bocor lagi {tag}"),
            "1",
            "76.04",
        )
        .await;

        casework::raise_privacy(db, &verifier, first, false, true, Utc::now())
            .await
            .unwrap();
        let r = report::Entity::find_by_id(first)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert!(r.confidential && !r.anonymous);
        // Asking for less privacy changes nothing.
        casework::raise_privacy(db, &verifier, first, false, false, Utc::now())
            .await
            .unwrap();
        let r = report::Entity::find_by_id(first)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert!(r.confidential);
        let audited = audit_log::Entity::find()
            .filter(audit_log::Column::Action.eq("report.privacy_raised"))
            .filter(audit_log::Column::ActorAccountId.eq(v_id))
            .all(db)
            .await
            .unwrap();
        assert_eq!(audited.len(), 1, "one change, one record");

        let reference = r.reference.clone();
        match casework::mark_duplicate(db, &verifier, again, "ADU-TIDAK-ADA", Utc::now()).await {
            Err(AppError::Validation(e)) => {
                assert_eq!(e.get(&Field::Reference), Some(&FieldError::Unknown))
            }
            other => panic!("{other:?}"),
        }
        casework::mark_duplicate(db, &verifier, again, &reference.to_lowercase(), Utc::now())
            .await
            .unwrap();
        let d = report::Entity::find_by_id(again)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (d.status.as_str(), d.duplicate_of),
            ("archived", Some(first))
        );
        let thread = app::server::conversation::thread(db, again, false)
            .await
            .unwrap();
        assert!(
            thread[0].body.contains(&reference),
            "the reporter is told where it went"
        );
        let view = casework::report_view(db, &verifier, again, Utc::now())
            .await
            .unwrap();
        assert_eq!(view.duplicate_of.as_deref(), Some(reference.as_str()));
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn routing_rules_suggest_the_most_specific_agency_and_show_where_similar_reports_went() {
    for t in common::databases().await {
        let db = &t.db;
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let admin = Actor::Staff(StaffActor {
            account: account(db, "system_admin", "PROV-76", &tag).await,
            role: AccountRole::SystemAdmin,
            agency: None,
            scope: vec![],
        });
        let verifier = staff_actor(
            account(db, "verifier", "PROV-76", &tag).await,
            AccountRole::Verifier,
            PROV,
        );
        let rule = |category: Option<i32>, region: Option<&str>, agency: i32| routing::RuleInput {
            category_id: category,
            region_code: region.map(str::to_string),
            agency_id: Some(agency),
        };
        match routing::add(db, &admin, &rule(None, None, PUPR), Utc::now()).await {
            Err(AppError::Validation(e)) => assert!(e.contains_key(&Field::CategoryId)),
            other => panic!("a rule for everything is refused: {other:?}"),
        }
        assert!(matches!(
            routing::add(db, &verifier, &rule(Some(1), None, PUPR), Utc::now()).await,
            Err(AppError::Forbidden)
        ));
        routing::add(db, &admin, &rule(Some(1), None, DINKES), Utc::now())
            .await
            .unwrap();
        routing::add(db, &admin, &rule(Some(1), Some("76"), DIKBUD), Utc::now())
            .await
            .unwrap();
        let regency_rule =
            routing::add(db, &admin, &rule(Some(1), Some("76.04"), PUPR), Utc::now())
                .await
                .unwrap();

        let earlier = submit(
            db,
            "complaint",
            &format!("Jalan rusak lama {tag}"),
            "1",
            "76.04",
        )
        .await;
        common::dispatch(db, earlier, PUPR).await;
        let here = submit(
            db,
            "complaint",
            &format!("Jalan rusak baru {tag}"),
            "1",
            "76.04",
        )
        .await;
        let next_door = submit(
            db,
            "complaint",
            &format!("Jalan rusak tetangga {tag}"),
            "1",
            "76.01",
        )
        .await;
        let far = submit(
            db,
            "complaint",
            &format!("Jalan rusak jauh {tag}"),
            "1",
            "11",
        )
        .await;

        let help = casework::dispatch_help(db, &verifier, here).await.unwrap();
        assert_eq!(
            help.suggestion.map(|a| a.id),
            Some(PUPR),
            "category + regency wins"
        );
        assert_eq!(
            help.similar.iter().map(|s| s.id).collect::<Vec<_>>(),
            vec![earlier]
        );
        assert_eq!(help.similar[0].agency.id, PUPR);
        let help = casework::dispatch_help(db, &verifier, next_door)
            .await
            .unwrap();
        assert_eq!(
            help.suggestion.map(|a| a.id),
            Some(DIKBUD),
            "then category + province"
        );
        assert!(help.similar.is_empty());
        let help = casework::dispatch_help(db, &verifier, far).await.unwrap();
        assert_eq!(
            help.suggestion.map(|a| a.id),
            Some(DINKES),
            "then category alone"
        );

        routing::remove(db, &admin, regency_rule, Utc::now())
            .await
            .unwrap();
        let help = casework::dispatch_help(db, &verifier, here).await.unwrap();
        assert_eq!(help.suggestion.map(|a| a.id), Some(DIKBUD));
        assert_eq!(routing::list(db, &admin).await.unwrap().len(), 2);
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn templates_fill_placeholders_and_copy_paste_replies_are_held_back_once() {
    for t in common::databases().await {
        let db = &t.db;
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let admin = staff_actor(
            account(db, "agency_admin", "76-PUPR", &tag).await,
            AccountRole::AgencyAdmin,
            PUPR,
        );
        let officer = staff_actor(
            account(db, "agency_officer", "76-PUPR", &tag).await,
            AccountRole::AgencyOfficer,
            PUPR,
        );
        let body = "Terima kasih. Laporan {nomor} tentang {judul} sudah ditangani {instansi}; petugas kami akan datang ke lokasi minggu ini.";
        match templates::create(
            db,
            &officer,
            &templates::TemplateInput {
                title: "x".into(),
                body: body.into(),
            },
            Utc::now(),
        )
        .await
        {
            Err(AppError::Forbidden) => {}
            other => panic!("officers use templates, administrators keep them: {other:?}"),
        }
        match templates::create(
            db,
            &admin,
            &templates::TemplateInput {
                title: " ".into(),
                body: body.into(),
            },
            Utc::now(),
        )
        .await
        {
            Err(AppError::Validation(e)) => {
                assert_eq!(e.get(&Field::Title), Some(&FieldError::Required))
            }
            other => panic!("{other:?}"),
        }
        let tpl = templates::create(
            db,
            &admin,
            &templates::TemplateInput {
                title: "Tinjau lokasi".into(),
                body: body.into(),
            },
            Utc::now(),
        )
        .await
        .unwrap();
        let listed = templates::list(db, &officer).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert!(!listed[0].can_edit);

        let one = submit(
            db,
            "complaint",
            &format!("Drainase tersumbat {tag}"),
            "1",
            "76.04",
        )
        .await;
        let two = submit(
            db,
            "complaint",
            &format!("Gorong-gorong ambrol {tag}"),
            "1",
            "76.04",
        )
        .await;
        for id in [one, two] {
            common::dispatch(db, id, PUPR).await;
        }
        let text = casework::template_for(db, &officer, one, tpl)
            .await
            .unwrap();
        let r1 = report::Entity::find_by_id(one)
            .one(db)
            .await
            .unwrap()
            .unwrap();
        assert!(text.contains(&r1.reference) && text.contains("Drainase tersumbat"));
        assert!(text.contains("Dinas Pekerjaan Umum dan Penataan Ruang"));
        assert!(!text.contains('{'), "every placeholder filled: {text}");

        let follow = |note: &str, confirm: bool| CommandInput {
            note: Some(note.into()),
            confirm_similar: confirm,
            ..CommandInput::of(CommandKind::FollowUp)
        };
        casework::command(db, &officer, one, &follow(&text, false), Utc::now())
            .await
            .unwrap();
        // The same words on another report: held back with a field message, nothing recorded.
        let same = text.replace(&r1.reference, "ADU-LAIN");
        match casework::command(db, &officer, two, &follow(&same, false), Utc::now()).await {
            Err(AppError::Validation(e)) => {
                assert_eq!(e.get(&Field::Message), Some(&FieldError::NearDuplicate))
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            report::Entity::find_by_id(two)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .status,
            "dispatched"
        );
        // A reply written for this report passes; so does the same one, confirmed.
        let own = "Gorong-gorong di depan pasar ambrol; regu kami memasang pembatas hari ini dan perbaikan dijadwalkan Senin.";
        casework::command(db, &officer, two, &follow(own, false), Utc::now())
            .await
            .unwrap();
        casework::command(db, &officer, two, &follow(&same, true), Utc::now())
            .await
            .unwrap();

        templates::retire(db, &admin, tpl, Utc::now())
            .await
            .unwrap();
        assert!(templates::list(db, &officer).await.unwrap().is_empty());
        assert!(matches!(
            casework::template_for(db, &officer, one, tpl).await,
            Err(AppError::NotFound)
        ));
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_joint_case_lets_co_agencies_see_and_contribute_but_only_the_lead_answers() {
    for t in common::databases().await {
        let db = &t.db;
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let verifier = staff_actor(
            account(db, "verifier", "PROV-76", &tag).await,
            AccountRole::Verifier,
            PROV,
        );
        let lead = staff_actor(
            account(db, "agency_officer", "76-PUPR", &tag).await,
            AccountRole::AgencyOfficer,
            PUPR,
        );
        let co_id = account(db, "agency_officer", "76-DINKES", &tag).await;
        let co = staff_actor(co_id, AccountRole::AgencyOfficer, DINKES);
        let outsider = staff_actor(
            account(db, "agency_officer", "76-DIKBUD", &tag).await,
            AccountRole::AgencyOfficer,
            DIKBUD,
        );
        let id = submit(
            db,
            "complaint",
            &format!("Banjir dan wabah diare {tag}"),
            "1",
            "76.04",
        )
        .await;
        common::dispatch(db, id, PUPR).await;
        assert!(matches!(
            casework::report_view(db, &co, id, Utc::now()).await,
            Err(AppError::NotFound)
        ));

        match casework::add_co_agency(db, &verifier, id, PUPR, Utc::now()).await {
            Err(AppError::Validation(e)) => assert!(
                e.contains_key(&Field::Agency),
                "the lead is not its own co-agency"
            ),
            other => panic!("{other:?}"),
        }
        casework::add_co_agency(db, &verifier, id, DINKES, Utc::now())
            .await
            .unwrap();
        assert!(matches!(
            casework::add_co_agency(db, &verifier, id, DINKES, Utc::now()).await,
            Err(AppError::Validation(_))
        ));
        let told = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(co_id))
            .filter(notification::Column::ReportId.eq(id))
            .all(db)
            .await
            .unwrap();
        assert_eq!(told.len(), 1, "the co-agency's staff are notified");

        // The co-agency sees it in its list and contributes a follow-up under its own name.
        let listed = casework::list_reports(db, &co, &ListFilter::default(), Utc::now())
            .await
            .unwrap();
        assert_eq!(ids(&listed), vec![id]);
        assert!(
            casework::list_reports(db, &outsider, &ListFilter::default(), Utc::now())
                .await
                .unwrap()
                .is_empty()
        );
        let input = |command: &str, note: &str| CommandInput {
            note: Some(note.into()),
            ..CommandInput::of(CommandKind::parse(command).unwrap())
        };
        casework::command(
            db,
            &co,
            id,
            &input(
                "follow_up",
                "Dinkes mengirim tim sanitasi dan oralit ke posko.",
            ),
            Utc::now(),
        )
        .await
        .unwrap();
        assert!(matches!(
            casework::command(db, &co, id, &input("answer", "Selesai."), Utc::now()).await,
            Err(AppError::Forbidden)
        ));
        casework::command(
            db,
            &lead,
            id,
            &input("follow_up", "PUPR menyedot genangan di tiga titik."),
            Utc::now(),
        )
        .await
        .unwrap();
        casework::command(
            db,
            &lead,
            id,
            &input("answer", "Genangan surut; tim kesehatan memantau sepekan."),
            Utc::now(),
        )
        .await
        .unwrap();
        let view = casework::report_view(db, &verifier, id, Utc::now())
            .await
            .unwrap();
        assert_eq!(
            view.co_agencies.iter().map(|a| a.id).collect::<Vec<_>>(),
            vec![DINKES]
        );
        let authors: Vec<String> = view
            .thread
            .iter()
            .filter_map(|m| match &m.author {
                app::domain::views::MessageAuthor::Agency { name } => Some(name.clone()),
                _ => None,
            })
            .collect();
        assert!(authors[0].starts_with("Dinas Kesehatan"), "{authors:?}");
        assert!(
            authors[1].starts_with("Dinas Pekerjaan Umum"),
            "{authors:?}"
        );
        t.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn whoever_holds_a_stage_is_warned_once_before_its_deadline() {
    use app::server::entities::outbox;
    for t in common::databases().await {
        let db = &t.db;
        let tag = format!("{}{}", t.backend, rand::random::<u32>());
        let officer = account(db, "agency_officer", "76-PUPR", &tag).await;
        let id = submit(
            db,
            "complaint",
            &format!("Lampu jalan padam {tag}"),
            "1",
            "76.04",
        )
        .await;
        common::dispatch(db, id, PUPR).await;
        let due = report::Entity::find_by_id(id)
            .one(db)
            .await
            .unwrap()
            .unwrap()
            .due_at
            .unwrap();

        let early = lifecycle::run_jobs(db, due - chrono::Duration::days(8))
            .await
            .unwrap();
        assert_eq!(early.warned, 0, "not yet");
        let eve = due - chrono::Duration::days(1);
        assert_eq!(lifecycle::run_jobs(db, eve).await.unwrap().warned, 1);
        assert_eq!(
            lifecycle::run_jobs(db, eve).await.unwrap().warned,
            0,
            "once per stage"
        );
        let told = notification::Entity::find()
            .filter(notification::Column::AccountId.eq(officer))
            .filter(notification::Column::Event.eq("due_soon"))
            .all(db)
            .await
            .unwrap();
        assert_eq!(told.len(), 1);
        let mails = outbox::Entity::find()
            .filter(outbox::Column::Event.eq("due_soon"))
            .all(db)
            .await
            .unwrap();
        assert_eq!(mails.len(), 1);
        assert!(
            mails[0].subject.contains("batas waktu"),
            "{}",
            mails[0].subject
        );
        assert!(
            app::server::audit::verify_all(db).await.is_ok(),
            "the warning is in the chain"
        );

        // A new stage arms the warning again.
        lifecycle::transition(
            db,
            id,
            &Command::FollowUp,
            Role::AgencyOfficer,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
        assert!(
            !report::Entity::find_by_id(id)
                .one(db)
                .await
                .unwrap()
                .unwrap()
                .due_soon_warned
        );
        t.cleanup().await;
    }
}
