//! What the three adapters of an action share, written once: the no-JavaScript form post
//! (`form`) and JSON (`json`). The hydrated adapter is the action's server function
//! (`app::api::acts`). Capability modules (`intake`, `conversation`, `casework`, `accounts`,
//! `office`, `transparency`, `notifications`) only route to them.

pub mod form;
pub mod json;
