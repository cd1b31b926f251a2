//! Terraform files → a small resource graph with line numbers.
//!
//! hcl-rs's own `Body` carries no positions, so the files are parsed with `hcl-edit` (re-exported
//! as `hcl::edit`), whose structures keep byte spans; each attribute value is then converted to
//! hcl-rs's plainer `Expression` and simplified into a [`Value`]. Checks only ever look at this
//! graph, never at HCL syntax, so they stay short and independent of the parser.

use std::fmt;

use hcl::edit::{parser, structure as es, Span as _};
use hcl::{Expression, ObjectKey, TraversalOperator};
use mockloop_content::SourceFile;
use serde::Serialize;

/// A `.tf` file that does not parse, or a block Terraform would reject before planning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ParseError {
    /// The file, as given in [`SourceFile::path`].
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// A reference to another object, like `aws_security_group.app.id` or `var.region`.
///
/// Only attribute names are kept (`aws_subnet.db[0].id` becomes `aws_subnet.db.id`): checks ask
/// *what* is referenced, not which element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Attribute-access segments, root first.
    pub parts: Vec<String>,
}

impl Reference {
    /// The address of the referenced object: `aws_x.name`, `data.aws_x.name`, `var.x`, `local.x`,
    /// `module.x`, or the whole reference for anything else (`count.index`).
    pub fn address(&self) -> String {
        let n = match self.parts.first().map(String::as_str) {
            Some("data") => 3,
            _ => 2,
        };
        self.parts.iter().take(n).cloned().collect::<Vec<_>>().join(".")
    }

    /// Whether this reference points into `target`, a dotted prefix such as `aws_security_group`,
    /// `aws_security_group.app`, `var` or `data.aws_iam_policy_document`.
    pub fn points_into(&self, target: &str) -> bool {
        let t: Vec<&str> = target.split('.').collect();
        t.len() <= self.parts.len() && t.iter().zip(&self.parts).all(|(a, b)| *a == b)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.parts.join("."))
    }
}

/// An attribute value, simplified to what checks need.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number literal.
    Number(f64),
    /// A string literal without interpolation.
    String(String),
    /// A tuple/list literal.
    List(Vec<Value>),
    /// An object literal, keys in source order.
    Object(Vec<(String, Value)>),
    /// A plain reference such as `aws_vpc.main.id`.
    Ref(Reference),
    /// A function call such as `merge(local.tags, {...})`.
    Call {
        /// Function name.
        name: String,
        /// Arguments.
        args: Vec<Value>,
    },
    /// Anything else (templates, conditionals, operators, `for`): its source text and the
    /// references it contains.
    Computed {
        /// The expression as HCL.
        text: String,
        /// References inside it.
        refs: Vec<Reference>,
    },
}

impl Value {
    /// Simplifies an hcl-rs expression.
    pub fn from_expr(e: &Expression) -> Value {
        match e {
            Expression::Null => Value::Null,
            Expression::Bool(b) => Value::Bool(*b),
            Expression::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
            Expression::String(s) => Value::String(s.clone()),
            Expression::Array(items) => Value::List(items.iter().map(Value::from_expr).collect()),
            Expression::Object(obj) => Value::Object(
                obj.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Identifier(i) => i.to_string(),
                            ObjectKey::Expression(Expression::String(s)) => s.clone(),
                            ObjectKey::Expression(other) => other.to_string(),
                            other => format!("{other:?}"),
                        };
                        (key, Value::from_expr(v))
                    })
                    .collect(),
            ),
            Expression::Parenthesis(inner) => Value::from_expr(inner),
            Expression::Variable(v) => Value::Ref(Reference { parts: vec![v.to_string()] }),
            Expression::Traversal(t) => match plain_reference(t) {
                Some(r) => Value::Ref(r),
                None => computed(e),
            },
            Expression::FuncCall(call) => Value::Call {
                name: call.name.name.to_string(),
                args: call.args.iter().map(Value::from_expr).collect(),
            },
            _ => computed(e),
        }
    }

    /// Every reference inside this value.
    pub fn refs(&self) -> Vec<&Reference> {
        let mut out = Vec::new();
        self.collect_refs(&mut out);
        out
    }

    fn collect_refs<'a>(&'a self, out: &mut Vec<&'a Reference>) {
        match self {
            Value::Ref(r) => out.push(r),
            Value::Computed { refs, .. } => out.extend(refs),
            Value::List(items) => items.iter().for_each(|v| v.collect_refs(out)),
            Value::Object(kv) => kv.iter().for_each(|(_, v)| v.collect_refs(out)),
            Value::Call { args, .. } => args.iter().for_each(|v| v.collect_refs(out)),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }

    /// The literal as text (`"x"` → `x`, `3` → `3`, `true` → `true`), or `None` for anything that
    /// Terraform computes.
    pub fn literal(&self) -> Option<String> {
        match self {
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(format_number(*n)),
            Value::String(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// The value as it would be written in HCL, for messages.
    pub fn text(&self) -> String {
        match self {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(*n),
            Value::String(s) => format!("{s:?}"),
            Value::List(items) => {
                format!("[{}]", items.iter().map(Value::text).collect::<Vec<_>>().join(", "))
            }
            Value::Object(kv) => format!(
                "{{ {} }}",
                kv.iter().map(|(k, v)| format!("{k} = {}", v.text())).collect::<Vec<_>>().join(", ")
            ),
            Value::Ref(r) => r.to_string(),
            Value::Call { name, args } => {
                format!("{name}({})", args.iter().map(Value::text).collect::<Vec<_>>().join(", "))
            }
            Value::Computed { text, .. } => text.clone(),
        }
    }

    /// The object's value at `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

fn computed(e: &Expression) -> Value {
    let mut refs = Vec::new();
    walk_refs(e, &mut refs);
    Value::Computed { text: e.to_string(), refs }
}

/// `root.attr.attr[index].attr` with a variable root, as a reference (indexes dropped).
fn plain_reference(t: &hcl::Traversal) -> Option<Reference> {
    let Expression::Variable(root) = &t.expr else { return None };
    let mut parts = vec![root.to_string()];
    for op in &t.operators {
        match op {
            TraversalOperator::GetAttr(id) => parts.push(id.to_string()),
            // `var.azs[count.index]` depends on the instance: keep it computed so its references
            // (including `count.index`) stay visible.
            TraversalOperator::Index(Expression::Number(_)) => {}
            TraversalOperator::Index(_) => return None,
            TraversalOperator::LegacyIndex(_)
            | TraversalOperator::AttrSplat
            | TraversalOperator::FullSplat => {}
        }
    }
    Some(Reference { parts })
}

/// The attribute path of a traversal with a variable root, ignoring every index.
fn attr_reference(t: &hcl::Traversal) -> Option<Reference> {
    let Expression::Variable(root) = &t.expr else { return None };
    let mut parts = vec![root.to_string()];
    parts.extend(t.operators.iter().filter_map(|op| match op {
        TraversalOperator::GetAttr(id) => Some(id.to_string()),
        _ => None,
    }));
    Some(Reference { parts })
}

/// Collects the references anywhere inside an expression, including template interpolations.
fn walk_refs(e: &Expression, out: &mut Vec<Reference>) {
    match e {
        Expression::Null | Expression::Bool(_) | Expression::Number(_) | Expression::String(_) => {}
        Expression::Array(items) => items.iter().for_each(|i| walk_refs(i, out)),
        Expression::Object(obj) => obj.values().for_each(|v| walk_refs(v, out)),
        Expression::Variable(v) => out.push(Reference { parts: vec![v.to_string()] }),
        Expression::Traversal(t) => {
            match attr_reference(t) {
                Some(r) => out.push(r),
                None => walk_refs(&t.expr, out),
            }
            for op in &t.operators {
                if let TraversalOperator::Index(i) = op {
                    walk_refs(i, out);
                }
            }
        }
        Expression::FuncCall(c) => c.args.iter().for_each(|a| walk_refs(a, out)),
        Expression::Parenthesis(p) => walk_refs(p, out),
        Expression::Conditional(c) => {
            walk_refs(&c.cond_expr, out);
            walk_refs(&c.true_expr, out);
            walk_refs(&c.false_expr, out);
        }
        Expression::Operation(op) => match op.as_ref() {
            hcl::Operation::Unary(u) => walk_refs(&u.expr, out),
            hcl::Operation::Binary(b) => {
                walk_refs(&b.lhs_expr, out);
                walk_refs(&b.rhs_expr, out);
            }
        },
        Expression::ForExpr(f) => {
            walk_refs(&f.collection_expr, out);
            if let Some(k) = &f.key_expr {
                walk_refs(k, out);
            }
            walk_refs(&f.value_expr, out);
            if let Some(c) = &f.cond_expr {
                walk_refs(c, out);
            }
        }
        Expression::TemplateExpr(t) => {
            if let Ok(template) = hcl::Template::from_expr(t) {
                walk_template(&template, out);
            }
        }
        // `Expression` is non-exhaustive; anything new simply contributes no references.
        _ => {}
    }
}

fn walk_template(t: &hcl::Template, out: &mut Vec<Reference>) {
    use hcl::template::{Directive, Element};
    for el in t.elements() {
        match el {
            Element::Literal(_) => {}
            Element::Interpolation(i) => walk_refs(&i.expr, out),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(i) => {
                    walk_refs(&i.cond_expr, out);
                    walk_template(&i.true_template, out);
                    if let Some(f) = &i.false_template {
                        walk_template(f, out);
                    }
                }
                Directive::For(f) => {
                    walk_refs(&f.collection_expr, out);
                    walk_template(&f.template, out);
                }
            },
        }
    }
}

/// `key = value` with the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The key.
    pub key: String,
    /// The value.
    pub value: Value,
    /// 1-based line of the key.
    pub line: usize,
}

/// A nested block such as `ingress { ... }` or `dynamic "ingress" { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Block type (`ingress`).
    pub ident: String,
    /// Labels, if any.
    pub labels: Vec<String>,
    /// Contents.
    pub body: Body,
    /// 1-based line of the block header.
    pub line: usize,
}

/// The inside of a block.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Body {
    /// Attributes in source order.
    pub attributes: Vec<Attribute>,
    /// Nested blocks in source order.
    pub blocks: Vec<Block>,
}

/// One value found by [`Body::lookup`]: an attribute value, or `None` for a block.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<'a> {
    /// The value (list elements are returned one by one), or `None` when the path names a block.
    pub value: Option<&'a Value>,
    /// 1-based line.
    pub line: usize,
}

impl Body {
    /// The attribute `key`.
    pub fn attr(&self, key: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.key == key)
    }

    /// Nested blocks of type `ident`, including the `content` of `dynamic "ident"` blocks.
    pub fn blocks<'a>(&'a self, ident: &'a str) -> impl Iterator<Item = (&'a Body, usize)> + 'a {
        self.blocks.iter().filter_map(move |b| {
            if b.ident == ident {
                Some((&b.body, b.line))
            } else if b.ident == "dynamic" && b.labels.first().map(String::as_str) == Some(ident) {
                b.body.blocks.iter().find(|c| c.ident == "content").map(|c| (&c.body, c.line))
            } else {
                None
            }
        })
    }

    /// Everything at a dotted `path`, descending through nested blocks, object keys and lists
    /// (`ingress.security_groups`, `tags.Owner`, `default_action.forward.target_group.arn`).
    /// Lists are flattened, so an empty list finds nothing.
    pub fn lookup<'a>(&'a self, path: &'a str) -> Vec<Found<'a>> {
        let segments: Vec<&str> = path.split('.').filter(|s| !s.is_empty()).collect();
        let mut out = Vec::new();
        self.lookup_in(&segments, &mut out);
        out
    }

    fn lookup_in<'a>(&'a self, segs: &[&'a str], out: &mut Vec<Found<'a>>) {
        let Some((first, rest)) = segs.split_first() else { return };
        if let Some(a) = self.attr(first) {
            value_lookup(&a.value, rest, a.line, out);
            return;
        }
        for (body, line) in self.blocks(first) {
            if rest.is_empty() {
                out.push(Found { value: None, line });
            } else {
                body.lookup_in(rest, out);
            }
        }
    }

    /// Every attribute in this body and its nested blocks, depth first.
    pub fn all_attributes(&self) -> Vec<&Attribute> {
        let mut out: Vec<&Attribute> = self.attributes.iter().collect();
        for b in &self.blocks {
            out.extend(b.body.all_attributes());
        }
        out
    }
}

fn value_lookup<'a>(v: &'a Value, rest: &[&str], line: usize, out: &mut Vec<Found<'a>>) {
    match (v, rest.split_first()) {
        (Value::List(items), _) => items.iter().for_each(|i| value_lookup(i, rest, line, out)),
        (_, None) => out.push(Found { value: Some(v), line }),
        (Value::Object(_), Some((k, more))) => {
            if let Some(inner) = v.get(k) {
                value_lookup(inner, more, line, out);
            }
        }
        _ => {}
    }
}

/// What a top-level block declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `resource "TYPE" "NAME"`.
    Resource,
    /// `data "TYPE" "NAME"`.
    Data,
    /// `variable "NAME"`.
    Variable,
    /// `output "NAME"`.
    Output,
    /// `module "NAME"`.
    Module,
    /// `provider "NAME"`.
    Provider,
    /// `terraform { ... }`, including its `backend` block.
    Terraform,
    /// One entry of a `locals { ... }` block; its value is the attribute `value`.
    Local,
}

/// One top-level object of the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// What it is.
    pub kind: Kind,
    /// Resource/data type, or the provider name; empty otherwise.
    pub type_name: String,
    /// Block name (resource, data, variable, output, module, local); empty for providers.
    pub name: String,
    /// Contents.
    pub body: Body,
    /// File it is declared in.
    pub file: String,
    /// 1-based line of its header.
    pub line: usize,
}

impl Item {
    /// Its Terraform address: `aws_s3_bucket.logs`, `data.aws_x.y`, `var.x`, `local.x`,
    /// `output.x`, `module.x`, `provider.aws`, `terraform`.
    pub fn address(&self) -> String {
        match self.kind {
            Kind::Resource => format!("{}.{}", self.type_name, self.name),
            Kind::Data => format!("data.{}.{}", self.type_name, self.name),
            Kind::Variable => format!("var.{}", self.name),
            Kind::Local => format!("local.{}", self.name),
            Kind::Output => format!("output.{}", self.name),
            Kind::Module => format!("module.{}", self.name),
            Kind::Provider => format!("provider.{}", self.type_name),
            Kind::Terraform => "terraform".to_owned(),
        }
    }

    /// Every reference this object makes.
    pub fn references(&self) -> Vec<&Reference> {
        self.body.all_attributes().into_iter().flat_map(|a| a.value.refs()).collect()
    }
}

/// An edge of the graph: `from` refers to `to` at `file:line`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// Address of the referring object.
    pub from: String,
    /// Address of the referenced object.
    pub to: String,
    /// File of the referring object.
    pub file: String,
    /// Line of the attribute holding the reference.
    pub line: usize,
}

/// A parsed Terraform configuration (one root module).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// Every top-level object, in file then source order.
    pub items: Vec<Item>,
}

impl Config {
    /// Parses every `.tf` file; returns every parse error when any file is broken.
    pub fn parse(files: &[SourceFile]) -> Result<Config, Vec<ParseError>> {
        let mut items = Vec::new();
        let mut errors = Vec::new();
        for f in files.iter().filter(|f| f.path.ends_with(".tf")) {
            match parse_file(f) {
                Ok(mut i) => items.append(&mut i),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(Config { items })
        } else {
            Err(errors)
        }
    }

    /// Objects of one kind.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.kind == kind)
    }

    /// The object at `address` (`var.x`, `local.y`, `aws_vpc.main`).
    pub fn find(&self, address: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.address() == address)
    }

    /// Every reference between objects (the graph's edges).
    pub fn edges(&self) -> Vec<Edge> {
        let mut out = Vec::new();
        for item in &self.items {
            for a in item.body.all_attributes() {
                for r in a.value.refs() {
                    out.push(Edge {
                        from: item.address(),
                        to: r.address(),
                        file: item.file.clone(),
                        line: a.line,
                    });
                }
            }
        }
        out
    }

    /// Follows `var.x` (to its default), `local.x`, `merge(...)`, `tolist`/`toset` and literals as
    /// far as they can be known without running Terraform.
    pub fn resolve(&self, v: &Value) -> Value {
        self.resolve_depth(v, 0)
    }

    fn resolve_depth(&self, v: &Value, depth: usize) -> Value {
        // References can form cycles in broken configurations; give up quietly.
        if depth > 8 {
            return v.clone();
        }
        match v {
            Value::Ref(r) if r.parts.len() == 2 && (r.parts[0] == "var" || r.parts[0] == "local") => {
                let target = self.find(&r.address());
                let inner = match target {
                    Some(i) if i.kind == Kind::Variable => i.body.attr("default").map(|a| &a.value),
                    Some(i) => i.body.attr("value").map(|a| &a.value),
                    None => None,
                };
                inner.map_or_else(|| v.clone(), |i| self.resolve_depth(i, depth + 1))
            }
            Value::List(items) => {
                Value::List(items.iter().map(|i| self.resolve_depth(i, depth + 1)).collect())
            }
            Value::Object(kv) => {
                Value::Object(kv.iter().map(|(k, i)| (k.clone(), self.resolve_depth(i, depth + 1))).collect())
            }
            Value::Call { name, args } if name == "merge" => {
                let args: Vec<Value> = args.iter().map(|a| self.resolve_depth(a, depth + 1)).collect();
                if args.iter().all(|a| matches!(a, Value::Object(_))) {
                    let mut merged: Vec<(String, Value)> = Vec::new();
                    for a in args {
                        if let Value::Object(kv) = a {
                            for (k, val) in kv {
                                merged.retain(|(m, _)| *m != k);
                                merged.push((k, val));
                            }
                        }
                    }
                    Value::Object(merged)
                } else {
                    Value::Call { name: name.clone(), args }
                }
            }
            Value::Call { name, args } if (name == "tolist" || name == "toset") && args.len() == 1 => {
                self.resolve_depth(&args[0], depth + 1)
            }
            _ => v.clone(),
        }
    }

    /// How many instances an object makes: its `count`, the size of its `for_each`, else 1.
    /// `None` when the number depends on something only known at plan time.
    pub fn instances(&self, item: &Item) -> Option<usize> {
        if let Some(c) = item.body.attr("count") {
            return match self.resolve(&c.value) {
                Value::Number(n) if n >= 0.0 => Some(n as usize),
                Value::Call { name, args } if name == "length" && args.len() == 1 => {
                    match self.resolve(&args[0]) {
                        Value::List(l) => Some(l.len()),
                        Value::Object(o) => Some(o.len()),
                        _ => None,
                    }
                }
                _ => None,
            };
        }
        if let Some(f) = item.body.attr("for_each") {
            return match self.resolve(&f.value) {
                Value::List(l) => Some(l.len()),
                Value::Object(o) => Some(o.len()),
                _ => None,
            };
        }
        Some(1)
    }

    /// The tags an object carries, resolved (`tags = merge(local.common, {...})`), plus
    /// `tag { key = ... }` blocks as used by `aws_autoscaling_group`. `None` when `tags` is set
    /// but cannot be resolved.
    pub fn tags(&self, item: &Item) -> Option<Vec<(String, Value)>> {
        let mut out = Vec::new();
        if let Some(a) = item.body.attr("tags") {
            match self.resolve(&a.value) {
                Value::Object(kv) => out.extend(kv),
                _ => return None,
            }
        }
        for (b, _) in item.body.blocks("tag") {
            if let Some(k) = b.attr("key").and_then(|k| self.resolve(&k.value).literal()) {
                let v = b.attr("value").map_or(Value::Null, |v| self.resolve(&v.value));
                out.push((k, v));
            }
        }
        Some(out)
    }

    /// Keys of `default_tags { tags = ... }` in every `provider "aws"` block.
    pub fn default_tag_keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        for p in self.of_kind(Kind::Provider).filter(|p| p.type_name == "aws") {
            for (b, _) in p.body.blocks("default_tags") {
                if let Some(a) = b.attr("tags") {
                    if let Value::Object(kv) = self.resolve(&a.value) {
                        keys.extend(kv.into_iter().map(|(k, _)| k));
                    }
                }
            }
        }
        keys
    }
}

/// 1-based line of byte `offset`.
pub(crate) fn line_at(text: &str, offset: usize) -> usize {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].matches('\n').count() + 1
}

fn parse_file(f: &SourceFile) -> Result<Vec<Item>, Vec<ParseError>> {
    let body = parser::parse_body(&f.text).map_err(|e| {
        let loc = e.location();
        vec![ParseError {
            file: f.path.clone(),
            line: loc.line().max(1),
            column: loc.column().max(1),
            message: format!("cannot parse HCL: {}", e.message()),
        }]
    })?;
    let mut items = Vec::new();
    let mut errors = Vec::new();
    let err = |line: usize, message: String| ParseError { file: f.path.clone(), line, column: 1, message };
    for s in body.iter() {
        let line = s.span().map_or(1, |sp| line_at(&f.text, sp.start));
        let Some(block) = s.as_block() else {
            let key = s.as_attribute().map(|a| a.key.as_str().to_owned()).unwrap_or_default();
            errors
                .push(err(line, format!("unexpected top-level attribute `{key}`: only blocks belong here")));
            continue;
        };
        let ident = block.ident.as_str();
        let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
        let inner = convert_body(&block.body, &f.text);
        let mut push = |kind, type_name: &str, name: &str, body: Body| {
            items.push(Item {
                kind,
                type_name: type_name.to_owned(),
                name: name.to_owned(),
                body,
                file: f.path.clone(),
                line,
            });
        };
        let want = |n: usize, what: &str| {
            if labels.len() == n {
                None
            } else {
                Some(err(line, format!("a `{ident}` block needs {what}, found {} label(s)", labels.len())))
            }
        };
        let problem = match ident {
            "resource" | "data" => want(2, "a type and a name label"),
            "variable" | "output" | "module" => want(1, "one name label"),
            "provider" => want(1, "the provider name as its label"),
            "terraform" | "locals" => want(0, "no labels"),
            _ => None,
        };
        if let Some(p) = problem {
            errors.push(p);
            continue;
        }
        match ident {
            "resource" => push(Kind::Resource, labels[0], labels[1], inner),
            "data" => push(Kind::Data, labels[0], labels[1], inner),
            "variable" => push(Kind::Variable, "", labels[0], inner),
            "output" => push(Kind::Output, "", labels[0], inner),
            "module" => push(Kind::Module, "", labels[0], inner),
            "provider" => push(Kind::Provider, labels[0], "", inner),
            "terraform" => push(Kind::Terraform, "", "", inner),
            "locals" => {
                for a in inner.attributes {
                    items.push(Item {
                        kind: Kind::Local,
                        type_name: String::new(),
                        name: a.key.clone(),
                        line: a.line,
                        body: Body {
                            attributes: vec![Attribute {
                                key: "value".to_owned(),
                                value: a.value,
                                line: a.line,
                            }],
                            blocks: Vec::new(),
                        },
                        file: f.path.clone(),
                    });
                }
            }
            // `moved`, `import`, `check`, `removed`: valid Terraform that no check looks at.
            _ => {}
        }
    }
    if errors.is_empty() {
        Ok(items)
    } else {
        Err(errors)
    }
}

fn convert_body(body: &es::Body, text: &str) -> Body {
    let mut out = Body::default();
    for s in body.iter() {
        let line = s.span().map_or(1, |sp| line_at(text, sp.start));
        if let Some(a) = s.as_attribute() {
            let expr = Expression::from(a.value.clone());
            out.attributes.push(Attribute {
                key: a.key.as_str().to_owned(),
                value: Value::from_expr(&expr),
                line,
            });
        } else if let Some(b) = s.as_block() {
            out.blocks.push(Block {
                ident: b.ident.as_str().to_owned(),
                labels: b.labels.iter().map(|l| l.as_str().to_owned()).collect(),
                body: convert_body(&b.body, text),
                line,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Config {
        Config::parse(&[SourceFile { path: "main.tf".into(), text: text.into() }]).expect("parses")
    }

    #[test]
    fn resources_get_their_header_line_and_references() {
        let c = parse(
            "# comment\n\nresource \"aws_security_group\" \"db\" {\n  ingress {\n    security_groups = [aws_security_group.app.id]\n  }\n  name = \"${var.env}-db\"\n}\n",
        );
        let db = c.find("aws_security_group.db").expect("db sg");
        assert_eq!(db.line, 3);
        let found = db.body.lookup("ingress.security_groups");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 5);
        let mut refs: Vec<String> = db.references().iter().map(|r| r.address()).collect();
        refs.sort();
        assert_eq!(refs, ["aws_security_group.app", "var.env"]);
    }

    #[test]
    fn locals_and_merge_resolve_to_tags() {
        let c = parse(
            "locals {\n  common = { Owner = \"team\" }\n}\nvariable \"cc\" {\n  default = \"42\"\n}\nresource \"aws_vpc\" \"m\" {\n  tags = merge(local.common, { CostCenter = var.cc })\n}\n",
        );
        let vpc = c.find("aws_vpc.m").expect("vpc");
        let tags = c.tags(vpc).expect("resolvable");
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[1], ("CostCenter".to_owned(), Value::String("42".into())));
    }

    #[test]
    fn count_from_a_variable_default_list_counts_instances() {
        let c = parse(
            "variable \"azs\" {\n  default = [\"a\", \"b\", \"c\"]\n}\nresource \"aws_subnet\" \"s\" {\n  count = length(var.azs)\n}\n",
        );
        assert_eq!(c.instances(c.find("aws_subnet.s").expect("subnet")), Some(3));
    }

    #[test]
    fn broken_hcl_reports_file_and_line() {
        let err = Config::parse(&[SourceFile {
            path: "x.tf".into(),
            text: "resource \"a\" \"b\" {\n  x = \n}\n".into(),
        }])
        .expect_err("broken");
        assert_eq!(err[0].file, "x.tf");
        assert!(err[0].line >= 2, "{err:?}");
    }

    #[test]
    fn a_resource_with_one_label_is_rejected_with_its_line() {
        let err = Config::parse(&[SourceFile {
            path: "x.tf".into(),
            text: "\nresource \"aws_vpc\" {\n}\n".into(),
        }])
        .expect_err("one label");
        assert_eq!(err[0].line, 2);
        assert!(err[0].message.contains("needs a type and a name"), "{}", err[0].message);
    }
}
