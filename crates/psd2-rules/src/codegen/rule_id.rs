//! Renders `src/rule_id.rs`: one `RuleId` variant per rule, in id order.

use std::fmt::Write;

use super::GENERATED_HEADER;
use crate::Catalogue;
use crate::catalogue::Rule;

/// The variant name of a rule id: `CORE-AC-01` becomes `CoreAc01`.
///
/// ```
/// assert_eq!(psd2_rules::codegen::variant_name("STET-AZ-02"), "StetAz02");
/// ```
#[must_use]
pub fn variant_name(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first
                    .to_ascii_uppercase()
                    .to_string()
                    .chars()
                    .chain(chars.map(|c| c.to_ascii_lowercase()))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// The contents of `src/rule_id.rs` for `catalogue`.
#[must_use]
pub fn render_rule_id(catalogue: &Catalogue) -> String {
    let mut rules: Vec<&Rule> = catalogue.rules().iter().collect();
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = String::new();
    // `write!` into a String cannot fail; the results are ignored on purpose.
    let _ = writeln!(out, "//! {GENERATED_HEADER}");
    out.push_str(
        "//!\n\
         //! One variant per rule of `crates/psd2-rules/catalogue.toml`, in id order;\n\
         //! the rule's text, levels and sources are looked up in [`crate::Catalogue`].\n\
         \n\
         use std::fmt;\n\
         use std::str::FromStr;\n\
         \n\
         /// A rule of the catalogue.\n\
         ///\n\
         /// Variants follow the ids (`CORE-AC-01` is `CoreAc01`) and are sorted by id.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]\n\
         #[non_exhaustive]\n\
         pub enum RuleId {\n",
    );
    for rule in &rules {
        let _ = writeln!(out, "    /// `{}`: {}.", rule.id, rule.title);
        let _ = writeln!(out, "    {},", variant_name(&rule.id));
    }
    out.push_str("}\n\nimpl RuleId {\n    /// Every rule, in id order.\n");
    let _ = writeln!(out, "    pub const ALL: [RuleId; {}] = [", rules.len());
    for rule in &rules {
        let _ = writeln!(out, "        RuleId::{},", variant_name(&rule.id));
    }
    out.push_str(
        "    ];\n\
         \n    /// The id as written in the catalogue (`CORE-AC-01`).\n\
         \x20   #[must_use]\n\
         \x20   pub const fn as_str(self) -> &'static str {\n\
         \x20       match self {\n",
    );
    for rule in &rules {
        let _ = writeln!(
            out,
            "            RuleId::{} => \"{}\",",
            variant_name(&rule.id),
            rule.id
        );
    }
    out.push_str(
        "        }\n    }\n\
         \n    /// The names of the rule's cases, in catalogue order.\n\
         \x20   #[must_use]\n\
         \x20   pub const fn cases(self) -> &'static [&'static str] {\n\
         \x20       match self {\n",
    );
    for rule in &rules {
        let names: Vec<String> = rule
            .cases
            .iter()
            .map(|case| format!("\"{}\"", case.name))
            .collect();
        let _ = writeln!(
            out,
            "            RuleId::{} => &[{}],",
            variant_name(&rule.id),
            names.join(", ")
        );
    }
    out.push_str(
        "        }\n    }\n}\n\
         \n\
         impl fmt::Display for RuleId {\n\
         \x20   fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n\
         \x20       f.write_str(self.as_str())\n\
         \x20   }\n\
         }\n\
         \n\
         /// An id that names no rule of the catalogue (retired ids included).\n\
         #[derive(Debug, Clone, PartialEq, Eq)]\n\
         pub struct UnknownRuleId(pub String);\n\
         \n\
         impl fmt::Display for UnknownRuleId {\n\
         \x20   fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {\n\
         \x20       write!(f, \"rule id: {:?} is not in the catalogue\", self.0)\n\
         \x20   }\n\
         }\n\
         \n\
         impl std::error::Error for UnknownRuleId {}\n\
         \n\
         impl FromStr for RuleId {\n\
         \x20   type Err = UnknownRuleId;\n\
         \x20   fn from_str(s: &str) -> Result<Self, Self::Err> {\n\
         \x20       RuleId::ALL\n\
         \x20           .into_iter()\n\
         \x20           .find(|id| id.as_str() == s)\n\
         \x20           .ok_or_else(|| UnknownRuleId(s.to_owned()))\n\
         \x20   }\n\
         }\n",
    );
    out
}
