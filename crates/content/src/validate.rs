//! Validation: raw files → domain types, gathering every problem on the way.

use std::collections::{HashMap, HashSet};

use mockloop_domain::{Category, Difficulty, FollowUp, KeyPoint, Misconception, Pack, PrepPlan, Question};

use crate::front_matter::split_front_matter;
use crate::raw::{RawPack, RawQuestion};
use crate::{Diagnostic, PackSource, SourceFile};

struct Diags<'a> {
    root: &'a str,
    out: Vec<Diagnostic>,
}

impl Diags<'_> {
    fn push(&mut self, file: &str, line: usize, message: impl Into<String>) {
        let path = if self.root.is_empty() {
            file.to_owned()
        } else {
            format!("{}/{}", self.root.trim_end_matches('/'), file)
        };
        self.out.push(Diagnostic { path, line: line.max(1), message: message.into() });
    }
}

/// 1-based line of byte `offset` in `text`.
fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Line of the first occurrence of `needle` in `text` (1 if absent), shifted by `base - 1`.
fn line_of(text: &str, needle: &str, base: usize) -> usize {
    text.find(needle).map_or(base, |o| line_at(text, o) + base - 1)
}

fn toml_error_line(text: &str, err: &toml::de::Error, base: usize) -> usize {
    err.span().map_or(base, |s| line_at(text, s.start) + base - 1)
}

fn toml_message(err: &toml::de::Error) -> String {
    err.message().trim().replace('\n', " ")
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

pub fn parse(source: &PackSource) -> (Option<Pack>, Vec<Diagnostic>) {
    let mut d = Diags { root: &source.root, out: Vec::new() };
    let file = |name: &str| source.files.iter().find(|f| f.path == name);

    let raw_pack = match file("pack.toml") {
        None => {
            d.push("pack.toml", 1, "missing pack.toml: every pack needs one (see docs/pack-format.md)");
            None
        }
        Some(f) => match toml::from_str::<RawPack>(&f.text) {
            Ok(p) => Some(p),
            Err(e) => {
                d.push(&f.path, toml_error_line(&f.text, &e, 1), toml_message(&e));
                None
            }
        },
    };
    if let (Some(p), Some(f)) = (&raw_pack, file("pack.toml")) {
        check_pack(p, f, &mut d);
    }
    let topics: HashSet<&str> =
        raw_pack.iter().flat_map(|p| p.topics.iter().map(|t| t.id.as_str())).collect();
    let levels: HashSet<&str> =
        raw_pack.iter().flat_map(|p| p.levels.iter().map(|t| t.id.as_str())).collect();
    let rounds: HashSet<&str> =
        raw_pack.iter().flat_map(|p| p.rounds.iter().map(|t| t.id.as_str())).collect();
    let known = Known { topics: &topics, levels: &levels, rounds: &rounds, have_pack: raw_pack.is_some() };

    let mut questions = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut broken_questions = false;
    for f in source.files.iter().filter(|f| f.path.starts_with("questions/") && f.path.ends_with(".md")) {
        let parsed = parse_question(f, &known, &mut d);
        broken_questions |= parsed.is_none();
        if let Some(q) = parsed {
            if let Some(first) = seen.get(&q.id) {
                let line = line_of(&f.text, "id =", 1);
                d.push(&f.path, line, format!("duplicate question id `{}` (first defined in {first})", q.id));
                continue;
            }
            seen.insert(q.id.clone(), f.path.clone());
            questions.push(q);
        }
    }
    if questions.is_empty() && !source.files.iter().any(|f| f.path.starts_with("questions/")) {
        d.push("questions", 1, "the pack has no questions: add questions/*.md");
    }
    let mut page = |name: &str| match file(name) {
        Some(f) if !f.text.trim().is_empty() => f.text.clone(),
        Some(f) => {
            d.push(&f.path, 1, format!("{name} is empty"));
            String::new()
        }
        None => {
            d.push(name, 1, format!("missing {name}: the role's reference page"));
            String::new()
        }
    };
    let mistakes = page("mistakes.md");
    let faq = page("faq.md");

    // Every level and round must be reachable by some question. A question that failed to parse
    // may be the one that covers them, so wait until the questions are fixed.
    if let (Some(p), Some(f), false) = (&raw_pack, file("pack.toml"), broken_questions) {
        for l in &p.levels {
            if !questions.iter().any(|q| q.levels.contains(&l.id)) && !questions.is_empty() {
                d.push(
                    &f.path,
                    line_of(&f.text, &format!("id = \"{}\"", l.id), 1),
                    format!("level `{}` has no questions", l.id),
                );
            }
        }
        for r in &p.rounds {
            if !questions.iter().any(|q| q.rounds.contains(&r.id)) && !questions.is_empty() {
                d.push(
                    &f.path,
                    line_of(&f.text, &format!("id = \"{}\"", r.id), 1),
                    format!("round `{}` has no questions", r.id),
                );
            }
        }
    }

    let mut diags = d.out;
    diags.sort();
    diags.dedup();
    let pack = match raw_pack {
        Some(p) if diags.is_empty() => {
            questions.sort_by(|a, b| a.id.cmp(&b.id));
            Some(Pack {
                role: p.role,
                levels: p.levels,
                rounds: p.rounds,
                topics: p.topics,
                compensation: p.compensation,
                prep_plan: PrepPlan { weeks: p.prep_plan.weeks },
                questions,
                mistakes,
                faq,
            })
        }
        _ => None,
    };
    (pack, diags)
}

fn check_pack(p: &RawPack, f: &SourceFile, d: &mut Diags<'_>) {
    let mut check_ids = |kind: &str, ids: Vec<&str>| {
        if ids.is_empty() {
            d.push(&f.path, 1, format!("pack.toml defines no {kind}s"));
        }
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for id in ids {
            let needle = format!("id = \"{id}\"");
            let count = seen.entry(id).or_default();
            // The n-th definition of an id is at its n-th occurrence.
            let line = f.text.match_indices(&needle).nth(*count).map_or(1, |(o, _)| line_at(&f.text, o));
            *count += 1;
            if !is_kebab(id) {
                d.push(&f.path, line, format!("{kind} id `{id}` must be lowercase kebab-case"));
            }
            if *count > 1 {
                d.push(&f.path, line, format!("duplicate {kind} id `{id}`"));
            }
        }
    };
    check_ids("level", p.levels.iter().map(|l| l.id.as_str()).collect());
    check_ids("round", p.rounds.iter().map(|l| l.id.as_str()).collect());
    check_ids("topic", p.topics.iter().map(|l| l.id.as_str()).collect());
    for r in &p.rounds {
        if r.minutes == 0 {
            d.push(
                &f.path,
                line_of(&f.text, &format!("id = \"{}\"", r.id), 1),
                format!("round `{}` has no time budget (minutes = 0)", r.id),
            );
        }
    }
    let levels: HashSet<&str> = p.levels.iter().map(|l| l.id.as_str()).collect();
    let topics: HashSet<&str> = p.topics.iter().map(|l| l.id.as_str()).collect();
    for b in &p.compensation.bands {
        if !levels.contains(b.level.as_str()) {
            d.push(
                &f.path,
                line_of(&f.text, &format!("level = \"{}\"", b.level), 1),
                format!("compensation band for unknown level `{}`", b.level),
            );
        }
        for (name, r) in
            [("base", &b.base), ("equity", &b.equity), ("sign_on", &b.sign_on), ("total", &b.total)]
        {
            if r.0.is_empty() || r.0.len() > 2 || (r.0.len() == 2 && r.0[0] > r.0[1]) {
                d.push(
                    &f.path,
                    line_of(&f.text, &format!("level = \"{}\"", b.level), 1),
                    format!("compensation `{name}` for `{}` must be [min, max] or [min]", b.level),
                );
            }
        }
    }
    if p.prep_plan.weeks.is_empty() {
        d.push(&f.path, line_of(&f.text, "[prep_plan]", 1), "prep plan has no weeks");
    }
    for w in &p.prep_plan.weeks {
        for t in &w.topics {
            if !topics.contains(t.as_str()) {
                d.push(
                    &f.path,
                    line_of(&f.text, &format!("\"{t}\""), 1),
                    format!("prep plan week {} names unknown topic `{t}`", w.week),
                );
            }
        }
        if w.daily.is_empty() {
            d.push(
                &f.path,
                line_of(&f.text, &format!("week = {}", w.week), 1),
                format!("prep plan week {} has no daily tasks", w.week),
            );
        }
    }
}

struct Known<'a> {
    topics: &'a HashSet<&'a str>,
    levels: &'a HashSet<&'a str>,
    rounds: &'a HashSet<&'a str>,
    have_pack: bool,
}

fn parse_question(f: &SourceFile, known: &Known<'_>, d: &mut Diags<'_>) -> Option<Question> {
    let Some((front, body, body_line)) = split_front_matter(&f.text) else {
        d.push(&f.path, 1, "missing front matter: the file must start with a `+++` line and close it with another `+++` line");
        return None;
    };
    let base = 2; // front matter starts on line 2
    let raw: RawQuestion = match toml::from_str(front) {
        Ok(r) => r,
        Err(e) => {
            d.push(&f.path, toml_error_line(front, &e, base), toml_message(&e));
            return None;
        }
    };
    let at = |needle: &str| line_of(front, needle, base);
    let before = d.out.len();
    // Questions may sit in subfolders of `questions/`; the id matches the file name alone.
    let name = f.path.rsplit('/').next().unwrap_or(&f.path);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    if !is_kebab(&raw.id) {
        d.push(&f.path, at("id ="), format!("id `{}` must be lowercase kebab-case", raw.id));
    } else if raw.id != stem {
        d.push(&f.path, at("id ="), format!("id `{}` does not match the file name `{stem}.md`", raw.id));
    }
    if raw.prompt.trim().is_empty() {
        d.push(&f.path, at("prompt ="), "empty prompt");
    }
    if raw.flashcard.trim().is_empty() {
        d.push(&f.path, at("flashcard ="), "empty flashcard answer");
    }
    let difficulty = Difficulty::parse(&raw.difficulty);
    if difficulty.is_none() {
        d.push(
            &f.path,
            at("difficulty ="),
            format!("unknown difficulty `{}` (expected easy, medium or hard)", raw.difficulty),
        );
    }
    let category = Category::parse(&raw.category);
    if category.is_none() {
        d.push(
            &f.path,
            at("category ="),
            format!(
                "unknown category `{}` (expected technical, role-specific, situational or behavioral)",
                raw.category
            ),
        );
    }
    for (field, values, set) in [
        ("topic", &raw.topics, known.topics),
        ("level", &raw.levels, known.levels),
        ("round", &raw.rounds, known.rounds),
    ] {
        if values.is_empty() {
            d.push(&f.path, at(&format!("{field}s =")), format!("no {field}s listed"));
        }
        if known.have_pack {
            // Look for the value after its key: `behavioral` may be both a topic and a round.
            let key = front.find(&format!("{field}s =")).unwrap_or(0);
            for v in values {
                if !set.contains(v.as_str()) {
                    let mut ids: Vec<&&str> = set.iter().collect();
                    ids.sort();
                    let line = front[key..]
                        .find(&format!("\"{v}\""))
                        .map_or(base, |o| line_at(front, key + o) + base - 1);
                    d.push(
                        &f.path,
                        line,
                        format!(
                            "unknown {field} `{v}` (pack.toml defines: {})",
                            ids.iter().map(|s| **s).collect::<Vec<_>>().join(", ")
                        ),
                    );
                }
            }
        }
    }
    if !(1..=60).contains(&raw.time_minutes) {
        d.push(&f.path, at("time_minutes ="), format!("time_minutes = {} is outside 1–60", raw.time_minutes));
    }
    if body.trim().is_empty() {
        // Point at the closing `+++`: the answer belongs right after it.
        d.push(
            &f.path,
            body_line - 1,
            "empty answer: the body after the front matter must hold the model answer",
        );
    }
    let min_kp = if difficulty == Some(Difficulty::Hard) { 6 } else { 4 };
    if raw.key_points.len() < min_kp {
        d.push(
            &f.path,
            at("id ="),
            format!(
                "{} key point(s); {} questions need at least {min_kp}",
                raw.key_points.len(),
                raw.difficulty
            ),
        );
    }
    let mut kp_ids = HashSet::new();
    for kp in &raw.key_points {
        let line = at(&format!("id = \"{}\"", kp.id));
        if !kp_ids.insert(kp.id.as_str()) {
            d.push(&f.path, line, format!("duplicate key point id `{}`", kp.id));
        }
        if kp.text.trim().is_empty() {
            d.push(&f.path, line, format!("key point `{}` has no text", kp.id));
        }
        if !(1..=3).contains(&kp.weight) {
            d.push(&f.path, line, format!("key point `{}` has weight {}; use 1–3", kp.id, kp.weight));
        }
        if kp.phrases.iter().all(|p| p.trim().is_empty()) {
            d.push(
                &f.path,
                line,
                format!("key point `{}` has no phrases: list ways a candidate might say it", kp.id),
            );
        }
    }
    if raw.follow_ups.len() < 2 {
        d.push(
            &f.path,
            at("id ="),
            format!("{} follow-up(s); every question needs at least 2", raw.follow_ups.len()),
        );
    }
    for fu in &raw.follow_ups {
        if !kp_ids.contains(fu.key_point.as_str()) {
            d.push(
                &f.path,
                at(&format!("key_point = \"{}\"", fu.key_point)),
                format!("follow-up points at unknown key point `{}`", fu.key_point),
            );
        }
        if fu.prompt.trim().is_empty() {
            d.push(
                &f.path,
                at(&format!("key_point = \"{}\"", fu.key_point)),
                "follow-up has an empty prompt",
            );
        }
    }
    for m in &raw.misconceptions {
        let line = at(&m.claim.chars().take(30).collect::<String>());
        if m.phrases.is_empty() {
            d.push(&f.path, line, "misconception has no phrases");
        }
        if m.correction.trim().is_empty() {
            d.push(&f.path, line, "misconception has no correction");
        }
    }
    if d.out.len() > before {
        return None;
    }
    Some(Question {
        id: raw.id,
        prompt: raw.prompt.trim().to_owned(),
        difficulty: difficulty?,
        category: category?,
        topics: raw.topics,
        levels: raw.levels,
        rounds: raw.rounds,
        time_minutes: raw.time_minutes,
        key_points: raw
            .key_points
            .into_iter()
            .map(|k| KeyPoint { id: k.id, text: k.text, weight: k.weight, phrases: k.phrases })
            .collect(),
        follow_ups: raw
            .follow_ups
            .into_iter()
            .map(|f| FollowUp { key_point: f.key_point, prompt: f.prompt })
            .collect(),
        misconceptions: raw
            .misconceptions
            .into_iter()
            .map(|m| Misconception { claim: m.claim, phrases: m.phrases, correction: m.correction })
            .collect(),
        flashcard: raw.flashcard.trim().to_owned(),
        answer: body.trim().to_owned(),
    })
}
