//! Attachments: the type is decided from the content (never from the name), sizes and counts are
//! limited, images are decoded and encoded again so that nothing but pixels survives (EXIF, GPS,
//! comments), PDFs lose their document information and XMP metadata (author, creator, producer),
//! and the bytes live in an `object_store` (a local directory by default) shared by every
//! instance. The name the uploader's device gave (`KTP_Siti_Aminah.pdf`) is never stored or
//! shown: every file gets a neutral name from its type and id. Images are measured from their
//! header before decoding (a pixel budget stops decompression bombs) and decoded a few at a time.
//! Who may open a file is decided by the caller from the report's visibility.

use super::entities::attachment;
use super::internal;
use crate::domain::views::AttachmentRef;
use crate::domain::{AppError, Field, FieldError};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, PutPayload};
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// Files one message may carry.
pub const MAX_FILES: usize = 5;
/// The default size limit of one file.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;
/// The largest image accepted, in pixels (width × height, read from the header before any
/// decoding): 40 megapixels covers phone cameras; a 187 KB PNG claiming 48 MP is refused before
/// it can take 192 MB.
pub const MAX_PIXELS: u64 = 40_000_000;

/// Image decodes running at once in this process: one per core, so a flood of uploads queues
/// instead of taking every core and `cores × 160 MB` at most.
fn decode_permits() -> &'static tokio::sync::Semaphore {
    static PERMITS: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    super::per_core(&PERMITS)
}

/// The object store and the limits.
#[derive(Clone, Debug)]
pub struct Files {
    pub store: Arc<dyn ObjectStore>,
    pub max_bytes: usize,
    /// Bytes accepted per client network and in all per hour (this process).
    pub budget: Arc<UploadBudget>,
}

/// Default hourly upload budgets: per client network, and for the whole process.
pub const DEFAULT_CLIENT_MB_PER_HOUR: u64 = 100;
pub const DEFAULT_TOTAL_MB_PER_HOUR: u64 = 5_000;

/// Hourly upload budgets: the bytes one client network, and all clients together, may have
/// stored per hour (fixed windows, in process memory: with N instances, N × the budget). A
/// client past its budget, or everyone past the total, gets a field message and nothing of the
/// refused files is decoded or stored; what they typed is kept by the form.
#[derive(Debug)]
pub struct UploadBudget {
    per_client: u64,
    total: u64,
    state: std::sync::Mutex<BudgetWindow>,
}

#[derive(Debug)]
struct BudgetWindow {
    start: std::time::Instant,
    per_client: std::collections::HashMap<String, u64>,
    total: u64,
}

impl UploadBudget {
    pub fn new(client_mb_per_hour: u64, total_mb_per_hour: u64) -> Self {
        Self {
            per_client: client_mb_per_hour * 1024 * 1024,
            total: total_mb_per_hour * 1024 * 1024,
            state: std::sync::Mutex::new(BudgetWindow {
                start: std::time::Instant::now(),
                per_client: std::collections::HashMap::new(),
                total: 0,
            }),
        }
    }

    /// Takes `bytes` from the budgets of `client` and of everyone, or refuses without taking.
    pub fn charge(&self, client: &str, bytes: u64) -> Result<(), FieldError> {
        let now = std::time::Instant::now();
        let mut old = None;
        let r = {
            let mut w = self.state.lock().unwrap_or_else(|p| p.into_inner());
            if now.duration_since(w.start) >= std::time::Duration::from_secs(3600) {
                old = Some(std::mem::replace(
                    &mut *w,
                    BudgetWindow {
                        start: now,
                        per_client: std::collections::HashMap::new(),
                        total: 0,
                    },
                ));
            }
            let used = w.per_client.get(client).copied().unwrap_or(0);
            if used + bytes > self.per_client || w.total + bytes > self.total {
                Err(FieldError::UploadBudget {
                    mb_per_hour: (self.per_client / (1024 * 1024)) as u32,
                })
            } else {
                // Bounded: past 100,000 clients in an hour, new ones share one entry.
                let key = if w.per_client.len() >= 100_000 && !w.per_client.contains_key(client) {
                    "overflow".to_string()
                } else {
                    client.to_string()
                };
                *w.per_client.entry(key).or_insert(0) += bytes;
                w.total += bytes;
                Ok(())
            }
        };
        drop(old);
        r
    }
}

impl Default for UploadBudget {
    fn default() -> Self {
        Self::new(DEFAULT_CLIENT_MB_PER_HOUR, DEFAULT_TOTAL_MB_PER_HOUR)
    }
}

impl Files {
    /// Files kept under a local directory (created when missing).
    pub fn local(dir: &std::path::Path, max_bytes: usize) -> Result<Self, String> {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let store = object_store::local::LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| format!("cannot use {} for files: {e}", dir.display()))?;
        Ok(Self {
            store: Arc::new(store),
            max_bytes,
            budget: Arc::new(UploadBudget::default()),
        })
    }

    /// Files kept in an S3-compatible bucket: `url` like `s3://bucket` (or `s3://bucket/prefix`),
    /// `options` the `object_store` AWS keys (`aws_endpoint`, `aws_access_key_id`,
    /// `aws_secret_access_key`, `aws_region`, `aws_allow_http`, …).
    pub fn remote(
        url: &str,
        options: &[(String, String)],
        max_bytes: usize,
    ) -> Result<Self, String> {
        let parsed = url::Url::parse(url)
            .map_err(|e| format!("ADUAN_FILES_URL {url:?} is not a URL: {e}"))?;
        let (store, prefix) = object_store::parse_url_opts(&parsed, options.iter().cloned())
            .map_err(|e| format!("cannot use {url} for files: {e}"))?;
        let store: Arc<dyn ObjectStore> = if prefix.as_ref().is_empty() {
            Arc::from(store)
        } else {
            Arc::new(object_store::prefix::PrefixStore::new(store, prefix))
        };
        Ok(Self {
            store,
            max_bytes,
            budget: Arc::new(UploadBudget::default()),
        })
    }

    /// Whether the store takes a write now (readiness: a full or read-only disk, an unmounted
    /// share, an unreachable bucket all fail it). Writes one small marker object, the same one
    /// every time.
    pub async fn ready(&self) -> Result<(), String> {
        self.store
            .put(
                &ObjectPath::from(".aduan-ready"),
                PutPayload::from_static(b"ready"),
            )
            .await
            .map(drop)
            .map_err(|e| e.to_string())
    }

    /// A store in memory (for tests of the use cases).
    pub fn in_memory() -> Self {
        Self {
            store: Arc::new(object_store::memory::InMemory::new()),
            max_bytes: DEFAULT_MAX_BYTES,
            budget: Arc::new(UploadBudget::default()),
        }
    }
}

/// A file as it arrived: the name the browser sent, the bytes (possibly cut at the limit + 1),
/// and the client network it came from (for the hourly budget; `None` outside HTTP).
#[derive(Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub client: Option<String>,
}

impl std::fmt::Debug for Upload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Upload({} bytes)", self.bytes.len())
    }
}

/// The types accepted, from their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Pdf,
}

impl Kind {
    pub fn sniff(bytes: &[u8]) -> Option<Kind> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Kind::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Kind::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Kind::Pdf)
        } else {
            None
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Pdf => "application/pdf",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
            Kind::Pdf => "pdf",
        }
    }
}

/// A checked, cleaned file already written to the store, waiting for its database row.
#[derive(Clone, Debug)]
pub struct Stored {
    pub object_key: String,
    pub media_type: &'static str,
    pub size_bytes: i64,
    pub file_name: String,
    pub sha256: String,
}

/// Checks every upload first (count, size, type: one field message for the lot), then cleans
/// and stores them. Empty file inputs are ignored.
pub async fn store_uploads(
    files: &Files,
    report_id: i64,
    uploads: Vec<Upload>,
) -> Result<Vec<Stored>, AppError> {
    let uploads: Vec<Upload> = uploads
        .into_iter()
        .filter(|u| !u.bytes.is_empty())
        .collect();
    if uploads.len() > MAX_FILES {
        return Err(AppError::field(
            Field::Attachments,
            FieldError::TooMany { max: MAX_FILES },
        ));
    }
    let mut kinds = Vec::with_capacity(uploads.len());
    for u in &uploads {
        if u.bytes.len() > files.max_bytes {
            return Err(AppError::field(
                Field::Attachments,
                FieldError::TooLarge {
                    max_mb: (files.max_bytes / (1024 * 1024)).max(1) as u32,
                },
            ));
        }
        kinds.push(
            Kind::sniff(&u.bytes)
                .ok_or(AppError::field(Field::Attachments, FieldError::WrongType))?,
        );
    }
    // The hourly budgets, before any decoding or storing.
    let bytes: u64 = uploads.iter().map(|u| u.bytes.len() as u64).sum();
    if let Some(client) = uploads.iter().find_map(|u| u.client.as_deref()) {
        if bytes > 0 {
            files
                .budget
                .charge(client, bytes)
                .map_err(|e| AppError::field(Field::Attachments, e))?;
        }
    }
    // Images: the size their header claims, before anything is decoded.
    for (u, kind) in uploads.iter().zip(&kinds) {
        if matches!(kind, Kind::Jpeg | Kind::Png) && pixels(&u.bytes, *kind)? > MAX_PIXELS {
            return Err(AppError::field(
                Field::Attachments,
                FieldError::TooManyPixels {
                    max_megapixels: (MAX_PIXELS / 1_000_000) as u32,
                },
            ));
        }
    }
    let mut stored = Vec::with_capacity(uploads.len());
    for (u, kind) in uploads.into_iter().zip(kinds) {
        let bytes = u.bytes;
        let _permit = decode_permits()
            .acquire()
            .await
            .map_err(internal("waiting for a decode slot"))?;
        let clean = tokio::task::spawn_blocking(move || match kind {
            Kind::Pdf => strip_pdf(&bytes).map_err(|e| e.to_string()),
            Kind::Jpeg | Kind::Png => reencode(&bytes, kind).map_err(|e| e.to_string()),
        })
        .await
        .map_err(internal("joining the cleaning task"))?
        // A file that starts like an image or a PDF but does not parse is not one.
        .map_err(|e| {
            tracing::info!(error = %e, "attachment refused: it does not parse as its type");
            AppError::field(Field::Attachments, FieldError::WrongType)
        })?;
        let sha256 = hex::encode(Sha256::digest(&clean));
        // Random keys: files sent with a new report are stored before its id exists.
        let _ = report_id;
        let object_key = format!(
            "attachments/{}.{}",
            hex::encode(rand::random::<[u8; 16]>()),
            kind.extension()
        );
        let size_bytes = clean.len() as i64;
        files
            .store
            .put(
                &ObjectPath::from(object_key.as_str()),
                PutPayload::from(clean),
            )
            .await
            .map_err(internal("writing an attachment"))?;
        stored.push(Stored {
            object_key,
            media_type: kind.media_type(),
            size_bytes,
            // Never the uploaded name: it can carry the reporter's identity.
            file_name: format!("lampiran.{}", kind.extension()),
            sha256,
        });
    }
    Ok(stored)
}

/// The pixels an image's header claims (nothing decoded yet).
fn pixels(bytes: &[u8], kind: Kind) -> Result<u64, AppError> {
    let format = match kind {
        Kind::Jpeg => image::ImageFormat::Jpeg,
        _ => image::ImageFormat::Png,
    };
    let (w, h) = image::ImageReader::with_format(std::io::Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| AppError::field(Field::Attachments, FieldError::WrongType))?;
    Ok(w as u64 * h as u64)
}

/// A PDF without its document information dictionary (Author, Creator, Producer, Title…) and
/// without any XMP metadata stream or private application data, written again.
pub fn strip_pdf(bytes: &[u8]) -> Result<Vec<u8>, lopdf::Error> {
    let mut doc = lopdf::Document::load_mem(bytes)?;
    doc.trailer.remove(b"Info");
    let mut drop = Vec::new();
    for (id, object) in doc.objects.iter_mut() {
        let dict = match object {
            lopdf::Object::Dictionary(d) => Some(d),
            lopdf::Object::Stream(s) => Some(&mut s.dict),
            _ => None,
        };
        let Some(dict) = dict else { continue };
        let is_metadata = dict
            .get(b"Type")
            .and_then(|t| t.as_name())
            .is_ok_and(|n| n == b"Metadata");
        // Document information objects referenced from elsewhere, XMP packets.
        if is_metadata {
            drop.push(*id);
            continue;
        }
        dict.remove(b"Metadata");
        dict.remove(b"PieceInfo");
    }
    for id in drop {
        doc.objects.remove(&id);
    }
    // The file identifier can be derived from the original's data; a new random one.
    let fresh = lopdf::Object::String(
        rand::random::<[u8; 16]>().to_vec(),
        lopdf::StringFormat::Hexadecimal,
    );
    if doc.trailer.has(b"ID") {
        doc.trailer
            .set("ID", lopdf::Object::Array(vec![fresh.clone(), fresh]));
    }
    doc.prune_objects();
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

/// Decodes and encodes an image again: only the pixels survive (turned upright first, since the
/// orientation tag goes with the rest of the metadata).
pub fn reencode(bytes: &[u8], kind: Kind) -> Result<Vec<u8>, image::ImageError> {
    use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
    let format = match kind {
        Kind::Jpeg => ImageFormat::Jpeg,
        _ => ImageFormat::Png,
    };
    let mut reader = ImageReader::with_format(std::io::Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    // 40 MP as RGBA, and no more.
    limits.max_alloc = Some(MAX_PIXELS * 4);
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    let mut out = std::io::Cursor::new(Vec::new());
    match kind {
        Kind::Jpeg => {
            let rgb = DynamicImage::ImageRgb8(img.to_rgb8());
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
            rgb.write_with_encoder(encoder)?;
        }
        _ => img.write_to(&mut out, ImageFormat::Png)?,
    }
    Ok(out.into_inner())
}

/// The row to insert for a stored file.
pub fn row(
    report_id: i64,
    s: &Stored,
    now: chrono::DateTime<chrono::Utc>,
) -> attachment::ActiveModel {
    use sea_orm::Set;
    attachment::ActiveModel {
        report_id: Set(report_id),
        object_key: Set(s.object_key.clone()),
        media_type: Set(s.media_type.to_string()),
        size_bytes: Set(s.size_bytes),
        file_name: Set(s.file_name.clone()),
        sha256: Set(s.sha256.clone()),
        created_at: Set(now),
        ..Default::default()
    }
}

/// The name every view and download shows: neutral, from the type and the id (files stored by
/// earlier versions kept the uploaded name; it is never shown).
pub fn shown_name(a: &attachment::Model) -> String {
    let ext = match a.media_type.as_str() {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        _ => "pdf",
    };
    format!("lampiran-{}.{ext}", a.id)
}

pub fn reference(a: &attachment::Model) -> AttachmentRef {
    AttachmentRef {
        id: a.id,
        file_name: shown_name(a),
        media_type: a.media_type.clone(),
        size_bytes: a.size_bytes,
        erased: a.erased_at.is_some(),
    }
}

/// The bytes of a stored file.
pub async fn read(files: &Files, a: &attachment::Model) -> Result<bytes::Bytes, AppError> {
    if a.erased_at.is_some() {
        return Err(AppError::NotFound);
    }
    files
        .store
        .get(&ObjectPath::from(a.object_key.as_str()))
        .await
        .map_err(internal("opening an attachment"))?
        .bytes()
        .await
        .map_err(internal("reading an attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_comes_from_content() {
        assert_eq!(Kind::sniff(b"%PDF-1.7 ..."), Some(Kind::Pdf));
        assert_eq!(Kind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(Kind::sniff(&[0xFF, 0xD8, 0xFF, 0xE1]), Some(Kind::Jpeg));
        assert_eq!(Kind::sniff(b"<html><script>"), None);
        assert_eq!(Kind::sniff(b"MZ\x90\x00"), None);
    }
}
