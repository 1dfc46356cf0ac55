//! `/admin/instansi` (the agency tree: create, deactivate, CSV import with a preview) and
//! `/admin/pengguna` (accounts in the administrator's reach, invites, role changes).

use crate::api::access::{get_admin_agencies, get_admin_users};
use crate::components::fields::{outcome_of, AccessRefused, FormHeader, Submit, TextField};
use crate::components::INPUT_CLASS;
use crate::domain::access::AccountRole;
use crate::domain::views::{AgencyRef, ImportPreview};
use crate::domain::Field;
use crate::texts;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The preview of a CSV import: every row, its errors by field.
#[component]
fn ImportResult(preview: ImportPreview) -> impl IntoView {
    let t = texts();
    let bad = preview.error_count();
    let summary = if preview.applied {
        t.tr(
            "Impor selesai: semua baris disimpan.",
            "Import done: every row was saved.",
        )
    } else if preview.file_error.is_some() {
        t.tr(
            "Berkas tidak terbaca: baris pertama harus berisi kolom code dan name.",
            "The file cannot be read: the first line must name the columns code and name.",
        )
    } else if bad > 0 {
        t.tr(
            "Ada baris yang bermasalah. Tidak ada yang disimpan; perbaiki lalu coba lagi.",
            "Some rows have problems. Nothing was saved; fix them and try again.",
        )
    } else {
        t.tr(
            "Pratinjau: semua baris dapat diimpor.",
            "Preview: every row can be imported.",
        )
    };
    view! {
        <div role="status" class="mt-4 border-l-4 border-stone-700 bg-white p-3" data-testid="import-result">
            <p class="font-semibold">{summary}</p>
            <table class="mt-2 w-full text-left text-sm">
                <thead><tr>
                    <th scope="col">{t.tr("Baris", "Line")}</th>
                    <th scope="col">{t.field_label(Field::AgencyCode)}</th>
                    <th scope="col">{t.tr("Masalah", "Problems")}</th>
                </tr></thead>
                <tbody>
                    {preview.rows.into_iter().map(|r| view! {
                        <tr class="border-t border-stone-200" data-testid="import-row">
                            <td>{r.line}</td>
                            <td class="font-mono">{r.code}</td>
                            <td>
                                {if r.errors.is_empty() { "✓".to_string() } else {
                                    r.errors.iter().map(|(f, e)| t.field_error(*f, *e)).collect::<Vec<_>>().join("; ")
                                }}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Indentation of a tree level (classes written out so Tailwind finds them; no inline styles
/// under the CSP).
fn indent(depth: u32) -> &'static str {
    match depth {
        0 => "pl-0",
        1 => "pl-5",
        2 => "pl-10",
        3 => "pl-15",
        _ => "pl-20",
    }
}

/// `/admin/instansi`.
#[component]
pub fn AdminAgenciesPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| get_admin_agencies());
    let title = t.tr("Instansi", "Agencies");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let o = outcome_of(&p.outcome, "agency");
                        let oi = outcome_of(&p.outcome, "import");
                        let parents: Vec<AgencyRef> = p.tree.iter().map(|n| AgencyRef {
                            id: n.id, code: n.code.clone(), name: format!("{}{}", "· ".repeat(n.depth as usize), n.name),
                        }).collect();
                        view! {
                            <ul class="mt-4 border-y border-stone-300" data-testid="agency-tree">
                                {p.tree.into_iter().map(|n| {
                                    view! {
                                        <li class=format!("flex flex-wrap items-center justify-between gap-2 py-1 {}", indent(n.depth))>
                                            <span>
                                                <span class="font-mono text-sm">{n.code.clone()}</span> " " {n.name.clone()}
                                                {(!n.active).then(|| view! { " " <em>{t.tr("(nonaktif)", "(inactive)")}</em> })}
                                            </span>
                                            <form method="post" action="/admin/instansi">
                                                <input type="hidden" name="action" value="status"/>
                                                <input type="hidden" name="agency" value=n.id.to_string()/>
                                                <input type="hidden" name="active" value=if n.active { "false" } else { "true" }/>
                                                <button type="submit" class="text-sm underline">
                                                    {if n.active { t.tr("Nonaktifkan", "Deactivate") } else { t.tr("Aktifkan", "Activate") }}
                                                    <span class="sr-only">" " {n.code.clone()}</span>
                                                </button>
                                            </form>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Tambah instansi", "Add an agency")}</h2>
                            <form method="post" action="/admin/instansi" novalidate data-testid="agency-form">
                                <input type="hidden" name="action" value="create"/>
                                <FormHeader outcome=o.clone()/>
                                <TextField field=Field::AgencyCode name="code" value=o.value("code") hint=t.tr("Huruf, angka, titik atau tanda hubung, misalnya 76-BAPPEDA.", "Letters, digits, dots or dashes, e.g. 76-BAPPEDA.") outcome=o.clone()/>
                                <TextField field=Field::AgencyName name="name" value=o.value("name") outcome=o.clone()/>
                                <div class="mt-4">
                                    <label for="f-parent" class="block font-semibold">{t.field_label(Field::ParentAgency)}</label>
                                    <select id="f-parent" name="parent_code" class=INPUT_CLASS>
                                        <option value="">{t.tr("(tanpa induk)", "(no parent)")}</option>
                                        {parents.into_iter().map(|a| {
                                            let selected = o.value("parent_code") == a.code;
                                            view! { <option value=a.code selected=selected>{a.name}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="mt-4">
                                    <label for="f-agency-kind" class="block font-semibold">{t.field_label(Field::AgencyKind)}</label>
                                    <select id="f-agency-kind" name="kind" class=INPUT_CLASS>
                                        <option value="opd">{t.tr("Perangkat daerah (OPD)", "Regional agency (OPD)")}</option>
                                        <option value="unit">{t.tr("Unit", "Unit")}</option>
                                        <option value="regency">{t.tr("Kabupaten/kota", "Regency/city")}</option>
                                        <option value="province">{t.tr("Provinsi", "Province")}</option>
                                        <option value="ministry">{t.tr("Kementerian/lembaga", "Ministry/institution")}</option>
                                    </select>
                                </div>
                                <Submit label=t.tr("Simpan", "Save")/>
                            </form>
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Impor dari CSV", "Import from CSV")}</h2>
                            <form method="post" action="/admin/instansi" novalidate data-testid="import-form">
                                <input type="hidden" name="action" value="import"/>
                                <label for="f-csv" class="block font-semibold">{t.tr("Isi CSV", "CSV content")}</label>
                                <p id="f-csv-hint" class="text-sm text-stone-600 font-mono">"code,name,parent_code,kind,region_code,utc_offset_minutes,head_name,head_email"</p>
                                <textarea id="f-csv" name="csv" rows="6" aria-describedby="f-csv-hint" class=format!("{INPUT_CLASS} font-mono text-sm")>{oi.value("csv")}</textarea>
                                <div class="flex flex-wrap gap-4">
                                    <Submit label=t.tr("Pratinjau", "Preview") name="mode" value="preview"/>
                                    <Submit label=t.tr("Impor", "Import") name="mode" value="apply"/>
                                </div>
                            </form>
                            {p.import.map(|preview| view! { <ImportResult preview/> })}
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/pengguna`.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| get_admin_users());
    let title = t.tr("Pengguna", "Users");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let o = outcome_of(&p.outcome, "invite");
                        let agencies = p.agencies.clone();
                        let staff_roles = [AccountRole::Verifier, AccountRole::AgencyAdmin, AccountRole::AgencyOfficer, AccountRole::Supervisor, AccountRole::SystemAdmin];
                        view! {
                            <table class="mt-4 w-full text-left text-sm" data-testid="accounts">
                                <thead><tr>
                                    <th scope="col">{t.field_label(Field::Email)}</th>
                                    <th scope="col">{t.field_label(Field::Role)}</th>
                                    <th scope="col">{t.tr("2 langkah", "2-step")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.accounts.into_iter().map(|a| view! {
                                        <tr class="border-t border-stone-200">
                                            <td>{a.email}<br/><span class="text-stone-600">{a.display_name}</span></td>
                                            <td>{super::role_text(a.role)}</td>
                                            <td>{if a.totp_enabled { "✓" } else { "—" }}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Undang staf", "Invite staff")}</h2>
                            {p.invite_url.map(|u| view! {
                                <p role="status" class="mt-2 border-l-4 border-emerald-700 bg-white p-3">
                                    {t.tr("Kirim tautan sekali pakai ini kepada yang diundang (berlaku 7 hari): ", "Send this one-time link to the person invited (valid 7 days): ")}
                                    <code class="break-all font-mono" data-testid="invite-url">{u}</code>
                                </p>
                            })}
                            <form method="post" action="/admin/pengguna" novalidate data-testid="invite-form">
                                <FormHeader outcome=o.clone()/>
                                <TextField field=Field::Email name="email" kind="email" value=o.value("email") outcome=o.clone()/>
                                <div class="mt-4">
                                    <label for="f-role" class="block font-semibold">{t.field_label(Field::Role)}</label>
                                    <select id="f-role" name="role" class=INPUT_CLASS>
                                        {staff_roles.into_iter().map(|r| view! { <option value=r.as_str()>{super::role_text(r)}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="mt-4">
                                    <label for="f-agency" class="block font-semibold">{t.field_label(Field::Agency)}</label>
                                    <select id="f-agency" name="agency_code" class=INPUT_CLASS>
                                        <option value="">"—"</option>
                                        {agencies.into_iter().map(|a| view! { <option value=a.code>{a.name}</option> }).collect_view()}
                                    </select>
                                </div>
                                <Submit label=t.tr("Buat tautan undangan", "Create invite link")/>
                            </form>
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}
