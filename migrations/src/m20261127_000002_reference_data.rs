//! Reference data shipped with Aduan: all 38 provinces (Kemendagri codes, with their time zone),
//! every regency/city of Sulawesi Barat, report categories, and a starter agency tree (the
//! Sulawesi Barat provincial government and its OPDs).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const WIB: i32 = 420;
const WITA: i32 = 480;
const WIT: i32 = 540;

/// (code, name, UTC offset in minutes)
const PROVINCES: [(&str, &str, i32); 38] = [
    ("11", "Aceh", WIB),
    ("12", "Sumatera Utara", WIB),
    ("13", "Sumatera Barat", WIB),
    ("14", "Riau", WIB),
    ("15", "Jambi", WIB),
    ("16", "Sumatera Selatan", WIB),
    ("17", "Bengkulu", WIB),
    ("18", "Lampung", WIB),
    ("19", "Kepulauan Bangka Belitung", WIB),
    ("21", "Kepulauan Riau", WIB),
    ("31", "DKI Jakarta", WIB),
    ("32", "Jawa Barat", WIB),
    ("33", "Jawa Tengah", WIB),
    ("34", "DI Yogyakarta", WIB),
    ("35", "Jawa Timur", WIB),
    ("36", "Banten", WIB),
    ("51", "Bali", WITA),
    ("52", "Nusa Tenggara Barat", WITA),
    ("53", "Nusa Tenggara Timur", WITA),
    ("61", "Kalimantan Barat", WIB),
    ("62", "Kalimantan Tengah", WIB),
    ("63", "Kalimantan Selatan", WITA),
    ("64", "Kalimantan Timur", WITA),
    ("65", "Kalimantan Utara", WITA),
    ("71", "Sulawesi Utara", WITA),
    ("72", "Sulawesi Tengah", WITA),
    ("73", "Sulawesi Selatan", WITA),
    ("74", "Sulawesi Tenggara", WITA),
    ("75", "Gorontalo", WITA),
    ("76", "Sulawesi Barat", WITA),
    ("81", "Maluku", WIT),
    ("82", "Maluku Utara", WIT),
    ("91", "Papua", WIT),
    ("92", "Papua Barat", WIT),
    ("93", "Papua Selatan", WIT),
    ("94", "Papua Tengah", WIT),
    ("95", "Papua Pegunungan", WIT),
    ("96", "Papua Barat Daya", WIT),
];

/// The regencies of Sulawesi Barat (province 76); all WITA.
const SULBAR_REGENCIES: [(&str, &str); 6] = [
    ("76.01", "Kabupaten Majene"),
    ("76.02", "Kabupaten Polewali Mandar"),
    ("76.03", "Kabupaten Mamasa"),
    ("76.04", "Kabupaten Mamuju"),
    ("76.05", "Kabupaten Pasangkayu"),
    ("76.06", "Kabupaten Mamuju Tengah"),
];

/// (id, slug, Indonesian name, English name)
pub const CATEGORIES: [(i32, &str, &str, &str); 12] = [
    (
        1,
        "infrastruktur",
        "Infrastruktur (jalan, jembatan, drainase)",
        "Infrastructure (roads, bridges, drainage)",
    ),
    (2, "kesehatan", "Kesehatan", "Health"),
    (3, "pendidikan", "Pendidikan", "Education"),
    (
        4,
        "kependudukan",
        "Administrasi kependudukan (KTP, KK, akta)",
        "Civil registration (ID cards, family cards, certificates)",
    ),
    (
        5,
        "air-bersih",
        "Air bersih dan sanitasi",
        "Clean water and sanitation",
    ),
    (
        6,
        "lingkungan",
        "Lingkungan hidup dan persampahan",
        "Environment and waste",
    ),
    (
        7,
        "perhubungan",
        "Perhubungan dan transportasi",
        "Transport",
    ),
    (8, "sosial", "Bantuan sosial", "Social assistance"),
    (
        9,
        "kepegawaian",
        "Pelayanan aparatur dan kepegawaian",
        "Civil servants and their conduct",
    ),
    (
        10,
        "perizinan",
        "Perizinan dan investasi",
        "Permits and investment",
    ),
    (
        11,
        "ketertiban",
        "Ketertiban umum dan keamanan",
        "Public order and safety",
    ),
    (12, "lainnya", "Lainnya", "Other"),
];

/// (id, code, name, parent id)
const AGENCIES: [(i32, &str, &str, Option<i32>); 12] = [
    (1, "PROV-76", "Pemerintah Provinsi Sulawesi Barat", None),
    (
        2,
        "76-DINKES",
        "Dinas Kesehatan Provinsi Sulawesi Barat",
        Some(1),
    ),
    (
        3,
        "76-PUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang Provinsi Sulawesi Barat",
        Some(1),
    ),
    (
        4,
        "76-DIKBUD",
        "Dinas Pendidikan dan Kebudayaan Provinsi Sulawesi Barat",
        Some(1),
    ),
    (
        5,
        "76-KOMINFO",
        "Dinas Komunikasi, Informatika, Statistik dan Persandian Provinsi Sulawesi Barat",
        Some(1),
    ),
    (
        6,
        "76-DINSOS",
        "Dinas Sosial Provinsi Sulawesi Barat",
        Some(1),
    ),
    (
        7,
        "76-DISHUB",
        "Dinas Perhubungan Provinsi Sulawesi Barat",
        Some(1),
    ),
    (
        8,
        "76-DLHK",
        "Dinas Lingkungan Hidup dan Kehutanan Provinsi Sulawesi Barat",
        Some(1),
    ),
    (
        9,
        "76-DUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil Provinsi Sulawesi Barat",
        Some(1),
    ),
    (
        10,
        "76-BKD",
        "Badan Kepegawaian Daerah Provinsi Sulawesi Barat",
        Some(1),
    ),
    (
        11,
        "76-DPMPTSP",
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Sulawesi Barat",
        Some(1),
    ),
    (12, "76-RSUD", "RSUD Provinsi Sulawesi Barat", Some(2)),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut regions = Query::insert();
        regions.into_table(Alias::new("regions")).columns([
            Alias::new("code"),
            Alias::new("name"),
            Alias::new("parent_code"),
            Alias::new("level"),
            Alias::new("utc_offset_minutes"),
        ]);
        for (code, name, tz) in PROVINCES {
            regions.values_panic([
                code.into(),
                name.into(),
                Option::<String>::None.into(),
                "province".into(),
                tz.into(),
            ]);
        }
        for (code, name) in SULBAR_REGENCIES {
            regions.values_panic([
                code.into(),
                name.into(),
                Some("76").into(),
                "regency".into(),
                WITA.into(),
            ]);
        }
        manager.exec_stmt(regions).await?;

        let mut categories = Query::insert();
        categories.into_table(Alias::new("categories")).columns([
            Alias::new("id"),
            Alias::new("slug"),
            Alias::new("name_id"),
            Alias::new("name_en"),
            Alias::new("active"),
        ]);
        for (id, slug, name_id, name_en) in CATEGORIES {
            categories.values_panic([
                id.into(),
                slug.into(),
                name_id.into(),
                name_en.into(),
                true.into(),
            ]);
        }
        manager.exec_stmt(categories).await?;

        let mut agencies = Query::insert();
        agencies.into_table(Alias::new("agencies")).columns([
            Alias::new("id"),
            Alias::new("code"),
            Alias::new("name"),
            Alias::new("parent_id"),
            Alias::new("region_code"),
            Alias::new("active"),
        ]);
        for (id, code, name, parent) in AGENCIES {
            agencies.values_panic([
                id.into(),
                code.into(),
                name.into(),
                parent.into(),
                "76".into(),
                true.into(),
            ]);
        }
        manager.exec_stmt(agencies).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_data_is_complete_and_unique() {
        let mut codes: Vec<_> = PROVINCES.iter().map(|p| p.0).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 38);
        assert!(SULBAR_REGENCIES.iter().all(|r| r.0.starts_with("76.")));
        let opds = AGENCIES.iter().filter(|a| a.3 == Some(1)).count();
        assert!(opds >= 8, "at least 8 OPDs under the province, got {opds}");
    }
}
