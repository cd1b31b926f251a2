//! Exercises and their checks as validated values.

use std::collections::BTreeMap;

use mockloop_content::SourceFile;
use mockloop_domain::Difficulty;
use regex::Regex;
use serde::Deserialize;

use crate::graph::Kind;

/// A hands-on Terraform exercise from `exercises/<id>.md`.
#[derive(Debug, Clone)]
pub struct Exercise {
    /// Unique id, equal to the file name.
    pub id: String,
    /// One-line title.
    pub title: String,
    /// How hard it is.
    pub difficulty: Difficulty,
    /// Topic ids from `pack.toml`.
    pub topics: Vec<String>,
    /// Round ids from `pack.toml` (normally `coding-iac`).
    pub rounds: Vec<String>,
    /// Suggested time.
    pub time_minutes: u32,
    /// Hints, revealed one at a time on request.
    pub hints: Vec<String>,
    /// What is checked, in order.
    pub checks: Vec<Check>,
    /// The task statement (Markdown).
    pub statement: String,
    /// The explanation under `## Reference solution`, if any (Markdown).
    pub solution_notes: String,
    /// Starter files, paths relative to the working directory (`main.tf`).
    pub starter: Vec<SourceFile>,
    /// The reference solution, paths relative to the working directory.
    pub solution: Vec<SourceFile>,
    /// Pack-relative path of the exercise file.
    pub path: String,
}

impl Exercise {
    /// The check with this id.
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.id == id)
    }
}

/// One declarative check of an exercise.
#[derive(Debug, Clone)]
pub struct Check {
    /// Unique within the exercise.
    pub id: String,
    /// Relative weight in the score (1–5).
    pub weight: u32,
    /// What is wrong when it fails, in the exercise author's words.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    pub(crate) rule: Rule,
}

impl Check {
    /// The check kind as written in the exercise (`attribute`, `reference`, ...).
    pub fn kind(&self) -> &'static str {
        match self.rule {
            Rule::Exists { .. } => "exists",
            Rule::Attribute { .. } => "attribute",
            Rule::Reference { .. } => "reference",
            Rule::NoRouteToIgw { .. } => "no_route_to_igw",
            Rule::Backend { .. } => "backend",
            Rule::NoHardcodedSecrets => "no_hardcoded_secrets",
            Rule::RequiredTags { .. } => "required_tags",
            Rule::VariablesTyped { .. } => "variables_typed",
            Rule::DistinctAzs { .. } => "distinct_azs",
        }
    }
}

/// Which top-level objects a check looks at: `aws_subnet`, `aws_subnet.db`, `data.aws_x`,
/// `variable.name`, `output`, `module.vpc`, `provider.aws`, `terraform`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    pub(crate) kind: Kind,
    pub(crate) type_name: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) text: String,
}

impl Selector {
    /// Parses a selector, or says why it is malformed.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let parts: Vec<&str> = text.split('.').collect();
        let ok =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !parts.iter().all(|p| ok(p)) {
            return Err(format!("malformed selector `{text}` (expected e.g. `aws_subnet`, `aws_subnet.db`, `data.TYPE`, `variable.NAME`)"));
        }
        let sel = |kind, type_name: Option<&str>, name: Option<&str>| Selector {
            kind,
            type_name: type_name.map(str::to_owned),
            name: name.map(str::to_owned),
            text: text.to_owned(),
        };
        let named = |kind| match parts.len() {
            1 => Ok(sel(kind, None, None)),
            2 => Ok(sel(kind, None, Some(parts[1]))),
            _ => Err(format!("malformed selector `{text}`: `{}.NAME` takes one name", parts[0])),
        };
        match parts[0] {
            "variable" => named(Kind::Variable),
            "output" => named(Kind::Output),
            "module" => named(Kind::Module),
            "provider" => match parts.len() {
                1 => Ok(sel(Kind::Provider, None, None)),
                2 => Ok(sel(Kind::Provider, Some(parts[1]), None)),
                _ => Err(format!("malformed selector `{text}`")),
            },
            "terraform" if parts.len() == 1 => Ok(sel(Kind::Terraform, None, None)),
            "data" => match parts.len() {
                2 => Ok(sel(Kind::Data, Some(parts[1]), None)),
                3 => Ok(sel(Kind::Data, Some(parts[1]), Some(parts[2]))),
                _ => Err(format!("malformed selector `{text}`: use `data.TYPE` or `data.TYPE.NAME`")),
            },
            t if parts.len() <= 2 && t.contains('_') => {
                Ok(sel(Kind::Resource, Some(t), parts.get(1).copied()))
            }
            _ => Err(format!("malformed selector `{text}`: a resource type looks like `aws_subnet`")),
        }
    }

    /// The selector as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// What an `attribute` check requires of each value it finds.
#[derive(Debug, Clone)]
pub(crate) enum Predicate {
    Present,
    Absent,
    Equals(String),
    OneOf(Vec<String>),
    Matches(Regex),
    NotMatches(Regex),
    Range { min: Option<f64>, max: Option<f64> },
}

/// A check's logic with its parameters, validated.
#[derive(Debug, Clone)]
pub(crate) enum Rule {
    Exists {
        select: Selector,
        min: usize,
        max: Option<usize>,
    },
    Attribute {
        select: Selector,
        tagged: BTreeMap<String, String>,
        any: bool,
        path: String,
        predicate: Predicate,
    },
    Reference {
        select: Selector,
        tagged: BTreeMap<String, String>,
        path: String,
        to: String,
    },
    NoRouteToIgw {
        tag: String,
        value: String,
    },
    Backend {
        backend_type: String,
        encrypt: bool,
        locking: bool,
    },
    NoHardcodedSecrets,
    RequiredTags {
        tags: Vec<String>,
        select: Vec<Selector>,
    },
    VariablesTyped {
        validated: Vec<String>,
        described: bool,
    },
    DistinctAzs {
        select: Selector,
        tagged: BTreeMap<String, String>,
        min: usize,
    },
}

/// The check parameters as written in TOML, one variant per `kind`.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum RawRule {
    Exists {
        select: String,
        #[serde(default = "one")]
        min: usize,
        max: Option<usize>,
    },
    Attribute {
        select: String,
        #[serde(default)]
        tagged: BTreeMap<String, String>,
        #[serde(default)]
        any: bool,
        path: String,
        present: Option<bool>,
        absent: Option<bool>,
        equals: Option<toml::Value>,
        one_of: Option<Vec<toml::Value>>,
        matches: Option<String>,
        not_matches: Option<String>,
        min: Option<f64>,
        max: Option<f64>,
    },
    Reference {
        select: String,
        #[serde(default)]
        tagged: BTreeMap<String, String>,
        path: String,
        to: String,
    },
    NoRouteToIgw {
        #[serde(default = "tier")]
        tag: String,
        #[serde(default = "db")]
        value: String,
    },
    Backend {
        #[serde(rename = "type")]
        backend_type: String,
        #[serde(default)]
        encrypt: bool,
        #[serde(default)]
        locking: bool,
    },
    NoHardcodedSecrets {},
    RequiredTags {
        tags: Vec<String>,
        #[serde(default)]
        select: Vec<String>,
    },
    VariablesTyped {
        #[serde(default)]
        validated: Vec<String>,
        #[serde(default)]
        described: bool,
    },
    DistinctAzs {
        #[serde(default = "aws_subnet")]
        select: String,
        #[serde(default)]
        tagged: BTreeMap<String, String>,
        min: usize,
    },
}

/// The kinds a check may have, for messages.
pub(crate) const KINDS: &[&str] = &[
    "exists",
    "attribute",
    "reference",
    "no_route_to_igw",
    "backend",
    "no_hardcoded_secrets",
    "required_tags",
    "variables_typed",
    "distinct_azs",
];

fn one() -> usize {
    1
}
fn tier() -> String {
    "tier".to_owned()
}
fn db() -> String {
    "db".to_owned()
}
fn aws_subnet() -> String {
    "aws_subnet".to_owned()
}

fn scalar(v: &toml::Value) -> Result<String, String> {
    match v {
        toml::Value::String(s) => Ok(s.clone()),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Float(f) => Ok(if f.fract() == 0.0 { format!("{}", *f as i64) } else { f.to_string() }),
        toml::Value::Boolean(b) => Ok(b.to_string()),
        other => Err(format!("expected a string, number or boolean, found {}", other.type_str())),
    }
}

fn regex(pattern: &str) -> Result<Regex, String> {
    Regex::new(pattern).map_err(|e| format!("bad regex `{pattern}`: {}", e.to_string().replace('\n', " ")))
}

impl RawRule {
    /// Validates parameters: selectors, regexes, exactly one predicate.
    pub(crate) fn validate(self) -> Result<Rule, String> {
        Ok(match self {
            RawRule::Exists { select, min, max } => {
                if max.is_some_and(|m| m < min) {
                    return Err(format!("`max` ({}) is below `min` ({min})", max.unwrap_or_default()));
                }
                Rule::Exists { select: Selector::parse(&select)?, min, max }
            }
            RawRule::Attribute {
                select,
                tagged,
                any,
                path,
                present,
                absent,
                equals,
                one_of,
                matches,
                not_matches,
                min,
                max,
            } => {
                let mut preds = Vec::new();
                if present == Some(true) {
                    preds.push(Predicate::Present);
                }
                if absent == Some(true) {
                    preds.push(Predicate::Absent);
                }
                if let Some(e) = equals {
                    preds.push(Predicate::Equals(scalar(&e).map_err(|m| format!("`equals`: {m}"))?));
                }
                if let Some(list) = one_of {
                    let vals = list.iter().map(scalar).collect::<Result<Vec<_>, _>>();
                    let vals = vals.map_err(|m| format!("`one_of`: {m}"))?;
                    if vals.is_empty() {
                        return Err("`one_of` is empty".to_owned());
                    }
                    preds.push(Predicate::OneOf(vals));
                }
                if let Some(m) = matches {
                    preds.push(Predicate::Matches(regex(&m)?));
                }
                if let Some(m) = not_matches {
                    preds.push(Predicate::NotMatches(regex(&m)?));
                }
                if min.is_some() || max.is_some() {
                    preds.push(Predicate::Range { min, max });
                }
                if preds.len() != 1 {
                    return Err(format!(
                        "an attribute check needs exactly one of present, absent, equals, one_of, matches, not_matches, min/max (found {})",
                        preds.len()
                    ));
                }
                if path.is_empty() {
                    return Err("`path` is empty".to_owned());
                }
                let predicate = preds.remove(0);
                Rule::Attribute { select: Selector::parse(&select)?, tagged, any, path, predicate }
            }
            RawRule::Reference { select, tagged, path, to } => {
                if path.is_empty() || to.is_empty() {
                    return Err("`path` and `to` must not be empty".to_owned());
                }
                Rule::Reference { select: Selector::parse(&select)?, tagged, path, to }
            }
            RawRule::NoRouteToIgw { tag, value } => Rule::NoRouteToIgw { tag, value },
            RawRule::Backend { backend_type, encrypt, locking } => {
                Rule::Backend { backend_type, encrypt, locking }
            }
            RawRule::NoHardcodedSecrets {} => Rule::NoHardcodedSecrets,
            RawRule::RequiredTags { tags, select } => {
                if tags.is_empty() {
                    return Err("`tags` is empty".to_owned());
                }
                let select = select.iter().map(|s| Selector::parse(s)).collect::<Result<Vec<_>, _>>()?;
                Rule::RequiredTags { tags, select }
            }
            RawRule::VariablesTyped { validated, described } => Rule::VariablesTyped { validated, described },
            RawRule::DistinctAzs { select, tagged, min } => {
                if min == 0 {
                    return Err("`min` must be at least 1".to_owned());
                }
                Rule::DistinctAzs { select: Selector::parse(&select)?, tagged, min }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_name_resources_data_and_blocks() {
        let s = Selector::parse("aws_subnet.db").expect("valid");
        assert_eq!(
            (s.kind, s.type_name.as_deref(), s.name.as_deref()),
            (Kind::Resource, Some("aws_subnet"), Some("db"))
        );
        let s = Selector::parse("data.aws_iam_policy_document").expect("valid");
        assert_eq!((s.kind, s.type_name.as_deref()), (Kind::Data, Some("aws_iam_policy_document")));
        assert_eq!(Selector::parse("variable.env").expect("valid").name.as_deref(), Some("env"));
        assert!(Selector::parse("subnet").is_err());
        assert!(Selector::parse("aws_subnet..x").is_err());
    }
}
