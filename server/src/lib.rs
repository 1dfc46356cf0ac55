//! The Aduan server: configuration, HTTP routes (pages, form posts, JSON API, health), and
//! start-up. The business rules live in the `app` crate.
//!
//! HTTP routes are grouped by capability, the same names as `app::domain`: `intake`,
//! `conversation`, `casework`, `accounts`, `office`, `transparency`, `notifications` (plus
//! `feeds` and `charts` of transparency). Each has one router; `api` puts them together with
//! the OpenAPI document. What every action's adapters share is written once in `adapters`.

pub mod accounts;
pub mod adapters;
pub mod api;
pub mod auth;
pub mod backup;
pub mod bench;
pub mod casework;
pub mod charts;
pub mod config;
pub mod conversation;
pub mod db;
pub mod feeds;
pub mod intake;
pub mod metrics;
pub mod middleware;
pub mod net;
pub mod notifications;
pub mod office;
pub mod rate_limit;
pub mod seed;
pub mod startup;
pub mod synthetic;
pub mod telemetry;
pub mod transparency;
