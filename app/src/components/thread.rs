//! A report's conversation: the messages (who wrote, when, what, files) and the file input used
//! by every form that may carry attachments. Plain HTML: readable and usable without JavaScript.

use super::INPUT_CLASS;
use crate::domain::views::{MessageAuthor, ThreadMessage};
use crate::domain::{Field, FieldErrors};
use crate::texts;
use leptos::prelude::*;

/// `1.2 MB`, `340 KB`.
pub fn size_text(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// The messages, oldest first. `file_base` is where attachments open (`/lampiran/` or
/// `/lacak/{code}/lampiran/`).
#[component]
pub fn Thread(
    messages: Vec<ThreadMessage>,
    file_base: String,
    utc_offset_minutes: i32,
) -> impl IntoView {
    let t = texts();
    if messages.is_empty() {
        return view! {
            <p class="mt-2 text-stone-700" data-testid="thread-empty">
                {t.tr("Belum ada pesan.", "No messages yet.")}
            </p>
        }
        .into_any();
    }
    view! {
        <ol class="mt-2 space-y-3" data-testid="thread">
            {messages.into_iter().map(|m| {
                let who = match &m.author {
                    MessageAuthor::Reporter => t.tr("Pelapor", "Reporter").to_string(),
                    MessageAuthor::Agency { name } if !name.is_empty() => name.clone(),
                    MessageAuthor::Agency { .. } => t.tr("Instansi", "Agency").to_string(),
                    MessageAuthor::Verifier => t.tr("Verifikator", "Verifier").to_string(),
                    MessageAuthor::System => "Aduan".to_string(),
                };
                let box_class = match (&m.author, m.internal) {
                    (_, true) => "rounded border-l-4 border-amber-600 bg-amber-50 p-3",
                    (MessageAuthor::Reporter, _) => "rounded border-l-4 border-sky-700 bg-white p-3",
                    _ => "rounded border-l-4 border-emerald-700 bg-white p-3",
                };
                let base = file_base.clone();
                view! {
                    <li class=box_class data-testid="message">
                        <p class="text-sm text-stone-700">
                            <strong class="text-stone-900" data-testid="message-author">{who}</strong>
                            {m.event.map(|e| view! { " · " {t.event(e)} })}
                            " · "
                            <time datetime=m.at.to_rfc3339()>{t.datetime(m.at, utc_offset_minutes)}</time>
                            {m.internal.then(|| view! {
                                " · " <span class="font-semibold text-amber-900">{t.tr("Catatan internal", "Internal note")}</span>
                            })}
                        </p>
                        {(!m.body.is_empty()).then(|| view! {
                            <p class="mt-1 whitespace-pre-line break-words" data-testid="message-body">{m.body.clone()}</p>
                        })}
                        {(!m.attachments.is_empty()).then(|| view! {
                            <ul class="mt-2 flex flex-wrap gap-2" data-testid="attachments">
                                {m.attachments.iter().map(|a| {
                                    let href = format!("{base}{}", a.id);
                                    let label = format!("{} ({})", a.file_name, size_text(a.size_bytes));
                                    let image = a.media_type.starts_with("image/");
                                    if a.erased {
                                        // The record of what was received stays; the file is gone.
                                        return view! {
                                            <li class="inline-block rounded border border-dashed border-stone-400 px-2 py-1 text-stone-700" data-testid="attachment-erased">
                                                {label}
                                                " — "
                                                {t.tr("dihapus: masa simpannya berakhir", "deleted: its retention period ended")}
                                            </li>
                                        }
                                        .into_any();
                                    }
                                    view! {
                                        <li>
                                            <a href=href.clone() class="inline-block rounded border border-stone-400 px-2 py-1 underline" data-testid="attachment">
                                                {image.then(|| view! {
                                                    <img src=href.clone() alt="" loading="lazy" class="mb-1 block h-24 w-auto max-w-full rounded"/>
                                                })}
                                                {label}
                                            </a>
                                        </li>
                                    }
                                    .into_any()
                                }).collect_view()}
                            </ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// A labelled multiple-file input with the limits stated and its message.
#[component]
pub fn FileInput(
    id: String,
    #[prop(into)] errors: Signal<FieldErrors>,
    /// The files of a refused post without JavaScript (`crate::act::DROPPED_FILES`): a page
    /// cannot keep them, so it names them and asks for them again.
    #[prop(optional)]
    dropped: String,
) -> impl IntoView {
    let t = texts();
    let error = move || {
        errors
            .with(|e| e.get(&Field::Attachments).copied())
            .map(|e| t.field_error(Field::Attachments, e))
    };
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            if error().is_some() {
                format!("{hint_id} {error_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    view! {
        <label for=id.clone() class="mt-3 block font-semibold">{t.tr("Lampiran (opsional)", "Attachments (optional)")}</label>
        <p id=hint_id class="text-sm text-stone-600">{t.tr(
            "Foto JPEG/PNG atau PDF, paling banyak 5 berkas, masing-masing maksimal 10 MB. Data lokasi di foto dihapus.",
            "JPEG/PNG photos or PDF, up to 5 files of at most 10 MB each. Location data in photos is removed.",
        )}</p>
        {move || error().map(|e| view! { <p id=error_id.clone() class="mt-1 font-semibold text-red-800" role="alert">{e}</p> })}
        {(!dropped.is_empty()).then(|| view! {
            <p class="mt-1 border-l-4 border-amber-600 bg-amber-50 p-2 font-semibold" role="alert" data-testid="files-again">
                {t.tr("Lampiran belum terkirim — pilih lagi: ", "The attachments were not sent — choose them again: ")}
                <span class="break-all font-normal">{dropped}</span>
            </p>
        })}
        <input id=id type="file" name="files" multiple accept="image/jpeg,image/png,application/pdf"
            class=format!("{INPUT_CLASS} bg-white") aria-describedby=described/>
    }
}
