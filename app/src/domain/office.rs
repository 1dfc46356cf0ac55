//! The inputs of the back office's own settings: reply templates (agency administrators),
//! routing rules, the holiday calendar and the agency tree (system administrators). Services in
//! `server::templates`, `server::routing`, `server::holidays` and `server::agencies`; forms on
//! `/staf/templat`, `/admin/rute`, `/admin/libur` and `/admin/instansi`.

use super::form::{flag, num, opt_num, opt_text};
use super::views::ImportPreview;
use crate::act::Act;
use serde::{Deserialize, Serialize};

/// A reply template of the actor's agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CreateTemplate {
    #[serde(default)]
    pub title: String,
    /// The text; `{nomor}`, `{judul}`, `{instansi}`, `{tanggal}` are filled from the report.
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AddRoutingRule {
    #[serde(default, deserialize_with = "opt_num")]
    pub category_id: Option<i32>,
    /// A province (`76`) or regency (`76.04`) code.
    #[serde(default, deserialize_with = "opt_text")]
    pub region_code: Option<String>,
    /// The agency suggested.
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

/// A day of the holiday calendar set (added or corrected).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SetHoliday {
    /// `YYYY-MM-DD` (from the address in the JSON API).
    #[cfg_attr(feature = "ssr", schema(ignore))]
    #[serde(default)]
    pub day: String,
    /// `holiday`, `cuti_bersama` or `working_day`.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

impl Act for SetHoliday {
    type Output = ();
    const KEY: &'static str = "set_holiday";
}

/// A day's correction removed (the built-in calendar applies again).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoveHoliday {
    #[serde(default)]
    pub day: String,
}

impl Act for RemoveHoliday {
    type Output = ();
    const KEY: &'static str = "remove_holiday";
}

/// A year's calendar confirmed complete (its decree entered).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfirmHolidayYear {
    #[serde(deserialize_with = "num")]
    pub year: i32,
}

impl Act for ConfirmHolidayYear {
    type Output = ();
    const KEY: &'static str = "confirm_holiday_year";
}

/// An agency as created and edited.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    /// The parent's code; none for a root.
    #[serde(default, deserialize_with = "opt_text")]
    pub parent_code: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub region_code: Option<String>,
    /// None: the region's zone.
    #[serde(default, deserialize_with = "opt_num")]
    pub utc_offset_minutes: Option<i32>,
    #[serde(default, deserialize_with = "opt_text")]
    pub head_name: Option<String>,
    #[serde(default, deserialize_with = "opt_text")]
    pub head_email: Option<String>,
}

/// A new agency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CreateAgency(pub AgencyInput);

impl Act for CreateAgency {
    /// The new agency's id.
    type Output = i32;
    const KEY: &'static str = "create_agency";

    fn next(&self, _: &i32) -> Option<String> {
        Some("/admin/instansi".into())
    }
}

/// An agency edited or moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateAgency {
    #[serde(deserialize_with = "num")]
    pub id: i32,
    #[serde(flatten)]
    pub agency: AgencyInput,
}

impl Act for UpdateAgency {
    type Output = ();
    const KEY: &'static str = "update_agency";

    fn next(&self, _: &()) -> Option<String> {
        Some("/admin/instansi".into())
    }
}

/// An agency deactivated (`active` false) or activated again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetAgencyActive {
    #[serde(deserialize_with = "num")]
    pub agency: i32,
    #[serde(default, deserialize_with = "flag")]
    pub active: bool,
}

impl Act for SetAgencyActive {
    type Output = ();
    const KEY: &'static str = "set_agency_active";
}

/// Agencies from CSV: previewed, or applied (`mode` = `apply`) when no row has an error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportAgencies {
    #[serde(default)]
    pub csv: String,
    #[serde(default)]
    pub mode: String,
}

impl ImportAgencies {
    pub fn dry_run(&self) -> bool {
        self.mode != "apply"
    }
}

impl Act for ImportAgencies {
    type Output = ImportPreview;
    const KEY: &'static str = "import_agencies";
}
