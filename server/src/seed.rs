//! Demo data: realistic reports from Sulawesi Barat, submitted through the same use case as real
//! ones. The tracking codes come from a fixed seed so the README can name one; they are demo
//! data only.

use app::domain::{ReportForm, TrackingCode};
use app::server::reports;
use chrono::{Duration, Utc};
use rand::SeedableRng;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

struct Demo {
    kind: &'static str,
    title: &'static str,
    description: &'static str,
    category: i32,
    regency: &'static str,
    days_ago: i64,
    anonymous: bool,
    confidential: bool,
}

const DEMOS: [Demo; 10] = [
    Demo { kind: "complaint", title: "Jalan berlubang di depan SDN 1 Mamuju", description: "Lubang besar di Jalan Soekarno-Hatta depan SDN 1 Mamuju sudah tiga bulan tidak diperbaiki. Dua pengendara motor jatuh minggu lalu saat hujan.", category: 1, regency: "76.04", days_ago: 0, anonymous: false, confidential: false },
    Demo { kind: "complaint", title: "Antrean layanan KTP-el di Disdukcapil sangat panjang", description: "Sejak pagi antrean perekaman KTP-el mencapai ratusan orang dan nomor antrean habis pukul 09.00. Warga dari desa jauh harus kembali besok.", category: 4, regency: "76.02", days_ago: 1, anonymous: false, confidential: false },
    Demo { kind: "aspiration", title: "Usulan penambahan jadwal kapal ke Pulau Bala-balakang", description: "Kapal ke Pulau Bala-balakang hanya sekali seminggu sehingga warga sulit berobat dan menjual hasil laut. Mohon jadwal ditambah menjadi dua kali seminggu.", category: 7, regency: "76.04", days_ago: 2, anonymous: false, confidential: false },
    Demo { kind: "complaint", title: "Puskesmas tutup pada jam pelayanan", description: "Pada hari Senin pukul 10.00 Puskesmas di kecamatan kami tertutup tanpa pengumuman. Pasien lansia menunggu lebih dari dua jam di luar.", category: 2, regency: "76.03", days_ago: 3, anonymous: true, confidential: false },
    Demo { kind: "information_request", title: "Informasi syarat beasiswa daerah tahun 2027", description: "Mohon informasi syarat, jadwal pendaftaran, dan kuota beasiswa daerah untuk mahasiswa asal Sulawesi Barat tahun anggaran 2027.", category: 3, regency: "76.01", days_ago: 4, anonymous: false, confidential: false },
    Demo { kind: "complaint", title: "Air PDAM keruh selama dua minggu", description: "Air dari PDAM di kompleks perumahan kami berwarna coklat dan berbau selama dua minggu terakhir. Warga terpaksa membeli air galon untuk minum dan memasak.", category: 5, regency: "76.05", days_ago: 5, anonymous: false, confidential: false },
    Demo { kind: "complaint", title: "Dugaan pungutan liar pengurusan izin usaha", description: "Petugas meminta uang tambahan di luar ketentuan untuk mempercepat penerbitan izin usaha mikro. Saya bersedia memberi keterangan lebih lanjut kepada verifikator.", category: 10, regency: "76.04", days_ago: 6, anonymous: true, confidential: true },
    Demo { kind: "complaint", title: "Sampah menumpuk di pasar tradisional", description: "Sampah di belakang pasar tradisional tidak diangkut selama satu minggu, menimbulkan bau dan lalat. Pedagang dan pembeli terganggu.", category: 6, regency: "76.06", days_ago: 8, anonymous: false, confidential: false },
    Demo { kind: "aspiration", title: "Penerangan jalan di jalur poros Majene", description: "Sebagian besar lampu jalan di jalur poros Majene padam sehingga rawan kecelakaan dan kejahatan pada malam hari. Mohon diperbaiki dan dirawat berkala.", category: 1, regency: "76.01", days_ago: 9, anonymous: false, confidential: false },
    Demo { kind: "complaint", title: "Bantuan sosial tidak tepat sasaran", description: "Beberapa keluarga mampu di desa kami menerima bantuan sosial, sementara keluarga miskin yang terdaftar justru tidak menerima. Mohon data penerima diperiksa.", category: 8, regency: "76.02", days_ago: 11, anonymous: true, confidential: false },
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
        reports::submit_report(db, parsed, &code, None, at)
            .await
            .map_err(|e| anyhow::anyhow!("storing demo report failed: {e}"))?;
    }
    Ok(DEMOS.len())
}
