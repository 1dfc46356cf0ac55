//! Who hears about what. A change to a report plans its notices (`plan`): in-app notifications
//! for accounts and emails into the durable `outbox`, both written in the same transaction as the
//! change. The job runner sends the emails (`deliver_due`), never a request.
//!
//! Emails are rendered when planned, in the recipient's language, with links written against
//! `{{base_url}}`, which the sender fills with its configured public address. Staff emails carry
//! the reference, title and status only, never the reporter's identity; the reporter's address
//! is read here (only the email column) and goes nowhere but the outbox row's recipient.

use super::entities::{account, notification, outbox, report, report_follow, reporter_contact};
use super::internal;
use crate::domain::access::AccountRole;
use crate::domain::{AppError, EventKind, ReportStatus};
use crate::i18n::Lang;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

/// Placeholder for the public address in stored email bodies.
pub const BASE_URL: &str = "{{base_url}}";
/// Attempts before an email is given up (`dead`), with backoff 1, 2, 4 … minutes (max 6 h).
pub const MAX_ATTEMPTS: i32 = 8;
/// Emails one delivery pass takes; a full pass means more may be waiting.
pub const BATCH: u64 = 50;
/// How long a sender holds a claimed email before another may take it (three SMTP timeouts).
pub const LEASE_SECONDS: i64 = 60;

/// The rows a change adds besides its event.
#[derive(Default)]
pub struct Notices {
    pub emails: Vec<outbox::ActiveModel>,
    pub in_app: Vec<notification::ActiveModel>,
}

impl Notices {
    pub async fn write<C: ConnectionTrait>(self, db: &C) -> Result<(), AppError> {
        if !self.emails.is_empty() {
            outbox::Entity::insert_many(self.emails)
                .exec(db)
                .await
                .map_err(internal("writing the outbox"))?;
        }
        if !self.in_app.is_empty() {
            notification::Entity::insert_many(self.in_app)
                .exec(db)
                .await
                .map_err(internal("writing notifications"))?;
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum To {
    Reporter,
    /// The staff (administrators and officers) of the agency holding the report.
    Agency,
    Verifiers,
    /// Supervisors whose subtree holds the report.
    Supervisors,
    /// System administrators: they run the deployment (and its verifier accounts).
    SystemAdmins,
}

/// Whether the verifiers hold the stage a report is in (rather than an agency).
fn verifiers_hold(status: ReportStatus) -> bool {
    matches!(
        status,
        ReportStatus::AwaitingVerification | ReportStatus::Appealed
    )
}

/// Who hears about an event on a report in `status`. A missed deadline warns whoever holds the
/// stage (level 1), then the level above (level 2): for the agency stages the agency, then the
/// supervisors over it; for the verifier stages the verifiers, then the system administrators
/// (`docs/lifecycle.md`).
fn audiences(event: EventKind, status: ReportStatus) -> &'static [To] {
    use EventKind::*;
    match event {
        MarkedOverdue if verifiers_hold(status) => &[To::Verifiers],
        EscalatedToSupervisor if verifiers_hold(status) => &[To::SystemAdmins],
        _ => audiences_of(event),
    }
}

fn audiences_of(event: EventKind) -> &'static [To] {
    use EventKind::*;
    match event {
        Submitted => &[],
        Dispatched => &[To::Reporter, To::Agency],
        Delegated => &[To::Agency],
        PutOnHold | Archived | HoldExpired | FollowedUp | InterimReply | DeadlineExtended
        | Answered | ReporterReminded | ClosedUnconfirmed | AppealRejected => &[To::Reporter],
        HoldAnswered | ReturnedNotOurs | Appealed => &[To::Verifiers],
        Confirmed | InformationAdded | Disputed | MarkedOverdue => &[To::Agency],
        Reopened | AppealUpheld => &[To::Reporter, To::Agency],
        EscalatedToSupervisor => &[To::Supervisors],
        // Whoever holds the stage: see `plan_due_soon`.
        DueSoon => &[],
        CoAgencyRequested => &[To::Verifiers],
    }
}

/// The notices for `event` on report `r` (as it was before the change), now handled by
/// `agency` (after the change). `body` is the message sent with the change, when the reporter
/// may read it.
pub async fn plan<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
    event: EventKind,
    status: ReportStatus,
    agency: Option<i32>,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Notices, AppError> {
    let mut n = plan_to(
        db,
        audiences(event, status),
        r,
        event,
        status,
        agency,
        body,
        now,
    )
    .await?;
    let f = followers(db, r, event, status, now).await?;
    n.in_app.extend(f.in_app);
    n.emails.extend(f.emails);
    Ok(n)
}

/// The steps of a public report its followers hear about (in the app).
fn followers_hear(event: EventKind) -> bool {
    use EventKind::*;
    matches!(
        event,
        FollowedUp
            | InterimReply
            | DeadlineExtended
            | Answered
            | Confirmed
            | Disputed
            | ClosedUnconfirmed
            | Reopened
            | AppealUpheld
            | AppealRejected
            | MarkedOverdue
            | ReturnedNotOurs
            | Delegated
    )
}

/// Notices for the followers of a public report (never of a confidential one; the reporter
/// hears as the reporter): in the app, and by email to followers with an address. The email
/// carries the public title and a link to the public page, nothing of the original text.
async fn followers<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
    event: EventKind,
    status: ReportStatus,
    now: DateTime<Utc>,
) -> Result<Notices, AppError> {
    let mut n = Notices::default();
    if !followers_hear(event) || r.published_at.is_none() || r.confidential {
        return Ok(n);
    }
    let ids: Vec<i64> = report_follow::Entity::find()
        .filter(report_follow::Column::ReportId.eq(r.id))
        .all(db)
        .await
        .map_err(internal("loading followers"))?
        .into_iter()
        .map(|f| f.account_id)
        .filter(|a| Some(*a) != r.reporter_account_id)
        .collect();
    if ids.is_empty() {
        return Ok(n);
    }
    let accounts = account::Entity::find()
        .filter(account::Column::Id.is_in(ids))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading followers' accounts"))?;
    for a in accounts {
        n.in_app.push(in_app(a.id, r.id, event, now));
        if let Some(address) = a.email.clone() {
            let lang = Lang::parse(&a.lang).unwrap_or_default();
            let mail = follower_mail(lang, event, status, r);
            n.emails
                .push(email(address, Some(a.id), r.id, event, lang, mail, now));
        }
    }
    Ok(n)
}

/// The email to a follower: the public title, the step, the status, the public page.
fn follower_mail(lang: Lang, event: EventKind, status: ReportStatus, r: &report::Model) -> Mail {
    let t = lang.texts();
    let title = r.public_title.clone().unwrap_or_default();
    let what = t.event(event);
    let link = format!("{BASE_URL}/laporan/{}", r.reference);
    let lead = t.tr(
        "Ada kabar tentang laporan yang Anda ikuti",
        "There is news about a report you follow",
    );
    let status_label = t.tr("Status sekarang", "Status now");
    let stop = t.tr(
        "Untuk berhenti menerima kabar, buka laporan itu dan pilih \"Berhenti mengikuti\".",
        "To stop these emails, open the report and choose \"Stop following\".",
    );
    let status_text = t.status(status);
    let text = format!(
        "{lead} {} \"{title}\": {what}.\n{status_label}: {status_text}.\n\n{link}\n\n{stop}\n",
        r.reference
    );
    let html = format!(
        "<p>{lead} <strong>{}</strong> “{}”: {what}.<br>{status_label}: <strong>{status_text}</strong>.</p>\
         <p><a href=\"{link}\">{link}</a></p><hr><p><small>{}</small></p>",
        escape(&r.reference),
        escape(&title),
        escape(stop)
    );
    Mail {
        subject: format!("[Aduan] {} — {what}", r.reference),
        text,
        html,
    }
}

/// The "deadline is near" warning, for whoever holds the stage: the agency while it follows up,
/// the verifiers while it waits for verification or an appeal decision.
pub async fn plan_due_soon<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
    status: ReportStatus,
    now: DateTime<Utc>,
) -> Result<Notices, AppError> {
    let to: &[To] = match status {
        ReportStatus::Dispatched | ReportStatus::InProcess => &[To::Agency],
        _ => &[To::Verifiers],
    };
    plan_to(
        db,
        to,
        r,
        EventKind::DueSoon,
        status,
        r.agency_id,
        None,
        now,
    )
    .await
}

/// The notices for the staff of `agency` only (a co-agency joining a joint case).
pub async fn plan_for_agency<C: ConnectionTrait>(
    db: &C,
    r: &report::Model,
    event: EventKind,
    status: ReportStatus,
    agency: i32,
    now: DateTime<Utc>,
) -> Result<Notices, AppError> {
    plan_to(db, &[To::Agency], r, event, status, Some(agency), None, now).await
}

#[allow(clippy::too_many_arguments)]
async fn plan_to<C: ConnectionTrait>(
    db: &C,
    to_whom: &[To],
    r: &report::Model,
    event: EventKind,
    status: ReportStatus,
    agency: Option<i32>,
    body: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Notices, AppError> {
    let mut n = Notices::default();
    for to in to_whom {
        match to {
            To::Reporter => {
                let account = match r.reporter_account_id {
                    Some(id) => account::Entity::find_by_id(id)
                        .one(db)
                        .await
                        .map_err(internal("loading the reporter account"))?
                        .filter(|a| a.active),
                    None => None,
                };
                let (address, lang) = match &account {
                    Some(a) => {
                        n.in_app.push(in_app(a.id, r.id, event, now));
                        (a.email.clone(), Lang::parse(&a.lang).unwrap_or_default())
                    }
                    // A guest reporter who left an email address hears by email only.
                    None => (
                        reporter_contact::Entity::find_by_id(r.id)
                            .select_only()
                            .column(reporter_contact::Column::Email)
                            .into_tuple::<Option<String>>()
                            .one(db)
                            .await
                            .map_err(internal("loading the reporter address"))?
                            .flatten(),
                        Lang::parse(&r.lang).unwrap_or_default(),
                    ),
                };
                if let Some(address) = address {
                    let link = if account.is_some() {
                        format!("{BASE_URL}/laporan-saya")
                    } else {
                        format!("{BASE_URL}/lacak")
                    };
                    let mail = render(lang, true, event, status, r, body, &link);
                    n.emails.push(email(
                        address,
                        account.map(|a| a.id),
                        r.id,
                        event,
                        lang,
                        mail,
                        now,
                    ));
                }
            }
            To::Agency | To::Verifiers | To::Supervisors | To::SystemAdmins => {
                let link = format!("{BASE_URL}/staf/laporan/{}", r.id);
                for a in staff_recipients(db, *to, r, agency).await? {
                    n.in_app.push(in_app(a.id, r.id, event, now));
                    if let Some(address) = a.email.clone() {
                        let lang = Lang::parse(&a.lang).unwrap_or_default();
                        let mail = render(lang, false, event, status, r, body, &link);
                        n.emails
                            .push(email(address, Some(a.id), r.id, event, lang, mail, now));
                    }
                }
            }
        }
    }
    Ok(n)
}

/// The staff accounts of audience `to` for report `r` held by `agency` (after the change). Every
/// candidate passes the access policy (`can_view`, the rule `visible_to` states in SQL) on the
/// report as it will be: nobody hears about a report they may not open.
async fn staff_recipients<C: ConnectionTrait>(
    db: &C,
    to: To,
    r: &report::Model,
    agency: Option<i32>,
) -> Result<Vec<account::Model>, AppError> {
    use crate::domain::access::{can_view, subtree, Actor, StaffActor};
    let q = account::Entity::find().filter(account::Column::Active.eq(true));
    let q = match to {
        To::Agency => {
            let Some(agency) = agency else {
                return Ok(Vec::new());
            };
            q.filter(account::Column::AgencyId.eq(agency))
                .filter(account::Column::Role.is_in([
                    AccountRole::AgencyAdmin.as_str(),
                    AccountRole::AgencyOfficer.as_str(),
                ]))
        }
        To::Verifiers => q.filter(account::Column::Role.eq(AccountRole::Verifier.as_str())),
        To::Supervisors => {
            if agency.is_none() {
                return Ok(Vec::new());
            }
            q.filter(account::Column::Role.eq(AccountRole::Supervisor.as_str()))
        }
        To::SystemAdmins => q.filter(account::Column::Role.eq(AccountRole::SystemAdmin.as_str())),
        To::Reporter => return Ok(Vec::new()),
    };
    let candidates = q
        .order_by_asc(account::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading staff to notify"))?;
    if candidates.is_empty() {
        return Ok(candidates);
    }
    let tree = super::accounts::agency_tree(db).await?;
    let mut facts = super::casework::facts_of(db, r).await?;
    facts.agency = agency;
    Ok(candidates
        .into_iter()
        .filter(|a| {
            let Some(role) = AccountRole::parse(&a.role) else {
                return false;
            };
            let scope = match (role.is_agency_scoped(), a.agency_id) {
                (true, Some(root)) => subtree(root, &tree),
                _ => Vec::new(),
            };
            let actor = Actor::Staff(StaffActor {
                account: a.id,
                role,
                agency: a.agency_id,
                scope,
            });
            // Supervisors hear about the reports their subtree holds, not a co-agency's part.
            let supervises = to != To::Supervisors
                || actor
                    .staff()
                    .zip(agency)
                    .is_some_and(|(s, held)| s.in_scope(held));
            supervises && can_view(&actor, &facts)
        })
        .collect())
}

fn in_app(
    account: i64,
    report: i64,
    event: EventKind,
    now: DateTime<Utc>,
) -> notification::ActiveModel {
    notification::ActiveModel {
        account_id: Set(account),
        report_id: Set(report),
        event: Set(event.as_str().to_string()),
        created_at: Set(now),
        ..Default::default()
    }
}

struct Mail {
    subject: String,
    text: String,
    html: String,
}

fn email(
    recipient: String,
    account: Option<i64>,
    report: i64,
    event: EventKind,
    lang: Lang,
    mail: Mail,
    now: DateTime<Utc>,
) -> outbox::ActiveModel {
    outbox::ActiveModel {
        channel: Set("email".into()),
        recipient: Set(recipient),
        account_id: Set(account),
        report_id: Set(Some(report)),
        event: Set(event.as_str().to_string()),
        lang: Set(lang.tag().to_string()),
        subject: Set(mail.subject),
        body_text: Set(mail.text),
        body_html: Set(mail.html),
        status: Set("pending".into()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    }
}

pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The email about `event`, for the reporter (`to_reporter`) or for staff.
fn render(
    lang: Lang,
    to_reporter: bool,
    event: EventKind,
    status: ReportStatus,
    r: &report::Model,
    body: Option<&str>,
    link: &str,
) -> Mail {
    let t = lang.texts();
    let what = t.event(event);
    let subject = format!("[Aduan] {} — {}", r.reference, what);
    let greeting = t.tr("Yth. Bapak/Ibu,", "Dear Sir or Madam,");
    let lead = if to_reporter {
        t.tr(
            "Ada kabar tentang laporan Anda",
            "There is news about your report",
        )
    } else {
        t.tr("Ada kabar tentang laporan", "There is news about report")
    };
    let status_label = t.tr("Status sekarang", "Status now");
    let open = if to_reporter && link.ends_with("/lacak") {
        t.tr(
            "Buka laporan Anda dengan kode pelacakan di",
            "Open your report with its tracking code at",
        )
    } else {
        t.tr("Buka laporan di", "Open the report at")
    };
    let message_label = t.tr("Pesan", "Message");
    let footer = t.tr(
        "Email ini dikirim otomatis oleh Aduan. Jangan membalas email ini.",
        "This email was sent automatically by Aduan. Do not reply to it.",
    );
    let status_text = t.status(status);
    let mut text = format!(
        "{greeting}\n\n{lead} {} \"{}\": {what}.\n{status_label}: {status_text}.\n",
        r.reference, r.title
    );
    let mut html = format!(
        "<p>{greeting}</p><p>{lead} <strong>{}</strong> “{}”: {what}.<br>{status_label}: <strong>{status_text}</strong>.</p>",
        escape(&r.reference),
        escape(&r.title)
    );
    if let Some(body) = body {
        text.push_str(&format!("\n{message_label}:\n{body}\n"));
        html.push_str(&format!(
            "<p>{message_label}:</p><blockquote>{}</blockquote>",
            escape(body).replace('\n', "<br>")
        ));
    }
    text.push_str(&format!("\n{open} {link}\n\n-- \n{footer}\n"));
    html.push_str(&format!(
        "<p>{open} <a href=\"{link}\">{link}</a></p><hr><p><small>{footer}</small></p>"
    ));
    Mail {
        subject,
        text,
        html,
    }
}

/// Tells an account's owner that someone keeps failing to sign in as them (into the outbox). It
/// names no address and asks nothing: the owner changes their password if it was not them.
pub async fn sign_in_alert<C: ConnectionTrait>(
    db: &C,
    a: &account::Model,
    address: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let t = account_lang(a).texts();
    let mail = AccountMail {
        event: "sign_in_failures",
        subject: t.tr(
            "[Aduan] Banyak percobaan masuk yang gagal ke akun Anda",
            "[Aduan] Many failed sign-in attempts on your account",
        ),
        body: t.tr(
            "Dalam 15 menit terakhir ada banyak percobaan masuk yang gagal ke akun Anda. Percobaan berikutnya diperlambat; Anda tetap dapat masuk seperti biasa. Jika itu bukan Anda, ganti kata sandi Anda di",
            "In the last 15 minutes there were many failed attempts to sign in to your account. Further attempts are slowed down; you can still sign in as usual. If it was not you, change your password at",
        ),
        link: format!("{BASE_URL}/akun"),
    };
    mail.write(db, a, address, now).await
}

/// The link that proves an account's email address (into the outbox; the token only here and
/// in the email).
pub async fn verification_mail<C: ConnectionTrait>(
    db: &C,
    a: &account::Model,
    address: String,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let t = account_lang(a).texts();
    let mail = AccountMail {
        event: "email_verification",
        subject: t.tr(
            "[Aduan] Verifikasi alamat email Anda",
            "[Aduan] Verify your email address",
        ),
        body: t.tr(
            "Buka tautan ini untuk memverifikasi alamat email akun Aduan Anda (berlaku 7 hari). Setelah itu dukungan Anda pada laporan publik ikut dihitung.",
            "Open this link to verify your Aduan account's email address (valid for 7 days). Your support for public reports counts from then on.",
        ),
        link: format!("{BASE_URL}/verifikasi-email/{token}"),
    };
    mail.write(db, a, address, now).await
}

/// The "forgot password" link (into the outbox; the token only here and in the email).
pub async fn password_reset_mail<C: ConnectionTrait>(
    db: &C,
    a: &account::Model,
    address: String,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let t = account_lang(a).texts();
    let mail = AccountMail {
        event: "password_reset",
        subject: t.tr(
            "[Aduan] Atur ulang kata sandi Anda",
            "[Aduan] Reset your password",
        ),
        body: t.tr(
            "Seseorang meminta pengaturan ulang kata sandi akun Aduan Anda. Buka tautan ini untuk memilih kata sandi baru (berlaku 1 jam, sekali pakai). Jika itu bukan Anda, abaikan email ini: kata sandi Anda tidak berubah.",
            "Someone asked to reset your Aduan account's password. Open this link to choose a new one (valid for 1 hour, once). If it was not you, ignore this email: your password stays as it is.",
        ),
        link: format!("{BASE_URL}/atur-sandi/{token}"),
    };
    mail.write(db, a, address, now).await
}

fn account_lang(a: &account::Model) -> Lang {
    Lang::parse(&a.lang).unwrap_or_default()
}

/// An email about an account itself (not a report): one sentence and one link.
struct AccountMail {
    event: &'static str,
    subject: &'static str,
    body: &'static str,
    link: String,
}

impl AccountMail {
    async fn write<C: ConnectionTrait>(
        self,
        db: &C,
        a: &account::Model,
        address: String,
        now: DateTime<Utc>,
    ) -> Result<(), AppError> {
        let link = self.link;
        outbox::ActiveModel {
            channel: Set("email".into()),
            recipient: Set(address),
            account_id: Set(Some(a.id)),
            report_id: Set(None),
            event: Set(self.event.into()),
            lang: Set(account_lang(a).tag().to_string()),
            subject: Set(self.subject.to_string()),
            body_text: Set(format!("{}\n\n{link}\n", self.body)),
            body_html: Set(format!(
                "<p>{}</p><p><a href=\"{link}\">{link}</a></p>",
                escape(self.body)
            )),
            status: Set("pending".into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await
        .map_err(internal("writing an account email"))?;
        Ok(())
    }
}

/// How the job runner sends email.
#[derive(Clone)]
pub struct Mailer {
    pub transport: lettre::AsyncSmtpTransport<lettre::Tokio1Executor>,
    pub from: lettre::message::Mailbox,
    /// The public address links point at, e.g. `https://aduan.example.go.id`.
    pub base_url: String,
}

impl Mailer {
    /// From an SMTP URL (`smtp://host:port`, `smtp://user:pass@host?tls=required`, `smtps://…`).
    pub fn from_url(url: &str, from: &str, base_url: &str) -> Result<Self, String> {
        let transport = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url)
            .map_err(|e| format!("ADUAN_SMTP_URL is not a usable SMTP address: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| format!("ADUAN_MAIL_FROM is not an email address: {e}"))?;
        Ok(Self {
            transport,
            from,
            base_url: base_url.trim_end_matches('/').to_string(),
        })
    }
}

/// What one delivery pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivered {
    pub sent: u32,
    pub failed: u32,
    /// Claimed by another sender first.
    pub skipped: u32,
}

/// Sends the emails that are due, each claimed first with a lease so that several instances
/// never send the same row at the same time. A row is marked sent only after the SMTP server
/// accepted it; a crash in between sends it again after the lease, with the same `Message-ID`
/// (so the receiving side can drop the copy).
pub async fn deliver_due<C: ConnectionTrait>(
    db: &C,
    mailer: &Mailer,
    now: DateTime<Utc>,
) -> Result<Delivered, AppError> {
    let due = outbox::Entity::find()
        .filter(outbox::Column::Status.eq("pending"))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(
            sea_orm::Condition::any()
                .add(outbox::Column::LockedUntil.is_null())
                .add(outbox::Column::LockedUntil.lt(now)),
        )
        .order_by_asc(outbox::Column::Id)
        .limit(BATCH)
        .all(db)
        .await
        .map_err(internal("loading due emails"))?;
    let host = mailer.from.email.domain().to_string();
    // Several at once: each SMTP exchange spends most of its time waiting (for the server, and
    // for TCP's delayed ACK after the message's last line), so one after another drains a
    // backlog at ~20 emails/s; with the pool's connections in parallel, ~SEND_AT_ONCE× that.
    use futures::StreamExt;
    let outcomes: Vec<Result<Outcome, AppError>> = futures::stream::iter(due)
        .map(|m| deliver_one(db, mailer, &host, m, now))
        .buffer_unordered(SEND_AT_ONCE)
        .collect()
        .await;
    let mut done = Delivered::default();
    for outcome in outcomes {
        match outcome? {
            Outcome::Sent => done.sent += 1,
            Outcome::Failed => done.failed += 1,
            Outcome::Skipped => done.skipped += 1,
        }
    }
    Ok(done)
}

/// Emails sent at the same time by one delivery pass (the SMTP pool holds up to 10 connections).
pub const SEND_AT_ONCE: usize = 8;

enum Outcome {
    Sent,
    Failed,
    Skipped,
}

/// Claims one email (a lease), sends it, and records the result.
async fn deliver_one<C: ConnectionTrait>(
    db: &C,
    mailer: &Mailer,
    host: &str,
    m: outbox::Model,
    now: DateTime<Utc>,
) -> Result<Outcome, AppError> {
    use lettre::AsyncTransport;
    let claimed = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::LockedUntil,
            Expr::value(now + Duration::seconds(LEASE_SECONDS)),
        )
        .filter(outbox::Column::Id.eq(m.id))
        .filter(outbox::Column::Status.eq("pending"))
        .filter(
            sea_orm::Condition::any()
                .add(outbox::Column::LockedUntil.is_null())
                .add(outbox::Column::LockedUntil.lt(now)),
        )
        .exec(db)
        .await
        .map_err(internal("claiming an email"))?;
    if claimed.rows_affected != 1 {
        return Ok(Outcome::Skipped);
    }
    let result = match build(&m, mailer, host) {
        Ok(message) => mailer
            .transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        Err(e) => Err(e),
    };
    let sent = result.is_ok();
    let mut row: outbox::ActiveModel = m.clone().into();
    row.locked_until = Set(None);
    match result {
        Ok(()) => {
            row.status = Set("sent".into());
            row.sent_at = Set(Some(now));
            row.attempts = Set(m.attempts + 1);
        }
        Err(e) => {
            let attempts = m.attempts + 1;
            tracing::warn!(outbox = m.id, attempts, error = %e, "email not sent");
            row.attempts = Set(attempts);
            row.last_error = Set(Some(e.chars().take(500).collect()));
            if attempts >= MAX_ATTEMPTS {
                row.status = Set("dead".into());
            } else {
                let minutes = (1i64 << (attempts - 1).min(9)).min(360);
                row.next_attempt_at = Set(now + Duration::minutes(minutes));
            }
        }
    }
    row.update(db)
        .await
        .map_err(internal("recording an email"))?;
    Ok(if sent { Outcome::Sent } else { Outcome::Failed })
}

fn build(m: &outbox::Model, mailer: &Mailer, host: &str) -> Result<lettre::Message, String> {
    use lettre::message::{header::ContentType, MultiPart, SinglePart};
    let to: lettre::message::Mailbox = m
        .recipient
        .parse()
        .map_err(|e| format!("recipient is not an email address: {e}"))?;
    let text = m.body_text.replace(BASE_URL, &mailer.base_url);
    let html = format!(
        "<!doctype html><html lang=\"{}\"><meta charset=\"utf-8\"><body>{}</body></html>",
        m.lang,
        m.body_html.replace(BASE_URL, &mailer.base_url)
    );
    lettre::Message::builder()
        .from(mailer.from.clone())
        .to(to)
        .subject(m.subject.clone())
        .message_id(Some(format!(
            "<outbox-{}.{}@{host}>",
            m.id,
            m.created_at.timestamp()
        )))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(text),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(html),
                ),
        )
        .map_err(|e| format!("building the email: {e}"))
}
