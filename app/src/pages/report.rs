//! `/lapor`: the report form. It works as a plain HTML form post (no JavaScript needed); when the
//! WASM has loaded, the same domain parser gives instant field messages and stops a submission
//! that would be refused.

use crate::api::get_report_form_page;
use crate::components::act::{act_form, ActSubmit, FormSpec};
use crate::components::{described_by, ErrorSummary, FieldMessage, PrivacyPreview, INPUT_CLASS};
use crate::domain::intake::SubmitReport;
use crate::domain::views::ReportFormPage;
#[cfg(feature = "hydrate")]
use crate::domain::ReportForm;
use crate::domain::{Field, FieldErrors, ReportKind};
use crate::texts;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn ReportPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| get_report_form_page());
    view! {
        <Title text=t.form_title/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <ReportFormView page=p/> }.into_any(),
                    Err(_) => view! { <super::ErrorMessage/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The latest date an incident may have, as the browser sees "now".
#[cfg(feature = "hydrate")]
fn today() -> chrono::NaiveDate {
    crate::domain::calendar::latest_local_date(chrono::Utc::now())
}

/// Reads the form's current values from the DOM (the source of truth, even for what was typed
/// before the page became interactive).
#[cfg(feature = "hydrate")]
fn read_form(form: &web_sys::HtmlFormElement) -> ReportForm {
    let data = web_sys::FormData::new_with_form(form).ok();
    ReportForm::from_lookup(|name| data.as_ref().and_then(|d| d.get(name).as_string()))
}

#[cfg(feature = "hydrate")]
fn form_of(ev: &web_sys::Event) -> Option<web_sys::HtmlFormElement> {
    use wasm_bindgen::JsCast;
    let target = ev.target()?;
    if let Ok(form) = target.clone().dyn_into::<web_sys::HtmlFormElement>() {
        return Some(form);
    }
    target
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("form")
        .ok()??
        .dyn_into::<web_sys::HtmlFormElement>()
        .ok()
}

#[component]
fn ReportFormView(page: ReportFormPage) -> impl IntoView {
    let t = texts();
    let (initial, initial_errors) = page.refused.clone().unwrap_or_default();
    if page.notice.as_deref() == Some("storage_full") {
        super::set_status(503);
    } else if !initial_errors.is_empty() {
        super::set_status(422);
    }
    let notice = RwSignal::new(page.notice.clone());
    let file_errors = initial_errors.clone();
    let errors = RwSignal::new(initial_errors);
    let errors_sig: Signal<FieldErrors> = errors.into();
    let province = RwSignal::new(initial.province.clone());
    // The privacy choices and name, for the preview; the form is read again on every change.
    let privacy = RwSignal::new((
        initial.anonymous,
        initial.confidential,
        initial.name.clone(),
        initial.show_name,
    ));
    let track_privacy = move |_ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_of(&_ev) {
            let f = read_form(&form);
            privacy.set((f.anonymous, f.confidential, f.name, f.show_name));
        }
    };

    // Re-checks one field against the whole form, as the server would.
    let recheck = move |_ev: &leptos::ev::Event, _field: Field, _only_if_shown: bool| {
        #[cfg(feature = "hydrate")]
        if let Some(form) = form_of(_ev) {
            if _only_if_shown && !errors.with_untracked(|e| e.contains_key(&_field)) {
                return;
            }
            let found = read_form(&form).check(_field, today());
            errors.update(|e| match found {
                Some(err) => {
                    e.insert(_field, err);
                }
                None => {
                    e.remove(&_field);
                }
            });
        }
    };
    // Before sending (hydrated): the same parse the server runs; what it would refuse is shown
    // at once, with the summary focused.
    let precheck = move |_fields: Vec<(String, String)>| -> Option<crate::domain::AppError> {
        #[cfg(feature = "hydrate")]
        {
            let form = ReportForm::from_lookup(|name| {
                _fields
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone())
            });
            if let Err(found) = form.parse(today()) {
                errors.set(found.clone());
                focus_summary();
                return Some(crate::domain::AppError::Validation(found));
            }
        }
        None
    };
    let text_field = move |field: Field,
                           name: &'static str,
                           label: &'static str,
                           hint: Option<&'static str>,
                           value: String,
                           attrs: (&'static str, &'static str, &'static str)| {
        let (input_type, autocomplete, inputmode) = attrs;
        let id = field.input_id();
        view! {
            <div class="mt-5">
                <label for=id class="block font-semibold">{label}</label>
                {hint.map(|h| view! { <p id=format!("{id}-hint") class="text-sm text-stone-600">{h}</p> })}
                <FieldMessage field errors=errors_sig/>
                <input
                    id=id
                    name=name
                    type=input_type
                    autocomplete=autocomplete
                    inputmode=(!inputmode.is_empty()).then_some(inputmode)
                    value=value
                    class=INPUT_CLASS
                    aria-describedby=described_by(field, errors_sig, hint.is_some())
                    aria-invalid=move || errors_sig.get().contains_key(&field).then_some("true")
                    on:blur=move |ev| recheck(&ev, field, false)
                    on:input=move |ev| recheck(&ev, field, true)
                />
            </div>
        }
    };

    let kind_field = {
        let initial_kind = initial.kind.clone();
        view! {
            <fieldset class="mt-2" aria-describedby=described_by(Field::Kind, errors_sig, false)>
                <legend class="font-semibold" id="f-kind-legend">{t.kind_legend}</legend>
                <FieldMessage field=Field::Kind errors=errors_sig/>
                {ReportKind::ALL
                    .into_iter()
                    .enumerate()
                    .map(|(i, k)| {
                        // The first radio carries the field's id, for the error summary link.
                        let id = if i == 0 { "f-kind".to_string() } else { format!("f-kind-{}", k.as_str()) };
                        let hint_id = format!("f-kind-{}-hint", k.as_str());
                        view! {
                            <div class="mt-2 flex items-start gap-3">
                                <input
                                    type="radio"
                                    id=id.clone()
                                    name="kind"
                                    value=k.as_str()
                                    checked=initial_kind == k.as_str()
                                    aria-describedby=hint_id.clone()
                                    class="mt-1 h-6 w-6 shrink-0 accent-emerald-800 focus:ring-4 focus:ring-amber-400"
                                    on:change=move |ev| recheck(&ev, Field::Kind, true)
                                />
                                <label for=id>
                                    <span class="font-semibold">{t.kind(k)}</span>
                                    <span id=hint_id class="block text-sm text-stone-600">{t.kind_hint(k)}</span>
                                </label>
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
        }
    };

    let categories = page.categories.clone();
    let initial_category = initial.category_id.clone();
    let lang = t.lang;
    let category_field = view! {
        <div class="mt-5">
            <label for="f-category" class="block font-semibold">
                {t.category_label} " " <span class="font-normal text-stone-600">{t.optional}</span>
            </label>
            <FieldMessage field=Field::CategoryId errors=errors_sig/>
            <select id="f-category" name="category_id" class=INPUT_CLASS
                aria-describedby=described_by(Field::CategoryId, errors_sig, false)
                on:change=move |ev| recheck(&ev, Field::CategoryId, true)>
                <option value="">{t.category_none}</option>
                {categories
                    .into_iter()
                    .map(|c| {
                        let selected = initial_category == c.id.to_string();
                        let name = if lang == crate::i18n::Lang::En { c.name_en } else { c.name_id };
                        view! { <option value=c.id.to_string() selected=selected>{name}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    };

    let provinces = page.provinces.clone();
    let province_names = StoredValue::new(page.provinces.clone());
    let provinces_name = move |code: &str| {
        province_names.with_value(|ps| {
            ps.iter()
                .find(|p| p.code == code)
                .map(|p| p.name.clone())
                .unwrap_or_default()
        })
    };
    let regencies = StoredValue::new(page.regencies.clone());
    let initial_regency = initial.regency.clone();
    let initial_province = initial.province.clone();
    let region_fields = view! {
        <div class="mt-5">
            <label for="f-province" class="block font-semibold">
                {t.province_label} " " <span class="font-normal text-stone-600">{t.optional}</span>
            </label>
            <FieldMessage field=Field::RegionCode errors=errors_sig/>
            <select id="f-province" name="province" class=INPUT_CLASS
                aria-describedby=described_by(Field::RegionCode, errors_sig, false)
                on:change=move |ev| {
                    province.set(event_target_value(&ev));
                    recheck(&ev, Field::RegionCode, true)
                }>
                <option value="">{t.province_none}</option>
                {provinces
                    .into_iter()
                    .map(|p| {
                        let selected = initial_province == p.code;
                        view! { <option value=p.code selected=selected>{p.name}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
        <div class="mt-5">
            <label for="f-regency" class="block font-semibold">
                {t.regency_label} " " <span class="font-normal text-stone-600">{t.optional}</span>
            </label>
            <select id="f-regency" name="regency" class=INPUT_CLASS
                on:change=move |ev| recheck(&ev, Field::RegionCode, true)>
                <option value="">{t.regency_none}</option>
                {move || {
                    // Without JavaScript every regency is listed, grouped by province; once
                    // interactive, only those of the chosen province.
                    let chosen = province.get();
                    let initial_regency = initial_regency.clone();
                    regencies.with_value(|all| {
                        let mut groups: Vec<(String, Vec<(String, String)>)> = Vec::new();
                        for r in all.iter().filter(|r| chosen.is_empty() || r.parent.as_deref() == Some(chosen.as_str())) {
                            let parent = r.parent.clone().unwrap_or_default();
                            match groups.iter_mut().find(|g| g.0 == parent) {
                                Some(g) => g.1.push((r.code.clone(), r.name.clone())),
                                None => groups.push((parent, vec![(r.code.clone(), r.name.clone())])),
                            }
                        }
                        groups
                            .into_iter()
                            .map(|(parent, items)| {
                                let label = provinces_name(&parent);
                                view! {
                                    <optgroup label=label>
                                        {items
                                            .into_iter()
                                            .map(|(code, name)| {
                                                let selected = initial_regency == code;
                                                view! { <option value=code selected=selected>{name}</option> }
                                            })
                                            .collect_view()}
                                    </optgroup>
                                }
                            })
                            .collect_view()
                    })
                }}
            </select>
        </div>
    };

    view! {
        <h1 class="text-2xl font-bold">{t.form_title}</h1>
        <p class="mt-2">{t.form_lead}</p>
        {move || notice.get().map(|key| view! {
            <p class="mt-4 rounded border-2 border-red-700 bg-red-50 p-3" role="alert" data-testid="form-notice">
                {crate::components::fields::message_text(&key)}
            </p>
        })}
        <div class="mt-4">
            <ErrorSummary errors=errors_sig/>
        </div>
        {act_form(
            FormSpec::<SubmitReport>::new("/lapor", "report-form").files(true).precheck(precheck),
            move |st| {
            // A refusal from the server (hydrated): its messages where the page shows them.
            Effect::new(move |_| {
                let o = st.outcome.get();
                if !o.errors.is_empty() {
                    errors.set(o.errors.clone());
                    focus_summary();
                }
                notice.set(o.message.filter(|m| m != "done"));
            });
            view! {
        <div on:input=track_privacy on:change=track_privacy>
            <input type="hidden" name=crate::domain::intake::REQUEST_KEY_FIELD value=page.request_key.clone()/>
            {kind_field}
            {text_field(Field::Title, "title", t.title_label, Some(t.title_hint), initial.title.clone(), ("text", "off", ""))}
            <div class="mt-5">
                <label for="f-description" class="block font-semibold">{t.description_label}</label>
                <p id="f-description-hint" class="text-sm text-stone-600">{t.description_hint}</p>
                <FieldMessage field=Field::Description errors=errors_sig/>
                <textarea
                    id="f-description"
                    name="description"
                    rows="7"
                    class=INPUT_CLASS
                    aria-describedby=described_by(Field::Description, errors_sig, true)
                    aria-invalid=move || errors_sig.get().contains_key(&Field::Description).then_some("true")
                    on:blur=move |ev| recheck(&ev, Field::Description, false)
                    on:input=move |ev| recheck(&ev, Field::Description, true)
                >
                    {initial.description.clone()}
                </textarea>
            </div>
            {category_field}
            {region_fields}
            <div class="mt-5">
                <label for="f-incident-date" class="block font-semibold">
                    {t.incident_date_label} " " <span class="font-normal text-stone-600">{t.optional}</span>
                </label>
                <p id="f-incident-date-hint" class="text-sm text-stone-600">{t.incident_date_hint}</p>
                <FieldMessage field=Field::IncidentDate errors=errors_sig/>
                <input
                    id="f-incident-date"
                    name="incident_date"
                    type="date"
                    value=initial.incident_date.clone()
                    class=INPUT_CLASS
                    aria-describedby=described_by(Field::IncidentDate, errors_sig, true)
                    on:blur=move |ev| recheck(&ev, Field::IncidentDate, false)
                    on:change=move |ev| recheck(&ev, Field::IncidentDate, false)
                />
            </div>
            <div class="mt-5">
                <crate::components::thread::FileInput id="f-files".to_string() errors=file_errors dropped=page.dropped_files.clone()/>
            </div>
            <fieldset class="mt-6">
                <legend class="font-semibold">{t.privacy_legend}</legend>
                <div class="mt-2 flex items-start gap-3">
                    <input type="checkbox" id="f-anonymous" name="anonymous" value="on" checked=initial.anonymous
                        aria-describedby="f-anonymous-hint" class="mt-1 h-6 w-6 shrink-0 accent-emerald-800"/>
                    <label for="f-anonymous">
                        <span class="font-semibold">{t.anonymous_label}</span>
                        <span id="f-anonymous-hint" class="block text-sm text-stone-600">{t.anonymous_hint}</span>
                    </label>
                </div>
                <div class="mt-2 flex items-start gap-3">
                    <input type="checkbox" id="f-confidential" name="confidential" value="on" checked=initial.confidential
                        aria-describedby="f-confidential-hint" class="mt-1 h-6 w-6 shrink-0 accent-emerald-800"/>
                    <label for="f-confidential">
                        <span class="font-semibold">{t.confidential_label}</span>
                        <span id="f-confidential-hint" class="block text-sm text-stone-600">{t.confidential_hint}</span>
                    </label>
                </div>
            </fieldset>
            <fieldset class="mt-6">
                <legend class="font-semibold">{t.contact_legend}</legend>
                <p class="text-sm text-stone-600">{t.contact_hint}</p>
                {text_field(Field::Name, "name", t.name_label, None, initial.name.clone(), ("text", "name", ""))}
                <div class="mt-3 flex items-start gap-3">
                    <input type="checkbox" id="f-show-name" name="show_name" value="on" checked=initial.show_name
                        aria-describedby="f-show-name-hint" class="mt-1 h-6 w-6 shrink-0 accent-emerald-800"/>
                    <div>
                        <label for="f-show-name" class="inline-flex min-h-11 items-center font-semibold">{t.show_name_label}</label>
                        <p id="f-show-name-hint" class="text-sm text-stone-600">{t.show_name_hint}</p>
                    </div>
                </div>
                {text_field(Field::Email, "email", t.email_label, None, initial.email.clone(), ("email", "email", "email"))}
                {text_field(Field::Phone, "phone", t.phone_label, Some(t.phone_hint), initial.phone.clone(), ("tel", "tel", "tel"))}
            </fieldset>
            <PrivacyPreview
                anonymous=Signal::derive(move || privacy.get().0)
                confidential=Signal::derive(move || privacy.get().1)
                name_public=Signal::derive(move || { let p = privacy.get(); p.3 && !p.0 })
                name=Signal::derive(move || privacy.get().2)
            />
            <div class="mt-5">
                <ActSubmit state=st label=t.submit working=t.tr("Mengirim…", "Sending…") testid="submit-report"/>
            </div>
        </div>
            }
            },
        )}
    }
    .into_any()
}

/// Moves focus to the error summary (after the browser has drawn it).
fn focus_summary() {
    #[cfg(feature = "hydrate")]
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        if let Some(el) = document()
            .get_element_by_id("error-summary")
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}
