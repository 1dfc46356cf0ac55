//! `/dev/komponen`: the shared components of the design system on one page, each with a line on
//! when to use it — for developers and reviewers. Rendered on the server only (no WASM), and
//! served only in demo/development mode (`ADUAN_DEMO=1`), never in production.

use super::staff::{ActedNotice, NearDuplicateHold, PriorityBadge, WorkTable};
use crate::act::FormOutcome;
use crate::components::act::ActState;
use crate::components::thread::FileInput;
use crate::components::{
    CopyButton, Countdown, DangerConfirm, ErrorSummary, BUTTON_CLASS, DANGER_BUTTON_CLASS,
    INPUT_CLASS, NAV_LINK_CLASS, SECONDARY_BUTTON_CLASS,
};
use crate::domain::calendar::TimeLeft;
use crate::domain::views::{AgencyRef, StaffReportRow};
use crate::domain::{EventKind, Field, FieldError, FieldErrors, ReportKind, ReportStatus};
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;

/// The gallery page as a whole HTML document, in `lang`.
pub fn html(lang: Lang, stylesheet: &str) -> String {
    let owner = Owner::new();
    let body = owner.with(|| {
        provide_context(lang);
        view! { <Gallery/> }.to_html()
    });
    format!(
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <title>Komponen · Aduan</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
         <body class=\"bg-stone-50 text-stone-900\"><main class=\"mx-auto max-w-6xl px-4 py-6\">{body}</main></body></html>",
        lang.tag(),
    )
}

/// One component: its name, when to use it, and a live example.
#[component]
fn Item(name: &'static str, when: &'static str, children: Children) -> impl IntoView {
    view! {
        <section class="mt-6 rounded border border-stone-300 bg-white p-4" data-testid="component">
            <h2 class="text-lg font-bold">{name}</h2>
            <p class="text-sm text-stone-700">{when}</p>
            <div class="mt-3">{children()}</div>
        </section>
    }
}

fn row(
    id: i64,
    title: &str,
    status: ReportStatus,
    time_left: Option<TimeLeft>,
    priority: i32,
    assignee: Option<&str>,
) -> StaffReportRow {
    StaffReportRow {
        id,
        reference: format!("ADU-2026-{id:06}"),
        kind: ReportKind::Complaint,
        title: title.into(),
        status,
        agency: Some(AgencyRef {
            id: 3,
            code: "76-PUPR".into(),
            name: "Dinas Pekerjaan Umum dan Penataan Ruang".into(),
        }),
        confidential: id % 3 == 0,
        created_at: chrono::Utc::now(),
        due_at: None,
        utc_offset_minutes: 480,
        time_left,
        priority,
        assignee: assignee.map(str::to_string),
    }
}

#[component]
fn Gallery() -> impl IntoView {
    let held = ActState {
        outcome: RwSignal::new(FormOutcome {
            errors: [(Field::Message, FieldError::NearDuplicate)]
                .into_iter()
                .collect(),
            ..Default::default()
        }),
        pending: RwSignal::new(false),
    };
    let errors: FieldErrors = [
        (Field::Title, FieldError::TooShort { min: 10 }),
        (Field::Email, FieldError::InvalidEmail),
    ]
    .into_iter()
    .collect();
    let rows = vec![
        row(
            101,
            "Lampu jalan padam di Jalan Yos Sudarso",
            ReportStatus::AwaitingVerification,
            Some(TimeLeft::WorkingDays(2)),
            2,
            None,
        ),
        row(
            102,
            "Jalan berlubang depan pasar",
            ReportStatus::InProcess,
            Some(TimeLeft::DueToday),
            0,
            Some("Petugas PUPR"),
        ),
        row(
            103,
            "Saluran air tersumbat",
            ReportStatus::Dispatched,
            Some(TimeLeft::Overdue),
            1,
            None,
        ),
        row(
            104,
            "Jembatan kayu rapuh",
            ReportStatus::AwaitingReporter,
            None,
            0,
            Some("Petugas PUPR"),
        ),
    ];
    view! {
        <h1 class="text-2xl font-bold">"Komponen Aduan"</h1>
        <p class="mt-1">"Komponen bersama untuk setiap halaman (app/src/components, app/src/pages/staff.rs). Pakai yang ada sebelum membuat yang baru; lebar 360 px dulu, target sentuh ≥ 44 px, label pada setiap isian."</p>
        <Item name="Judul halaman" when="Satu h1 per halaman, text-2xl font-bold; bagian dengan h2 text-lg font-bold.">
            <h1 class="text-2xl font-bold">"Daftar kerja"</h1>
            <h2 class="mt-2 text-lg font-bold">"Tindakan"</h2>
        </Item>
        <Item name="Tombol" when="Satu tombol utama per formulir (BUTTON_CLASS); pilihan lain sekunder; yang merusak atau membuka data pribadi merah dan di balik konfirmasi.">
            <div class="flex flex-wrap gap-3">
                <button type="button" class=BUTTON_CLASS>"Kirim laporan"</button>
                <button type="button" class=SECONDARY_BUTTON_CLASS>"Simpan tampilan"</button>
                <button type="button" class=DANGER_BUTTON_CLASS>"Arsipkan"</button>
                <a href="#" class=NAV_LINK_CLASS>"Tautan navigasi"</a>
            </div>
        </Item>
        <Item name="DangerConfirm" when="Arsip, pengembalian, nonaktif, hapus, membuka identitas: tertutup dulu, menjelaskan akibatnya, lalu tombol merah.">
            <DangerConfirm label="Arsipkan…".to_string() explain="Laporan ditutup tanpa diteruskan ke instansi; pelapor diberi tahu alasannya.".to_string()>
                <button type="button" class=DANGER_BUTTON_CLASS>"Arsipkan"</button>
            </DangerConfirm>
        </Item>
        <Item name="Pemberitahuan" when="Berhasil: hijau, role=status, dengan langkah berikutnya. Galat: ringkasan di atas formulir dan pesan di setiap isian. Tertahan: kuning, jelas belum terkirim.">
            <ActedNotice event=Some(EventKind::FollowedUp) status=ReportStatus::InProcess next=Some((102, "Jalan berlubang depan pasar".into()))/>
            <div class="mt-3"><ErrorSummary errors=Signal::stored(errors)/></div>
            <NearDuplicateHold st=held name="galeri"/>
        </Item>
        <Item name="Lencana" when="Tenggat tahap ini (hijau, kuning hari ini, merah terlambat), prioritas, rahasia.">
            <p class="flex flex-wrap items-center gap-2">
                <Countdown time_left=TimeLeft::WorkingDays(3)/>
                <Countdown time_left=TimeLeft::DueToday/>
                <Countdown time_left=TimeLeft::Overdue/>
                <PriorityBadge priority=1/>
                <PriorityBadge priority=2/>
                <strong class="rounded bg-amber-100 px-2 py-1 text-amber-900">"Rahasia"</strong>
            </p>
        </Item>
        <Item name="Tabel kerja" when="Tabel padat di desktop, kartu di ponsel (sel yang sama); kotak centang bila baris dapat diubah bersama.">
            <WorkTable rows selectable=true/>
        </Item>
        <Item name="Keadaan kosong" when="Katakan mengapa kosong dan beri satu jalan keluar.">
            <div class="rounded border border-stone-300 bg-white p-4">
                <p class="font-semibold">"Tidak ada laporan yang menunggu Anda. Kerja bagus!"</p>
                <p class="mt-1"><a href="#" class="font-semibold text-emerald-900 underline">"Lihat semua laporan yang dapat Anda lihat"</a></p>
            </div>
        </Item>
        <Item name="Isian" when="Label di atas, petunjuk di bawahnya, pesan galat terikat dengan aria-describedby; berkas yang ditolak tanpa JavaScript diminta lagi dengan namanya.">
            <label for="g-title" class="block font-semibold">"Judul laporan"</label>
            <input id="g-title" class=INPUT_CLASS value="Lampu jalan padam"/>
            <FileInput id="g-files".to_string() errors=Signal::stored(FieldErrors::new()) dropped="foto-lokasi.jpg".to_string()/>
        </Item>
        <Item name="CopyButton" when="Kode yang harus disalin (kode pelacakan, kode pemulihan): tampil sebagai teks tanpa JavaScript, tombol salin setelahnya.">
            <p class="font-mono text-lg">"ABCD-EFGH-JKLM-NPQR"</p>
            <CopyButton text="ABCD-EFGH-JKLM-NPQR".to_string() label="Salin kode" done="Tersalin"/>
        </Item>
    }
}
