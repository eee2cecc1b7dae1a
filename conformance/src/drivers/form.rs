//! A scripted consent journey for a third-party server: after the GET of
//! the authorization URL, a list of steps (GET a URL or reload the page,
//! submit a form picked by action, id, field or index, with field values
//! that may name the PSU's credentials, or follow a link picked by its
//! `href`). The journey ends as soon as a redirect reaches the redirect URI.

use std::collections::BTreeMap;

use psd2_core::Secret;
use serde::Deserialize;

use super::{
    Consent, ConsentDriver, ConsentRequest, DriveFuture, DriverError, Next, PsuCredentials,
    form_not_found, link_not_found, next, no_callback,
};
use crate::agent::{AgentError, FormFill, HtmlForm, Page, UserAgent};
use psd2_rules::exchange::redact_url;

/// Which form of the current page to submit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FormSelector {
    /// The first form whose resolved action path ends with this text.
    Action(String),
    /// The first form whose resolved action URL contains this text (the
    /// target file's `action_contains`: a server whose action carries a
    /// per-journey id, as `/interaction/{uid}`, is matched on its stable
    /// part).
    ActionContains(String),
    /// The first form that has a control with this name.
    Field(String),
    /// The form with this `id`.
    Id(String),
    /// The form at this position (from 0).
    Index(usize),
}

impl Default for FormSelector {
    fn default() -> Self {
        FormSelector::Index(0)
    }
}

impl FormSelector {
    fn find(&self, page: &Page) -> Option<HtmlForm> {
        match self {
            FormSelector::Action(suffix) => page.form_with_action(suffix),
            FormSelector::ActionContains(text) => page.forms().into_iter().find(|form| {
                page.action_url(form)
                    .is_ok_and(|url| url.as_str().contains(text.as_str()))
            }),
            FormSelector::Field(name) => page.forms().into_iter().find(|f| f.field(name).is_some()),
            FormSelector::Id(id) => page
                .forms()
                .into_iter()
                .find(|f| f.id.as_deref() == Some(id.as_str())),
            FormSelector::Index(index) => page.forms().into_iter().nth(*index),
        }
    }

    fn describe(&self) -> String {
        match self {
            FormSelector::Action(suffix) => format!("action …{suffix}"),
            FormSelector::ActionContains(text) => format!("action containing {text}"),
            FormSelector::Field(name) => format!("with field {name}"),
            FormSelector::Id(id) => format!("id {id}"),
            FormSelector::Index(index) => format!("number {index}"),
        }
    }
}

/// A field value: literal text in which `${username}` and `${password}`
/// stand for the PSU's credentials.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct FieldTemplate(pub String);

impl FieldTemplate {
    fn render(&self, psu: Option<&PsuCredentials>) -> Secret<String> {
        let mut text = self.0.clone();
        if let Some(psu) = psu {
            text = text
                .replace("${username}", &psu.username)
                .replace("${password}", psu.password.expose());
        }
        Secret::new(text)
    }
}

/// One step of a script.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "do", rename_all = "snake_case")]
#[non_exhaustive]
pub enum FormStep {
    /// `GET` a URL (relative to the current page), or reload the current
    /// page when `url` is absent.
    Get {
        /// The URL.
        #[serde(default)]
        url: Option<String>,
    },
    /// Submit a form of the current page.
    Submit {
        /// Which form.
        #[serde(default)]
        form: FormSelector,
        /// Text-like controls to set (name → value).
        #[serde(default)]
        fields: BTreeMap<String, FieldTemplate>,
        /// Radios and checkboxes to check (name → values); others of the
        /// same name are unchecked.
        #[serde(default)]
        choose: BTreeMap<String, Vec<String>>,
        /// The submit button to press, as `[name, value]`; the form's first
        /// one when absent.
        #[serde(default)]
        click: Option<(String, String)>,
    },
    /// `GET` the `href` of the first link (`<a>`) of the current page whose
    /// `href`, as written, contains this text.
    FollowLink {
        /// A substring of the link's `href` that picks it.
        href_contains: String,
    },
}

/// Drives a server's pages with a script.
#[derive(Debug, Clone, Deserialize)]
pub struct FormDriver {
    /// The credentials the templates refer to.
    #[serde(default)]
    pub psu: Option<PsuCredentials>,
    /// The steps after the authorization request.
    pub steps: Vec<FormStep>,
}

impl FormDriver {
    async fn journey(
        &self,
        agent: &mut UserAgent,
        request: &ConsentRequest,
    ) -> Result<Consent, DriverError> {
        let mut page = match next(agent.get(&request.authorization_url).await?)? {
            Next::Done(consent) => return Ok(consent),
            Next::Page(page) => page,
        };
        for step in &self.steps {
            let landing = match step {
                FormStep::Get { url } => {
                    let target = match url {
                        None => page.url.clone(),
                        Some(url) => page.url.join(url).map_err(|_| AgentError::InvalidUrl {
                            url: redact_url(url),
                        })?,
                    };
                    agent.get(target.as_str()).await?
                }
                FormStep::Submit {
                    form,
                    fields,
                    choose,
                    click,
                } => {
                    let found = form
                        .find(&page)
                        .ok_or_else(|| form_not_found(&page, form.describe()))?;
                    let mut fill = FormFill::new();
                    for (name, value) in fields {
                        fill = fill.set_secret(name.clone(), value.render(self.psu.as_ref()));
                    }
                    for (name, values) in choose {
                        fill = fill.choose(name.clone(), values.iter().cloned());
                    }
                    if let Some((name, value)) = click {
                        fill = fill.click(name.clone(), value.clone());
                    }
                    agent.submit(&page, &found, &fill).await?
                }
                FormStep::FollowLink { href_contains } => {
                    let href = page.link_containing(href_contains).ok_or_else(|| {
                        link_not_found(&page, format!("link containing {href_contains}"))
                    })?;
                    let target = page.url.join(&href).map_err(|_| AgentError::InvalidUrl {
                        url: redact_url(&href),
                    })?;
                    agent.get(target.as_str()).await?
                }
            };
            page = match next(landing)? {
                Next::Done(consent) => return Ok(consent),
                Next::Page(page) => page,
            };
        }
        Err(no_callback(&page))
    }
}

impl ConsentDriver for FormDriver {
    fn name(&self) -> &'static str {
        "form"
    }

    fn drive<'a>(
        &'a self,
        agent: &'a mut UserAgent,
        request: &'a ConsentRequest,
    ) -> DriveFuture<'a> {
        Box::pin(self.journey(agent, request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_name_the_credentials() {
        let psu = PsuCredentials {
            username: "alice".into(),
            password: Secret::new("s3cret".into()),
        };
        let template = FieldTemplate("${username}:${password}".into());
        assert_eq!(template.render(Some(&psu)).expose(), "alice:s3cret");
        assert_eq!(template.render(None).expose(), "${username}:${password}");
    }

    #[test]
    fn action_contains_matches_a_per_journey_action() {
        let html = r#"<form action="/login"><input name="a"></form>
            <form method="post" action="https://as.example/interaction/Xy12z"><input name="prompt" value="login"></form>"#;
        let page = Page {
            url: url::Url::parse("https://as.example/interaction/Xy12z").unwrap(),
            response: psd2_rules::exchange::HttpResponse {
                status: 200,
                headers: vec![("Content-Type".to_owned(), "text/html".to_owned())],
                body: html.as_bytes().to_vec(),
            },
        };
        let found = FormSelector::ActionContains("/interaction/".to_owned()).find(&page);
        assert!(found.is_some_and(|form| form.field("prompt").is_some()));
        assert!(
            FormSelector::ActionContains("/consent/".to_owned())
                .find(&page)
                .is_none()
        );
        // The suffix selector cannot see past the per-journey id.
        assert!(
            FormSelector::Action("/interaction/".to_owned())
                .find(&page)
                .is_none()
        );
    }

    #[test]
    fn scripts_deserialize_from_toml() {
        let driver: FormDriver = toml::from_str(
            r#"
            psu = { username = "alice", password = "pw" }
            [[steps]]
            do = "submit"
            form = { action = "/login" }
            fields = { user = "${username}", pass = "${password}" }
            [[steps]]
            do = "get"
            [[steps]]
            do = "submit"
            form = { index = 1 }
            choose = { scope = ["aisp"] }
            click = ["decision", "grant"]
            [[steps]]
            do = "follow_link"
            href_contains = "/abort"
            "#,
        )
        .unwrap();
        assert_eq!(driver.steps.len(), 4);
        assert_eq!(
            driver.steps[3],
            FormStep::FollowLink {
                href_contains: "/abort".to_owned()
            }
        );
        assert_eq!(driver.steps[1], FormStep::Get { url: None });
        assert!(matches!(
            &driver.steps[2],
            FormStep::Submit { form: FormSelector::Index(1), click: Some((n, v)), .. } if n == "decision" && v == "grant"
        ));
        assert!(!format!("{driver:?}").contains("\"pw\""));
    }
}
