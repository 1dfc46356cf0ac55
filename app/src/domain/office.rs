//! The inputs of the back office's own settings: reply templates (agency administrators) and
//! routing rules (system administrators). Services in `server::templates` and
//! `server::routing`; forms on `/staf/templat` and `/admin/rute`.

use super::form::{num, opt_num, opt_text};
use crate::act::Act;
use serde::{Deserialize, Serialize};

/// A reply template of the actor's agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateTemplate {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
}

impl Act for CreateTemplate {
    /// The new template's id.
    type Output = i32;
    const KEY: &'static str = "create_template";
}

/// Retires a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetireTemplate {
    #[serde(deserialize_with = "num")]
    pub id: i32,
}

impl Act for RetireTemplate {
    type Output = ();
    const KEY: &'static str = "retire_template";
}

/// A routing rule: reports of this category and/or region are suggested to this agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddRoutingRule {
    #[serde(default, deserialize_with = "opt_num")]
    pub category_id: Option<i32>,
    #[serde(default, deserialize_with = "opt_text")]
    pub region_code: Option<String>,
    #[serde(default, deserialize_with = "opt_num")]
    pub agency_id: Option<i32>,
}

impl Act for AddRoutingRule {
    /// The new rule's id.
    type Output = i32;
    const KEY: &'static str = "add_routing_rule";
}

/// Removes a routing rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoveRoutingRule {
    #[serde(deserialize_with = "num")]
    pub id: i32,
}

impl Act for RemoveRoutingRule {
    type Output = ();
    const KEY: &'static str = "remove_routing_rule";
}
