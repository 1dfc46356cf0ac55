//! Demo data: realistic reports from Sulawesi Barat, submitted through the same use case as real
//! ones. The tracking codes come from a fixed seed so the README can name one; they are demo
//! data only.

use app::domain::lifecycle::{Command, Role};
use app::domain::{ReportForm, TrackingCode};
use app::server::intake;
use chrono::{Duration, Utc};
use rand::SeedableRng;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

struct Demo {
    kind: &'static str,
    title: &'static str,
    description: &'static str,
    category: i32,
    regency: &'static str,
    days_ago: i64,
    anonymous: bool,
    confidential: bool,
    /// Dispatched by a verifier to this agency after submission.
    dispatch_to: Option<i32>,
}

const DEMOS: [Demo; 10] = [
    Demo { kind: "complaint", title: "Jalan berlubang di depan SDN 1 Mamuju", description: "Lubang besar di Jalan Soekarno-Hatta depan SDN 1 Mamuju sudah tiga bulan tidak diperbaiki. Dua pengendara motor jatuh minggu lalu saat hujan.", category: 1, regency: "76.04", days_ago: 0, anonymous: false, confidential: false, dispatch_to: Some(3) },
    Demo { kind: "complaint", title: "Antrean layanan KTP-el di Disdukcapil sangat panjang", description: "Sejak pagi antrean perekaman KTP-el mencapai ratusan orang dan nomor antrean habis pukul 09.00. Warga dari desa jauh harus kembali besok.", category: 4, regency: "76.02", days_ago: 1, anonymous: false, confidential: false, dispatch_to: None },
    Demo { kind: "aspiration", title: "Usulan penambahan jadwal kapal ke Pulau Bala-balakang", description: "Kapal ke Pulau Bala-balakang hanya sekali seminggu sehingga warga sulit berobat dan menjual hasil laut. Mohon jadwal ditambah menjadi dua kali seminggu.", category: 7, regency: "76.04", days_ago: 2, anonymous: false, confidential: false, dispatch_to: None },
    Demo { kind: "complaint", title: "Puskesmas tutup pada jam pelayanan", description: "Pada hari Senin pukul 10.00 Puskesmas di kecamatan kami tertutup tanpa pengumuman. Pasien lansia menunggu lebih dari dua jam di luar.", category: 2, regency: "76.03", days_ago: 3, anonymous: true, confidential: false, dispatch_to: Some(2) },
    Demo { kind: "information_request", title: "Informasi syarat beasiswa daerah tahun 2027", description: "Mohon informasi syarat, jadwal pendaftaran, dan kuota beasiswa daerah untuk mahasiswa asal Sulawesi Barat tahun anggaran 2027.", category: 3, regency: "76.01", days_ago: 4, anonymous: false, confidential: false, dispatch_to: None },
    Demo { kind: "complaint", title: "Air PDAM keruh selama dua minggu", description: "Air dari PDAM di kompleks perumahan kami berwarna coklat dan berbau selama dua minggu terakhir. Warga terpaksa membeli air galon untuk minum dan memasak.", category: 5, regency: "76.05", days_ago: 5, anonymous: false, confidential: false, dispatch_to: Some(3) },
    Demo { kind: "complaint", title: "Dugaan pungutan liar pengurusan izin usaha", description: "Petugas meminta uang tambahan di luar ketentuan untuk mempercepat penerbitan izin usaha mikro. Saya bersedia memberi keterangan lebih lanjut kepada verifikator.", category: 10, regency: "76.04", days_ago: 6, anonymous: true, confidential: true, dispatch_to: None },
    Demo { kind: "complaint", title: "Sampah menumpuk di pasar tradisional", description: "Sampah di belakang pasar tradisional tidak diangkut selama satu minggu, menimbulkan bau dan lalat. Pedagang dan pembeli terganggu.", category: 6, regency: "76.06", days_ago: 8, anonymous: false, confidential: false, dispatch_to: None },
    Demo { kind: "aspiration", title: "Penerangan jalan di jalur poros Majene", description: "Sebagian besar lampu jalan di jalur poros Majene padam sehingga rawan kecelakaan dan kejahatan pada malam hari. Mohon diperbaiki dan dirawat berkala.", category: 1, regency: "76.01", days_ago: 9, anonymous: false, confidential: false, dispatch_to: None },
    Demo { kind: "complaint", title: "Bantuan sosial tidak tepat sasaran", description: "Beberapa keluarga mampu di desa kami menerima bantuan sosial, sementara keluarga miskin yang terdaftar justru tidak menerima. Mohon data penerima diperiksa.", category: 8, regency: "76.02", days_ago: 11, anonymous: true, confidential: false, dispatch_to: None },
];

const DEMO_SEED: u64 = 20_261_127;

/// The tracking code of the first demo report (always the same).
pub fn first_demo_code() -> TrackingCode {
    let mut rng = rand::rngs::StdRng::seed_from_u64(DEMO_SEED);
    TrackingCode::generate(&mut rng)
}

/// Loads the demo reports into an empty database; does nothing when reports exist.
/// Returns how many reports it added.
pub async fn seed_demo(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let existing = app::server::entities::report::Entity::find()
        .count(db)
        .await?;
    if existing > 0 {
        return Ok(0);
    }
    let mut rng = rand::rngs::StdRng::seed_from_u64(DEMO_SEED);
    let now = Utc::now();
    let commits = app::server::commits::Committer::direct(db.clone());
    for d in &DEMOS {
        let form = ReportForm {
            kind: d.kind.into(),
            title: d.title.into(),
            description: d.description.into(),
            category_id: d.category.to_string(),
            province: "76".into(),
            regency: d.regency.into(),
            anonymous: d.anonymous,
            confidential: d.confidential,
            ..Default::default()
        };
        let at = now - Duration::days(d.days_ago);
        let parsed = form
            .parse(app::domain::calendar::latest_local_date(at))
            .map_err(|e| anyhow::anyhow!("demo report {:?} is invalid: {e:?}", d.title))?;
        let code = TrackingCode::generate(&mut rng);
        let receipt = intake::submit_report(
            &commits,
            parsed,
            &code,
            None,
            &[],
            app::i18n::Lang::Id,
            None,
            at,
        )
        .await
        .map_err(|e| anyhow::anyhow!("storing demo report failed: {e}"))?;
        if let Some(agency) = d.dispatch_to {
            let id = app::server::entities::report::Entity::find()
                .filter(app::server::entities::report::Column::Reference.eq(&receipt.reference))
                .one(db)
                .await?
                .map(|r| r.id)
                .ok_or_else(|| anyhow::anyhow!("demo report vanished"))?;
            let dispatch = Command::Dispatch {
                agency,
                needs_investigation: false,
            };
            app::server::lifecycle::transition(db, id, &dispatch, Role::Verifier, None, at)
                .await
                .map_err(|e| anyhow::anyhow!("dispatching demo report failed: {e}"))?;
        }
    }
    seed_demo_office(db, now).await?;
    Ok(DEMOS.len())
}

/// Two routing rules (roads → Dinas PUPR, health → Dinas Kesehatan, in Sulawesi Barat) and one
/// reply template of Dinas PUPR, so the dispatch suggestion and templates show in the demo.
async fn seed_demo_office(
    db: &DatabaseConnection,
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    use app::server::entities::{response_template, routing_rule};
    use sea_orm::{ActiveModelTrait, Set};
    for (category, agency) in [(1, 3), (2, 2)] {
        routing_rule::ActiveModel {
            category_id: Set(Some(category)),
            region_code: Set(Some("76".into())),
            agency_id: Set(agency),
            created_by: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    response_template::ActiveModel {
        agency_id: Set(3),
        title: Set("Peninjauan lokasi".into()),
        body: Set("Terima kasih atas laporan {nomor} tentang \"{judul}\". {instansi} telah menjadwalkan peninjauan lokasi; hasilnya akan kami sampaikan di sini.".into()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The password of every demo account (shown in the README; demo data only).
pub const DEMO_PASSWORD: &str = "aduan-demo-2026";

/// One demo account per role: `(email, name, role, agency code)`.
pub const DEMO_ACCOUNTS: [(&str, &str, &str, Option<&str>); 6] = [
    ("warga@demo.aduan.id", "Warga Demo", "citizen", None),
    (
        "verifikator@demo.aduan.id",
        "Verifikator Demo",
        "verifier",
        Some("PROV-76"),
    ),
    (
        "admin.pupr@demo.aduan.id",
        "Admin PUPR Demo",
        "agency_admin",
        Some("76-PUPR"),
    ),
    (
        "petugas.pupr@demo.aduan.id",
        "Petugas PUPR Demo",
        "agency_officer",
        Some("76-PUPR"),
    ),
    (
        "pengawas@demo.aduan.id",
        "Pengawas Demo",
        "supervisor",
        Some("PROV-76"),
    ),
    (
        "admin@demo.aduan.id",
        "Admin Sistem Demo",
        "system_admin",
        None,
    ),
];

/// Creates the demo accounts that do not exist yet. Returns how many it created.
pub async fn seed_demo_accounts(db: &DatabaseConnection) -> anyhow::Result<usize> {
    let mut created = 0;
    for (email, name, role, agency) in DEMO_ACCOUNTS {
        let exists = app::server::entities::account::Entity::find()
            .filter(app::server::entities::account::Column::Email.eq(email))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        let input = app::server::accounts::NewAccount {
            login: email.into(),
            display_name: name.into(),
            password: DEMO_PASSWORD.into(),
            role: role.into(),
            agency_code: agency.map(str::to_string),
        };
        let id = app::server::accounts::create_account(db, &input, None, Utc::now())
            .await
            .map_err(|e| anyhow::anyhow!("creating demo account {email} failed: {e:?}"))?;
        // Demo addresses are vouched for: their support counts.
        app::server::accounts::mark_email_verified(db, id, Utc::now())
            .await
            .map_err(|e| anyhow::anyhow!("verifying demo account {email} failed: {e:?}"))?;
        created += 1;
    }
    Ok(created)
}
