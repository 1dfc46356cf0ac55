//! The form of a typed action (`crate::act`). It renders a plain `<form method="post">` to the
//! page's own address, so it works before the WASM arrives and with JavaScript off; once
//! hydrated, it submits through the action's server function instead: no page reload, the
//! button shows that it is working, refusals appear on their fields, and what was typed (and
//! the files chosen) stays in place.

use super::fields::message_text;
use super::{CsrfField, ErrorSummary, BUTTON_CLASS};
use crate::act::FormOutcome;
use crate::act::{refusal_for, ActCall, ACT_FIELD, FORM_FIELD};
use crate::domain::{AppError, Field, FieldErrors};
use crate::texts;
use leptos::prelude::*;

/// The live state of one action form: the refusal shown, and whether a submission is under way.
#[derive(Clone, Copy)]
pub struct ActState {
    pub outcome: RwSignal<FormOutcome>,
    pub pending: RwSignal<bool>,
}

impl ActState {
    /// The field errors shown now.
    pub fn errors(self) -> Signal<FieldErrors> {
        Signal::derive(move || self.outcome.with(|o| o.errors.clone()))
    }

    /// A value typed before a refused no-JavaScript post (empty otherwise).
    pub fn value(self, name: &str) -> String {
        self.outcome.with_untracked(|o| o.value(name))
    }
}

/// How an action form looks and where it posts.
pub struct FormSpec<A: ActCall> {
    /// The page's own address (the post without JavaScript goes there).
    pub to: String,
    /// Which form on the page this is (several may serve one action).
    pub form: String,
    /// Whether files come along (`multipart/form-data`).
    pub files: bool,
    pub class: &'static str,
    pub testid: String,
    /// Called with the output after a hydrated success when the action leads nowhere else
    /// (typically: read the page's data again).
    pub on_done: Option<Callback<A::Output>>,
    /// The page's own check of the fields before sending (hydrated): an error stops the
    /// submission (the page shows it).
    pub precheck: Option<Callback<Vec<(String, String)>, Option<AppError>>>,
    /// Keep what was typed after success, and say nothing of it: the page shows the result
    /// (a preview the person acts on next).
    pub keep: bool,
}

impl<A: ActCall> FormSpec<A> {
    pub fn new(to: impl Into<String>, form: impl Into<String>) -> Self {
        let form = form.into();
        FormSpec {
            to: to.into(),
            testid: form.clone(),
            form,
            files: false,
            class: "",
            on_done: None,
            precheck: None,
            keep: false,
        }
    }

    pub fn keep(mut self, keep: bool) -> Self {
        self.keep = keep;
        self
    }

    pub fn precheck(
        mut self,
        f: impl Fn(Vec<(String, String)>) -> Option<AppError> + Send + Sync + 'static,
    ) -> Self {
        self.precheck = Some(Callback::new(f));
        self
    }

    pub fn files(mut self, files: bool) -> Self {
        self.files = files;
        self
    }

    pub fn class(mut self, class: &'static str) -> Self {
        self.class = class;
        self
    }

    pub fn on_done(mut self, f: impl Fn(A::Output) + Send + Sync + 'static) -> Self {
        self.on_done = Some(Callback::new(f));
        self
    }
}

/// Asks the page whether something takes over a form the server could not be reached for (the
/// report form's offline queue, `public/offline.js`, answers by cancelling the event).
#[cfg(feature = "hydrate")]
fn handed_over(form: &web_sys::HtmlFormElement) -> bool {
    let init = web_sys::EventInit::new();
    init.set_cancelable(true);
    web_sys::Event::new_with_event_init_dict("aduan:unreachable", &init)
        .ok()
        .and_then(|ev| form.dispatch_event(&ev).ok())
        .is_some_and(|not_cancelled| !not_cancelled)
}

/// The form of action `A`; `children` builds its fields from the form's live state.
pub fn act_form<A, V>(spec: FormSpec<A>, children: impl FnOnce(ActState) -> V) -> impl IntoView
where
    A: ActCall,
    V: IntoView + 'static,
{
    let state = ActState {
        outcome: RwSignal::new(refusal_for::<A>(&spec.form)),
        pending: RwSignal::new(false),
    };
    #[cfg(feature = "hydrate")]
    let on_submit = {
        let navigate = leptos_router::hooks::use_navigate();
        let form_name = spec.form.clone();
        let on_done = spec.on_done;
        let precheck = spec.precheck;
        let keep = spec.keep;
        move |ev: leptos::ev::SubmitEvent| {
            use wasm_bindgen::JsCast;
            ev.prevent_default();
            if state.pending.get_untracked() {
                return;
            }
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let Ok(data) = web_sys::FormData::new_with_form(&form) else {
                return;
            };
            // The button pressed, when it names a value (as the browser's own post does).
            if let Some(b) = ev.submitter() {
                if let (Some(n), Some(v)) = (b.get_attribute("name"), b.get_attribute("value")) {
                    let _ = data.append_with_str(&n, &v);
                }
            }
            let fields = text_fields(&data);
            let values = crate::act::kept::<A>(&fields);
            if let Some(e) = precheck.and_then(|p| p.run(fields)) {
                state
                    .outcome
                    .set(crate::act::refusal_outcome(&e, form_name.clone(), values));
                return;
            }
            state.pending.set(true);
            let navigate = navigate.clone();
            let form_name = form_name.clone();
            leptos::task::spawn_local(async move {
                let result = A::call(data).await;
                state.pending.set(false);
                match result {
                    Ok(crate::act::Acted { out, next }) => {
                        state.outcome.set(FormOutcome {
                            form: form_name,
                            message: (!keep).then(|| "done".into()),
                            ..Default::default()
                        });
                        if !keep {
                            form.reset();
                        }
                        // Another page: go there (client-side). This page: its data again.
                        let here = window().location().pathname().unwrap_or_default();
                        match next {
                            Some(to) if A::RELOADS => {
                                let _ = window().location().set_href(&to);
                            }
                            Some(to) if path_of(&to) != here || on_done.is_none() => {
                                navigate(&to, Default::default())
                            }
                            _ => {
                                if let Some(f) = on_done {
                                    f.run(out)
                                }
                            }
                        }
                    }
                    Err(crate::domain::AppError::Unreachable) if handed_over(&form) => {
                        // No connection: the page's offline queue took the report (it says so).
                        state.outcome.set(FormOutcome {
                            form: form_name,
                            ..Default::default()
                        });
                    }
                    Err(e) => {
                        // Secrets are typed again, as after a refusal without JavaScript.
                        clear_secrets(&form, A::SECRET);
                        state
                            .outcome
                            .set(crate::act::refusal_outcome(&e, form_name, values))
                    }
                }
            });
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_submit = |_: leptos::ev::SubmitEvent| {};
    // Without JavaScript a refused post comes back as a whole page: the fragment brings the
    // person back to this form, where its messages are.
    let action = format!("{}#{}", spec.to, spec.form);
    let id = spec.form.clone();
    view! {
        <form
            method="post"
            action=action
            id=id
            enctype=spec.files.then_some("multipart/form-data")
            novalidate
            class=spec.class
            data-testid=spec.testid
            aria-busy=move || state.pending.get().then_some("true")
            on:submit=on_submit
        >
            <CsrfField/>
            <input type="hidden" name=ACT_FIELD value=A::KEY/>
            <input type="hidden" name=FORM_FIELD value=spec.form/>
            {children(state)}
        </form>
    }
}

/// Empties the form's secret fields (passwords, codes) after a refusal.
#[cfg(feature = "hydrate")]
fn clear_secrets(form: &web_sys::HtmlFormElement, secret: &[&str]) {
    use wasm_bindgen::JsCast;
    let names = secret.iter().copied().chain(["password", "new_password"]);
    for name in names {
        if let Ok(Some(input)) =
            form.query_selector(&format!("input[name=\"{name}\"]:not([type=hidden])"))
        {
            if let Ok(input) = input.dyn_into::<web_sys::HtmlInputElement>() {
                input.set_value("");
            }
        }
    }
}

/// The path of an address (without query and fragment).
#[cfg(feature = "hydrate")]
fn path_of(to: &str) -> &str {
    to.split(['?', '#']).next().unwrap_or(to)
}

/// The text fields of a form's data (files are sent as they are).
#[cfg(feature = "hydrate")]
fn text_fields(data: &web_sys::FormData) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    if let Ok(Some(entries)) = js_sys::try_iter(data) {
        for entry in entries.flatten() {
            let pair = js_sys::Array::from(&entry);
            if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                fields.push((k, v));
            }
        }
    }
    fields
}

/// The form-level message (refused, or done) and the summary of the field errors that have no
/// message of their own in the form (`shown` lists the fields that do), kept up to date.
#[component]
pub fn ActHeader(state: ActState, #[prop(optional)] shown: &'static [Field]) -> impl IntoView {
    let message = move || {
        state.outcome.with(|o| o.message.clone()).map(|m| {
            let done = m == "done";
            let class = if done {
                "mb-4 border-l-4 border-emerald-700 bg-white p-3 font-semibold"
            } else {
                "mb-4 border-l-4 border-red-700 bg-white p-3 font-semibold"
            };
            view! {
                <p class=class role=if done { "status" } else { "alert" } data-testid="form-message">
                    {message_text(&m)}
                </p>
            }
        })
    };
    let rest = Signal::derive(move || {
        state.outcome.with(|o| {
            o.errors
                .iter()
                .filter(|(f, _)| !shown.contains(f))
                .map(|(f, e)| (*f, *e))
                .collect::<FieldErrors>()
        })
    });
    view! {
        {message}
        <ErrorSummary errors=rest/>
    }
}

/// The message next to one field (with an id of its own, for forms repeated on a page).
#[component]
pub fn ActFieldMessage(state: ActState, field: Field, #[prop(into)] id: String) -> impl IntoView {
    let t = texts();
    move || {
        state
            .outcome
            .with(|o| o.errors.get(&field).copied())
            .map(|e| {
                view! {
                    <p id=id.clone() class="mt-1 font-semibold text-red-800" role="alert">
                        <span class="sr-only">"! "</span>
                        {t.field_error(field, e)}
                    </p>
                }
            })
    }
}

/// The submit button: disabled, and saying so, while the action is under way.
#[component]
pub fn ActSubmit(
    state: ActState,
    label: &'static str,
    #[prop(optional)] class: Option<&'static str>,
    /// What the button says while working (default "Memproses…").
    #[prop(optional)]
    working: Option<&'static str>,
    #[prop(optional)] testid: Option<&'static str>,
) -> impl IntoView {
    let t = texts();
    let class = class.unwrap_or(BUTTON_CLASS);
    let working = working.unwrap_or_else(|| t.tr("Memproses…", "Working…"));
    view! {
        <button
            type="submit"
            class=format!("{class} mt-3 disabled:opacity-60")
            disabled=move || state.pending.get()
            data-testid=testid
        >
            {move || if state.pending.get() { working } else { label }}
        </button>
    }
}
