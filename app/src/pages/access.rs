//! Sign-in and accounts: `/masuk` (email and password), `/masuk/kode` (the second factor),
//! `/akun/2fa` (setting up TOTP, then the recovery codes once), `/daftar` (citizen registration),
//! `/undangan/{token}` (a staff invite), `/lupa-sandi` and `/atur-sandi/{token}` (a forgotten
//! password), `/akun` (the account itself). Typed action forms
//! (`components::act`): they work with JavaScript off; hydrated, they submit without a reload.

use crate::api::accounts::{get_account, get_enrolment, get_invite, get_page_context};
use crate::components::act::{act_form, ActFieldMessage, ActHeader, ActSubmit, FormSpec};
use crate::components::fields::{AccessRefused, TextField};
use crate::components::{
    grouped, CopyButton, DangerConfirm, DANGER_BUTTON_CLASS, INPUT_CLASS, SECONDARY_BUTTON_CLASS,
};
use crate::domain::access::Stage;
use crate::domain::accounts::{
    AcceptInvite, ChangePassword, ConfirmEnrolment, CreateToken, EraseAccount, Register,
    RequestPasswordReset, ResetPassword, RevokeToken, SignIn, SignInCode,
};
use crate::domain::Field;
use crate::texts;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

/// Where a sign-in returns to: `?lanjut=` of this page, or what a refused post kept.
fn back_to(st: crate::components::act::ActState) -> String {
    let query = leptos_router::hooks::use_query_map();
    query
        .with_untracked(|q| q.get("lanjut"))
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| st.value("lanjut"))
}

/// `/masuk`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let t = texts();
    let ctx = Resource::new_blocking(|| (), |_| get_page_context());
    let title = t.tr("Masuk", "Sign in");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let ctx = ctx.await.unwrap_or_default();
                let signed_in = ctx.viewer.clone().map(|v| view! {
                    <p class="mt-2" data-testid="signed-in-as">
                        {t.tr("Anda masuk sebagai ", "You are signed in as ")}<strong>{v.name}</strong>". "
                        <a class="underline" href="/staf">{t.tr("Buka daftar kerja", "Open the work list")}</a>
                    </p>
                });
                let query = leptos_router::hooks::use_query_map();
                let reset = query.with_untracked(|q| q.get("sandi").as_deref() == Some("baru"));
                view! {
                    {signed_in}
                    {reset.then(|| view! {
                        <p class="mt-3 border-l-4 border-emerald-700 bg-white p-3 font-semibold" role="status" data-testid="password-reset-done">
                            {t.tr("Kata sandi baru tersimpan. Masuk dengan kata sandi itu.", "Your new password is saved. Sign in with it.")}
                        </p>
                    })}
                    {act_form(FormSpec::<SignIn>::new("/masuk", "login-form").class("mt-4"), move |st| view! {
                        <ActHeader state=st/>
                        // The page that asked for the sign-in (kept through a refused post).
                        <input type="hidden" name="lanjut" value=back_to(st)/>
                        <TextField field=Field::Login name="login" value=st.value("login") autocomplete="username" required=true outcome=Default::default() act=st/>
                        <TextField field=Field::Password name="password" kind="password" autocomplete="current-password" required=true outcome=Default::default() act=st/>
                        <ActSubmit state=st label=title/>
                    })}
                    <p class="mt-4"><a class="inline-flex min-h-11 items-center font-semibold text-emerald-900 underline" href="/lupa-sandi">{t.tr("Lupa kata sandi?", "Forgot your password?")}</a></p>
                    <p class="mt-4">
                        {t.tr("Belum punya akun? ", "No account yet? ")}
                        <a class="underline" href="/daftar">{t.tr("Daftar sebagai warga", "Register as a citizen")}</a>
                    </p>
                    <p class="mt-2 text-sm text-stone-600">
                        {t.tr(
                            "Melapor tidak memerlukan akun: cukup simpan kode pelacakan Anda.",
                            "You do not need an account to report: just keep your tracking code.",
                        )}
                    </p>
                }
            })}
        </Suspense>
    }
}

/// `/lupa-sandi`: ask for a link to choose a new password (sent to the account's email).
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let t = texts();
    let query = leptos_router::hooks::use_query_map();
    let sent = move || query.with(|q| q.get("terkirim").is_some());
    let title = t.tr("Lupa kata sandi", "Forgot your password");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        {move || if sent() {
            view! {
                <p class="mt-4 border-l-4 border-emerald-700 bg-white p-3" role="status" data-testid="reset-sent">
                    {t.tr(
                        "Jika ada akun dengan alamat email itu, tautan untuk memilih kata sandi baru sudah dikirim ke sana. Tautan berlaku 1 jam dan hanya sekali pakai. Periksa juga folder spam.",
                        "If an account has that email address, a link to choose a new password has been sent there. It works for 1 hour, once. Check the spam folder too.",
                    )}
                </p>
                <p class="mt-4"><a class="inline-flex min-h-11 items-center font-semibold text-emerald-900 underline" href="/masuk">{t.tr("Kembali ke halaman masuk", "Back to sign in")}</a></p>
            }.into_any()
        } else {
            view! {
                <p class="mt-2">{t.tr(
                    "Tulis alamat email akun Anda; kami kirim tautan untuk memilih kata sandi baru. Akun yang masuk dengan nomor HP: hubungi admin instansi atau layanan Aduan.",
                    "Type your account's email address; we send a link to choose a new password. Accounts that sign in with a mobile number: ask your agency's administrator or the Aduan service.",
                )}</p>
                {act_form(FormSpec::<RequestPasswordReset>::new("/lupa-sandi", "forgot-form").class("mt-4"), move |st| view! {
                    <ActHeader state=st/>
                    <TextField field=Field::Email name="login" value=st.value("login") kind="email" autocomplete="email" required=true outcome=Default::default() act=st/>
                    <ActSubmit state=st label=t.tr("Kirim tautan", "Send the link") working=t.tr("Mengirim…", "Sending…")/>
                })}
            }.into_any()
        }}
    }
}

/// `/atur-sandi/{token}`: the new password, through the link of "forgot password".
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let t = texts();
    let params = use_params_map();
    let token = move || {
        params
            .with_untracked(|p| p.get("token"))
            .unwrap_or_default()
    };
    let title = t.tr("Kata sandi baru", "A new password");
    let action = format!("/atur-sandi/{}", token());
    let token = token();
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <p class="mt-2">{t.tr(
            "Setelah disimpan, semua sesi akun ini berakhir; masuk lagi dengan kata sandi baru (verifikasi dua langkah tetap berlaku).",
            "Once saved, every session of this account ends; sign in again with the new password (two-step verification stays on).",
        )}</p>
        {act_form(FormSpec::<ResetPassword>::new(action, "reset-form").class("mt-4"), move |st| view! {
            <ActHeader state=st/>
            <input type="hidden" name="token" value=token.clone()/>
            <TextField field=Field::NewPassword name="new_password" kind="password" autocomplete="new-password" required=true
                hint=t.tr("Minimal 10 karakter.", "At least 10 characters.") outcome=Default::default() act=st/>
            <ActSubmit state=st label=t.tr("Simpan kata sandi baru", "Save the new password")/>
        })}
        <p class="mt-4 text-sm">
            {t.tr("Tautan tidak berlaku lagi? ", "Link no longer valid? ")}
            <a class="underline" href="/lupa-sandi">{t.tr("Minta tautan baru", "Ask for a new one")}</a>
        </p>
    }
}

/// `/masuk/kode`: the second factor after the password.
#[component]
pub fn CodePage() -> impl IntoView {
    let t = texts();
    let ctx = Resource::new_blocking(|| (), |_| get_page_context());
    let title = t.tr("Kode verifikasi", "Verification code");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let ctx = ctx.await.unwrap_or_default();
                if ctx.stage != Some(Stage::Mfa) {
                    return view! { <AccessRefused error=crate::domain::AppError::Unauthorized/> }.into_any();
                }
                view! {
                    <p class="mt-2">{t.tr(
                        "Buka aplikasi autentikator Anda dan masukkan kode 6 angka untuk Aduan, atau salah satu kode pemulihan.",
                        "Open your authenticator app and enter the 6-digit code for Aduan, or one of your recovery codes.",
                    )}</p>
                    {act_form(FormSpec::<SignInCode>::new("/masuk/kode", "code-form").class("mt-4"), move |st| view! {
                        <ActHeader state=st/>
                        <input type="hidden" name="lanjut" value=back_to(st)/>
                        <TextField field=Field::Code name="code" autocomplete="one-time-code" required=true outcome=Default::default() act=st/>
                        <ActSubmit state=st label=t.tr("Lanjutkan", "Continue")/>
                    })}
                }.into_any()
            })}
        </Suspense>
    }
}

/// `/akun/2fa`: setting up two-factor (required for verifiers, agency administrators,
/// supervisors and system administrators).
#[component]
pub fn EnrolPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| get_enrolment());
    // The recovery codes just issued (hydrated; without JavaScript they come with the page).
    let issued = RwSignal::new(None::<Vec<String>>);
    let changed = use_context::<crate::components::AccountChanged>();
    let title = t.tr(
        "Atur verifikasi dua langkah",
        "Set up two-step verification",
    );
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => (move || match issued.get().or_else(|| p.recovery_codes.clone()) {
                        Some(codes) => view! {
                            <div role="status" class="mt-4 border-l-4 border-emerald-700 bg-white p-4">
                                <p class="font-semibold">{t.tr("Verifikasi dua langkah aktif.", "Two-step verification is on.")}</p>
                                <p class="mt-2">{t.tr(
                                    "Simpan kode pemulihan ini di tempat aman. Setiap kode hanya berlaku sekali dan tidak akan ditampilkan lagi.",
                                    "Keep these recovery codes somewhere safe. Each works once and they will not be shown again.",
                                )}</p>
                                <ul class="mt-3 grid grid-cols-2 gap-2 font-mono" data-testid="recovery-codes">
                                    {codes.iter().map(|c| view! { <li>{c.clone()}</li> }).collect_view()}
                                </ul>
                                {
                                    let all = codes.join("\n");
                                    let file = format!(
                                        "data:text/plain;charset=utf-8,{}",
                                        super::public::encode(&format!("{}\n{all}\n", t.tr("Kode pemulihan Aduan (masing-masing sekali pakai)", "Aduan recovery codes (each works once)")))
                                    );
                                    view! {
                                        <div class="mt-3 flex flex-wrap gap-2">
                                            <a href=file download="aduan-kode-pemulihan.txt" class=SECONDARY_BUTTON_CLASS data-testid="download-codes">{t.tr("Unduh sebagai berkas", "Download as a file")}</a>
                                            <CopyButton text=all label=t.tr("Salin semua kode", "Copy all codes") done=t.tr("Tersalin", "Copied") testid="copy-codes"/>
                                        </div>
                                    }
                                }
                            </div>
                            // A whole page load: the session is a new one now.
                            <p class="mt-6"><a class="underline" href="/staf" rel="external">{t.tr("Lanjut ke daftar kerja", "Continue to the work list")}</a></p>
                        }.into_any(),
                        None => {
                            let p = p.clone();
                            view! {
                                <ol class="mt-4 list-decimal space-y-2 pl-6">
                                    <li>{t.tr(
                                        "Pasang aplikasi autentikator (misalnya Google Authenticator, Microsoft Authenticator, FreeOTP atau Aegis).",
                                        "Install an authenticator app (such as Google Authenticator, Microsoft Authenticator, FreeOTP or Aegis).",
                                    )}</li>
                                    {p.qr.clone().map(|qr| view! {
                                        <li>
                                            {t.tr("Pindai kode QR ini dengan aplikasi tersebut:", "Scan this QR code with the app:")}
                                            <img src=qr width="200" height="200" class="mt-2 block bg-white" data-testid="totp-qr"
                                                alt=t.tr("Kode QR untuk aplikasi autentikator", "QR code for the authenticator app")/>
                                        </li>
                                    })}
                                    <li>
                                        {t.tr("Atau tambahkan akun dengan kunci ini: ", "Or add an account with this key: ")}
                                        <code class="inline-flex flex-wrap gap-x-2 bg-white px-1 font-mono font-semibold" data-testid="totp-secret">
                                            {grouped(&p.secret).into_iter().map(|g| view! { <span class="whitespace-nowrap">{g}</span> }).collect_view()}
                                        </code>
                                        " "
                                        <a class="underline" href=p.uri>{t.tr("(atau buka tautan ini di ponsel)", "(or open this link on your phone)")}</a>
                                    </li>
                                    <li>{t.tr("Masukkan kode 6 angka yang ditampilkan aplikasi.", "Enter the 6-digit code the app shows.")}</li>
                                </ol>
                                {act_form(
                                    FormSpec::<ConfirmEnrolment>::new("/akun/2fa", "enrol-form").class("mt-4").on_done(move |codes| {
                                        issued.set(Some(codes));
                                        // Signed in now: the header shows the account, not "cancel".
                                        if let Some(c) = changed { c.0.update(|n| *n += 1); }
                                    }),
                                    move |st| view! {
                                    <ActHeader state=st/>
                                    <TextField field=Field::Code name="code" autocomplete="one-time-code" required=true outcome=Default::default() act=st/>
                                    <ActSubmit state=st label=t.tr("Aktifkan", "Turn on")/>
                                    },
                                )}
                            }.into_any()
                        }
                    }).into_any(),
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/daftar`: a citizen account, to see "my reports" and claim earlier reports.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = texts();
    let ctx = Resource::new_blocking(|| (), |_| get_page_context());
    let title = t.tr("Daftar", "Register");
    view! {
        <Title text=title/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <p class="mt-2">{t.tr(
            "Dengan akun, Anda dapat melihat semua laporan Anda di satu tempat. Melapor tetap bisa tanpa akun.",
            "With an account you see all your reports in one place. You can still report without one.",
        )}</p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let ctx = ctx.await.unwrap_or_default();
                let _ = ctx;
                act_form(FormSpec::<Register>::new("/daftar", "register-form").class("mt-4"), move |st| view! {
                    <ActHeader state=st/>
                    <TextField field=Field::Name name="name" value=st.value("name") autocomplete="name" required=true outcome=Default::default() act=st/>
                    <TextField field=Field::Login name="login" value=st.value("login") autocomplete="username" required=true
                        hint=t.tr("Contoh: nama@contoh.id atau 0812 3456 7890.", "For example name@example.com or 0812 3456 7890.") outcome=Default::default() act=st/>
                    <TextField field=Field::Password name="password" kind="password" autocomplete="new-password" required=true
                        hint=t.tr("Minimal 10 karakter.", "At least 10 characters.") outcome=Default::default() act=st/>
                    <ActSubmit state=st label=title/>
                })
            })}
        </Suspense>
    }
}

/// `/undangan/{token}`: a staff member accepts an invite.
#[component]
pub fn InviteAcceptPage() -> impl IntoView {
    let t = texts();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let page = Resource::new_blocking(token, get_invite);
    let title = t.tr("Undangan staf", "Staff invite");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let action = format!("/undangan/{}", token());
                        let token = token();
                        view! {
                            <p class="mt-2">{t.tr("Akun untuk ", "Account for ")}<strong>{p.email}</strong>
                                " (" {crate::pages::role_text(p.role)} ")"</p>
                            {act_form(FormSpec::<AcceptInvite>::new(action, "invite-form").class("mt-4"), move |st| view! {
                                <ActHeader state=st/>
                                <input type="hidden" name="token" value=token.clone()/>
                                <TextField field=Field::Name name="name" value=st.value("name") autocomplete="name" required=true outcome=Default::default() act=st/>
                                <TextField field=Field::Password name="password" kind="password" autocomplete="new-password" required=true
                                    hint=t.tr("Minimal 10 karakter.", "At least 10 characters.") outcome=Default::default() act=st/>
                                <ActSubmit state=st label=t.tr("Buat akun", "Create account")/>
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A citizen's rights over their data on `/akun`: a copy of everything held, and erasing the
/// account (behind a confirmation that says what happens; open again after a refused post).
#[component]
fn MyData() -> impl IntoView {
    let t = texts();
    let refused = !crate::act::refusal_for::<EraseAccount>("erase-form")
        .form
        .is_empty();
    view! {
        <h2 class="mt-8 text-lg font-bold">{t.tr("Data pribadi Anda", "Your personal data")}</h2>
        <p class="text-sm text-stone-600">{t.tr(
            "Salinan semua yang tersimpan tentang akun ini: laporan Anda dengan kontak yang Anda berikan dan pesannya, laporan yang Anda ikuti dan dukung, serta notifikasi.",
            "A copy of everything kept about this account: your reports with the contact you gave and their messages, the reports you follow and support, and notifications.",
        )}</p>
        <p class="mt-2">
            <a href="/akun/data-saya" download="aduan-data-saya.json" rel="external" class=SECONDARY_BUTTON_CLASS data-testid="download-my-data">
                {t.tr("Unduh data saya (JSON)", "Download my data (JSON)")}
            </a>
        </p>
        <div class="mt-4">
            <DangerConfirm
                label=format!("{}…", t.tr("Hapus akun saya", "Erase my account"))
                explain=t.tr(
                    "Nama, email, nomor ponsel, dan kata sandi Anda dihapus, juga kontak yang Anda berikan pada laporan, laporan yang Anda ikuti, dan notifikasi. Laporan Anda tetap ditangani tanpa nama, dan kode lacaknya tetap berlaku. Penghapusan tidak dapat dibatalkan.",
                    "Your name, email, mobile number and password are erased, with the contact you gave on your reports, the reports you follow and your notifications. Your reports are still handled, without a name, and their tracking codes keep working. This cannot be undone.",
                ).to_string()
                testid="erase-account"
                open=refused
            >
                {act_form(FormSpec::<EraseAccount>::new("/akun", "erase-form"), move |st| view! {
                    <ActHeader state=st shown=&[Field::Password, Field::Confirm]/>
                    <label for="f-erase-password" class="mt-3 block font-semibold">{t.tr("Kata sandi Anda", "Your password")}</label>
                    <ActFieldMessage state=st field=Field::Password id="f-erase-password-error"/>
                    <input id="f-erase-password" name="password" type="password" autocomplete="current-password" required=true class=INPUT_CLASS/>
                    <ActFieldMessage state=st field=Field::Confirm id="f-confirm-error"/>
                    <label class="mt-3 flex min-h-11 items-start gap-2">
                        <input id="f-confirm" type="checkbox" name="confirm" value="yes" required=true class="mt-1 h-5 w-5 shrink-0"/>
                        <span>{t.tr("Saya paham bahwa akun saya dihapus dan tidak dapat dipulihkan.", "I understand that my account is erased and cannot be restored.")}</span>
                    </label>
                    <ActSubmit state=st label=t.tr("Ya, hapus akun saya", "Yes, erase my account") class=DANGER_BUTTON_CLASS testid="erase-submit"/>
                })}
            </DangerConfirm>
        </div>
    }
}

/// `/akun`: the signed-in person's account: password change (which signs out everywhere),
/// two-step status, and integration tokens for staff.
#[component]
pub fn AccountPage() -> impl IntoView {
    let t = texts();
    let page = Resource::new_blocking(|| (), |_| get_account());
    let reload = Callback::new(move |_| page.refetch());
    // The token just created (hydrated; without JavaScript it comes with the page).
    let created = RwSignal::new(None::<String>);
    let title = t.tr("Akun saya", "My account");
    view! {
        <Title text=title/>
        <Meta name="robots" content="noindex"/>
        <h1 class="text-2xl font-bold">{title}</h1>
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => {
                        let posted_token = p.new_token.clone();
                        let staff = p.me.role.is_staff();
                        view! {
                            <dl class="mt-4 grid grid-cols-1 gap-x-4 sm:grid-cols-3" data-testid="me">
                                <dt class="font-semibold">{t.field_label(Field::Name)}</dt><dd class="sm:col-span-2">{p.me.display_name.clone()}</dd>
                                <dt class="font-semibold">{t.field_label(Field::Email)}</dt><dd class="sm:col-span-2">{p.me.email.clone().or(p.me.phone.clone()).unwrap_or_default()}</dd>
                                <dt class="font-semibold">{t.field_label(Field::Role)}</dt><dd class="sm:col-span-2">{crate::pages::role_text(p.me.role)}</dd>
                                <dt class="font-semibold">{t.field_label(Field::Agency)}</dt><dd class="sm:col-span-2">{p.me.agency.clone().map(|a| a.name).unwrap_or_else(|| "—".into())}</dd>
                                <dt class="font-semibold">{t.tr("Verifikasi dua langkah", "Two-step verification")}</dt>
                                <dd class="sm:col-span-2">
                                    {if p.me.totp_enabled { t.tr("Aktif", "On") } else { t.tr("Tidak aktif", "Off") }}
                                    {(!p.me.totp_enabled).then(|| view! { " · " <a class="underline" href="/akun/2fa">{t.tr("Aktifkan", "Turn on")}</a> })}
                                </dd>
                            </dl>
                            <h2 class="mt-8 text-lg font-bold">{t.tr("Ganti kata sandi", "Change password")}</h2>
                            <p class="text-sm text-stone-600">{t.tr(
                                "Setelah diganti, Anda keluar dari semua perangkat dan perlu masuk lagi.",
                                "Afterwards you are signed out on every device and sign in again.",
                            )}</p>
                            {act_form(FormSpec::<ChangePassword>::new("/akun", "password-form"), move |st| view! {
                                <ActHeader state=st/>
                                <TextField field=Field::Password name="password" kind="password" autocomplete="current-password"
                                    hint=t.tr("Kata sandi saat ini.", "Your current password.") outcome=Default::default() act=st/>
                                <TextField field=Field::NewPassword name="new_password" kind="password" autocomplete="new-password"
                                    hint=t.tr("Minimal 10 karakter.", "At least 10 characters.") outcome=Default::default() act=st/>
                                <ActSubmit state=st label=t.tr("Ganti kata sandi", "Change password")/>
                            })}
                            {(!staff).then(|| view! { <MyData/> })}
                            {staff.then(|| view! {
                                <h2 class="mt-8 text-lg font-bold">{t.tr("Token integrasi", "Integration tokens")}</h2>
                                <p class="text-sm text-stone-600">{t.tr(
                                    "Untuk sistem lain yang memakai API atas nama akun ini (header Authorization: Bearer).",
                                    "For other systems using the API on behalf of this account (Authorization: Bearer header).",
                                )}</p>
                                {move || created.get().or_else(|| posted_token.clone()).map(|tok| view! {
                                    <p role="status" class="mt-2 border-l-4 border-emerald-700 bg-white p-3">
                                        {t.tr("Salin sekarang; token tidak akan ditampilkan lagi: ", "Copy it now; it will not be shown again: ")}
                                        <code class="break-all font-mono" data-testid="new-token">{tok}</code>
                                    </p>
                                })}
                                {(!p.tokens.is_empty()).then(|| view! {
                                    <ul class="mt-2 divide-y divide-stone-300 border-y border-stone-300" data-testid="tokens">
                                        {p.tokens.iter().map(|tk| view! {
                                            <li class="flex flex-wrap items-center justify-between gap-2 py-2">
                                                <span>
                                                    <strong>{tk.name.clone()}</strong>
                                                    " · " {if tk.scope == "read_write" { t.tr("baca & tulis", "read & write") } else { t.tr("hanya baca", "read only") }}
                                                    {tk.revoked.then(|| view! { " " <em>{t.tr("(dicabut)", "(revoked)")}</em> })}
                                                    <br/><span class="text-sm text-stone-600" data-testid="token-use">
                                                        {t.tr("Terakhir dipakai: ", "Last used: ")}
                                                        {tk.last_used_at.map(|d| crate::domain::calendar::local_date(d, 420).format("%d-%m-%Y").to_string()).unwrap_or_else(|| t.tr("belum pernah", "never").to_string())}
                                                        {tk.expires_at.map(|d| format!(" · {}{}", t.tr("berlaku sampai ", "valid until "), crate::domain::calendar::local_date(d, 420).format("%d-%m-%Y").to_string()))}
                                                    </span>
                                                </span>
                                                {(!tk.revoked).then(|| {
                                                    let (id, name) = (tk.id, tk.name.clone());
                                                    act_form(
                                                        FormSpec::<RevokeToken>::new("/akun", format!("revoke-{id}")).on_done(move |_| reload.run(())),
                                                        move |st| view! {
                                                            <ActHeader state=st/>
                                                            <input type="hidden" name="id" value=id.to_string()/>
                                                            <button type="submit" class="underline disabled:opacity-60" disabled=move || st.pending.get()>
                                                                {t.tr("Cabut", "Revoke")}<span class="sr-only">" " {name.clone()}</span>
                                                            </button>
                                                        },
                                                    )
                                                })}
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                })}
                                {act_form(
                                    FormSpec::<CreateToken>::new("/akun", "token-form").on_done(move |tok| {
                                        created.set(Some(tok));
                                        reload.run(());
                                    }),
                                    move |st| view! {
                                    <ActHeader state=st/>
                                    <TextField field=Field::Name name="name" value=st.value("name")
                                        hint=t.tr("Untuk apa token ini, misalnya \"Sinkronisasi SIMPEG\".", "What the token is for, e.g. \"HR sync\".") outcome=Default::default() act=st/>
                                    <label for="f-token-scope" class="mt-3 block font-semibold">{t.tr("Hak token", "What it may do")}</label>
                                    <select id="f-token-scope" name="scope" class=INPUT_CLASS>
                                        <option value="read" selected=true>{t.tr("Hanya membaca", "Read only")}</option>
                                        <option value="read_write">{t.tr("Membaca dan mengubah", "Read and change")}</option>
                                    </select>
                                    <p class="mt-1 text-sm text-stone-600">{t.tr("Token berlaku 90 hari, dan berakhir saat kata sandi diganti atau akun dinonaktifkan.", "A token lasts 90 days, and ends when the password changes or the account is deactivated.")}</p>
                                    <ActSubmit state=st label=t.tr("Buat token", "Create token")/>
                                    },
                                )}
                            })}
                        }.into_any()
                    }
                    Err(e) => view! { <AccessRefused error=e/> }.into_any(),
                }
            })}
        </Transition>
    }
}
