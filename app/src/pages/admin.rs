//! `/admin/instansi` (the agency tree: create, deactivate, CSV import with a preview) and
//! `/admin/pengguna` (accounts in the administrator's reach, invites, role changes).

use crate::api::accounts::get_admin_users;
use crate::api::office::{get_admin_agencies, get_admin_agency};
use crate::components::act::{act_form, ActFieldMessage, ActHeader, ActState, ActSubmit, FormSpec};
use crate::components::fields::{AccessRefused, TextField};
use crate::components::{
    AdminTabs, DangerConfirm, BUTTON_CLASS, DANGER_BUTTON_CLASS, INPUT_CLASS,
    SECONDARY_BUTTON_CLASS,
};
use crate::domain::access::AccountRole;
use crate::domain::accounts::{ChangeRole, InviteStaff, SetAccountActive};
use crate::domain::office::{
    AddRoutingRule, ConfirmHolidayYear, CreateAgency, ImportAgencies, RemoveHoliday,
    RemoveRoutingRule, SetAgencyActive, SetHoliday, UpdateAgency,
};
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
    let reload = Callback::new(move |_| page.refetch());
    // The preview of the last import (hydrated; without JavaScript it comes with the page).
    let preview = RwSignal::new(None::<ImportPreview>);
    let title = t.tr("Instansi", "Agencies");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <AdminTabs current="/admin/instansi" system_admin=true/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let parents: Vec<AgencyRef> = p.tree.iter().map(|n| n.choice()).collect();
                        let posted_preview = p.import.clone();
                        view! {
                            <ul class="mt-4 border-y border-stone-300" data-testid="agency-tree">
                                {p.tree.into_iter().map(|n| {
                                    let (id, active, code) = (n.id, n.active, n.code.clone());
                                    view! {
                                        <li class=format!("flex flex-wrap items-center justify-between gap-2 py-1 {}", indent(n.depth))>
                                            <span>
                                                <span class="font-mono text-sm">{n.code.clone()}</span> " "
                                                <a class="underline" href=format!("/admin/instansi/{}", n.id)>{n.name.clone()}</a>
                                                {(!n.active).then(|| view! { " " <em>{t.tr("(nonaktif)", "(inactive)")}</em> })}
                                            </span>
                                            {act_form(
                                                FormSpec::<SetAgencyActive>::new("/admin/instansi", format!("agency-status-{id}"))
                                                    .on_done(move |_| reload.run(())),
                                                move |st| view! {
                                                    <ActHeader state=st/>
                                                    <input type="hidden" name="agency" value=id.to_string()/>
                                                    <input type="hidden" name="active" value=if active { "false" } else { "true" }/>
                                                    <ActiveToggle st active name=code.clone() explain=t.tr("Instansi nonaktif tidak dapat dipilih saat meneruskan laporan, dan stafnya tidak dapat masuk. Laporan yang sudah ada tetap tersimpan.", "An inactive agency cannot be chosen when dispatching, and its staff cannot sign in. Its reports stay.")/>
                                                },
                                            )}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Tambah instansi", "Add an agency")}</h2>
                            {act_form(
                                FormSpec::<CreateAgency>::new("/admin/instansi", "agency-form").on_done(move |_| reload.run(())),
                                move |st| view! {
                                <ActHeader state=st/>
                                <TextField field=Field::AgencyCode name="code" value=st.value("code") hint=t.tr("Huruf, angka, titik atau tanda hubung, misalnya 76-BAPPEDA.", "Letters, digits, dots or dashes, e.g. 76-BAPPEDA.") outcome=Default::default() act=st/>
                                <TextField field=Field::AgencyName name="name" value=st.value("name") outcome=Default::default() act=st/>
                                <div class="mt-4">
                                    <label for="f-parent" class="block font-semibold">{t.field_label(Field::ParentAgency)}</label>
                                    <select id="f-parent" name="parent_code" class=INPUT_CLASS>
                                        <option value="">{t.tr("(tanpa induk)", "(no parent)")}</option>
                                        {parents.into_iter().map(|a| {
                                            let selected = st.value("parent_code") == a.code;
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
                                <ActSubmit state=st label=t.tr("Simpan", "Save")/>
                                },
                            )}
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Impor dari CSV", "Import from CSV")}</h2>
                            {act_form(
                                FormSpec::<ImportAgencies>::new("/admin/instansi", "import-form")
                                    .keep(true)
                                    .on_done(move |out: ImportPreview| {
                                        if out.applied {
                                            reload.run(());
                                        }
                                        preview.set(Some(out));
                                    }),
                                move |st| {
                                let csv = if posted_preview.as_ref().is_some_and(|p| p.applied) { String::new() } else { st.value("csv") };
                                view! {
                                <ActHeader state=st/>
                                <label for="f-csv" class="block font-semibold">{t.tr("Isi CSV", "CSV content")}</label>
                                <p id="f-csv-hint" class="break-all font-mono text-sm text-stone-600">"code,name,parent_code,kind,region_code,utc_offset_minutes,head_name,head_email"</p>
                                <textarea id="f-csv" name="csv" rows="6" aria-describedby="f-csv-hint" class=format!("{INPUT_CLASS} font-mono text-sm")>{csv}</textarea>
                                <div class="flex flex-wrap gap-4">
                                    <ActMode state=st label=t.tr("Pratinjau", "Preview") value="preview"/>
                                    <ActMode state=st label=t.tr("Impor", "Import") value="apply"/>
                                </div>
                                }},
                            )}
                            {move || preview.get().or_else(|| p.import.clone()).map(|preview| view! { <ImportResult preview/> })}
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// A submit button that names the form's mode (`mode=value`), disabled while the action is
/// under way.
#[component]
fn ActMode(state: ActState, label: &'static str, value: &'static str) -> impl IntoView {
    view! {
        <button type="submit" name="mode" value=value class=format!("{BUTTON_CLASS} mt-3 disabled:opacity-60") disabled=move || state.pending.get()>
            {label}
        </button>
    }
}

/// Activating an agency or an account is one button; deactivating is behind a confirmation that
/// says what it does, with a red button naming what is deactivated.
#[component]
fn ActiveToggle(st: ActState, active: bool, name: String, explain: &'static str) -> impl IntoView {
    let t = texts();
    if active {
        view! {
            <DangerConfirm label=format!("{}…", t.tr("Nonaktifkan", "Deactivate")) explain=explain.to_string()>
                <button type="submit" class=format!("{DANGER_BUTTON_CLASS} mt-2 max-w-full break-all") disabled=move || st.pending.get()>
                    {t.tr("Ya, nonaktifkan ", "Yes, deactivate ")} {name}
                </button>
            </DangerConfirm>
        }
        .into_any()
    } else {
        view! {
            <button type="submit" class=SECONDARY_BUTTON_CLASS disabled=move || st.pending.get()>
                {t.tr("Aktifkan", "Activate")}<span class="sr-only">" " {name}</span>
            </button>
        }
        .into_any()
    }
}

/// `/admin/pengguna`.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| get_admin_users());
    let reload = Callback::new(move |_| page.refetch());
    // The link of the last invite (hydrated; without JavaScript it comes with the page).
    let invited = RwSignal::new(None::<String>);
    let title = t.tr("Pengguna", "Users");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let agencies = p.agencies.clone();
                        let invite_agencies = p.agencies.clone();
                        let staff_roles = [AccountRole::Verifier, AccountRole::AgencyAdmin, AccountRole::AgencyOfficer, AccountRole::Supervisor, AccountRole::SystemAdmin];
                        // Every role, the current one selected: a citizen's row shows "Warga".
                        let all_roles = AccountRole::ALL;
                        let posted_url = p.invite_url.clone();
                        let system_admin = p.system_admin;
                        view! {
                            <AdminTabs current="/admin/pengguna" system_admin/>
                            // Wide on a phone: the table scrolls inside its box, the page does not.
                            <div class="relative mt-4 overflow-x-auto">
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
                                        let (id, active, role) = (a.id, a.active, a.role);
                                        let agencies = agencies.clone();
                                        let login2 = login.clone();
                                        view! {
                                        <tr class="border-t border-stone-200 align-top" data-testid="account-row">
                                            <td>{login.clone()}<br/><span class="text-stone-600">{a.display_name.clone()}</span>
                                                {(!a.active).then(|| view! { <br/><em>{t.tr("nonaktif", "inactive")}</em> })}</td>
                                            <td data-testid="account-role">{super::role_text(a.role)}</td>
                                            <td>{if a.totp_enabled { "✓" } else { "—" }}</td>
                                            <td>
                                                {act_form(
                                                    FormSpec::<ChangeRole>::new("/admin/pengguna", format!("role-{id}"))
                                                        .class("flex flex-wrap items-end gap-2")
                                                        .on_done(move |_| reload.run(())),
                                                    move |st| view! {
                                                    <ActHeader state=st/>
                                                    <input type="hidden" name="account" value=id.to_string()/>
                                                    <label for=role_id.clone() class="sr-only">{t.field_label(Field::Role)} " " {login.clone()}</label>
                                                    <select id=role_id name="role" class="rounded border border-stone-700 bg-white px-1 py-1">
                                                        {
                                                            // After a refusal: the role chosen, else the current one.
                                                            let typed = st.value("role");
                                                            all_roles.into_iter().map(|r| {
                                                                let selected = if typed.is_empty() { r == role } else { typed == r.as_str() };
                                                                view! { <option value=r.as_str() selected=selected>{super::role_text(r)}</option> }
                                                            }).collect_view()
                                                        }
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
                                                    <button type="submit" class=SECONDARY_BUTTON_CLASS disabled=move || st.pending.get()>{t.tr("Simpan", "Save")}<span class="sr-only">" " {login.clone()}</span></button>
                                                    },
                                                )}
                                                {act_form(
                                                    FormSpec::<SetAccountActive>::new("/admin/pengguna", format!("account-status-{id}"))
                                                        .class("mt-1")
                                                        .on_done(move |_| reload.run(())),
                                                    move |st| view! {
                                                    <ActHeader state=st/>
                                                    <input type="hidden" name="account" value=id.to_string()/>
                                                    <input type="hidden" name="active" value=if active { "false" } else { "true" }/>
                                                    <ActiveToggle st active name=login2.clone() explain=t.tr("Akun nonaktif tidak dapat masuk dan sesinya berakhir. Riwayat kerjanya tetap tercatat.", "A deactivated account cannot sign in and its sessions end. Its work stays on record.")/>
                                                    },
                                                )}
                                            </td>
                                        </tr>
                                    }}).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Undang staf", "Invite staff")}</h2>
                            {move || invited.get().or_else(|| posted_url.clone()).map(|u| view! {
                                <p role="status" class="mt-2 border-l-4 border-emerald-700 bg-white p-3">
                                    {t.tr("Kirim tautan sekali pakai ini kepada yang diundang (berlaku 7 hari): ", "Send this one-time link to the person invited (valid 7 days): ")}
                                    <code class="break-all font-mono" data-testid="invite-url">{u}</code>
                                </p>
                            })}
                            {act_form(
                                FormSpec::<InviteStaff>::new("/admin/pengguna", "invite-form").on_done(move |url| invited.set(Some(url))),
                                move |st| view! {
                                <ActHeader state=st/>
                                <TextField field=Field::Email name="email" kind="email" value=st.value("email") outcome=Default::default() act=st/>
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
                                        {invite_agencies.iter().map(|a| view! { <option value=a.code.clone()>{a.name.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <ActSubmit state=st label=t.tr("Buat tautan undangan", "Create invite link")/>
                                },
                            )}
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Transition>
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
                        let a = p.agency.clone();
                        let kinds = [
                            ("opd", t.tr("Perangkat daerah (OPD)", "Regional agency (OPD)")),
                            ("unit", t.tr("Unit", "Unit")),
                            ("regency", t.tr("Kabupaten/kota", "Regency/city")),
                            ("province", t.tr("Provinsi", "Province")),
                            ("ministry", t.tr("Kementerian/lembaga", "Ministry/institution")),
                        ];
                        let zones = [("", t.tr("Ikuti wilayah", "Follow the region")), ("420", "WIB (UTC+7)"), ("480", "WITA (UTC+8)"), ("540", "WIT (UTC+9)")];
                        let to = format!("/admin/instansi/{}", a.id);
                        view! {
                            <Title text=a.name.clone()/>
                            <p class="font-mono text-sm">{a.code.clone()}</p>
                            <h1 class="text-2xl font-bold">{a.name.clone()}</h1>
                            {act_form(FormSpec::<UpdateAgency>::new(to, "agency-edit-form"), move |st| {
                                // After a refusal: what was typed; else the agency as it is.
                                let posted = st.outcome.with_untracked(|o| !o.form.is_empty());
                                let pick = move |name: &str, current: String| if posted { st.value(name) } else { current };
                                let parent = pick("parent_code", p.parent_code.clone().unwrap_or_default());
                                let kind = pick("kind", a.kind.clone());
                                let tz = pick("utc_offset_minutes", a.utc_offset_minutes.map(|m| m.to_string()).unwrap_or_default());
                                view! {
                                <ActHeader state=st/>
                                <input type="hidden" name="id" value=a.id.to_string()/>
                                <TextField field=Field::AgencyName name="name" value=pick("name", a.name.clone()) outcome=Default::default() act=st/>
                                <div class="mt-4">
                                    <label for="f-parent" class="block font-semibold">{t.field_label(Field::ParentAgency)}</label>
                                    <ActFieldMessage state=st field=Field::ParentAgency id="f-parent-error"/>
                                    <select id="f-parent" name="parent_code" class=INPUT_CLASS>
                                        <option value="">{t.tr("(tanpa induk)", "(no parent)")}</option>
                                        {p.parents.iter().map(|g| {
                                            let selected = g.code == parent;
                                            view! { <option value=g.code.clone() selected=selected>{g.name.clone()}</option> }
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
                                    hint=t.tr("Kode wilayah Kemendagri, misalnya 76 atau 76.04.", "Kemendagri region code, e.g. 76 or 76.04.") outcome=Default::default() act=st/>
                                <div class="mt-4">
                                    <label for="f-tz" class="block font-semibold">{t.tr("Zona waktu", "Time zone")}</label>
                                    <select id="f-tz" name="utc_offset_minutes" class=INPUT_CLASS>
                                        {zones.into_iter().map(|(v, label)| view! { <option value=v selected=v == tz>{label}</option> }).collect_view()}
                                    </select>
                                </div>
                                <TextField field=Field::Name name="head_name" value=pick("head_name", a.head_name.clone().unwrap_or_default())
                                    hint=t.tr("Pimpinan instansi (penerima laporan keterlambatan).", "Head of the agency (receives overdue reports).") outcome=Default::default() act=st/>
                                <TextField field=Field::Email name="head_email" kind="email" value=pick("head_email", a.head_email.clone().unwrap_or_default()) outcome=Default::default() act=st/>
                                <ActSubmit state=st label=t.tr("Simpan", "Save")/>
                                }
                            })}
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
    let page = Resource::new_blocking(|| (), |_| crate::api::office::get_holidays_page());
    let reload = Callback::new(move |_| page.refetch());
    let title = t.tr("Hari libur", "Holidays");
    let kind_text = move |k: &str| match k {
        "holiday" => t.tr("Libur nasional", "National holiday"),
        "cuti_bersama" => t.tr("Cuti bersama", "Collective leave"),
        _ => t.tr("Hari kerja (koreksi)", "Working day (correction)"),
    };
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <AdminTabs current="/admin/libur" system_admin=true/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <p class="mt-2">{t.tr(
            "Batas waktu dihitung dalam hari kerja. Perubahan di sini berlaku untuk batas waktu yang dihitung sesudahnya.",
            "Deadlines count working days. Changes here apply to deadlines computed afterwards.",
        )}</p>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
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
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Tambah atau koreksi hari", "Add or correct a day")}</h2>
                            {act_form(
                                FormSpec::<SetHoliday>::new("/admin/libur", "holiday-form").class("mt-2 max-w-xl").on_done(move |_| reload.run(())),
                                move |st| view! {
                                <ActHeader state=st/>
                                <label for="f-holiday-day" class="mt-2 block font-semibold">{t.tr("Tanggal", "Date")}</label>
                                <input id="f-holiday-day" type="date" name="day" value=st.value("day") class=crate::components::INPUT_CLASS/>
                                <label for="f-holiday-kind" class="mt-2 block font-semibold">{t.tr("Jenis", "Kind")}</label>
                                <select id="f-holiday-kind" name="kind" class=crate::components::INPUT_CLASS>
                                    <option value="holiday">{t.tr("Libur nasional", "National holiday")}</option>
                                    <option value="cuti_bersama">{t.tr("Cuti bersama", "Collective leave")}</option>
                                    <option value="working_day">{t.tr("Hari kerja (koreksi)", "Working day (correction)")}</option>
                                </select>
                                <TextField field=Field::Name name="name" value=st.value("name")
                                    hint=t.tr("Misalnya \"Idul Fitri 1448 H\" (sesuai SKB).", "E.g. \"Idul Fitri 1448 H\" (as in the decree).") outcome=Default::default() act=st/>
                                <ActSubmit state=st label=t.tr("Simpan hari", "Save the day")/>
                                },
                            )}
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Tahun", "Years")}</h2>
                            <ul class="mt-2 space-y-2">
                                {p.years.iter().map(|(y, done)| {
                                    let y = *y;
                                    view! {
                                        <li data-testid="holiday-year">
                                            {if *done {
                                                view! { <span>{format!("{y}: ")}{t.tr("lengkap", "complete")}</span> }.into_any()
                                            } else {
                                                act_form(
                                                    FormSpec::<ConfirmHolidayYear>::new("/admin/libur", format!("holiday-year-{y}"))
                                                        .class("flex flex-wrap items-center gap-2")
                                                        .on_done(move |_| reload.run(())),
                                                    move |st| view! {
                                                        <ActHeader state=st/>
                                                        <input type="hidden" name="year" value=y.to_string()/>
                                                        <span>{format!("{y}: ")}{t.tr("belum lengkap", "not complete")}</span>
                                                        <button type="submit" class="underline disabled:opacity-60" disabled=move || st.pending.get()>{format!("{} {y} {}", t.tr("Tetapkan", "Confirm"), t.tr("lengkap (SKB sudah dimasukkan)", "complete (decree entered)"))}</button>
                                                    },
                                                ).into_any()
                                            }}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            // The form and the years first: the list is long (every holiday of
                            // every year), and an administrator comes here to add or confirm.
                            <h2 class="mt-6 text-lg font-bold">{t.tr("Hari dalam kalender", "Days in the calendar")}</h2>
                            <table class="mt-2 w-full text-left text-sm" data-testid="holidays">
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
                                                <td>{h.corrected.then(|| act_form(
                                                    FormSpec::<RemoveHoliday>::new("/admin/libur", format!("holiday-remove-{day}"))
                                                        .on_done(move |_| reload.run(())),
                                                    move |st| view! {
                                                        <ActHeader state=st/>
                                                        <input type="hidden" name="day" value=day.clone()/>
                                                        <button type="submit" class="underline disabled:opacity-60" disabled=move || st.pending.get()>{t.tr("Hapus", "Remove")}<span class="sr-only">" " {day.clone()}</span></button>
                                                    },
                                                ))}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    }
                    Err(e) => view! { <crate::components::fields::AccessRefused error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/admin/rute`: routing rules (category × region → agency) behind dispatch suggestions.
#[component]
pub fn AdminRoutingPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| crate::api::office::get_routing_page());
    let reload = Callback::new(move |_| page.refetch());
    let title = t.tr("Aturan rute", "Routing rules");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <AdminTabs current="/admin/rute" system_admin=true/>
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
