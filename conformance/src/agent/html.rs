//! HTML form extraction for the user agent: forms, their action and method,
//! and their controls (inputs of every type, buttons, selects, textareas).
//!
//! A small tolerant scanner, not an HTML5 parser: it reads tags and their
//! attributes, skips comments, scripts and styles, and never fails. That is
//! enough for sign-in and consent pages, which must work without JavaScript.

use std::fmt;

use psd2_core::Secret;
use psd2_wire::Form;

/// Pages larger than this are scanned only up to this size.
const MAX_SCAN: usize = 2 * 1024 * 1024;

/// The kind of a form control.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldKind {
    /// `<input type=checkbox>`.
    Checkbox,
    /// `<input type=hidden>`.
    Hidden,
    /// Any other input type (`email`, `number`, ...), lower-case.
    Other(String),
    /// `<input type=password>`.
    Password,
    /// `<input type=radio>`.
    Radio,
    /// `<select>` (its value is the selected, or first, option).
    Select,
    /// `<button type=submit>` or `<input type=submit|image>`.
    Submit,
    /// `<input type=text>` or an input without a type.
    Text,
    /// `<textarea>`.
    TextArea,
}

/// One control of a form.
#[derive(Clone, PartialEq, Eq)]
pub struct Field {
    /// What kind of control.
    pub kind: FieldKind,
    /// The `name` attribute (empty when absent: such a control is not sent).
    pub name: String,
    /// The value it would submit.
    pub value: String,
    /// `checked` (radios and checkboxes).
    pub checked: bool,
    /// `disabled`: never submitted.
    pub disabled: bool,
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Hidden inputs carry anti-forgery tokens; passwords may be prefilled.
        let value: &dyn fmt::Debug = match self.kind {
            FieldKind::Hidden | FieldKind::Password => &"[redacted]",
            _ => &self.value,
        };
        f.debug_struct("Field")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("value", value)
            .field("checked", &self.checked)
            .field("disabled", &self.disabled)
            .finish()
    }
}

/// A form found on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlForm {
    /// Its position among the page's forms, from 0.
    pub index: usize,
    /// `id`, if any.
    pub id: Option<String>,
    /// `name`, if any.
    pub name: Option<String>,
    /// `action` as written (relative or absolute); `None` or empty means
    /// the page's own URL.
    pub action: Option<String>,
    /// `GET` or `POST` (the `method` attribute upper-cased; `GET` if absent
    /// or unknown, as HTML says).
    pub method: String,
    /// The controls, in document order.
    pub fields: Vec<Field>,
}

/// How to fill a form before submitting it.
#[derive(Debug, Clone, Default)]
pub struct FormFill {
    values: Vec<(String, Secret<String>)>,
    choices: Vec<(String, Vec<String>)>,
    submitter: Option<(String, String)>,
}

impl FormFill {
    /// Nothing changed: the form as the page prefilled it, submitted with its
    /// first submit button.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a text-like control (text, password, hidden, textarea, select)
    /// to one value; adds the pair when the form has no such control.
    #[must_use]
    pub fn set(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.values.push((name.into(), Secret::new(value.into())));
        self
    }

    /// Sets a control to a secret value (a password).
    #[must_use]
    pub fn set_secret(mut self, name: impl Into<String>, value: Secret<String>) -> Self {
        self.values.push((name.into(), value));
        self
    }

    /// Checks exactly these values among the radios or checkboxes named
    /// `name` and unchecks the others; values the page does not offer are
    /// sent anyway (a test may want to grant what was not offered).
    #[must_use]
    pub fn choose<I, S>(mut self, name: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.choices
            .push((name.into(), values.into_iter().map(Into::into).collect()));
        self
    }

    /// Submits with the button named `name` whose value is `value`.
    #[must_use]
    pub fn click(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.submitter = Some((name.into(), value.into()));
        self
    }
}

impl HtmlForm {
    /// The form data set (HTML §4.10.21.4) after applying `fill`.
    ///
    /// Returns a secret: it may hold the PSU's password.
    #[must_use]
    pub fn submission(&self, fill: &FormFill) -> Secret<Form> {
        let submitter = fill.submitter.clone().or_else(|| {
            self.fields
                .iter()
                .find(|f| f.kind == FieldKind::Submit && !f.disabled && !f.name.is_empty())
                .map(|f| (f.name.clone(), f.value.clone()))
        });
        let mut pairs: Vec<(String, String)> = Vec::new();
        let mut submitter_sent = false;
        for field in self
            .fields
            .iter()
            .filter(|f| !f.disabled && !f.name.is_empty())
        {
            match field.kind {
                FieldKind::Submit => {
                    if !submitter_sent
                        && submitter
                            .as_ref()
                            .is_some_and(|(n, v)| *n == field.name && *v == field.value)
                    {
                        pairs.push((field.name.clone(), field.value.clone()));
                        submitter_sent = true;
                    }
                }
                FieldKind::Radio | FieldKind::Checkbox => {
                    let checked = match fill.choices.iter().rev().find(|(n, _)| *n == field.name) {
                        Some((_, chosen)) => chosen.contains(&field.value),
                        None => field.checked,
                    };
                    if checked {
                        pairs.push((field.name.clone(), field.value.clone()));
                    }
                }
                _ => pairs.push((field.name.clone(), field.value.clone())),
            }
        }
        // A button the page does not have is pressed anyway when asked for.
        if let (Some((name, value)), false) = (&submitter, submitter_sent)
            && fill.submitter.is_some()
        {
            pairs.push((name.clone(), value.clone()));
        }
        for (name, chosen) in &fill.choices {
            for value in chosen {
                if !pairs.iter().any(|(n, v)| n == name && v == value) {
                    pairs.push((name.clone(), value.clone()));
                }
            }
        }
        for (name, value) in &fill.values {
            match pairs.iter().position(|(n, _)| n == name) {
                Some(first) => {
                    pairs[first].1 = value.expose().clone();
                    let mut index = 0;
                    pairs.retain(|(n, _)| {
                        let keep = index <= first || n != name;
                        index += 1;
                        keep
                    });
                }
                None => pairs.push((name.clone(), value.expose().clone())),
            }
        }
        Secret::new(Form::from(pairs))
    }

    /// The first control named `name`.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The values offered by the radios or checkboxes named `name`.
    #[must_use]
    pub fn options(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|f| f.name == name && matches!(f.kind, FieldKind::Radio | FieldKind::Checkbox))
            .map(|f| f.value.as_str())
            .collect()
    }
}

/// Walks the tags of a page in document order, skipping comments and the
/// content of scripts and styles (the one scanner behind [`extract_forms`]
/// and [`extract_links`]).
struct TagWalker<'a> {
    html: &'a str,
    position: usize,
}

impl<'a> TagWalker<'a> {
    fn new(html: &'a str) -> Self {
        Self {
            html: truncate(html, MAX_SCAN),
            position: 0,
        }
    }

    /// The text after the last tag returned.
    fn after(&self) -> &'a str {
        &self.html[self.position..]
    }

    /// Moves past `length` bytes of [`TagWalker::after`].
    fn skip(&mut self, length: usize) {
        self.position = (self.position + length).min(self.html.len());
    }

    fn next_tag(&mut self) -> Option<Tag> {
        loop {
            let start = self.position + self.html[self.position..].find('<')?;
            let rest = &self.html[start..];
            if rest.starts_with("<!--") {
                self.position = rest
                    .find("-->")
                    .map_or(self.html.len(), |end| start + end + 3);
                continue;
            }
            let Some(tag) = Tag::parse(rest) else {
                self.position = start + 1;
                continue;
            };
            self.position = start + tag.length;
            if !tag.closing && matches!(tag.name.as_str(), "script" | "style") {
                let closing = format!("</{}", tag.name);
                self.position = find_ignore_case(self.after(), &closing)
                    .map_or(self.html.len(), |end| self.position + end);
                continue;
            }
            return Some(tag);
        }
    }
}

/// Every form of an HTML page, in document order. Never fails: broken
/// markup yields fewer or emptier forms.
#[must_use]
pub fn extract_forms(html: &str) -> Vec<HtmlForm> {
    let mut walker = TagWalker::new(html);
    let mut forms: Vec<HtmlForm> = Vec::new();
    let mut open = false;
    let mut select: Option<SelectState> = None;
    while let Some(tag) = walker.next_tag() {
        match (tag.closing, tag.name.as_str()) {
            (false, "form") if !open => {
                open = true;
                forms.push(HtmlForm {
                    index: forms.len(),
                    id: tag.attribute("id").map(str::to_owned),
                    name: tag.attribute("name").map(str::to_owned),
                    action: tag.attribute("action").map(str::to_owned),
                    method: match tag
                        .attribute("method")
                        .map(str::to_ascii_lowercase)
                        .as_deref()
                    {
                        Some("post") => "POST".to_owned(),
                        _ => "GET".to_owned(),
                    },
                    fields: Vec::new(),
                });
            }
            (true, "form") => {
                finish_select(&mut select, &mut forms);
                open = false;
            }
            (false, "input") if open => push_field(&mut forms, input_field(&tag)),
            (false, "button") if open => {
                let kind = tag.attribute("type").map(str::to_ascii_lowercase);
                if matches!(kind.as_deref(), None | Some("submit")) {
                    push_field(
                        &mut forms,
                        Field {
                            kind: FieldKind::Submit,
                            name: tag.attribute("name").unwrap_or_default().to_owned(),
                            value: tag.attribute("value").unwrap_or_default().to_owned(),
                            checked: false,
                            disabled: tag.has("disabled"),
                        },
                    );
                }
            }
            (false, "textarea") if open => {
                let content = walker.after();
                let end = find_ignore_case(content, "</textarea").unwrap_or(content.len());
                push_field(
                    &mut forms,
                    Field {
                        kind: FieldKind::TextArea,
                        name: tag.attribute("name").unwrap_or_default().to_owned(),
                        value: decode_entities(&content[..end]),
                        checked: false,
                        disabled: tag.has("disabled"),
                    },
                );
                walker.skip(end);
            }
            (false, "select") if open => {
                finish_select(&mut select, &mut forms);
                select = Some(SelectState {
                    name: tag.attribute("name").unwrap_or_default().to_owned(),
                    disabled: tag.has("disabled"),
                    first: None,
                    selected: None,
                });
            }
            (false, "option") => {
                if let Some(state) = select.as_mut() {
                    let value = tag
                        .attribute("value")
                        .map_or_else(|| option_text(walker.after()), str::to_owned);
                    if state.first.is_none() {
                        state.first = Some(value.clone());
                    }
                    if tag.has("selected") && state.selected.is_none() {
                        state.selected = Some(value);
                    }
                }
            }
            (true, "select") => finish_select(&mut select, &mut forms),
            _ => {}
        }
    }
    forms
}

/// The `href` of every `<a>` of an HTML page that has one, entity-decoded,
/// in document order (relative or absolute, as written). Never fails: skips
/// comments, scripts and styles like [`extract_forms`].
#[must_use]
pub fn extract_links(html: &str) -> Vec<String> {
    let mut walker = TagWalker::new(html);
    let mut links = Vec::new();
    while let Some(tag) = walker.next_tag() {
        if !tag.closing
            && tag.name == "a"
            && let Some(href) = tag.attribute("href")
        {
            links.push(href.trim().to_owned());
        }
    }
    links
}

struct SelectState {
    name: String,
    disabled: bool,
    first: Option<String>,
    selected: Option<String>,
}

fn finish_select(select: &mut Option<SelectState>, forms: &mut [HtmlForm]) {
    if let Some(state) = select.take()
        && let Some(value) = state.selected.or(state.first)
    {
        push_field(
            forms,
            Field {
                kind: FieldKind::Select,
                name: state.name,
                value,
                checked: false,
                disabled: state.disabled,
            },
        );
    }
}

fn push_field(forms: &mut [HtmlForm], field: Field) {
    if let Some(form) = forms.last_mut() {
        form.fields.push(field);
    }
}

fn input_field(tag: &Tag) -> Field {
    let kind_name = tag
        .attribute("type")
        .map_or_else(|| "text".to_owned(), str::to_ascii_lowercase);
    let kind = match kind_name.as_str() {
        "text" | "" => FieldKind::Text,
        "hidden" => FieldKind::Hidden,
        "password" => FieldKind::Password,
        "radio" => FieldKind::Radio,
        "checkbox" => FieldKind::Checkbox,
        "submit" | "image" => FieldKind::Submit,
        _ => FieldKind::Other(kind_name.clone()),
    };
    let default_value = match kind {
        // HTML: a checkbox or radio without a value submits "on".
        FieldKind::Radio | FieldKind::Checkbox => "on",
        _ => "",
    };
    Field {
        kind,
        name: tag.attribute("name").unwrap_or_default().to_owned(),
        value: tag.attribute("value").unwrap_or(default_value).to_owned(),
        checked: tag.has("checked"),
        disabled: tag.has("disabled"),
    }
}

fn option_text(after: &str) -> String {
    let end = after.find('<').unwrap_or(after.len());
    decode_entities(after[..end].trim())
}

/// A start or end tag with its attributes (names lower-cased, values
/// entity-decoded).
struct Tag {
    name: String,
    closing: bool,
    attributes: Vec<(String, String)>,
    length: usize,
}

impl Tag {
    fn parse(text: &str) -> Option<Tag> {
        let bytes = text.as_bytes();
        let mut index = 1;
        let closing = bytes.get(index) == Some(&b'/');
        if closing {
            index += 1;
        }
        let name_start = index;
        while index < bytes.len() && bytes[index].is_ascii_alphanumeric() {
            index += 1;
        }
        if index == name_start {
            return None;
        }
        let name = text[name_start..index].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while index < bytes.len()
                && (bytes[index].is_ascii_whitespace() || bytes[index] == b'/')
            {
                index += 1;
            }
            match bytes.get(index) {
                None => return None,
                Some(b'>') => {
                    index += 1;
                    break;
                }
                Some(_) => {}
            }
            let attribute_start = index;
            while index < bytes.len()
                && !bytes[index].is_ascii_whitespace()
                && !matches!(bytes[index], b'=' | b'>' | b'/')
            {
                index += 1;
            }
            let attribute = text[attribute_start..index].to_ascii_lowercase();
            while index < bytes.len() && bytes[index].is_ascii_whitespace() {
                index += 1;
            }
            let mut value = String::new();
            if bytes.get(index) == Some(&b'=') {
                index += 1;
                while index < bytes.len() && bytes[index].is_ascii_whitespace() {
                    index += 1;
                }
                match bytes.get(index) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let value_start = index + 1;
                        let end = text[value_start..]
                            .find(char::from(quote))
                            .map(|end| value_start + end)?;
                        value = decode_entities(&text[value_start..end]);
                        index = end + 1;
                    }
                    _ => {
                        let value_start = index;
                        while index < bytes.len()
                            && !bytes[index].is_ascii_whitespace()
                            && bytes[index] != b'>'
                        {
                            index += 1;
                        }
                        value = decode_entities(&text[value_start..index]);
                    }
                }
            }
            if attribute.is_empty() {
                // A stray character such as `"`: skip it.
                index += text[index..].chars().next().map_or(1, char::len_utf8);
            } else if !attributes.iter().any(|(n, _)| *n == attribute) {
                attributes.push((attribute, value));
            }
        }
        Some(Tag {
            name,
            closing,
            attributes,
            length: index,
        })
    }

    fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    fn has(&self, name: &str) -> bool {
        self.attribute(name).is_some()
    }
}

/// Decodes the character references sign-in pages use: the five XML
/// entities, `&nbsp;` and numeric references. Unknown ones stay as written.
#[must_use]
pub fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest
            .get(1..)
            .and_then(|after| {
                after
                    .find(';')
                    .filter(|end| *end <= 10)
                    .map(|end| (&after[..end], end))
            })
            .and_then(|(name, end)| entity(name).map(|c| (c, end)));
        match decoded {
            Some((character, end)) => {
                out.push(character);
                rest = &rest[end + 2..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_extracted_in_document_order() {
        let html = r#"<html><body>
<!-- <a href="/commented">x</a> -->
<script>document.write('<a href="/scripted">y</a>');</script>
<A HREF="/interaction/Xy12z/abort?x=1&amp;y=2">Cancel</A>
<a name="anchor">no href</a>
<a class="x" href=' https://as.example/help '>Help</a>
<a href=/bare>bare</a>
</body></html>"#;
        assert_eq!(
            extract_links(html),
            vec![
                "/interaction/Xy12z/abort?x=1&y=2".to_owned(),
                "https://as.example/help".to_owned(),
                "/bare".to_owned(),
            ]
        );
        assert!(extract_links("<a href=\"/unterminated").is_empty());
        assert!(extract_links("").is_empty());
    }

    const CONSENT: &str = r#"<!DOCTYPE html><html><body>
<!-- <form action="/fake"> -->
<script>var s = "<form action='/js'>";</script>
<form method="post" action="/consent">
<input type="hidden" name="txn" value="t&amp;1">
<label><input type="radio" name="customer" value="A" checked> A</label>
<label><input type="radio" name="customer" value="B"> B</label>
<label><input type="checkbox" name="scope" value="aisp" checked> aisp</label>
<label><input type="checkbox" name="scope" value="pisp" checked> pisp</label>
<input type="text" name="note" value="x" disabled>
<button type="submit" name="decision" value="grant">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
<button type="button" name="help" value="1">?</button>
</form>
<form><select name="lang"><option>en</option><option value="fr" selected>Français</option></select>
<textarea name="t">a &lt; b</textarea><input type=submit value=Go></form>
</body></html>"#;

    #[test]
    fn forms_and_controls_are_found() {
        let forms = extract_forms(CONSENT);
        assert_eq!(forms.len(), 2);
        let consent = &forms[0];
        assert_eq!(consent.method, "POST");
        assert_eq!(consent.action.as_deref(), Some("/consent"));
        assert_eq!(consent.field("txn").map(|f| f.value.as_str()), Some("t&1"));
        assert_eq!(consent.options("customer"), vec!["A", "B"]);
        assert_eq!(consent.options("scope"), vec!["aisp", "pisp"]);
        assert_eq!(consent.fields.len(), 8);
        let other = &forms[1];
        assert_eq!(other.method, "GET");
        assert_eq!(other.field("lang").map(|f| f.value.as_str()), Some("fr"));
        assert_eq!(other.field("t").map(|f| f.value.as_str()), Some("a < b"));
    }

    #[test]
    fn default_submission_uses_the_first_button_and_checked_controls() {
        let forms = extract_forms(CONSENT);
        let body = forms[0].submission(&FormFill::new()).into_inner().encode();
        assert_eq!(
            body,
            "txn=t%261&customer=A&scope=aisp&scope=pisp&decision=grant"
        );
    }

    #[test]
    fn fill_chooses_sets_and_clicks() {
        let forms = extract_forms(CONSENT);
        let fill = FormFill::new()
            .choose("customer", ["B"])
            .choose("scope", ["pisp"])
            .set("txn", "other")
            .click("decision", "deny");
        let body = forms[0].submission(&fill).into_inner().encode();
        assert_eq!(body, "txn=other&customer=B&scope=pisp&decision=deny");
        let extra = FormFill::new()
            .choose("scope", ["aisp", "piisp"])
            .set("username", "u");
        let body = forms[0].submission(&extra).into_inner().encode();
        assert_eq!(
            body,
            "txn=t%261&customer=A&scope=aisp&decision=grant&scope=piisp&username=u"
        );
    }

    #[test]
    fn broken_markup_does_not_fail() {
        assert!(extract_forms("<form action='/x'><input name=a value='unterminated").len() == 1);
        assert!(extract_forms("<<<>>><//><form").is_empty());
        let forms =
            extract_forms("<FORM METHOD=POST><INPUT NAME=a VALUE=b><form><input name=c></FORM>");
        assert_eq!(forms.len(), 1);
        assert_eq!(forms[0].fields.len(), 2);
    }

    #[test]
    fn entities_decode() {
        assert_eq!(
            decode_entities("a&amp;b&#38;c&#x26;d&bogus;e&"),
            "a&b&c&d&bogus;e&"
        );
    }

    #[test]
    fn debug_hides_hidden_values() {
        let forms = extract_forms(CONSENT);
        assert!(!format!("{:?}", forms[0]).contains("t&1"));
    }
}
