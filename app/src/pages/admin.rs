//! `/admin/instansi` (the agency tree: create, deactivate, CSV import with a preview) and
//! `/admin/pengguna` (accounts in the administrator's reach, invites, role changes).

use crate::api::access::{get_admin_agencies, get_admin_agency, get_admin_users};
use crate::components::act::{act_form, ActHeader, ActSubmit, FormSpec};
use crate::components::fields::{outcome_of, AccessRefused, FormHeader, Submit, TextField};
use crate::components::CsrfField;
use crate::components::INPUT_CLASS;
use crate::domain::access::AccountRole;
use crate::domain::office::{AddRoutingRule, RemoveRoutingRule};
use crate::domain::views::{AgencyRef, ImportPreview};
use crate::domain::Field;
use crate::texts;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

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
                                                <span class="font-mono text-sm">{n.code.clone()}</span> " "
                                                <a class="underline" href=format!("/admin/instansi/{}", n.id)>{n.name.clone()}</a>
                                                {(!n.active).then(|| view! { " " <em>{t.tr("(nonaktif)", "(inactive)")}</em> })}
                                            </span>
                                            <form method="post" action="/admin/instansi"><CsrfField/>
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
                            <form method="post" action="/admin/instansi" novalidate data-testid="agency-form"><CsrfField/>
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
                            <form method="post" action="/admin/instansi" novalidate data-testid="import-form"><CsrfField/>
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
                        let om = outcome_of(&p.outcome, "manage");
                        let agencies = p.agencies.clone();
                        let invite_agencies = p.agencies.clone();
                        let staff_roles = [AccountRole::Verifier, AccountRole::AgencyAdmin, AccountRole::AgencyOfficer, AccountRole::Supervisor, AccountRole::SystemAdmin];
                        // Every role, the current one selected: a citizen's row shows "Warga".
                        let all_roles = AccountRole::ALL;
                        view! {
                            <FormHeader outcome=om/>
                            // Wide on a phone: the table scrolls inside its box, the page does not.
                            <div class="mt-4 overflow-x-auto">
                            <table class="w-full min-w-[40rem] text-left text-sm" data-testid="accounts">
                                <thead><tr>
                                    <th scope="col">{t.field_label(Field::Email)}</th>
                                    <th scope="col">{t.field_label(Field::Role)}</th>
                                    <th scope="col">{t.tr("2 langkah", "2-step")}</th>
                                    <th scope="col">{t.tr("Ubah", "Change")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.accounts.into_iter().map(|a| {
                                        let login = a.email.clone().or(a.phone.clone()).unwrap_or_default();
                                        let role_id = format!("f-role-{}", a.id);
                                        let agency_id = format!("f-agency-{}", a.id);
                                        let confirm_id = format!("f-confirm-{}", a.id);
                                        let current_agency = a.agency_id;
                                        view! {
                                        <tr class="border-t border-stone-200 align-top" data-testid="account-row">
                                            <td>{login.clone()}<br/><span class="text-stone-600">{a.display_name.clone()}</span>
                                                {(!a.active).then(|| view! { <br/><em>{t.tr("nonaktif", "inactive")}</em> })}</td>
                                            <td data-testid="account-role">{super::role_text(a.role)}</td>
                                            <td>{if a.totp_enabled { "✓" } else { "—" }}</td>
                                            <td>
                                                <form method="post" action="/admin/pengguna" class="flex flex-wrap items-end gap-2"><CsrfField/>
                                                    <input type="hidden" name="action" value="role"/>
                                                    <input type="hidden" name="account" value=a.id.to_string()/>
                                                    <label for=role_id.clone() class="sr-only">{t.field_label(Field::Role)} " " {login.clone()}</label>
                                                    <select id=role_id name="role" class="rounded border border-stone-700 bg-white px-1 py-1">
                                                        {all_roles.into_iter().map(|r| view! { <option value=r.as_str() selected=r == a.role>{super::role_text(r)}</option> }).collect_view()}
                                                    </select>
                                                    <label for=agency_id.clone() class="sr-only">{t.field_label(Field::Agency)} " " {login.clone()}</label>
                                                    <select id=agency_id name="agency_code" class="max-w-48 rounded border border-stone-700 bg-white px-1 py-1">
                                                        <option value="">"—"</option>
                                                        {agencies.iter().map(|g| view! { <option value=g.code.clone() selected=Some(g.id) == current_agency>{g.name.clone()}</option> }).collect_view()}
                                                    </select>
                                                    <span class="flex items-center gap-1">
                                                        <input type="checkbox" id=confirm_id.clone() name="confirm" value="1" class="h-5 w-5"/>
                                                        <label for=confirm_id>{t.tr("Ya, ubah peran", "Yes, change the role")}</label>
                                                    </span>
                                                    <button type="submit" class="underline">{t.tr("Simpan", "Save")}<span class="sr-only">" " {login.clone()}</span></button>
                                                </form>
                                                <form method="post" action="/admin/pengguna" class="mt-1"><CsrfField/>
                                                    <input type="hidden" name="action" value="status"/>
                                                    <input type="hidden" name="account" value=a.id.to_string()/>
                                                    <input type="hidden" name="active" value=if a.active { "false" } else { "true" }/>
                                                    <button type="submit" class="underline">
                                                        {if a.active { t.tr("Nonaktifkan", "Deactivate") } else { t.tr("Aktifkan", "Activate") }}
                                                        <span class="sr-only">" " {login.clone()}</span>
                                                    </button>
                                                </form>
                                            </td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Undang staf", "Invite staff")}</h2>
                            {p.invite_url.map(|u| view! {
                                <p role="status" class="mt-2 border-l-4 border-emerald-700 bg-white p-3">
                                    {t.tr("Kirim tautan sekali pakai ini kepada yang diundang (berlaku 7 hari): ", "Send this one-time link to the person invited (valid 7 days): ")}
                                    <code class="break-all font-mono" data-testid="invite-url">{u}</code>
                                </p>
                            })}
                            <form method="post" action="/admin/pengguna" novalidate data-testid="invite-form"><CsrfField/>
                                <input type="hidden" name="action" value="invite"/>
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
                                        {invite_agencies.into_iter().map(|a| view! { <option value=a.code>{a.name}</option> }).collect_view()}
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

/// `/admin/instansi/{id}`: edit or move one agency.
#[component]
pub fn AdminAgencyPage() -> impl IntoView {
    let t = texts();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|s| s.parse::<i32>().ok())
            .unwrap_or(0)
    };
    let page = Resource::new_blocking(id, get_admin_agency);
    view! {
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let o = outcome_of(&p.outcome, "edit");
                        let posted = p.outcome.as_ref().is_some_and(|x| x.form == "edit");
                        let pick = |name: &str, current: String| if posted { o.value(name) } else { current };
                        let a = p.agency.clone();
                        let parent = pick("parent_code", p.parent_code.clone().unwrap_or_default());
                        let kind = pick("kind", a.kind.clone());
                        let tz = pick("utc_offset_minutes", a.utc_offset_minutes.map(|m| m.to_string()).unwrap_or_default());
                        let kinds = [
                            ("opd", t.tr("Perangkat daerah (OPD)", "Regional agency (OPD)")),
                            ("unit", t.tr("Unit", "Unit")),
                            ("regency", t.tr("Kabupaten/kota", "Regency/city")),
                            ("province", t.tr("Provinsi", "Province")),
                            ("ministry", t.tr("Kementerian/lembaga", "Ministry/institution")),
                        ];
                        let zones = [("", t.tr("Ikuti wilayah", "Follow the region")), ("420", "WIB (UTC+7)"), ("480", "WITA (UTC+8)"), ("540", "WIT (UTC+9)")];
                        view! {
                            <Title text=a.name.clone()/>
                            <p class="font-mono text-sm">{a.code.clone()}</p>
                            <h1 class="text-2xl font-bold">{a.name.clone()}</h1>
                            <form method="post" action=format!("/admin/instansi/{}", a.id) novalidate data-testid="agency-edit-form"><CsrfField/>
                                <input type="hidden" name="action" value="update"/>
                                <FormHeader outcome=o.clone()/>
                                <TextField field=Field::AgencyName name="name" value=pick("name", a.name.clone()) outcome=o.clone()/>
                                <div class="mt-4">
                                    <label for="f-parent" class="block font-semibold">{t.field_label(Field::ParentAgency)}</label>
                                    {o.errors.get(&Field::ParentAgency).map(|e| view! { <p id="f-parent-error" class="mt-1 font-semibold text-red-800">{t.field_error(Field::ParentAgency, *e)}</p> })}
                                    <select id="f-parent" name="parent_code" class=INPUT_CLASS>
                                        <option value="">{t.tr("(tanpa induk)", "(no parent)")}</option>
                                        {p.parents.into_iter().map(|g| {
                                            let selected = g.code == parent;
                                            view! { <option value=g.code selected=selected>{g.name}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <div class="mt-4">
                                    <label for="f-agency-kind" class="block font-semibold">{t.field_label(Field::AgencyKind)}</label>
                                    <select id="f-agency-kind" name="kind" class=INPUT_CLASS>
                                        {kinds.into_iter().map(|(k, label)| view! { <option value=k selected=k == kind>{label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <TextField field=Field::RegionCode name="region_code" value=pick("region_code", a.region_code.clone().unwrap_or_default())
                                    hint=t.tr("Kode wilayah Kemendagri, misalnya 76 atau 76.04.", "Kemendagri region code, e.g. 76 or 76.04.") outcome=o.clone()/>
                                <div class="mt-4">
                                    <label for="f-tz" class="block font-semibold">{t.tr("Zona waktu", "Time zone")}</label>
                                    <select id="f-tz" name="utc_offset_minutes" class=INPUT_CLASS>
                                        {zones.into_iter().map(|(v, label)| view! { <option value=v selected=v == tz>{label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <TextField field=Field::Name name="head_name" value=pick("head_name", a.head_name.clone().unwrap_or_default())
                                    hint=t.tr("Pimpinan instansi (penerima laporan keterlambatan).", "Head of the agency (receives overdue reports).") outcome=o.clone()/>
                                <TextField field=Field::Email name="head_email" kind="email" value=pick("head_email", a.head_email.clone().unwrap_or_default()) outcome=o.clone()/>
                                <Submit label=t.tr("Simpan", "Save")/>
                            </form>
                            <p class="mt-6"><a class="underline" href="/admin/instansi">{t.tr("Kembali ke daftar instansi", "Back to the agencies")}</a></p>
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/libur`: the holiday calendar behind every working-day deadline: add or correct
/// national holidays and *cuti bersama*, confirm a year once its decree is entered.
#[component]
pub fn AdminHolidaysPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| crate::api::access::get_holidays_page());
    let title = t.tr("Hari libur", "Holidays");
    let kind_text = move |k: &str| match k {
        "holiday" => t.tr("Libur nasional", "National holiday"),
        "cuti_bersama" => t.tr("Cuti bersama", "Collective leave"),
        _ => t.tr("Hari kerja (koreksi)", "Working day (correction)"),
    };
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <p class="mt-2">{t.tr(
            "Batas waktu dihitung dalam hari kerja. Perubahan di sini berlaku untuk batas waktu yang dihitung sesudahnya.",
            "Deadlines count working days. Changes here apply to deadlines computed afterwards.",
        )}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let o = crate::components::fields::outcome_of(&p.outcome, "holiday");
                        view! {
                            {p.provisional_from.map(|d| view! {
                                <p role="alert" class="mt-4 border-l-4 border-amber-600 bg-amber-50 p-3" data-testid="calendar-warning">
                                    <strong>{t.tr("Kalender belum lengkap: ", "The calendar is incomplete: ")}</strong>
                                    {format!("{} {}. ", t.tr("hari libur sejak", "holidays from"), d.format("%d-%m-%Y"))}
                                    {t.tr(
                                        "Masukkan hari libur dan cuti bersama dari SKB tahun itu, lalu tetapkan tahunnya lengkap.",
                                        "Enter that year's holidays and collective leave from its decree, then confirm the year complete.",
                                    )}
                                </p>
                            })}
                            <table class="mt-4 w-full text-left text-sm" data-testid="holidays">
                                <thead><tr>
                                    <th scope="col">{t.tr("Tanggal", "Date")}</th>
                                    <th scope="col">{t.tr("Jenis", "Kind")}</th>
                                    <th scope="col">{t.tr("Keterangan", "Name")}</th>
                                    <th scope="col"><span class="sr-only">{t.tr("Ubah", "Change")}</span></th>
                                </tr></thead>
                                <tbody>
                                    {p.days.iter().map(|h| {
                                        let day = h.day.format("%Y-%m-%d").to_string();
                                        view! {
                                            <tr class="border-t border-stone-200" data-testid="holiday-row">
                                                <td class="py-1 whitespace-nowrap">{h.day.format("%d-%m-%Y").to_string()}</td>
                                                <td>{kind_text(&h.kind)}</td>
                                                <td>{h.name.clone()} {(!h.corrected).then(|| view! { <span class="text-stone-600">{t.tr("(bawaan)", "(built in)")}</span> })}</td>
                                                <td>{h.corrected.then(|| view! {
                                                    <form method="post" action="/admin/libur"><CsrfField/>
                                                        <input type="hidden" name="action" value="remove"/>
                                                        <input type="hidden" name="day" value=day.clone()/>
                                                        <button type="submit" class="underline">{t.tr("Hapus", "Remove")}<span class="sr-only">" " {day.clone()}</span></button>
                                                    </form>
                                                })}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Tambah atau koreksi hari", "Add or correct a day")}</h2>
                            <form method="post" action="/admin/libur" class="mt-2 max-w-xl" novalidate data-testid="holiday-form"><CsrfField/>
                                <input type="hidden" name="action" value="set"/>
                                <crate::components::fields::FormHeader outcome=o.clone()/>
                                <label for="f-holiday-day" class="mt-2 block font-semibold">{t.tr("Tanggal", "Date")}</label>
                                <input id="f-holiday-day" type="date" name="day" value=o.value("day") class=crate::components::INPUT_CLASS/>
                                <label for="f-holiday-kind" class="mt-2 block font-semibold">{t.tr("Jenis", "Kind")}</label>
                                <select id="f-holiday-kind" name="kind" class=crate::components::INPUT_CLASS>
                                    <option value="holiday">{t.tr("Libur nasional", "National holiday")}</option>
                                    <option value="cuti_bersama">{t.tr("Cuti bersama", "Collective leave")}</option>
                                    <option value="working_day">{t.tr("Hari kerja (koreksi)", "Working day (correction)")}</option>
                                </select>
                                <crate::components::fields::TextField field=Field::Name name="name" value=o.value("name")
                                    hint=t.tr("Misalnya \"Idul Fitri 1448 H\" (sesuai SKB).", "E.g. \"Idul Fitri 1448 H\" (as in the decree).") outcome=o.clone()/>
                                <crate::components::fields::Submit label=t.tr("Simpan hari", "Save the day")/>
                            </form>
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Tahun", "Years")}</h2>
                            <ul class="mt-2 space-y-2">
                                {p.years.iter().map(|(y, done)| {
                                    let y = *y;
                                    view! {
                                        <li data-testid="holiday-year">
                                            {if *done {
                                                view! { <span>{format!("{y}: ")}{t.tr("lengkap", "complete")}</span> }.into_any()
                                            } else {
                                                view! {
                                                    <form method="post" action="/admin/libur" class="flex flex-wrap items-center gap-2"><CsrfField/>
                                                        <input type="hidden" name="action" value="confirm_year"/>
                                                        <input type="hidden" name="year" value=y.to_string()/>
                                                        <span>{format!("{y}: ")}{t.tr("belum lengkap", "not complete")}</span>
                                                        <button type="submit" class="underline">{format!("{} {y} {}", t.tr("Tetapkan", "Confirm"), t.tr("lengkap (SKB sudah dimasukkan)", "complete (decree entered)"))}</button>
                                                    </form>
                                                }.into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::components::fields::AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/admin/rute`: routing rules (category × region → agency) behind dispatch suggestions.
#[component]
pub fn AdminRoutingPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| crate::api::access::get_routing_page());
    let reload = Callback::new(move |_| page.refetch());
    let title = t.tr("Aturan rute", "Routing rules");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <p class="mt-2">{t.tr(
            "Aturan yang paling spesifik (kategori dan kabupaten/kota) menentukan instansi yang disarankan saat verifikator meneruskan laporan.",
            "The most specific rule (category and regency) decides the agency suggested when a verifier dispatches a report.",
        )}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        view! {
                            <ul class="mt-4 divide-y divide-stone-300 border-y border-stone-300" data-testid="rules">
                                {p.rules.iter().map(|r| view! {
                                    <li class="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="rule">
                                        <span>
                                            {r.category.clone().unwrap_or_else(|| t.tr("Semua kategori", "Any category").to_string())}
                                            " · "
                                            {r.region.clone().unwrap_or_else(|| t.tr("Semua wilayah", "Any region").to_string())}
                                            " → " <strong>{r.agency.name.clone()}</strong>
                                        </span>
                                        {
                                            let id = r.id;
                                            let spec = FormSpec::<RemoveRoutingRule>::new("/admin/rute", format!("remove-{id}"))
                                                .on_done(move |_| reload.run(()));
                                            act_form(spec, move |st| view! {
                                                <ActHeader state=st/>
                                                <input type="hidden" name="id" value=id.to_string()/>
                                                <ActSubmit state=st label=t.tr("Hapus", "Remove") class="underline"/>
                                            })
                                        }
                                    </li>
                                }).collect_view()}
                            </ul>
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Tambah aturan", "Add a rule")}</h2>
                            {
                            let categories = p.categories.clone();
                            let regions = p.regions.clone();
                            let agencies = p.agencies.clone();
                            act_form(
                                FormSpec::<AddRoutingRule>::new("/admin/rute", "rule-form")
                                    .class("mt-2 max-w-xl")
                                    .on_done(move |_| reload.run(())),
                                move |st| view! {
                                <ActHeader state=st/>
                                <label for="f-category" class="mt-2 block font-semibold">{t.category_label}</label>
                                <select id="f-category" name="category_id" class=crate::components::INPUT_CLASS>
                                    <option value="">{t.tr("Semua kategori", "Any category")}</option>
                                    {categories.iter().map(|c| view! { <option value=c.id.to_string()>{c.name_id.clone()}</option> }).collect_view()}
                                </select>
                                <label for="f-province" class="mt-2 block font-semibold">{t.tr("Wilayah", "Region")}</label>
                                <select id="f-province" name="region_code" class=crate::components::INPUT_CLASS>
                                    <option value="">{t.tr("Semua wilayah", "Any region")}</option>
                                    {regions.iter().map(|(code, name)| view! { <option value=code.clone()>{name.clone()}</option> }).collect_view()}
                                </select>
                                <label for="f-agency" class="mt-2 block font-semibold">{t.tr("Instansi", "Agency")}</label>
                                <select id="f-agency" name="agency_id" class=crate::components::INPUT_CLASS>
                                    {agencies.iter().map(|a| view! { <option value=a.id.to_string()>{a.name.clone()}</option> }).collect_view()}
                                </select>
                                <ActSubmit state=st label=t.tr("Tambah aturan", "Add rule")/>
                                },
                            )
                            }
                        }.into_any()
                    }
                    Err(e) => view! { <crate::components::fields::AccessRefused error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
