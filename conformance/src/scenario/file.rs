//! The TOML schema of a scenario file, as written. Step kinds, capture
//! fields and labels are strings here so that [`super::load`] can report an
//! unknown one together with every other problem of the file.

use std::collections::BTreeMap;

use psd2_rules::Need;
use serde::Deserialize;

use crate::target::ClientRole;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioFile {
    pub description: String,
    pub rules: Vec<String>,
    #[serde(default)]
    pub requires: Vec<Need>,
    pub exclusive: Option<String>,
    #[serde(default)]
    pub step: Vec<StepEntry>,
    #[serde(default)]
    pub cleanup: Vec<StepEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepEntry {
    pub kind: String,
    pub label: String,
    pub client: Option<ClientRole>,
    pub certificate: Option<String>,
    pub redirect_uri: Option<String>,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    #[serde(default)]
    pub omit: Vec<String>,
    #[serde(default)]
    pub repeat: Vec<String>,
    pub concurrent: Option<u32>,
    #[serde(default)]
    pub capture: BTreeMap<String, String>,
    pub pkce: Option<bool>,
    pub decision: Option<Decision>,
    pub customer: Option<Customer>,
    pub service: Option<Service>,
    pub path: Option<String>,
    pub bearer: Option<String>,
    pub body: Option<toml::Table>,
    pub seconds: Option<u64>,
    pub past: Option<Lifetime>,
    #[serde(default)]
    pub cleartext: bool,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Decision {
    Deny,
    Grant,
    Partial,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Customer {
    Main,
    Other,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Service {
    Accounts,
    FundsConfirmation,
    Payments,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Lifetime {
    CodeTtlMax,
    #[serde(rename = "refresh_token_lifetime")]
    RefreshToken,
    RevocationPropagationDelay,
    ScaRenewalWindow,
}
