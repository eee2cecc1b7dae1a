//! From the TOML schema to a [`Target`]: paths are resolved relative to the
//! target file, PEM files are read and parsed, environment variables are
//! looked up, URLs and profile overrides are checked. Every error names the
//! file and the dotted key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use psd2_core::{ClientAuthMethod, ClientId, ProfileData, ScopeSet, Secret};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use url::Url;

use super::file::{self, TargetFile, ValueSource};
use super::{
    Capabilities, Client, Clients, ClockControl, ConsentDriver, EndpointRef, Endpoints, FormAction,
    FormFill, Identity, Probe, ProbeUrl, PsuCredentials, RedirectUris, Resources, Target,
    TargetError,
};

/// Where environment variables come from: the process environment in the
/// binary, a map in tests (setting variables is `unsafe` in edition 2024).
pub type EnvLookup<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Target {
    /// Reads and validates a target file, taking `{ env = "..." }` values
    /// from the process environment.
    ///
    /// # Errors
    /// [`TargetError`] naming the file and the key.
    pub fn load(path: &Path) -> Result<Self, TargetError> {
        let text = std::fs::read_to_string(path).map_err(|source| TargetError::Read {
            file: path.to_path_buf(),
            source,
        })?;
        Self::parse(path, &text, &|name| std::env::var(name).ok())
    }

    /// Validates the text of a target file. `path` names the file in errors
    /// and anchors relative paths; `env` looks up `{ env = "..." }` values.
    ///
    /// # Errors
    /// [`TargetError`] naming the file and the key.
    pub fn parse(path: &Path, text: &str, env: EnvLookup<'_>) -> Result<Self, TargetError> {
        let raw = schema(path, text)?;
        Loader {
            file: path,
            base: path.parent().unwrap_or_else(|| Path::new(".")),
            env,
        }
        .target(raw)
    }
}

/// Parses the text against the schema only (no files, no environment).
pub(crate) fn schema(path: &Path, text: &str) -> Result<TargetFile, TargetError> {
    toml::from_str::<TargetFile>(text).map_err(|error| TargetError::Schema {
        file: path.to_path_buf(),
        message: error.to_string().trim_end().replace('\n', " | "),
    })
}

struct Loader<'a> {
    file: &'a Path,
    base: &'a Path,
    env: EnvLookup<'a>,
}

impl Loader<'_> {
    fn invalid(&self, key: impl Into<String>, message: impl Into<String>) -> TargetError {
        TargetError::invalid(self.file, key, message)
    }

    fn target(&self, raw: TargetFile) -> Result<Target, TargetError> {
        let profile = ProfileData::with_overrides(raw.target.profile, &raw.profile)
            .map_err(|error| self.invalid("profile", error.to_string()))?;
        let issuer = self.url("server.issuer", &raw.server.issuer)?;
        let endpoints = self.endpoints(&raw.server.endpoints)?;
        if !raw.server.discovery && (endpoints.authorization.is_none() || endpoints.token.is_none())
        {
            return Err(self.invalid(
                "server.endpoints",
                "without discovery, `authorization` and `token` must be given",
            ));
        }
        let ca_bundle = match &raw.server.ca_bundle {
            Some(path) => self.certificates("server.ca_bundle", path)?,
            None => Vec::new(),
        };
        let clients = Clients {
            main: self.client("clients.main", raw.clients.main)?,
            second: raw
                .clients
                .second
                .map(|client| self.client("clients.second", client))
                .transpose()?,
            grant_restricted: raw
                .clients
                .grant_restricted
                .map(|client| self.client("clients.grant_restricted", client))
                .transpose()?,
        };
        let mut certificates = BTreeMap::new();
        for (name, pair) in raw.certificates {
            let key = format!("certificates.{name}");
            let identity = self.identity(&key, &pair.certificate, &pair.key)?;
            certificates.insert(name, identity);
        }
        if certificates.contains_key("none") {
            return Err(self.invalid(
                "certificates.none",
                "`none` is reserved: a step with certificate = \"none\" sends no certificate",
            ));
        }
        let redirect = RedirectUris {
            registered: self.url("redirect.uri", &raw.redirect.uri)?,
            with_query: raw
                .redirect
                .query_uri
                .as_deref()
                .map(|uri| self.url("redirect.query_uri", uri))
                .transpose()?,
        };
        if let Some(uri) = &redirect.with_query
            && uri.query().is_none()
        {
            return Err(self.invalid("redirect.query_uri", "has no query component"));
        }
        Ok(Target {
            file: self.file.to_path_buf(),
            name: raw.target.name,
            profile,
            issuer,
            discovery: raw.server.discovery,
            endpoints,
            ca_bundle,
            clients,
            certificates,
            redirect,
            consent: raw.consent.map(|raw| self.consent(raw)).transpose()?,
            psu: raw.psu.map(|psu| self.psu(psu)).transpose()?,
            capabilities: self.capabilities(raw.capabilities)?,
            baseline: raw.target.baseline.map(|path| self.base.join(path)),
            scenarios: raw.target.scenarios.map(|path| self.base.join(path)),
        })
    }

    fn url(&self, key: &str, text: &str) -> Result<Url, TargetError> {
        let url =
            Url::parse(text).map_err(|error| self.invalid(key, format!("{text:?}: {error}")))?;
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(self.invalid(key, format!("{text:?} is not an http(s) URL")));
        }
        Ok(url)
    }

    fn endpoint_ref(&self, key: &str, text: &str) -> Result<EndpointRef, TargetError> {
        if text.starts_with('/') {
            return Ok(EndpointRef::Path(text.to_owned()));
        }
        self.url(key, text).map(EndpointRef::Absolute)
    }

    /// An absolute URL, or a path on the issuer's origin (resolved when
    /// the run starts, after any `--server` override).
    fn probe_url(&self, key: &str, text: &str) -> Result<ProbeUrl, TargetError> {
        if !text.starts_with('/') {
            return self.url(key, text).map(ProbeUrl::Absolute);
        }
        if text.starts_with("//") || text.contains('\\') || text.contains('#') {
            return Err(self.invalid(
                key,
                format!("{text:?}: a path starts with a single / and has no \\ or fragment"),
            ));
        }
        // Any origin will do to see that the path makes a URL.
        let base = Url::parse("https://issuer.invalid")
            .map_err(|error| self.invalid(key, error.to_string()))?;
        base.join(text)
            .map_err(|error| self.invalid(key, format!("{text:?}: {error}")))?;
        Ok(ProbeUrl::Path(text.to_owned()))
    }

    fn endpoints(&self, raw: &file::EndpointsSection) -> Result<Endpoints, TargetError> {
        let one = |name: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|text| self.url(&format!("server.endpoints.{name}"), text))
                .transpose()
        };
        Ok(Endpoints {
            authorization: one("authorization", &raw.authorization)?,
            token: one("token", &raw.token)?,
            revocation: one("revocation", &raw.revocation)?,
            introspection: one("introspection", &raw.introspection)?,
            registration: one("registration", &raw.registration)?,
        })
    }

    fn value(&self, key: &str, source: &ValueSource) -> Result<Secret<String>, TargetError> {
        match source {
            ValueSource::Literal(value) => Ok(Secret::new(value.clone())),
            ValueSource::Env(name) => (self.env)(name).map(Secret::new).ok_or_else(|| {
                self.invalid(key, format!("environment variable {name} is not set"))
            }),
        }
    }

    fn read(&self, key: &str, path: &Path) -> Result<(PathBuf, Vec<u8>), TargetError> {
        let full = self.base.join(path);
        std::fs::read(&full)
            .map(|bytes| (full.clone(), bytes))
            .map_err(|error| self.invalid(key, format!("cannot read {}: {error}", full.display())))
    }

    fn certificates(
        &self,
        key: &str,
        path: &Path,
    ) -> Result<Vec<CertificateDer<'static>>, TargetError> {
        let (full, pem) = self.read(key, path)?;
        let mut chain = Vec::new();
        for item in CertificateDer::pem_slice_iter(&pem) {
            chain.push(
                item.map_err(|error| self.invalid(key, format!("{}: {error}", full.display())))?,
            );
        }
        if chain.is_empty() {
            return Err(self.invalid(key, format!("{}: no CERTIFICATE block", full.display())));
        }
        Ok(chain)
    }

    fn identity(
        &self,
        key: &str,
        certificate: &Path,
        private_key: &Path,
    ) -> Result<Identity, TargetError> {
        let chain = self.certificates(&format!("{key}.certificate"), certificate)?;
        let key_key = format!("{key}.key");
        let (full, pem) = self.read(&key_key, private_key)?;
        let parsed = PrivateKeyDer::from_pem_slice(&pem)
            .map_err(|error| self.invalid(&key_key, format!("{}: {error}", full.display())))?;
        Ok(Identity {
            certificate_file: self.base.join(certificate),
            chain,
            key: Secret::new(parsed),
        })
    }

    fn client(&self, key: &str, raw: file::ClientSection) -> Result<Client, TargetError> {
        let client_id = ClientId::new(raw.client_id.clone())
            .map_err(|error| self.invalid(format!("{key}.client_id"), error.to_string()))?;
        let identity = match (&raw.certificate, &raw.key) {
            (Some(certificate), Some(private_key)) => {
                Some(self.identity(key, certificate, private_key)?)
            }
            (None, None) => None,
            (Some(_), None) => {
                return Err(self.invalid(
                    format!("{key}.key"),
                    "missing: `certificate` needs its `key`",
                ));
            }
            (None, Some(_)) => {
                return Err(self.invalid(
                    format!("{key}.certificate"),
                    "missing: `key` needs its `certificate`",
                ));
            }
        };
        let client_secret = raw
            .client_secret
            .as_ref()
            .map(|source| self.value(&format!("{key}.client_secret"), source))
            .transpose()?;
        let needs_secret = matches!(
            raw.auth,
            ClientAuthMethod::ClientSecretBasic | ClientAuthMethod::ClientSecretPost
        );
        if needs_secret && client_secret.is_none() {
            return Err(self.invalid(
                format!("{key}.client_secret"),
                "missing: the client authenticates with a secret",
            ));
        }
        let needs_certificate = matches!(
            raw.auth,
            ClientAuthMethod::TlsClientAuth | ClientAuthMethod::SelfSignedTlsClientAuth
        );
        if needs_certificate && identity.is_none() {
            return Err(self.invalid(
                format!("{key}.certificate"),
                "missing: the client authenticates with its certificate",
            ));
        }
        let scope = raw
            .scope
            .as_deref()
            .map(|text| {
                ScopeSet::parse(text)
                    .map_err(|error| self.invalid(format!("{key}.scope"), error.to_string()))
            })
            .transpose()?;
        Ok(Client {
            client_id,
            auth: raw.auth,
            client_secret,
            identity,
            scope,
        })
    }

    fn consent(&self, raw: file::ConsentSection) -> Result<ConsentDriver, TargetError> {
        Ok(match raw {
            file::ConsentSection::Form {
                forms,
                deny,
                partial,
            } => ConsentDriver::Form {
                forms: forms
                    .into_iter()
                    .map(|form| FormFill {
                        action_contains: form.action_contains,
                        fields: form.fields,
                        submit: form.submit,
                    })
                    .collect(),
                deny: deny
                    .map(|steps| self.script("consent.deny", steps))
                    .transpose()?,
                partial: partial
                    .map(|steps| self.script("consent.partial", steps))
                    .transpose()?,
            },
            file::ConsentSection::Manual { listen } => ConsentDriver::Manual { listen },
            file::ConsentSection::Sandbox {} => ConsentDriver::Sandbox,
        })
    }

    /// `[[consent.deny]]` or `[[consent.partial]]` (`section`): each step is
    /// a form or a link, not both.
    fn script(
        &self,
        section: &str,
        steps: Vec<file::DenySection>,
    ) -> Result<Vec<FormAction>, TargetError> {
        if steps.is_empty() {
            return Err(self.invalid(section, "names no step"));
        }
        steps
            .into_iter()
            .enumerate()
            .map(|(index, step)| {
                let key = format!("{section}[{index}]");
                match (step.action_contains, step.link_contains) {
                    (Some(action_contains), None) => Ok(FormAction::Submit(FormFill {
                        action_contains,
                        fields: step.fields,
                        submit: step.submit,
                    })),
                    (None, Some(href_contains)) => {
                        if !step.fields.is_empty() || step.submit.is_some() {
                            return Err(self.invalid(
                                key,
                                "link_contains follows a link: fields and submit belong to a form step",
                            ));
                        }
                        if href_contains.is_empty() {
                            return Err(self.invalid(format!("{key}.link_contains"), "is empty"));
                        }
                        Ok(FormAction::FollowLink { href_contains })
                    }
                    _ => Err(self.invalid(
                        key,
                        "needs exactly one of action_contains (a form) or link_contains (a link)",
                    )),
                }
            })
            .collect()
    }

    fn psu(&self, raw: file::PsuSection) -> Result<PsuCredentials, TargetError> {
        Ok(PsuCredentials {
            username: self.value("psu.username", &raw.username)?,
            password: self.value("psu.password", &raw.password)?,
            otp: raw
                .otp
                .as_ref()
                .map(|source| self.value("psu.otp", source))
                .transpose()?,
            customer: raw.customer,
            other_customer: raw.other_customer,
        })
    }

    fn capabilities(&self, raw: file::CapabilitiesSection) -> Result<Capabilities, TargetError> {
        let clock_control = raw
            .clock_control
            .map(|clock| {
                Ok::<_, TargetError>(ClockControl {
                    url: self.endpoint_ref("capabilities.clock_control.url", &clock.url)?,
                    identity: self.identity(
                        "capabilities.clock_control",
                        &clock.certificate,
                        &clock.key,
                    )?,
                })
            })
            .transpose()?;
        let resource = |name: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|text| self.endpoint_ref(&format!("capabilities.resources.{name}"), text))
                .transpose()
        };
        let resources = Resources {
            accounts: resource("accounts", &raw.resources.accounts)?,
            payments: resource("payments", &raw.resources.payments)?,
            funds_confirmation: resource("funds_confirmation", &raw.resources.funds_confirmation)?,
        };
        let mut probes = Vec::with_capacity(raw.probe.len());
        for (index, probe) in raw.probe.into_iter().enumerate() {
            let key = format!("capabilities.probe[{index}]");
            if probe.parameters.is_empty() {
                return Err(self.invalid(format!("{key}.parameters"), "names no parameter"));
            }
            probes.push(Probe {
                url: self.probe_url(&format!("{key}.url"), &probe.url)?,
                parameters: probe.parameters,
            });
        }
        Ok(Capabilities {
            clock_control,
            tester_ca_trusted: raw.tester_ca_trusted,
            dcr: raw.dcr,
            wait: raw.wait,
            resources,
            probes,
        })
    }
}
