//! Hands-on Terraform exercises: the candidate writes `.tf` files, mockloop checks them.
//!
//! An exercise (`exercises/<id>.md` in a pack, with starter and reference `.tf` files beside it)
//! states a task and lists **declarative checks** drawn from a small vocabulary — "a resource of
//! type X has attribute Y matching Z", "this attribute references that resource rather than a
//! literal", "no db subnet routes to an internet gateway", "the backend locks and encrypts state",
//! "no hard-coded secrets", "every resource carries tags A and B", "variables are typed and
//! validated", "subnets span N zones". Each kind is implemented once (`checks.rs`), so a new
//! exercise is pure content.
//!
//! The flow is text in, values out, like the rest of the core crates:
//!
//! - [`load_exercises`] turns a [`PackSource`] into [`Exercise`]s plus every [`Diagnostic`]
//!   (`path:line: message`), including "the reference solution fails its own check".
//! - [`Config::parse`] turns `.tf` files into a resource graph (resources, data sources, variables,
//!   locals, outputs, module calls, providers, the backend, and references between them), each
//!   object with its `file:line`. hcl-rs keeps no positions, so the files are parsed with hcl-edit,
//!   which does, and values are simplified into [`Value`].
//! - [`check`] runs an exercise's checks on the candidate's files and returns a [`CheckReport`]:
//!   pass/fail per check with location and hint, and a 0–5 score. Files that do not parse give
//!   `parse_errors` with a line, never a panic.
//!
//! Nothing here checks what only `terraform plan` can know (provider schemas, computed values);
//! the checks read the configuration as written. [`read_tf_dir`] is the one file-system helper.

mod checks;
mod graph;
mod load;
mod model;
mod report;

use std::path::Path;

pub use checks::Location;
pub use graph::{Attribute, Block, Body, Config, Edge, Found, Item, Kind, ParseError, Reference, Value};
pub use load::load_exercises;
pub use mockloop_content::{Diagnostic, PackSource, SourceFile};
pub use model::{Check, Exercise, Selector};
pub use report::{check, CheckReport, CheckResult};

/// Reads the `.tf` files directly inside `dir` (as Terraform does for a root module), sorted by
/// name, with paths relative to `dir`.
pub fn read_tf_dir(dir: &Path) -> std::io::Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if name.ends_with(".tf") && !name.starts_with('.') && path.is_file() {
            files.push(SourceFile { path: name, text: std::fs::read_to_string(&path)? });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}
