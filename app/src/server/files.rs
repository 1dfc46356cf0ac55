//! Attachments: the type is decided from the content (never from the name), sizes and counts are
//! limited, images are decoded and encoded again so that nothing but pixels survives (EXIF, GPS,
//! comments), and the bytes live in an `object_store` (a local directory by default) shared by
//! every instance. Who may open a file is decided by the caller from the report's visibility.

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

/// The object store and the limits.
#[derive(Clone, Debug)]
pub struct Files {
    pub store: Arc<dyn ObjectStore>,
    pub max_bytes: usize,
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
        Ok(Self { store, max_bytes })
    }

    /// A store in memory (for tests of the use cases).
    pub fn in_memory() -> Self {
        Self {
            store: Arc::new(object_store::memory::InMemory::new()),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// A file as it arrived: the name the browser sent and the bytes (possibly cut at the limit + 1).
#[derive(Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
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
    let mut stored = Vec::with_capacity(uploads.len());
    for (u, kind) in uploads.into_iter().zip(kinds) {
        let clean = match kind {
            Kind::Pdf => u.bytes,
            Kind::Jpeg | Kind::Png => {
                let bytes = u.bytes;
                tokio::task::spawn_blocking(move || reencode(&bytes, kind))
                    .await
                    .map_err(internal("joining the image task"))?
                    // A file that starts like an image but does not decode is not an image.
                    .map_err(|_| AppError::field(Field::Attachments, FieldError::WrongType))?
            }
        };
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
            file_name: clean_name(&u.file_name, kind),
            sha256,
        });
    }
    Ok(stored)
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
    limits.max_alloc = Some(256 * 1024 * 1024);
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

/// A name safe to show and to send in `Content-Disposition`: letters, digits, `-`, `_`, `.`
/// and spaces, at most 80 characters, with the extension of the real type.
pub fn clean_name(name: &str, kind: Kind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    let mut clean: String = stem
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' ' | '.'))
        .take(80)
        .collect();
    clean = clean.trim().trim_matches('.').to_string();
    if clean.is_empty() {
        clean = "lampiran".into();
    }
    format!("{clean}.{}", kind.extension())
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

pub fn reference(a: &attachment::Model) -> AttachmentRef {
    AttachmentRef {
        id: a.id,
        file_name: a.file_name.clone(),
        media_type: a.media_type.clone(),
        size_bytes: a.size_bytes,
    }
}

/// The bytes of a stored file.
pub async fn read(files: &Files, a: &attachment::Model) -> Result<bytes::Bytes, AppError> {
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
    fn type_comes_from_content_and_names_are_cleaned() {
        assert_eq!(Kind::sniff(b"%PDF-1.7 ..."), Some(Kind::Pdf));
        assert_eq!(Kind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(Kind::sniff(&[0xFF, 0xD8, 0xFF, 0xE1]), Some(Kind::Jpeg));
        assert_eq!(Kind::sniff(b"<html><script>"), None);
        assert_eq!(Kind::sniff(b"MZ\x90\x00"), None);
        assert_eq!(clean_name("../../etc/passwd.jpg", Kind::Png), "passwd.png");
        assert_eq!(
            clean_name("C:\\foto\\jalan rusak.JPG", Kind::Jpeg),
            "jalan rusak.jpg"
        );
        assert_eq!(clean_name("\"><img src=x>.pdf", Kind::Pdf), "img srcx.pdf");
        assert_eq!(clean_name("", Kind::Pdf), "lampiran.pdf");
    }
}
