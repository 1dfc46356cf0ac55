//! Form pieces for the signed-in pages: a labelled text field with its message, the form-level
//! message of a refused post, and a submit button. They render the same on the server and after
//! hydration (the outcome travels in the page data), and work with JavaScript off.

use super::{described_by, ErrorSummary, FieldMessage, BUTTON_CLASS, INPUT_CLASS};
use crate::act::FormOutcome;
use crate::domain::{Field, FieldErrors};
use crate::texts;
use leptos::prelude::*;

/// The outcome of form `form`, if it was the one posted.
pub fn outcome_of(outcome: &Option<FormOutcome>, form: &str) -> FormOutcome {
    outcome
        .as_ref()
        .filter(|o| o.form == form)
        .cloned()
        .unwrap_or_default()
}

/// The text of a form-level message key (`AppError::message_key`, or `done`).
pub fn message_text(key: &str) -> &'static str {
    texts().form_message(key)
}

/// The message and error summary at the top of a posted form.
#[component]
pub fn FormHeader(outcome: FormOutcome) -> impl IntoView {
    let errors: Signal<FieldErrors> = Signal::stored(outcome.errors.clone());
    let done = outcome.message.as_deref() == Some("done");
    view! {
        {outcome.message.clone().map(|m| {
            let class = if done {
                "mb-4 border-l-4 border-emerald-700 bg-white p-3 font-semibold"
            } else {
                "mb-4 border-l-4 border-red-700 bg-white p-3 font-semibold"
            };
            view! { <p class=class role=if done { "status" } else { "alert" } data-testid="form-message">{message_text(&m)}</p> }
        })}
        <ErrorSummary errors/>
    }
}

/// A labelled input with its hint and message; `name` is the posted name.
#[component]
pub fn TextField(
    field: Field,
    name: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] value: String,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    outcome: FormOutcome,
    /// The live state of the action form this field is in (its errors replace `outcome`'s).
    #[prop(optional)]
    act: Option<super::act::ActState>,
) -> impl IntoView {
    let t = texts();
    let errors: Signal<FieldErrors> = match act {
        Some(state) => state.errors(),
        None => Signal::stored(outcome.errors.clone()),
    };
    let id = field.input_id();
    let invalid = move || errors.with(|e| e.contains_key(&field)).then_some("true");
    view! {
        <div class="mt-4">
            <label for=id class="block font-semibold">{t.field_label(field)}</label>
            {hint.map(|h| view! { <p id=format!("{id}-hint") class="text-sm text-stone-600">{h}</p> })}
            <FieldMessage field errors/>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                required=required
                class=INPUT_CLASS
                aria-describedby=described_by(field, errors, hint.is_some())
                aria-invalid=invalid
            />
        </div>
    }
}

/// The primary button of a form.
#[component]
pub fn Submit(
    label: &'static str,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(optional)] value: Option<&'static str>,
) -> impl IntoView {
    view! { <button type="submit" name=name value=value class=format!("{BUTTON_CLASS} mt-6")>{label}</button> }
}

/// A page that needs a signed-in person with the right role: the message for each refusal.
#[component]
pub fn AccessRefused(error: crate::domain::AppError) -> impl IntoView {
    let t = texts();
    use crate::domain::AppError;
    let (status, text) = match error {
        AppError::Unauthorized => (
            401,
            t.tr("Silakan masuk terlebih dahulu.", "Please sign in first."),
        ),
        AppError::Forbidden => (403, message_text("forbidden")),
        AppError::NotFound => (404, message_text("not_found")),
        _ => (500, t.error_page_body),
    };
    crate::pages::set_status(status);
    // Signing in leads back here (`SignIn::lanjut`).
    let location = leptos_router::hooks::use_location();
    let search = location.search.get_untracked();
    let here = match search.is_empty() {
        true => location.pathname.get_untracked(),
        false => format!("{}?{search}", location.pathname.get_untracked()),
    };
    let sign_in = match crate::domain::accounts::return_to(&here) {
        Some(back) => format!("/masuk?lanjut={}", crate::domain::form::encode(&back)),
        None => "/masuk".to_string(),
    };
    view! {
        <div role="alert" class="border-l-4 border-red-700 bg-white p-4" data-testid="access-refused">
            <p class="font-semibold">{text}</p>
            {(status == 401).then(|| view! {
                <p class="mt-2"><a class="inline-flex min-h-11 items-center underline" href=sign_in.clone() data-testid="sign-in-link">{t.tr("Masuk", "Sign in")}</a></p>
            })}
        </div>
    }
}
