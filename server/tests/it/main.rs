//! The server's integration tests: one test binary (one link instead of thirteen), one module per
//! capability or concern, sharing the helpers in `common`.
//!
//! Run one module with `cargo test -p server --test it access::`, one test by its name.
//! Every test that touches a database gets a fresh one per backend from `common::databases()`;
//! PostgreSQL test databases are dropped when the test ends, also when it panics.

mod common;
mod harness;

mod access;
mod audit;
mod backoffice;
mod backup;
mod commits;
mod contract;
mod conversation;
mod crash;
mod diskfull;
mod hardening;
mod http;
mod idempotency;
mod instances;
mod lifecycle;
mod metrics;
mod privacy;
mod public;
mod stats;
mod usecases;
mod worklist;
