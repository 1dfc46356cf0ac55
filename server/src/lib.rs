//! The Aduan server: configuration, HTTP routes (pages, form posts, JSON API, health), and
//! start-up. The business rules live in the `app` crate.

pub mod access_forms;
pub mod acts;
pub mod api;
pub mod api_access;
pub mod api_office;
pub mod api_public;
pub mod auth;
pub mod bench;
pub mod charts;
pub mod config;
pub mod conversation;
pub mod db;
pub mod feeds;
pub mod middleware;
pub mod net;
pub mod rate_limit;
pub mod seed;
pub mod startup;
pub mod synthetic;
pub mod telemetry;
