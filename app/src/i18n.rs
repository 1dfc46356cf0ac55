//! Every user-facing text, in Bahasa Indonesia (default) and English. One `Texts` value per
//! language: the compiler refuses a language that lacks a text.

use crate::domain::{CitizenStage, EventKind, Field, FieldError, ReportKind, ReportStatus};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "id" | "id-id" | "in" => Some(Lang::Id),
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language picked by an `Accept-Language` header (`accepted_lang`), Indonesian when it
    /// names neither.
    pub fn from_accept_language(header: &str) -> Self {
        accepted_lang(header).unwrap_or_default()
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Id => &ID,
            Lang::En => &EN,
        }
    }

    /// The other language (for the switch).
    pub fn other(self) -> Self {
        match self {
            Lang::Id => Lang::En,
            Lang::En => Lang::Id,
        }
    }
}

/// The name of the cookie that remembers the chosen language.
pub const LANG_COOKIE: &str = "aduan_lang";

/// All the texts of the interface in one language.
pub struct Texts {
    pub lang: Lang,
    pub app_tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_report: &'static str,
    pub nav_track: &'static str,
    /// Label of the link that switches to the *other* language, written in that language.
    pub switch_language: &'static str,
    pub footer: &'static str,

    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub home_how: &'static str,
    pub home_privacy: &'static str,

    pub form_title: &'static str,
    pub form_lead: &'static str,
    pub optional: &'static str,
    pub kind_legend: &'static str,
    pub kind_hints: [&'static str; 3],
    pub title_label: &'static str,
    pub title_hint: &'static str,
    pub description_label: &'static str,
    pub description_hint: &'static str,
    pub category_label: &'static str,
    pub category_none: &'static str,
    pub province_label: &'static str,
    pub province_none: &'static str,
    pub regency_label: &'static str,
    pub regency_none: &'static str,
    pub incident_date_label: &'static str,
    pub incident_date_hint: &'static str,
    pub privacy_legend: &'static str,
    pub anonymous_label: &'static str,
    pub anonymous_hint: &'static str,
    pub confidential_label: &'static str,
    pub confidential_hint: &'static str,
    pub contact_legend: &'static str,
    pub contact_hint: &'static str,
    pub show_name_label: &'static str,
    pub show_name_hint: &'static str,
    pub name_label: &'static str,
    pub email_label: &'static str,
    pub phone_label: &'static str,
    pub phone_hint: &'static str,
    pub submit: &'static str,
    pub error_summary_title: &'static str,
    pub error_page_title: &'static str,
    pub error_page_body: &'static str,
    pub storage_full_title: &'static str,
    pub storage_full_body: &'static str,

    pub track_title: &'static str,
    pub track_lead: &'static str,
    pub code_label: &'static str,
    pub code_hint: &'static str,
    pub track_submit: &'static str,
    pub code_not_found: &'static str,
    pub rate_limited: &'static str,

    pub sent_title: &'static str,
    pub sent_code_label: &'static str,
    pub sent_keep_code: &'static str,
    pub copy_code: &'static str,
    pub copied: &'static str,
    pub reference_label: &'static str,
    pub next_title: &'static str,
    pub next_body: &'static str,

    pub status_label: &'static str,
    pub kind_label: &'static str,
    pub submitted_at: &'static str,
    pub region_label: &'static str,
    pub privacy_label: &'static str,
    pub privacy_anonymous: &'static str,
    pub privacy_confidential: &'static str,
    pub privacy_public: &'static str,
    pub due_label: &'static str,
    pub due_today: &'static str,
    pub overdue: &'static str,
    pub days_left: fn(i64) -> String,
    pub timeline_title: &'static str,
    pub stages_title: &'static str,
    pub current_stage: &'static str,

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,

    months: [&'static str; 12],
}

fn days_left_id(n: i64) -> String {
    format!("sisa {n} hari kerja")
}
fn days_left_en(n: i64) -> String {
    if n == 1 {
        "1 working day left".to_string()
    } else {
        format!("{n} working days left")
    }
}

pub static ID: Texts = Texts {
    lang: Lang::Id,
    app_tagline: "Layanan pengaduan pelayanan publik",
    skip_to_content: "Langsung ke isi halaman",
    nav_report: "Buat laporan",
    nav_track: "Lacak laporan",
    switch_language: "English",
    footer: "Aduan — sistem pengelolaan pengaduan pelayanan publik. Kode sumber terbuka.",
    home_title: "Sampaikan keluhan, aspirasi, atau permintaan informasi tentang pelayanan publik",
    home_lead: "Laporan Anda diverifikasi dalam 3 hari kerja, lalu diteruskan ke instansi yang berwenang. Pantau setiap langkahnya dengan kode pelacakan — tanpa perlu membuat akun.",
    home_how: "Bagaimana laporan diproses",
    home_privacy: "Anda dapat melapor secara anonim (identitas tidak ditampilkan kepada publik maupun instansi terlapor) atau rahasia (laporan tidak dipublikasikan).",
    form_title: "Buat laporan",
    form_lead: "Isi sejelas mungkin: apa yang terjadi, di mana, dan kapan. Kolom bertanda (opsional) boleh dikosongkan.",
    optional: "(opsional)",
    kind_legend: "Jenis laporan",
    kind_hints: [
        "Pelayanan publik tidak berjalan sebagaimana mestinya.",
        "Saran atau usulan untuk perbaikan pelayanan.",
        "Meminta informasi dari instansi pemerintah.",
    ],
    title_label: "Judul laporan",
    title_hint: "10–150 karakter. Contoh: Jalan berlubang di depan SDN 1 Mamuju",
    description_label: "Isi laporan",
    description_hint: "30–5.000 karakter. Ceritakan apa yang terjadi, di mana, sejak kapan, dan siapa yang terdampak.",
    category_label: "Kategori",
    category_none: "— Pilih kategori —",
    province_label: "Provinsi",
    province_none: "— Pilih provinsi —",
    regency_label: "Kabupaten/kota",
    regency_none: "— Seluruh provinsi / tidak tahu —",
    incident_date_label: "Tanggal kejadian",
    incident_date_hint: "Tidak boleh setelah hari ini.",
    privacy_legend: "Kerahasiaan",
    anonymous_label: "Anonim",
    anonymous_hint: "Identitas Anda tidak ditampilkan kepada publik maupun instansi terlapor.",
    confidential_label: "Rahasia",
    confidential_hint: "Laporan tidak dipublikasikan; hanya Anda, verifikator, dan instansi yang ditugaskan yang dapat melihatnya.",
    contact_legend: "Kontak Anda",
    contact_hint: "Opsional. Email dan nomor telepon hanya dipakai untuk mengabari Anda dan menanyakan informasi tambahan; publik tidak pernah melihatnya. Nama Anda dilihat verifikator dan instansi yang menangani (kecuali Anda memilih anonim); publik melihatnya hanya bila Anda mencentang pilihan di bawah.",
    show_name_label: "Tampilkan nama saya pada laporan publik",
    show_name_hint: "Tanpa centang, laporan publik tidak menyebut nama pelapor. Tidak berlaku untuk laporan anonim.",
    name_label: "Nama",
    email_label: "Email",
    phone_label: "Nomor telepon",
    phone_hint: "Contoh: 0812 3456 7890",
    submit: "Kirim laporan",
    error_summary_title: "Ada yang perlu diperbaiki",
    error_page_title: "Terjadi kesalahan",
    error_page_body: "Maaf, permintaan Anda tidak dapat diproses saat ini. Silakan coba lagi beberapa saat lagi.",
    storage_full_title: "Layanan sementara tidak dapat menyimpan",
    storage_full_body: "Penyimpanan server sedang penuh, jadi kiriman Anda belum tersimpan. Laporan yang sudah tercatat tetap aman. Silakan kirim ulang beberapa menit lagi.",
    track_title: "Lacak laporan",
    track_lead: "Masukkan kode pelacakan yang Anda terima saat mengirim laporan.",
    code_label: "Kode pelacakan",
    code_hint: "16 huruf dan angka, contoh: 7K2M-9QXP-AB12-CDEF. Tanda hubung boleh dilewati.",
    track_submit: "Lacak",
    code_not_found: "Laporan dengan kode ini tidak ditemukan. Periksa kembali kode Anda.",
    rate_limited: "Terlalu banyak percobaan dari perangkat Anda. Silakan coba lagi dalam satu menit.",
    sent_title: "Laporan Anda telah terkirim",
    sent_code_label: "Kode pelacakan Anda",
    sent_keep_code: "Simpan kode ini. Siapa pun yang memegangnya dapat melihat laporan Anda, dan kode ini tidak dapat dipulihkan jika hilang.",
    copy_code: "Salin kode",
    copied: "Kode tersalin",
    reference_label: "Nomor laporan",
    next_title: "Apa selanjutnya",
    next_body: "Verifikator memeriksa laporan Anda dalam 3 hari kerja, lalu meneruskannya ke instansi yang berwenang. Instansi wajib memberi tindak lanjut pertama dalam 5 hari kerja. Pantau perkembangannya di halaman ini.",
    status_label: "Status",
    kind_label: "Jenis",
    submitted_at: "Dikirim",
    region_label: "Lokasi",
    privacy_label: "Kerahasiaan",
    privacy_anonymous: "Anonim",
    privacy_confidential: "Rahasia",
    privacy_public: "Terbuka",
    due_label: "Batas waktu tahap ini",
    due_today: "batas waktu hari ini",
    overdue: "melewati batas waktu",
    days_left: days_left_id,
    timeline_title: "Riwayat",
    stages_title: "Tahapan",
    current_stage: "tahap saat ini",
    not_found_title: "Halaman tidak ditemukan",
    not_found_body: "Alamat yang Anda buka tidak ada. Periksa kembali alamatnya atau kembali ke beranda.",
    months: [
        "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
        "Oktober", "November", "Desember",
    ],
};

pub static EN: Texts = Texts {
    lang: Lang::En,
    app_tagline: "Public service complaints",
    skip_to_content: "Skip to content",
    nav_report: "Submit a report",
    nav_track: "Track a report",
    switch_language: "Bahasa Indonesia",
    footer: "Aduan — public service complaint management. Open source.",
    home_title: "Report a complaint, a suggestion or an information request about a public service",
    home_lead: "Your report is verified within 3 working days, then sent to the agency responsible. Follow every step with a tracking code — no account needed.",
    home_how: "How a report is handled",
    home_privacy: "You can report anonymously (your identity is hidden from the public and from the agency concerned) or confidentially (the report is not published).",
    form_title: "Submit a report",
    form_lead: "Be as clear as you can: what happened, where and when. Fields marked (optional) can be left empty.",
    optional: "(optional)",
    kind_legend: "Type of report",
    kind_hints: [
        "A public service is not working as it should.",
        "A suggestion to improve a service.",
        "A request for information from a government body.",
    ],
    title_label: "Title",
    title_hint: "10–150 characters. Example: Pothole in front of SDN 1 Mamuju",
    description_label: "What happened",
    description_hint: "30–5,000 characters. Say what happened, where, since when, and who is affected.",
    category_label: "Category",
    category_none: "— Choose a category —",
    province_label: "Province",
    province_none: "— Choose a province —",
    regency_label: "Regency/city",
    regency_none: "— Whole province / not sure —",
    incident_date_label: "Date of the incident",
    incident_date_hint: "Cannot be later than today.",
    privacy_legend: "Privacy",
    anonymous_label: "Anonymous",
    anonymous_hint: "Your identity is hidden from the public and from the agency concerned.",
    confidential_label: "Confidential",
    confidential_hint: "The report is not published; only you, the verifiers and the assigned agency can see it.",
    contact_legend: "Your contact details",
    contact_hint: "Optional. Your email and phone number are used only to keep you informed and to ask for more information; the public never sees them. Your name is seen by the verifiers and the agency handling the report (unless you choose anonymous); the public sees it only if you tick the choice below.",
    show_name_label: "Show my name on the public report",
    show_name_hint: "Unticked, the public report names no reporter. Does not apply to anonymous reports.",
    name_label: "Name",
    email_label: "Email",
    phone_label: "Phone number",
    phone_hint: "Example: 0812 3456 7890",
    submit: "Send report",
    error_summary_title: "There is a problem",
    error_page_title: "Something went wrong",
    error_page_body: "Sorry, your request cannot be handled right now. Please try again in a moment.",
    storage_full_title: "The service cannot save right now",
    storage_full_body: "The server's storage is full, so what you sent has not been saved. Reports already recorded are safe. Please send it again in a few minutes.",
    track_title: "Track a report",
    track_lead: "Enter the tracking code you received when you sent your report.",
    code_label: "Tracking code",
    code_hint: "16 letters and digits, for example 7K2M-9QXP-AB12-CDEF. Dashes are optional.",
    track_submit: "Track",
    code_not_found: "No report has this code. Check the code and try again.",
    rate_limited: "Too many attempts from your device. Please try again in a minute.",
    sent_title: "Your report has been sent",
    sent_code_label: "Your tracking code",
    sent_keep_code: "Keep this code. Anyone who has it can see your report, and it cannot be recovered if lost.",
    copy_code: "Copy code",
    copied: "Code copied",
    reference_label: "Report number",
    next_title: "What happens next",
    next_body: "A verifier checks your report within 3 working days, then sends it to the agency responsible. The agency must give a first follow-up within 5 working days. Follow its progress on this page.",
    status_label: "Status",
    kind_label: "Type",
    submitted_at: "Sent",
    region_label: "Location",
    privacy_label: "Privacy",
    privacy_anonymous: "Anonymous",
    privacy_confidential: "Confidential",
    privacy_public: "Public",
    due_label: "Deadline of this stage",
    due_today: "due today",
    overdue: "overdue",
    days_left: days_left_en,
    timeline_title: "History",
    stages_title: "Stages",
    current_stage: "current stage",
    not_found_title: "Page not found",
    not_found_body: "The address you opened does not exist. Check it, or go back to the home page.",
    months: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ],
};

impl Texts {
    pub fn kind(&self, k: ReportKind) -> &'static str {
        let id = self.lang == Lang::Id;
        match (k, id) {
            (ReportKind::Complaint, true) => "Pengaduan",
            (ReportKind::Aspiration, true) => "Aspirasi",
            (ReportKind::InformationRequest, true) => "Permintaan informasi",
            (ReportKind::Complaint, false) => "Complaint",
            (ReportKind::Aspiration, false) => "Suggestion",
            (ReportKind::InformationRequest, false) => "Information request",
        }
    }

    pub fn kind_hint(&self, k: ReportKind) -> &'static str {
        self.kind_hints[ReportKind::ALL.iter().position(|x| *x == k).unwrap_or(0)]
    }

    pub fn status(&self, s: ReportStatus) -> &'static str {
        let id = self.lang == Lang::Id;
        use ReportStatus::*;
        match (s, id) {
            (AwaitingVerification, true) => "Menunggu verifikasi",
            (OnHold, true) => "Ditunda, menunggu informasi dari pelapor",
            (Archived, true) => "Diarsipkan",
            (Dispatched, true) => "Diteruskan ke instansi",
            (InProcess, true) => "Sedang ditindaklanjuti",
            (AwaitingReporter, true) => "Menunggu tanggapan pelapor",
            (Resolved, true) => "Selesai",
            (ClosedUnconfirmed, true) => "Ditutup tanpa konfirmasi pelapor",
            (AwaitingVerification, false) => "Awaiting verification",
            (OnHold, false) => "On hold, awaiting information from the reporter",
            (Archived, false) => "Archived",
            (Dispatched, false) => "Sent to the agency",
            (InProcess, false) => "Being followed up",
            (AwaitingReporter, false) => "Awaiting the reporter's response",
            (Resolved, false) => "Resolved",
            (ClosedUnconfirmed, false) => "Closed without the reporter's confirmation",
            (Appealed, true) => "Banding, menunggu keputusan verifikator",
            (Appealed, false) => "Appealed, awaiting a verifier's decision",
        }
    }

    /// A status as its reporter reads it: "you", not "the reporter".
    pub fn status_for_reporter(&self, s: ReportStatus) -> &'static str {
        use ReportStatus::*;
        match (s, self.lang == Lang::Id) {
            (OnHold, true) => "Ditunda, menunggu jawaban Anda",
            (OnHold, false) => "On hold, waiting for your answer",
            (AwaitingReporter, true) => "Menunggu tanggapan Anda",
            (AwaitingReporter, false) => "Waiting for your response",
            (ClosedUnconfirmed, true) => "Ditutup tanpa konfirmasi Anda",
            (ClosedUnconfirmed, false) => "Closed without your confirmation",
            _ => self.status(s),
        }
    }

    pub fn stage(&self, s: CitizenStage) -> &'static str {
        let id = self.lang == Lang::Id;
        use CitizenStage::*;
        match (s, id) {
            (Written, true) => "Tulis laporan",
            (Verification, true) => "Proses verifikasi",
            (FollowUp, true) => "Proses tindak lanjut",
            (Response, true) => "Beri tanggapan",
            (Done, true) => "Selesai",
            (Written, false) => "Report written",
            (Verification, false) => "Verification",
            (FollowUp, false) => "Follow-up by the agency",
            (Response, false) => "Your response",
            (Done, false) => "Done",
        }
    }

    pub fn event(&self, e: EventKind) -> &'static str {
        use EventKind::*;
        let (id, en) = match e {
            Submitted => ("Laporan diterima", "Report received"),
            Dispatched => ("Diteruskan ke instansi", "Sent to the agency"),
            PutOnHold => (
                "Ditunda: verifikator meminta informasi tambahan",
                "On hold: the verifier asked for more information",
            ),
            Archived => ("Diarsipkan", "Archived"),
            HoldAnswered => (
                "Pelapor melengkapi informasi",
                "The reporter gave more information",
            ),
            HoldExpired => (
                "Diarsipkan: informasi tidak dilengkapi",
                "Archived: no answer from the reporter",
            ),
            Delegated => ("Didelegasikan ke unit", "Delegated to a unit"),
            ReturnedNotOurs => (
                "Dikembalikan instansi: bukan wewenang",
                "Returned by the agency: not its business",
            ),
            FollowedUp => ("Tindak lanjut dari instansi", "Follow-up from the agency"),
            InterimReply => (
                "Jawaban sementara dari instansi",
                "Interim reply from the agency",
            ),
            DeadlineExtended => ("Batas waktu diperpanjang", "Deadline extended"),
            Answered => (
                "Instansi menyatakan selesai, menunggu tanggapan Anda",
                "The agency answered; awaiting your response",
            ),
            Confirmed => (
                "Pelapor menyatakan selesai",
                "The reporter confirmed the resolution",
            ),
            InformationAdded => (
                "Pelapor menambahkan informasi",
                "The reporter added information",
            ),
            Disputed => (
                "Pelapor menyanggah jawaban",
                "The reporter disputed the answer",
            ),
            Appealed => (
                "Banding: diperiksa ulang oleh verifikator",
                "Appealed: reviewed again by a verifier",
            ),
            ReporterReminded => (
                "Pengingat dikirim kepada pelapor",
                "Reminder sent to the reporter",
            ),
            ClosedUnconfirmed => (
                "Ditutup tanpa konfirmasi pelapor",
                "Closed without the reporter's confirmation",
            ),
            Reopened => ("Dibuka kembali oleh verifikator", "Reopened by a verifier"),
            AppealUpheld => (
                "Banding diterima: dikembalikan ke instansi",
                "Appeal upheld: back to the agency",
            ),
            AppealRejected => ("Banding ditolak", "Appeal rejected"),
            MarkedOverdue => (
                "Melewati batas waktu: pemegang tahap ini diperingatkan",
                "Overdue: whoever holds this stage is warned",
            ),
            EscalatedToSupervisor => (
                "Masih terlambat: diteruskan ke tingkat pengawasan berikutnya",
                "Still overdue: escalated to the next level of oversight",
            ),
            DueSoon => (
                "Pengingat: batas waktu tahap ini segera berakhir",
                "Reminder: this stage's deadline is near",
            ),
            CoAgencyRequested => (
                "Instansi utama meminta instansi pendamping",
                "The lead agency asks for a co-agency",
            ),
        };
        if self.lang == Lang::Id {
            id
        } else {
            en
        }
    }

    pub fn field_label(&self, f: Field) -> &'static str {
        match f {
            Field::Kind => self.kind_legend,
            Field::Title => self.title_label,
            Field::Description => self.description_label,
            Field::CategoryId => self.category_label,
            Field::RegionCode => self.province_label,
            Field::IncidentDate => self.incident_date_label,
            Field::Name => self.name_label,
            Field::Email => self.email_label,
            Field::Phone => self.phone_label,
            Field::TrackingCode => self.code_label,
            Field::Password => self.tr("Kata sandi", "Password"),
            Field::Code => self.tr("Kode verifikasi", "Verification code"),
            Field::Role => self.tr("Peran", "Role"),
            Field::Agency => self.tr("Instansi", "Agency"),
            Field::AgencyCode => self.tr("Kode instansi", "Agency code"),
            Field::AgencyName => self.tr("Nama instansi", "Agency name"),
            Field::ParentAgency => self.tr("Instansi induk", "Parent agency"),
            Field::AgencyKind => self.tr("Jenis instansi", "Kind of agency"),
            Field::Reason => self.tr("Alasan", "Reason"),
            Field::NewPassword => self.tr("Kata sandi baru", "New password"),
            Field::Login => self.tr("Email atau nomor HP", "Email or mobile number"),
            Field::Message => self.tr("Pesan", "Message"),
            Field::Rating => self.tr("Penilaian", "Rating"),
            Field::Attachments => self.tr("Lampiran", "Attachments"),
            Field::Reference => self.tr("Nomor laporan", "Report number"),
            Field::Command => self.tr("Tindakan", "Action"),
            Field::PeriodFrom => self.tr("Dari tanggal", "From"),
            Field::PeriodTo => self.tr("Sampai tanggal", "To"),
            Field::Reports => self.tr("Laporan", "Reports"),
            Field::Assignee => self.tr("Petugas", "Assignee"),
            Field::Confirm => self.tr("Konfirmasi", "Confirmation"),
        }
    }

    /// The text of this language from an Indonesian/English pair written side by side (for the
    /// staff screens, where the pair at the call site keeps both languages complete).
    /// The form-level message of a key (`AppError::message_key`, or `done`): one catalogue for
    /// the pages and the JSON API.
    pub fn form_message(&self, key: &str) -> &'static str {
        match key {
            "bad_credentials" => self.tr(
                "Email, kata sandi atau kode salah.",
                "The email, password or code is wrong.",
            ),
            "sign_in_required" => self.tr(
                "Anda belum masuk, atau sesi Anda telah berakhir. Silakan masuk lagi.",
                "You are not signed in, or your session has ended. Please sign in again.",
            ),
            "throttled" => self.tr(
                "Terlalu banyak percobaan yang gagal. Coba lagi dalam 15 menit.",
                "Too many failed attempts. Try again in 15 minutes.",
            ),
            "forbidden" => self.tr(
                "Anda tidak berwenang melakukan ini.",
                "You are not allowed to do this.",
            ),
            "refused" => self.tr(
                "Laporan sedang tidak berada pada tahap yang menerima tindakan ini.",
                "The report is not at a stage that accepts this action.",
            ),
            "conflict" => self.tr(
                "Laporan berubah saat Anda bekerja. Muat ulang halaman dan coba lagi.",
                "The report changed while you were working. Reload the page and try again.",
            ),
            "not_found" => self.tr(
                "Tidak ditemukan, atau sudah tidak berlaku.",
                "Not found, or no longer valid.",
            ),
            "done" => self.tr("Tersimpan.", "Saved."),
            "unreachable" => self.tr(
                "Tidak dapat terhubung ke server, jadi belum ada yang terkirim. Periksa sinyal atau koneksi Anda, lalu coba lagi.",
                "The server could not be reached, so nothing was sent. Check your signal or connection, then try again.",
            ),
            "key_reused" => self.tr(
                "Formulir ini sudah pernah terkirim dengan isi lain, jadi laporan ini belum terkirim. Periksa isinya lalu tekan Kirim sekali lagi untuk mengirimnya sebagai laporan baru.",
                "This form was already sent with other content, so this report was not sent. Check it, then press Send once more to send it as a new report.",
            ),
            "storage_full" => self.storage_full_body,
            _ => self.error_page_body,
        }
    }

    pub fn tr(&self, id: &'static str, en: &'static str) -> &'static str {
        if self.lang == Lang::Id {
            id
        } else {
            en
        }
    }

    /// A field-level message, specific enough to act on.
    pub fn field_error(&self, f: Field, e: FieldError) -> String {
        let id = self.lang == Lang::Id;
        let label = self.field_label(f);
        match (e, id) {
            (FieldError::Required, true) => match f {
                Field::Kind => "Pilih jenis laporan".into(),
                Field::Reports => "Pilih sedikitnya satu laporan di daftar".into(),
                _ => format!("{label} wajib diisi"),
            },
            (FieldError::Required, false) => match f {
                Field::Kind => "Choose the type of report".into(),
                Field::Reports => "Choose at least one report in the list".into(),
                Field::Description => "Describe what happened".into(),
                _ => format!("Enter the {}", label.to_lowercase()),
            },
            (FieldError::TooShort { min }, true) => format!("{label} minimal {min} karakter"),
            (FieldError::TooShort { min }, false) => {
                format!("{label} must be at least {min} characters")
            }
            (FieldError::TooLong { max }, true) if f == Field::Reports => {
                format!("Pilih paling banyak {max} laporan sekaligus")
            }
            (FieldError::TooLong { max }, false) if f == Field::Reports => {
                format!("Choose at most {max} reports at once")
            }
            (FieldError::TooLong { max }, true) => format!("{label} maksimal {max} karakter"),
            (FieldError::TooLong { max }, false) => {
                format!("{label} must be {max} characters or fewer")
            }
            (FieldError::InFuture, true) => "Tanggal kejadian tidak boleh setelah hari ini".into(),
            (FieldError::InFuture, false) => {
                "The date of the incident must be today or earlier".into()
            }
            (FieldError::InvalidEmail, true) => {
                "Masukkan alamat email yang benar, contoh: nama@contoh.id".into()
            }
            (FieldError::InvalidEmail, false) => {
                "Enter an email address in the right format, like name@example.com".into()
            }
            (FieldError::InvalidPhone, true) => {
                "Masukkan nomor telepon yang benar: 8–15 angka".into()
            }
            (FieldError::InvalidPhone, false) => "Enter a phone number of 8 to 15 digits".into(),
            (FieldError::Unknown, true) => match f {
                Field::TrackingCode => {
                    "Tidak ada laporan dengan kode ini yang dapat ditambahkan ke akun Anda".into()
                }
                _ => format!("{label} yang dipilih tidak dikenal"),
            },
            (FieldError::Unknown, false) => match f {
                Field::TrackingCode => {
                    "No report with this code can be added to your account".into()
                }
                _ => format!("The {} chosen is not known", label.to_lowercase()),
            },
            (FieldError::Taken, true) => match f {
                Field::Email => "Alamat email ini sudah terdaftar".into(),
                Field::Login => "Email atau nomor HP ini sudah terdaftar".into(),
                _ => format!("{label} sudah dipakai"),
            },
            (FieldError::Taken, false) => match f {
                Field::Email => "This email address is already registered".into(),
                Field::Login => "This email address or number is already registered".into(),
                _ => format!("That {} is already in use", label.to_lowercase()),
            },
            (FieldError::TooLarge { max_mb }, true) => {
                format!("Setiap berkas maksimal {max_mb} MB; pilih berkas yang lebih kecil")
            }
            (FieldError::TooLarge { max_mb }, false) => {
                format!("Each file must be {max_mb} MB or smaller; choose a smaller file")
            }
            (FieldError::WrongType, true) => {
                "Hanya foto JPEG atau PNG dan dokumen PDF yang dapat dilampirkan".into()
            }
            (FieldError::WrongType, false) => {
                "Only JPEG or PNG photos and PDF documents can be attached".into()
            }
            (FieldError::NearDuplicate, true) => {
                "Balasan ini hampir sama dengan balasan pada laporan lain".into()
            }
            (FieldError::NearDuplicate, false) => {
                "This reply is nearly the same as one on another report".into()
            }
            (FieldError::UploadBudget { mb_per_hour }, true) => format!(
                "Batas unggahan tercapai (sekitar {mb_per_hour} MB per jam dari jaringan Anda). Kirim laporan tanpa lampiran sekarang, atau coba lagi dalam satu jam"
            ),
            (FieldError::UploadBudget { mb_per_hour }, false) => format!(
                "The upload limit is reached (about {mb_per_hour} MB per hour from your network). Send without attachments now, or try again in an hour"
            ),
            (FieldError::TooManyPixels { max_megapixels }, true) => {
                format!("Foto maksimal {max_megapixels} megapiksel; kirim foto yang lebih kecil")
            }
            (FieldError::TooManyPixels { max_megapixels }, false) => {
                format!("Photos may have at most {max_megapixels} megapixels; send a smaller one")
            }
            (FieldError::ConfirmationRequired, true) => {
                "Centang \"Ya, ubah peran\" untuk mengubah peran akun ini".into()
            }
            (FieldError::ConfirmationRequired, false) => {
                "Tick \"Yes, change the role\" to change this account's role".into()
            }
            (FieldError::TooMany { max }, true) => format!("Paling banyak {max} berkas per pesan"),
            (FieldError::TooMany { max }, false) => format!("At most {max} files per message"),
            (FieldError::Invalid, true) => match f {
                Field::Rating => "Pilih penilaian 1 sampai 5".into(),
                Field::Code => "Kode verifikasi salah atau kedaluwarsa".into(),
                Field::Password => "Kata sandi saat ini salah".into(),
                Field::ParentAgency => {
                    "Instansi tidak dapat dipindahkan ke bawah dirinya sendiri".into()
                }
                Field::IncidentDate => "Masukkan tanggal yang benar (tahun-bulan-tanggal)".into(),
                Field::RegionCode => "Kabupaten/kota tidak berada di provinsi yang dipilih".into(),
                Field::TrackingCode => {
                    "Kode pelacakan terdiri dari 16 huruf dan angka, contoh: 7K2M-9QXP-AB12-CDEF"
                        .into()
                }
                _ => format!("{label} tidak valid"),
            },
            (FieldError::Invalid, false) => match f {
                Field::Rating => "Choose a rating from 1 to 5".into(),
                Field::Code => "The verification code is wrong or has expired".into(),
                Field::Password => "The current password is wrong".into(),
                Field::ParentAgency => "An agency cannot be moved below itself".into(),
                Field::IncidentDate => "Enter a real date (year-month-day)".into(),
                Field::RegionCode => "The regency/city is not in the province chosen".into(),
                Field::TrackingCode => {
                    "A tracking code has 16 letters and digits, like 7K2M-9QXP-AB12-CDEF".into()
                }
                _ => format!("The {} is not valid", label.to_lowercase()),
            },
        }
    }

    /// `2 Desember 2026` / `2 December 2026`.
    pub fn date(&self, d: NaiveDate) -> String {
        format!(
            "{} {} {}",
            d.day(),
            self.months[d.month0() as usize],
            d.year()
        )
    }

    /// A number with one decimal in the language's style (`4,5` / `4.5`); `–` when missing.
    pub fn decimal(&self, v: Option<f64>) -> String {
        match v {
            Some(v) => {
                let s = format!("{:.1}", v);
                if self.lang == Lang::Id {
                    s.replace('.', ",")
                } else {
                    s
                }
            }
            None => "–".into(),
        }
    }

    /// A share as a percentage with one decimal (`62,5%`); `–` when missing.
    pub fn percent(&self, v: Option<f64>) -> String {
        match v {
            Some(v) => format!("{}%", self.decimal(Some(v * 100.0))),
            None => "–".into(),
        }
    }

    /// `2026-11` → `November 2026`.
    pub fn month(&self, ym: &str) -> String {
        match ym.split_once('-') {
            Some((y, m)) => match m.parse::<usize>() {
                Ok(m) if (1..=12).contains(&m) => format!("{} {y}", self.months[m - 1]),
                _ => ym.to_string(),
            },
            None => ym.to_string(),
        }
    }

    /// A date and time in a local zone: `27 November 2026, 09.00 WIB`.
    pub fn datetime(&self, at: DateTime<Utc>, utc_offset_minutes: i32) -> String {
        let local = at.with_timezone(
            &chrono::FixedOffset::east_opt(utc_offset_minutes * 60)
                .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("zero offset")),
        );
        let sep = if self.lang == Lang::Id { "." } else { ":" };
        format!(
            "{}, {}{sep}{} {}",
            self.date(local.date_naive()),
            local.format("%H"),
            local.format("%M"),
            zone_name(utc_offset_minutes)
        )
    }
}

/// The Indonesian name of a UTC offset (WIB, WITA, WIT), or `UTC±h`.
pub fn zone_name(utc_offset_minutes: i32) -> String {
    match utc_offset_minutes {
        420 => "WIB".into(),
        480 => "WITA".into(),
        540 => "WIT".into(),
        m => format!("UTC{:+}", m / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_error_has_a_message_in_both_languages() {
        let errors = [
            FieldError::Required,
            FieldError::TooShort { min: 10 },
            FieldError::TooLong { max: 150 },
            FieldError::Invalid,
            FieldError::InFuture,
            FieldError::Unknown,
            FieldError::InvalidEmail,
            FieldError::InvalidPhone,
        ];
        for lang in [Lang::Id, Lang::En] {
            for f in Field::ALL {
                for e in errors {
                    assert!(!lang.texts().field_error(f, e).is_empty());
                }
            }
        }
        assert_eq!(
            Lang::Id
                .texts()
                .field_error(Field::Title, FieldError::TooShort { min: 10 }),
            "Judul laporan minimal 10 karakter"
        );
    }

    #[test]
    fn accept_language_prefers_indonesian_unless_english_ranks_first() {
        assert_eq!(Lang::from_accept_language("en-US,en;q=0.9"), Lang::En);
        assert_eq!(Lang::from_accept_language("id-ID,en;q=0.8"), Lang::Id);
        assert_eq!(Lang::from_accept_language("fr"), Lang::Id);
        assert_eq!(Lang::from_accept_language(""), Lang::Id);
    }

    #[test]
    fn dates_read_naturally() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(Lang::Id.texts().date(d), "2 Desember 2026");
        assert_eq!(Lang::En.texts().date(d), "2 December 2026");
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, 27, 1, 5, 0).unwrap();
        assert_eq!(
            Lang::Id.texts().datetime(at, 480),
            "27 November 2026, 09.05 WITA"
        );
    }
}

/// The language a request asks for: a `lang` query parameter wins, then the `aduan_lang` cookie,
/// then the browser's `Accept-Language`;
/// Indonesian otherwise.
pub fn lang_from_request(
    query: Option<&str>,
    cookie_header: Option<&str>,
    accept_language: Option<&str>,
) -> Lang {
    query_lang(query)
        .or_else(|| {
            cookie_header.and_then(|h| {
                h.split(';').find_map(|kv| {
                    let (k, v) = kv.trim().split_once('=')?;
                    (k == LANG_COOKIE).then(|| Lang::parse(v)).flatten()
                })
            })
        })
        .or_else(|| accepted_lang(accept_language?))
        .unwrap_or_default()
}

/// The language a browser asks for first (`Accept-Language`, by its `q` weights) among those
/// Aduan speaks; `None` when it names none of them (then Indonesian). A first visit is answered
/// in it; a choice made on the site (the cookie) or in the address (`?lang=`) comes first.
pub fn accepted_lang(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, usize, Lang)> = None;
    for (i, part) in header.split(',').enumerate() {
        let mut pieces = part.trim().split(';');
        let tag = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = pieces
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        let Some(lang) = Lang::parse(primary) else {
            continue;
        };
        if q <= 0.0 {
            continue;
        }
        // Higher weight wins; at equal weight, the earlier one.
        if best.is_none_or(|(bq, _, _)| q > bq) {
            best = Some((q, i, lang));
        }
    }
    best.map(|(_, _, l)| l)
}

/// `lang_from_request` of a request's address and headers (the cookie, `Accept-Language`).
#[cfg(feature = "ssr")]
pub fn lang_of(query: Option<&str>, headers: &http::HeaderMap) -> Lang {
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &http::HeaderValue| v.to_str().ok())
    };
    lang_from_request(
        query,
        header(http::header::COOKIE),
        header(http::header::ACCEPT_LANGUAGE),
    )
}

/// The `lang` query parameter, if it names a known language.
pub fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (k == "lang").then(|| Lang::parse(v)).flatten()
    })
}

#[cfg(test)]
mod request_tests {
    use super::*;

    #[test]
    fn query_beats_cookie_and_indonesian_is_the_default() {
        assert_eq!(lang_from_request(None, None, None), Lang::Id);
        assert_eq!(lang_from_request(Some("lang=en"), None, None), Lang::En);
        assert_eq!(
            lang_from_request(None, Some("a=b; aduan_lang=en"), None),
            Lang::En
        );
        assert_eq!(
            lang_from_request(Some("x=1&lang=id"), Some("aduan_lang=en"), None),
            Lang::Id
        );
        assert_eq!(lang_from_request(Some("lang=fr"), None, None), Lang::Id);
    }

    #[test]
    fn a_first_visit_is_answered_in_the_browser_s_language_and_a_choice_beats_it() {
        let en = Some("en-GB,en;q=0.9,id;q=0.5");
        assert_eq!(lang_from_request(None, None, en), Lang::En);
        // The switch on the site (the cookie) and the address win over the browser.
        assert_eq!(lang_from_request(None, Some("aduan_lang=id"), en), Lang::Id);
        assert_eq!(lang_from_request(Some("lang=id"), None, en), Lang::Id);
        // Weights, not order; languages Aduan does not speak are passed over.
        assert_eq!(accepted_lang("id;q=0.3, en;q=0.8"), Some(Lang::En));
        assert_eq!(
            accepted_lang("fr-FR, jv;q=0.9, id;q=0.7, en;q=0.6"),
            Some(Lang::Id)
        );
        assert_eq!(accepted_lang("in-ID"), Some(Lang::Id));
        assert_eq!(accepted_lang("en;q=0, id;q=0.1"), Some(Lang::Id));
        assert_eq!(accepted_lang("fr, de"), None);
        assert_eq!(accepted_lang(""), None);
        assert_eq!(lang_from_request(None, None, Some("fr")), Lang::Id);
    }
}
