//! The check vocabulary, implemented once: each [`Rule`] looks at the [`Config`] graph and says
//! whether it holds, with the `file:line` of the object it concerns.

use std::collections::{BTreeMap, BTreeSet};

use regex::Regex;
use serde::Serialize;

use crate::graph::{Config, Item, Kind, Value};
use crate::model::{Predicate, Rule, Selector};

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// File, relative to the candidate's directory.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// The outcome of one rule: pass or fail, what was found, and where.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Outcome {
    pub passed: bool,
    pub detail: String,
    pub location: Option<Location>,
}

fn pass(detail: impl Into<String>, location: Option<Location>) -> Outcome {
    Outcome { passed: true, detail: detail.into(), location }
}

fn fail(detail: impl Into<String>, location: Option<Location>) -> Outcome {
    Outcome { passed: false, detail: detail.into(), location }
}

fn at(item: &Item, line: usize) -> Option<Location> {
    Some(Location { file: item.file.clone(), line })
}

/// Runs one rule.
pub(crate) fn run(rule: &Rule, c: &Config) -> Outcome {
    match rule {
        Rule::Exists { select, min, max } => exists(c, select, *min, *max),
        Rule::Attribute { select, tagged, any, path, predicate } => {
            attribute(c, select, tagged, *any, path, predicate)
        }
        Rule::Reference { select, tagged, path, to } => reference(c, select, tagged, path, to),
        Rule::NoRouteToIgw { tag, value } => no_route_to_igw(c, tag, value),
        Rule::Backend { backend_type, encrypt, locking } => backend(c, backend_type, *encrypt, *locking),
        Rule::NoHardcodedSecrets => no_hardcoded_secrets(c),
        Rule::RequiredTags { tags, select } => required_tags(c, tags, select),
        Rule::VariablesTyped { validated, described } => variables_typed(c, validated, *described),
        Rule::DistinctAzs { select, tagged, min } => distinct_azs(c, select, tagged, *min),
    }
}

/// Objects a selector names, optionally only those whose tags include every `tagged` pair.
fn select<'a>(c: &'a Config, s: &Selector, tagged: &BTreeMap<String, String>) -> Vec<&'a Item> {
    c.items
        .iter()
        .filter(|i| i.kind == s.kind)
        .filter(|i| s.type_name.as_ref().is_none_or(|t| *t == i.type_name))
        .filter(|i| s.name.as_ref().is_none_or(|n| *n == i.name))
        .filter(|i| tagged.is_empty() || has_tags(c, i, tagged))
        .collect()
}

fn has_tags(c: &Config, i: &Item, tagged: &BTreeMap<String, String>) -> bool {
    let tags = c.tags(i).unwrap_or_default();
    tagged.iter().all(|(k, v)| tags.iter().any(|(tk, tv)| tk == k && tv.literal().as_deref() == Some(v)))
}

fn describe(s: &Selector, tagged: &BTreeMap<String, String>) -> String {
    if tagged.is_empty() {
        format!("`{}`", s.as_str())
    } else {
        let t: Vec<String> = tagged.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("`{}` tagged {}", s.as_str(), t.join(", "))
    }
}

fn exists(c: &Config, s: &Selector, min: usize, max: Option<usize>) -> Outcome {
    let items = select(c, s, &BTreeMap::new());
    let mut n = 0;
    for i in &items {
        n += c.instances(i).unwrap_or(1);
    }
    let loc = items.first().and_then(|i| at(i, i.line));
    if n < min {
        let found = if n == 0 { "none".to_owned() } else { n.to_string() };
        return fail(format!("found {found} of {} (need at least {min})", s.as_str()), loc);
    }
    if let Some(m) = max.filter(|m| n > *m) {
        return fail(format!("found {n} of {} (at most {m} allowed)", s.as_str()), loc);
    }
    pass(format!("found {n} of {}", s.as_str()), loc)
}

/// Checks one found value against a predicate; `Err` says why not.
fn test_value(c: &Config, v: &Value, p: &Predicate, path: &str) -> Result<(), String> {
    let resolved = c.resolve(v);
    let literal = resolved.literal();
    let shown = v.text();
    let need_literal = || {
        format!("`{path} = {shown}` is computed at plan time; write the value directly or give the variable a default")
    };
    match p {
        Predicate::Present | Predicate::Absent => Ok(()),
        Predicate::Equals(want) => match literal {
            Some(l) if l == *want => Ok(()),
            Some(l) => Err(format!("`{path}` is `{l}`, expected `{want}`")),
            None => Err(need_literal()),
        },
        Predicate::OneOf(options) => match literal {
            Some(l) if options.contains(&l) => Ok(()),
            Some(l) => Err(format!("`{path}` is `{l}`, expected one of {}", options.join(", "))),
            None => Err(need_literal()),
        },
        Predicate::Matches(re) => {
            let text = literal.unwrap_or_else(|| resolved.text());
            if re.is_match(&text) {
                Ok(())
            } else {
                Err(format!("`{path}` is `{text}`, which does not match /{}/", re.as_str()))
            }
        }
        Predicate::NotMatches(re) => {
            let text = literal.unwrap_or_else(|| resolved.text());
            if re.is_match(&text) {
                Err(format!("`{path}` is `{text}`"))
            } else {
                Ok(())
            }
        }
        Predicate::Range { min, max } => {
            // Show where a resolved number came from: `is 3 (var.days)`.
            let is = |n: f64| {
                let r = Value::Number(n).text();
                if r == shown {
                    r
                } else {
                    format!("{r} ({shown})")
                }
            };
            match resolved {
                Value::Number(n) if min.is_some_and(|m| n < m) => {
                    let m = Value::Number(min.unwrap_or_default()).text();
                    Err(format!("`{path}` is {}, below the minimum {m}", is(n)))
                }
                Value::Number(n) if max.is_some_and(|m| n > m) => {
                    let m = Value::Number(max.unwrap_or_default()).text();
                    Err(format!("`{path}` is {}, above the maximum {m}", is(n)))
                }
                Value::Number(_) => Ok(()),
                _ => Err(format!("`{path} = {shown}` is not a number the check can read")),
            }
        }
    }
}

/// Whether `item` satisfies the attribute predicate; on failure, what was wrong and where.
fn attribute_item(c: &Config, item: &Item, path: &str, p: &Predicate) -> Result<usize, (String, usize)> {
    let found = item.body.lookup(path);
    let addr = item.address();
    match p {
        Predicate::Absent => match found.first() {
            None => Ok(item.line),
            Some(f) => {
                let what = f.value.map_or(String::new(), |v| format!(" = {}", v.text()));
                Err((format!("{addr} sets `{path}{what}`"), f.line))
            }
        },
        _ if found.is_empty() => Err((format!("{addr} has no `{path}`"), item.line)),
        Predicate::Present => Ok(found[0].line),
        _ => {
            for f in &found {
                let Some(v) = f.value else {
                    return Err((format!("{addr}: `{path}` is a block, not a value"), f.line));
                };
                test_value(c, v, p, path).map_err(|m| (format!("{addr}: {m}"), f.line))?;
            }
            Ok(found[0].line)
        }
    }
}

fn attribute(
    c: &Config,
    s: &Selector,
    tagged: &BTreeMap<String, String>,
    any: bool,
    path: &str,
    p: &Predicate,
) -> Outcome {
    let items = select(c, s, tagged);
    if items.is_empty() {
        return fail(format!("no {} found", describe(s, tagged)), None);
    }
    let mut first_fail = None;
    for item in &items {
        match attribute_item(c, item, path, p) {
            Ok(line) if any => return pass(format!("{} satisfies `{path}`", item.address()), at(item, line)),
            Ok(_) => {}
            Err((msg, line)) => {
                if first_fail.is_none() {
                    first_fail = Some((msg, at(item, line)));
                }
                if !any {
                    break;
                }
            }
        }
    }
    match first_fail {
        Some((msg, loc)) => fail(msg, loc),
        None => {
            pass(format!("every {} satisfies `{path}`", describe(s, tagged)), at(items[0], items[0].line))
        }
    }
}

fn reference(c: &Config, s: &Selector, tagged: &BTreeMap<String, String>, path: &str, to: &str) -> Outcome {
    let items = select(c, s, tagged);
    if items.is_empty() {
        return fail(format!("no {} found", describe(s, tagged)), None);
    }
    for item in &items {
        let addr = item.address();
        let found = item.body.lookup(path);
        if found.is_empty() {
            return fail(format!("{addr} has no `{path}`; it should reference `{to}`"), at(item, item.line));
        }
        for f in &found {
            let Some(v) = f.value else {
                return fail(format!("{addr}: `{path}` is a block, not a reference"), at(item, f.line));
            };
            if !v.refs().iter().any(|r| r.points_into(to)) {
                let literal = if v.refs().is_empty() { "the literal " } else { "" };
                return fail(
                    format!("{addr}: `{path}` is {literal}`{}`, not a reference to `{to}`", v.text()),
                    at(item, f.line),
                );
            }
        }
    }
    pass(format!("`{path}` references `{to}`"), at(items[0], items[0].line))
}

fn is_igw_route(c: &Config, body: &crate::graph::Body, cidr_key: &str) -> Option<usize> {
    let cidr = body.attr(cidr_key)?;
    let gw = body.attr("gateway_id")?;
    let open = c.resolve(&cidr.value).literal().as_deref() == Some("0.0.0.0/0");
    let igw = gw.value.refs().iter().any(|r| r.points_into("aws_internet_gateway"));
    (open && igw).then_some(gw.line)
}

fn no_route_to_igw(c: &Config, tag: &str, value: &str) -> Outcome {
    let tagged: BTreeMap<String, String> = [(tag.to_owned(), value.to_owned())].into();
    let subnets = select(c, &sel(Kind::Resource, "aws_subnet"), &tagged);
    if subnets.is_empty() {
        return fail(format!("no aws_subnet tagged {tag}={value} found"), None);
    }
    let subnet_addrs: BTreeSet<String> = subnets.iter().map(|s| s.address()).collect();
    // Route tables associated with a tagged subnet.
    let mut tables = BTreeSet::new();
    for a in c.of_kind(Kind::Resource).filter(|i| i.type_name == "aws_route_table_association") {
        let subnet_refs = a.body.attr("subnet_id").map(|s| s.value.refs()).unwrap_or_default();
        if subnet_refs.iter().any(|r| subnet_addrs.contains(&r.address())) {
            if let Some(rt) = a.body.attr("route_table_id") {
                tables.extend(rt.value.refs().iter().map(|r| r.address()));
            }
        }
    }
    for t in &tables {
        let Some(table) = c.find(t) else { continue };
        for (route, _) in table.body.blocks("route") {
            if let Some(line) = is_igw_route(c, route, "cidr_block") {
                return fail(
                    format!("{t} is associated with a {tag}={value} subnet and routes 0.0.0.0/0 to an internet gateway"),
                    at(table, line),
                );
            }
        }
        for r in c.of_kind(Kind::Resource).filter(|i| i.type_name == "aws_route") {
            let on_table = r
                .body
                .attr("route_table_id")
                .is_some_and(|a| a.value.refs().iter().any(|x| x.address() == *t));
            if let (true, Some(line)) = (on_table, is_igw_route(c, &r.body, "destination_cidr_block")) {
                return fail(
                    format!(
                        "{} sends 0.0.0.0/0 from {t} (used by a {tag}={value} subnet) to an internet gateway",
                        r.address()
                    ),
                    at(r, line),
                );
            }
        }
    }
    pass(
        format!("{} {tag}={value} subnet(s), none routed to an internet gateway", subnets.len()),
        at(subnets[0], subnets[0].line),
    )
}

fn sel(kind: Kind, type_name: &str) -> Selector {
    Selector { kind, type_name: Some(type_name.to_owned()), name: None, text: type_name.to_owned() }
}

fn backend(c: &Config, want: &str, encrypt: bool, locking: bool) -> Outcome {
    let found = c
        .of_kind(Kind::Terraform)
        .find_map(|t| t.body.blocks.iter().find(|b| b.ident == "backend").map(|b| (t, b)));
    let Some((item, b)) = found else {
        return fail("no `backend` block in `terraform { }`: state stays on one laptop", None);
    };
    let kind = b.labels.first().map_or("", String::as_str);
    if kind != want {
        return fail(format!("the backend is `{kind}`, expected `{want}`"), at(item, b.line));
    }
    let literal = |k: &str| b.body.attr(k).and_then(|a| c.resolve(&a.value).literal());
    if encrypt && literal("encrypt").as_deref() != Some("true") {
        let line = b.body.attr("encrypt").map_or(b.line, |a| a.line);
        return fail(
            "the backend does not set `encrypt = true`: state holds secrets in plain text",
            at(item, line),
        );
    }
    if locking {
        let dynamo = literal("dynamodb_table").is_some_and(|t| !t.is_empty())
            || b.body.attr("dynamodb_table").is_some_and(|a| !a.value.refs().is_empty());
        let lockfile = literal("use_lockfile").as_deref() == Some("true");
        if !dynamo && !lockfile {
            return fail(
                "the backend has no state locking (`use_lockfile = true` or `dynamodb_table`): two applies can corrupt state",
                at(item, b.line),
            );
        }
    }
    pass(format!("backend `{kind}` is configured"), at(item, b.line))
}

/// Key segments that name a secret (`master_password`, `secret_string`, `auth_token`).
const SECRET_SEGMENTS: &[&str] = &["password", "passwd", "secret", "token", "apikey", "credentials"];
/// Key endings that name a credential (`access_key`, `secret_key`).
const SECRET_SUFFIXES: &[&str] = &["access_key", "secret_key", "api_key", "private_key"];
/// Keys naming a secret rather than holding one (`secret_name`, `kms_key_id`).
const NOT_SECRET_SUFFIXES: &[&str] = &["_name", "_arn", "_id", "_version", "_length"];

fn secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    if NOT_SECRET_SUFFIXES.iter().any(|s| k.ends_with(s)) {
        return false;
    }
    k.split('_').any(|s| SECRET_SEGMENTS.contains(&s)) || SECRET_SUFFIXES.iter().any(|s| k.ends_with(s))
}

fn secret_pattern() -> Option<Regex> {
    Regex::new(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b|-----BEGIN [A-Z ]*PRIVATE KEY-----").ok()
}

fn literal_strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::List(items) => items.iter().for_each(|i| literal_strings(i, out)),
        Value::Object(kv) => kv.iter().for_each(|(_, i)| literal_strings(i, out)),
        Value::Call { args, .. } => args.iter().for_each(|i| literal_strings(i, out)),
        _ => {}
    }
}

fn no_hardcoded_secrets(c: &Config) -> Outcome {
    let pattern = secret_pattern();
    for item in &c.items {
        let attrs = item.body.all_attributes();
        for a in attrs {
            let mut strings = Vec::new();
            literal_strings(&a.value, &mut strings);
            if let Some(s) = strings.iter().find(|s| pattern.as_ref().is_some_and(|p| p.is_match(s))) {
                let shown: String = s.chars().take(8).collect();
                return fail(
                    format!(
                        "{}: `{}` contains what looks like a credential (`{shown}…`)",
                        item.address(),
                        a.key
                    ),
                    at(item, a.line),
                );
            }
            let name_is_secret = match item.kind {
                Kind::Variable => a.key == "default" && secret_key(&item.name),
                Kind::Local => secret_key(&item.name),
                _ => secret_key(&a.key),
            };
            if name_is_secret && matches!(&a.value, Value::String(s) if !s.is_empty()) {
                let what = if item.kind == Kind::Variable || item.kind == Kind::Local {
                    format!("{} has a literal value", item.address())
                } else {
                    format!("{}: `{}` is a literal string", item.address(), a.key)
                };
                return fail(
                    format!("{what}: a hard-coded secret ends up in git and in state"),
                    at(item, a.line),
                );
            }
        }
    }
    pass("no literal secrets found", None)
}

/// AWS resource types that take no `tags` argument.
const UNTAGGABLE: &[&str] = &[
    "aws_route",
    "aws_route_table_association",
    "aws_main_route_table_association",
    "aws_security_group_rule",
    "aws_iam_role_policy",
    "aws_iam_role_policy_attachment",
    "aws_iam_user_policy_attachment",
    "aws_iam_group_policy_attachment",
    "aws_iam_policy_attachment",
    "aws_s3_bucket_versioning",
    "aws_s3_bucket_server_side_encryption_configuration",
    "aws_s3_bucket_public_access_block",
    "aws_s3_bucket_lifecycle_configuration",
    "aws_s3_bucket_policy",
    "aws_s3_bucket_ownership_controls",
    "aws_s3_bucket_acl",
    "aws_s3_bucket_logging",
    "aws_s3_bucket_notification",
    "aws_lb_target_group_attachment",
    "aws_autoscaling_attachment",
    "aws_autoscaling_policy",
    "aws_sns_topic_subscription",
    "aws_sns_topic_policy",
    "aws_kms_alias",
    "aws_volume_attachment",
    "aws_eip_association",
    "aws_network_acl_rule",
    "aws_nat_gateway_association",
    "aws_vpc_endpoint_route_table_association",
];

fn required_tags(c: &Config, required: &[String], selectors: &[Selector]) -> Outcome {
    let defaults = c.default_tag_keys();
    let items: Vec<&Item> = if selectors.is_empty() {
        c.of_kind(Kind::Resource)
            .filter(|i| i.type_name.starts_with("aws_") && !UNTAGGABLE.contains(&i.type_name.as_str()))
            .collect()
    } else {
        selectors.iter().flat_map(|s| select(c, s, &BTreeMap::new())).collect()
    };
    if items.is_empty() {
        return fail("no taggable resources found", None);
    }
    let mut offenders = Vec::new();
    for item in &items {
        let tags = c.tags(item);
        let keys: Vec<String> =
            tags.iter().flatten().map(|(k, _)| k.clone()).chain(defaults.iter().cloned()).collect();
        let missing: Vec<&str> = required.iter().filter(|r| !keys.contains(r)).map(String::as_str).collect();
        if !missing.is_empty() {
            let line = item.body.attr("tags").map_or(item.line, |a| a.line);
            let why = if tags.is_none() { " (its `tags` cannot be resolved statically)" } else { "" };
            offenders.push((
                item,
                line,
                format!("{} is missing tag(s) {}{why}", item.address(), missing.join(", ")),
            ));
        }
    }
    match offenders.first() {
        None => pass(format!("{} resource(s) carry {}", items.len(), required.join(", ")), None),
        Some((item, line, msg)) => {
            let more = if offenders.len() > 1 {
                format!(" (and {} more)", offenders.len() - 1)
            } else {
                String::new()
            };
            fail(format!("{msg}{more}"), at(item, *line))
        }
    }
}

fn variables_typed(c: &Config, validated: &[String], described: bool) -> Outcome {
    let vars: Vec<&Item> = c.of_kind(Kind::Variable).collect();
    if vars.is_empty() {
        return fail("the configuration declares no variables", None);
    }
    for v in &vars {
        if v.body.attr("type").is_none() {
            return fail(
                format!("{} has no `type`: any value would be accepted", v.address()),
                at(v, v.line),
            );
        }
        if described && v.body.attr("description").is_none() {
            return fail(format!("{} has no `description`", v.address()), at(v, v.line));
        }
    }
    for name in validated {
        let Some(v) = vars.iter().find(|v| v.name == *name) else {
            return fail(format!("variable `{name}` is not declared"), None);
        };
        let Some((b, _)) = v.body.blocks("validation").next() else {
            return fail(format!("{} has no `validation` block", v.address()), at(v, v.line));
        };
        if b.attr("condition").is_none() || b.attr("error_message").is_none() {
            return fail(
                format!("{}: a validation block needs `condition` and `error_message`", v.address()),
                at(v, v.line),
            );
        }
    }
    pass(format!("{} variable(s) typed", vars.len()), at(vars[0], vars[0].line))
}

fn distinct_azs(c: &Config, s: &Selector, tagged: &BTreeMap<String, String>, min: usize) -> Outcome {
    let items = select(c, s, tagged);
    if items.is_empty() {
        return fail(format!("no {} found", describe(s, tagged)), None);
    }
    let mut azs: BTreeSet<String> = BTreeSet::new();
    for item in &items {
        let Some(a) = item.body.attr("availability_zone") else { continue };
        let resolved = c.resolve(&a.value);
        if let Some(l) = resolved.literal() {
            azs.insert(l);
            continue;
        }
        let per_instance = a.value.refs().iter().any(|r| r.parts[0] == "count" || r.parts[0] == "each");
        if per_instance {
            // `azs[count.index]` / `each.value`: one zone per instance, as far as can be told.
            let n = c.instances(item).unwrap_or(1);
            for i in 0..n {
                azs.insert(format!("{}[{i}]", item.address()));
            }
        } else {
            azs.insert(resolved.text());
        }
    }
    let loc = at(items[0], items[0].line);
    if azs.len() < min {
        return fail(
            format!("{} span {} availability zone(s), need at least {min}", describe(s, tagged), azs.len()),
            loc,
        );
    }
    pass(format!("{} span {} availability zones", describe(s, tagged), azs.len()), loc)
}

#[cfg(test)]
mod tests {
    use mockloop_content::SourceFile;

    use super::*;
    use crate::model::RawRule;

    /// Runs one rule (as exercise TOML) on one file and checks pass/fail and a detail phrase.
    #[track_caller]
    fn check(tf: &str, rule: &str, passed: bool, detail: &str) {
        let config = Config::parse(&[SourceFile { path: "main.tf".into(), text: tf.into() }])
            .expect("test HCL parses");
        let raw: RawRule = toml::from_str(rule).expect("test rule is valid TOML");
        let o = run(&raw.validate().expect("test rule validates"), &config);
        assert_eq!(o.passed, passed, "{o:?}\n{tf}");
        assert!(o.detail.contains(detail), "`{detail}` not in `{}`", o.detail);
    }

    const SECRETS: &str = r#"kind = "no_hardcoded_secrets""#;

    #[test]
    fn secret_detection_flags_literals_in_secret_named_arguments_only() {
        check(
            "resource \"aws_db_instance\" \"d\" {\n  password = \"hunter2\"\n}\n",
            SECRETS,
            false,
            "`password` is a literal string",
        );
        check("resource \"aws_db_instance\" \"d\" {\n  password = var.db_password\n}\n", SECRETS, true, "");
        check("resource \"aws_db_instance\" \"d\" {\n  password = \"\"\n}\n", SECRETS, true, "");
        check(
            "resource \"aws_secretsmanager_secret\" \"s\" {\n  secret_name = \"prod/db\"\n}\n",
            SECRETS,
            true,
            "",
        );
        check(
            "resource \"aws_launch_template\" \"t\" {\n  metadata_options {\n    http_tokens = \"required\"\n  }\n}\n",
            SECRETS,
            true,
            "",
        );
        check(
            "variable \"api_token\" {\n  default = \"abc123\"\n}\n",
            SECRETS,
            false,
            "var.api_token has a literal value",
        );
        check(
            "locals {\n  note = \"key AKIAABCDEFGHIJKLMNOP\"\n}\n",
            SECRETS,
            false,
            "looks like a credential",
        );
    }

    const TAGS: &str = r#"kind = "required_tags"
tags = ["Owner", "CostCenter"]"#;

    #[test]
    fn required_tags_accept_direct_merged_and_default_tags_and_skip_untaggable_types() {
        check(
            "resource \"aws_vpc\" \"v\" {\n  tags = { Owner = \"a\", CostCenter = \"b\" }\n}\nresource \"aws_route\" \"r\" {}\n",
            TAGS,
            true,
            "1 resource(s)",
        );
        check(
            "locals {\n  t = { Owner = \"a\" }\n}\nresource \"aws_vpc\" \"v\" {\n  tags = merge(local.t, { CostCenter = \"b\" })\n}\n",
            TAGS,
            true,
            "",
        );
        check(
            "provider \"aws\" {\n  default_tags {\n    tags = { Owner = \"a\", CostCenter = \"b\" }\n  }\n}\nresource \"aws_vpc\" \"v\" {}\n",
            TAGS,
            true,
            "",
        );
        check(
            "variable \"tags\" {\n  type = map(string)\n}\nresource \"aws_vpc\" \"v\" {\n  tags = var.tags\n}\n",
            TAGS,
            false,
            "cannot be resolved statically",
        );
    }

    #[test]
    fn references_count_inside_templates_but_not_as_literals() {
        let rule =
            "kind = \"reference\"\nselect = \"aws_iam_policy\"\npath = \"resources\"\nto = \"aws_s3_bucket\"";
        check(
            "resource \"aws_iam_policy\" \"p\" {\n  resources = [\"${aws_s3_bucket.b.arn}/*\"]\n}\n",
            rule,
            true,
            "",
        );
        check(
            "resource \"aws_iam_policy\" \"p\" {\n  resources = [\"arn:aws:s3:::b/*\"]\n}\n",
            rule,
            false,
            "is the literal `\"arn:aws:s3:::b/*\"`",
        );
    }

    #[test]
    fn attribute_checks_apply_to_every_object_unless_any_is_set() {
        let tf = "resource \"aws_instance\" \"a\" {\n  monitoring = true\n}\nresource \"aws_instance\" \"b\" {\n  monitoring = false\n}\n";
        let all = "kind = \"attribute\"\nselect = \"aws_instance\"\npath = \"monitoring\"\nequals = true";
        check(tf, all, false, "aws_instance.b: `monitoring` is `false`");
        check(tf, &format!("{all}\nany = true"), true, "aws_instance.a");
    }

    #[test]
    fn values_resolve_through_variable_defaults() {
        let rule =
            "kind = \"attribute\"\nselect = \"aws_db_instance\"\npath = \"backup_retention_period\"\nmin = 7";
        check(
            "variable \"days\" {\n  default = 3\n}\nresource \"aws_db_instance\" \"d\" {\n  backup_retention_period = var.days\n}\n",
            rule,
            false,
            "is 3 (var.days), below the minimum 7",
        );
        check(
            "variable \"days\" {}\nresource \"aws_db_instance\" \"d\" {\n  backup_retention_period = var.days\n}\n",
            rule,
            false,
            "not a number the check can read",
        );
    }

    #[test]
    fn exists_counts_instances_of_count_and_for_each() {
        let rule = "kind = \"exists\"\nselect = \"aws_subnet\"\nmin = 2\nmax = 3";
        check("resource \"aws_subnet\" \"s\" {\n  for_each = { a = 1, b = 2 }\n}\n", rule, true, "found 2");
        check("resource \"aws_subnet\" \"s\" {\n  count = 4\n}\n", rule, false, "at most 3 allowed");
        check("resource \"aws_vpc\" \"v\" {}\n", rule, false, "found none of aws_subnet");
    }

    #[test]
    fn distinct_azs_counts_literal_zones() {
        let rule = "kind = \"distinct_azs\"\nmin = 2";
        let subnet = |name: &str, az: &str| {
            format!("resource \"aws_subnet\" \"{name}\" {{\n  availability_zone = \"{az}\"\n}}\n")
        };
        check(&(subnet("a", "eu-west-1a") + &subnet("b", "eu-west-1b")), rule, true, "span 2");
        check(
            &(subnet("a", "eu-west-1a") + &subnet("b", "eu-west-1a")),
            rule,
            false,
            "span 1 availability zone(s)",
        );
    }

    #[test]
    fn a_db_subnet_routed_through_a_nat_gateway_is_not_an_internet_route() {
        let tf = "resource \"aws_subnet\" \"db\" {\n  tags = { tier = \"db\" }\n}\nresource \"aws_route_table\" \"db\" {\n  route {\n    cidr_block     = \"0.0.0.0/0\"\n    nat_gateway_id = aws_nat_gateway.n.id\n  }\n}\nresource \"aws_route_table_association\" \"db\" {\n  subnet_id      = aws_subnet.db.id\n  route_table_id = aws_route_table.db.id\n}\n";
        check(tf, "kind = \"no_route_to_igw\"", true, "1 tier=db subnet(s)");
        let igw =
            tf.replace("nat_gateway_id = aws_nat_gateway.n.id", "gateway_id = aws_internet_gateway.i.id");
        check(
            &igw,
            "kind = \"no_route_to_igw\"",
            false,
            "aws_route_table.db is associated with a tier=db subnet",
        );
    }

    #[test]
    fn a_dynamodb_table_counts_as_backend_locking() {
        let rule = "kind = \"backend\"\ntype = \"s3\"\nlocking = true\nencrypt = true";
        check(
            "terraform {\n  backend \"s3\" {\n    encrypt        = true\n    dynamodb_table = \"tf-locks\"\n  }\n}\n",
            rule,
            true,
            "",
        );
        check("terraform {\n  backend \"gcs\" {}\n}\n", rule, false, "the backend is `gcs`, expected `s3`");
    }
}
