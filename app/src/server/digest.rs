//! The weekly digest to every agency head (the agency's `head_email`): the agency's figures for
//! the last three months (confidential reports included: the head is not the public), its rank
//! among its sibling agencies, and its reports past their deadline. Planned by the job runner
//! into the email outbox from Monday 07:00 WIB, once per agency and ISO week: the
//! `agency_digests` row and the email are written together, so several instances never send
//! the same week twice.

use super::entities::{agency, agency_digest, outbox};
use super::internal;
use super::notify::{escape, BASE_URL};
use crate::domain::calendar::WIB_OFFSET_MINUTES;
use crate::domain::stats::{month_key, Counts};
use crate::domain::views::OverdueRow;
use crate::domain::AppError;
use crate::i18n::Lang;
use chrono::{DateTime, Datelike, Duration, Timelike, Utc, Weekday};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait, TryInsertResult,
};

/// The ISO week whose digest is due at `now` (`2026-W48`), or `None` on Monday before 07:00 WIB.
pub fn due_week(now: DateTime<Utc>) -> Option<String> {
    let local = now + Duration::minutes(WIB_OFFSET_MINUTES as i64);
    if local.weekday() == Weekday::Mon && local.hour() < 7 {
        return None;
    }
    let w = local.iso_week();
    Some(format!("{}-W{:02}", w.year(), w.week()))
}

/// The digest email (Indonesian: agency heads' working language).
fn render(
    a: &agency::Model,
    week: &str,
    c: &Counts,
    rank: Option<(u32, usize)>,
    overdue: &[OverdueRow],
) -> (String, String, String) {
    let t = Lang::Id.texts();
    let subject = format!("[Aduan] Ringkasan mingguan {week}: {}", a.name);
    let lines: Vec<(&str, String)> = vec![
        ("Laporan diterima (3 bulan)", c.received.to_string()),
        (
            "Tindak lanjut pertama ≤5 hari kerja",
            t.percent(c.first_follow_up_share()),
        ),
        (
            "Median hari kerja sampai tindak lanjut pertama",
            t.decimal(c.median_follow_up_days()),
        ),
        ("Selesai dalam tenggat", t.percent(c.on_time_share())),
        ("Dikonfirmasi pelapor", t.percent(c.confirmed_share())),
        ("Dikembalikan (bukan wewenang)", c.bounced.to_string()),
        ("Nilai rata-rata", t.decimal(c.average_rating())),
        ("Sedang ditangani kini", c.open_now.to_string()),
        ("Melewati tenggat kini", c.overdue_now.to_string()),
        ("Indeks kinerja", t.decimal(c.index())),
        (
            "Peringkat",
            match rank {
                Some((n, of)) => format!("{n} dari {of}"),
                None => "–".into(),
            },
        ),
    ];
    let link = format!("{BASE_URL}/statistik?instansi={}", a.id);
    let mut text = format!(
        "Yth. {},\n\nRingkasan mingguan {} ({week}):\n\n",
        a.head_name.as_deref().unwrap_or("Kepala Instansi"),
        a.name
    );
    let mut html = format!(
        "<p>Yth. {},</p><p>Ringkasan mingguan <strong>{}</strong> ({week}):</p><table>",
        escape(a.head_name.as_deref().unwrap_or("Kepala Instansi")),
        escape(&a.name)
    );
    for (k, v) in &lines {
        text.push_str(&format!("- {k}: {v}\n"));
        html.push_str(&format!(
            "<tr><th align=\"left\">{}</th><td>{}</td></tr>",
            escape(k),
            escape(v)
        ));
    }
    html.push_str("</table>");
    if overdue.is_empty() {
        text.push_str("\nTidak ada laporan yang melewati tenggat.\n");
        html.push_str("<p>Tidak ada laporan yang melewati tenggat.</p>");
    } else {
        text.push_str(&format!(
            "\nLaporan yang melewati tenggat ({}):\n",
            overdue.len()
        ));
        html.push_str(&format!(
            "<p>Laporan yang melewati tenggat ({}):</p><ul>",
            overdue.len()
        ));
        for r in overdue.iter().take(30) {
            text.push_str(&format!(
                "- {} {} — {} hari kerja, dipegang {}\n",
                r.reference, r.title, r.days_late, r.agency
            ));
            html.push_str(&format!(
                "<li>{} {} — {} hari kerja, dipegang {}</li>",
                escape(&r.reference),
                escape(&r.title),
                r.days_late,
                escape(&r.agency)
            ));
        }
        html.push_str("</ul>");
    }
    text.push_str(&format!(
        "\nStatistik lengkap: {link}\n\n-- \nEmail ini dikirim otomatis oleh Aduan setiap Senin.\n"
    ));
    html.push_str(&format!(
        "<p>Statistik lengkap: <a href=\"{link}\">{link}</a></p><hr><p><small>Email ini dikirim otomatis oleh Aduan setiap Senin.</small></p>"
    ));
    (subject, text, html)
}

/// Plans this week's digest for every active agency with a head's email that has not had it;
/// returns how many were planned.
pub async fn plan_weekly<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<u32, AppError> {
    let Some(week) = due_week(now) else {
        return Ok(0);
    };
    let heads = agency::Entity::find()
        .filter(agency::Column::Active.eq(true))
        .filter(agency::Column::HeadEmail.is_not_null())
        .order_by_asc(agency::Column::Id)
        .all(db)
        .await
        .map_err(internal("loading agency heads"))?;
    let done: Vec<i32> = agency_digest::Entity::find()
        .filter(agency_digest::Column::Week.eq(&week))
        .all(db)
        .await
        .map_err(internal("loading digests"))?
        .into_iter()
        .map(|d| d.agency_id)
        .collect();
    let local = crate::domain::calendar::local_date(now, WIB_OFFSET_MINUTES);
    let to = month_key(local.year(), local.month());
    let back = local - Duration::days(62);
    let from = month_key(back.year(), back.month());
    let mut planned = 0;
    for a in heads.into_iter().filter(|a| !done.contains(&a.id)) {
        let Some(address) = a.head_email.clone().filter(|e| e.contains('@')) else {
            continue;
        };
        let (counts, rank, overdue) = super::stats::digest_data(db, a.id, from, to, now).await?;
        let (subject, text, html) = render(&a, &week, &counts, rank, &overdue);
        let txn = db.begin().await.map_err(internal("starting transaction"))?;
        let claimed = agency_digest::Entity::insert(agency_digest::ActiveModel {
            week: Set(week.clone()),
            agency_id: Set(a.id),
            created_at: Set(now),
        })
        .on_conflict_do_nothing()
        .exec_without_returning(&txn)
        .await
        .map_err(internal("claiming a digest"))?;
        if !matches!(claimed, TryInsertResult::Inserted(1)) {
            // Another instance planned it first.
            let _ = txn.rollback().await;
            continue;
        }
        outbox::ActiveModel {
            channel: Set("email".into()),
            recipient: Set(address),
            account_id: Set(None),
            report_id: Set(None),
            event: Set("weekly_digest".into()),
            lang: Set(Lang::Id.tag().to_string()),
            subject: Set(subject),
            body_text: Set(text),
            body_html: Set(html),
            status: Set("pending".into()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await
        .map_err(internal("writing a digest email"))?;
        txn.commit()
            .await
            .map_err(internal("committing a digest"))?;
        planned += 1;
    }
    Ok(planned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_week_turns_on_monday_at_seven_wib() {
        // Monday 30 November 2026, 06:59 WIB = Sunday 23:59 UTC.
        let before = Utc.with_ymd_and_hms(2026, 11, 29, 23, 59, 0).unwrap();
        assert_eq!(due_week(before), None);
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap();
        assert_eq!(due_week(at).as_deref(), Some("2026-W49"));
        // Sunday 29 November 2026, noon WIB: still week 48.
        let sunday = Utc.with_ymd_and_hms(2026, 11, 29, 5, 0, 0).unwrap();
        assert_eq!(due_week(sunday).as_deref(), Some("2026-W48"));
    }
}
