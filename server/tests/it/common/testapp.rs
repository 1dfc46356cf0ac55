//! `TestApp`: the real router over a fresh database, and people who use it.
//!
//! ```ignore
//! for app in TestApp::all().await {
//!     let verifier = app.as_verifier().await;
//!     let res = verifier.post_json("/api/v1/staff/reports/1/priority", json!({"priority": 1})).await;
//!     app.done().await;
//! }
//! ```

use super::{code_now, enable_totp, send, Res, TestDb, CSRF, TEST_PASSWORD};
use axum::body::Body;
use axum::Router;
use http::{header, Method, Request, StatusCode};
use serde_json::Value;

/// The application on one backend.
pub struct TestApp {
    pub db: TestDb,
    pub router: Router,
}

/// Someone using the application: anonymous, or signed in with a session cookie.
pub struct Person<'a> {
    app: &'a TestApp,
    pub cookie: Option<String>,
}

impl TestApp {
    /// The application on every backend that runs here (SQLite; PostgreSQL when configured).
    pub async fn all() -> Vec<TestApp> {
        let mut v = Vec::new();
        for db in super::databases().await {
            let router = server::startup::router(db.db.clone(), &super::settings(1000))
                .expect("the router builds");
            v.push(TestApp { db, router });
        }
        v
    }

    pub fn backend(&self) -> &'static str {
        self.db.backend
    }

    /// Drops the database now (PostgreSQL; `Drop` would too).
    pub async fn done(self) {
        self.db.cleanup().await;
    }

    /// Nobody signed in.
    pub fn public(&self) -> Person<'_> {
        Person {
            app: self,
            cookie: None,
        }
    }

    /// A new account with `role` (staff in `agency`, by agency code) signed in through the JSON
    /// API, with two-factor set up where the role requires it.
    pub async fn as_role(&self, role: &str, agency: Option<&str>) -> Person<'_> {
        let email = format!("{role}-{}@uji.example.org", super::hex_id());
        let id = super::add_account(&self.db.db, role, agency, &email).await;
        let totp = if app::domain::access::AccountRole::parse(role)
            .expect("a role")
            .requires_mfa()
        {
            Some(code_now(&enable_totp(&self.db.db, id).await))
        } else {
            None
        };
        let cookie = super::session_cookie_totp(&self.router, &email, TEST_PASSWORD, totp).await;
        Person {
            app: self,
            cookie: Some(cookie),
        }
    }

    /// A verifier of the province.
    pub async fn as_verifier(&self) -> Person<'_> {
        self.as_role("verifier", Some("PROV-76")).await
    }

    /// An officer of Dinas PUPR.
    pub async fn as_officer(&self) -> Person<'_> {
        self.as_role("agency_officer", Some("76-PUPR")).await
    }

    /// A citizen with an account.
    pub async fn as_citizen(&self) -> Person<'_> {
        self.as_role("citizen", None).await
    }
}

impl Person<'_> {
    fn request(&self, method: Method, uri: &str) -> http::request::Builder {
        let mut b = Request::builder().method(method).uri(uri);
        if let Some(c) = &self.cookie {
            b = b.header(header::COOKIE, c);
        }
        b
    }

    pub async fn get(&self, uri: &str) -> Res {
        let req = self.request(Method::GET, uri).body(Body::empty()).unwrap();
        send(&self.app.router, req).await
    }

    /// A JSON request with any method.
    pub async fn json(&self, method: Method, uri: &str, body: Value) -> Res {
        let req = self
            .request(method, uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        send(&self.app.router, req).await
    }

    pub async fn post_json(&self, uri: &str, body: Value) -> Res {
        self.json(Method::POST, uri, body).await
    }

    /// A form post as a browser without JavaScript sends it (with the anti-forgery token).
    pub async fn post_form(&self, uri: &str, fields: &[(&str, &str)]) -> Res {
        let mut body = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in fields {
            body.append_pair(k, v);
        }
        body.append_pair("csrf", CSRF);
        let req = self
            .request(Method::POST, uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, super::csrf_cookie());
        let res = send(
            &self.app.router,
            req.body(Body::from(body.finish())).unwrap(),
        )
        .await;
        assert_ne!(
            res.status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{}",
            res.body
        );
        res
    }
}
