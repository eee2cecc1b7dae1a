//! The TOML schema of a target file, as written. Every table denies unknown
//! keys so that a typo is an error that names the key, never a silently
//! ignored setting. [`super::load`] turns this into a [`super::Target`].

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use psd2_core::{ClientAuthMethod, ProfileId, ProfileOverrides};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TargetFile {
    pub target: TargetSection,
    #[serde(default)]
    pub profile: ProfileOverrides,
    pub server: ServerSection,
    pub clients: ClientsSection,
    #[serde(default)]
    pub certificates: BTreeMap<String, PemPair>,
    pub redirect: RedirectSection,
    pub consent: Option<ConsentSection>,
    pub psu: Option<PsuSection>,
    #[serde(default)]
    pub capabilities: CapabilitiesSection,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TargetSection {
    pub name: String,
    pub profile: ProfileId,
    pub baseline: Option<PathBuf>,
    pub scenarios: Option<PathBuf>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ServerSection {
    pub issuer: String,
    #[serde(default = "yes")]
    pub discovery: bool,
    pub ca_bundle: Option<PathBuf>,
    #[serde(default)]
    pub endpoints: EndpointsSection,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EndpointsSection {
    pub authorization: Option<String>,
    pub token: Option<String>,
    pub revocation: Option<String>,
    pub introspection: Option<String>,
    pub registration: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClientsSection {
    pub main: ClientSection,
    pub second: Option<ClientSection>,
    pub grant_restricted: Option<ClientSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClientSection {
    pub client_id: String,
    pub auth: ClientAuthMethod,
    pub client_secret: Option<ValueSource>,
    pub certificate: Option<PathBuf>,
    pub key: Option<PathBuf>,
    pub scope: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PemPair {
    pub certificate: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RedirectSection {
    pub uri: String,
    pub query_uri: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "driver", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum ConsentSection {
    Form {
        #[serde(default)]
        forms: Vec<FormSection>,
        deny: Option<Vec<DenySection>>,
        partial: Option<Vec<DenySection>>,
    },
    Manual {
        listen: Option<String>,
    },
    Sandbox {},
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FormSection {
    pub action_contains: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    pub submit: Option<String>,
}

/// A step of `[[consent.deny]]` or `[[consent.partial]]`: a form
/// (`action_contains`, `fields`, `submit`) or a link to follow
/// (`link_contains`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DenySection {
    pub action_contains: Option<String>,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    pub submit: Option<String>,
    pub link_contains: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PsuSection {
    pub username: ValueSource,
    pub password: ValueSource,
    pub otp: Option<ValueSource>,
    pub customer: Option<String>,
    pub other_customer: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CapabilitiesSection {
    pub clock_control: Option<ClockControlSection>,
    #[serde(default)]
    pub tester_ca_trusted: bool,
    #[serde(default)]
    pub dcr: bool,
    #[serde(default)]
    pub wait: bool,
    #[serde(default)]
    pub resources: ResourcesSection,
    #[serde(default)]
    pub probe: Vec<ProbeSection>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ClockControlSection {
    pub url: String,
    pub certificate: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ResourcesSection {
    pub accounts: Option<String>,
    pub payments: Option<String>,
    pub funds_confirmation: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProbeSection {
    pub url: String,
    pub parameters: Vec<String>,
}

/// A value written in the file (`"alice"`) or taken from an environment
/// variable (`{ env = "BANK_PSU_PASSWORD" }`), so that pipelines keep
/// credentials out of the file.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum ValueSource {
    Env(String),
    Literal(String),
}

impl fmt::Debug for ValueSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A literal may be a password: never print it.
        match self {
            ValueSource::Env(name) => write!(f, "Env({name})"),
            ValueSource::Literal(_) => f.write_str("Literal([REDACTED])"),
        }
    }
}

impl<'de> Deserialize<'de> for ValueSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SourceVisitor;
        impl<'de> Visitor<'de> for SourceVisitor {
            type Value = ValueSource;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a table { env = \"VARIABLE\" }")
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<ValueSource, E> {
                Ok(ValueSource::Literal(value.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ValueSource, A::Error> {
                let mut env = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != "env" {
                        return Err(de::Error::unknown_field(&key, &["env"]));
                    }
                    env = Some(map.next_value::<String>()?);
                }
                env.map(ValueSource::Env)
                    .ok_or_else(|| de::Error::missing_field("env"))
            }
        }
        deserializer.deserialize_any(SourceVisitor)
    }
}
