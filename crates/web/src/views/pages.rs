//! The page views, one struct per page.

use chrono::{DateTime, Utc};
use maud::{html, Markup};
use mockloop_domain::{Attempt, Card, Category, Difficulty, Outcome, Pack, Question};
use mockloop_practice::plan::{ItemKind, Plan};
use mockloop_practice::stats::Stats;

use super::charts::{bar_chart, line_chart, BarItem};
use super::feedback::{assessment, highlighted_answer};
use super::{bar, difficulty_tag, score_badge, tag, when, Nav, Page};
use crate::markdown::markdown;
use crate::service::{given, FilterParams, Next, PlanParams, PracticeParams, Progress};

fn topic_name<'a>(pack: &'a Pack, id: &'a str) -> &'a str {
    pack.topic(id).map_or(id, |t| t.name.as_str())
}

pub(super) fn level_select(pack: &Pack, name: &str, selected: Option<&str>, any: Option<&str>) -> Markup {
    html! {
        select name=(name) aria-label="Level" {
            @if let Some(any) = any { option value="" { (any) } }
            @for l in &pack.levels {
                option value=(l.id) selected[selected == Some(l.id.as_str())] { (l.name) " (" (l.code) ")" }
            }
        }
    }
}

pub(super) fn question_meta(pack: &Pack, q: &Question) -> Markup {
    html! {
        div.meta {
            (difficulty_tag(q.difficulty))
            (tag(q.category.as_str()))
            @for t in &q.topics { (tag(topic_name(pack, t))) }
            span.muted { "~" (q.time_minutes) " min" }
        }
    }
}

/// `/`: the dashboard.
pub struct DashboardPage<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// Progress.
    pub progress: &'a Progress,
    /// Daily mean scores, last weeks.
    pub daily: Vec<(String, f32)>,
}

impl Page for DashboardPage<'_> {
    fn title(&self) -> String {
        "Dashboard".into()
    }
    fn nav(&self) -> Nav {
        Nav::Home
    }
    fn content(&self) -> Markup {
        let s: &Stats = &self.progress.stats;
        let level = self.pack.level(&self.progress.level);
        html! {
            section.hero {
                h1 { (self.pack.role.name) " interview practice" }
                p.lead { (self.pack.role.summary) }
                p {
                    a.button.primary href={"/practice?level=" (self.progress.level)} { "Start practising" }
                    " "
                    a.button href="/review" { "Review flashcards" }
                }
            }
            div.stats {
                div.stat { span.big { (s.streak.current) } span.muted { "day streak" }
                    @if !s.streak.active_today && s.streak.current > 0 { small.warn { "practise today to keep it" } } }
                div.stat { span.big { (s.cards.due_now) } span.muted { "cards due now" } }
                div.stat { span.big { (s.totals.answered) } span.muted { "answers graded" } }
                div.stat {
                    span.big { @match s.totals.mean_score { Some(m) => (score_badge(m)), None => "—" } }
                    span.muted { "mean score" }
                }
            }
            div.grid2 {
                section.card {
                    h2 { "Weakest topics" }
                    @if s.weakest.is_empty() {
                        p.muted { "Answer a few questions and your weakest topics will show here." }
                    } @else {
                        ul.plain {
                            @for t in &s.weakest {
                                @let ts = s.topics.iter().find(|x| &x.topic == t);
                                li {
                                    a href={"/practice?topic=" (t)} { (topic_name(self.pack, t)) }
                                    @if let Some(m) = ts.and_then(|x| x.scores.mean) { " " (score_badge(m)) }
                                }
                            }
                        }
                    }
                }
                section.card {
                    h2 { "Readiness" @if let Some(l) = level { small.muted { " for " (l.name) " (" (l.code) ")" } } }
                    table.compact {
                        @for r in &s.rounds {
                            tr { th { (r.name) } td.barcell { (bar(r.readiness)) } td.num { (format!("{:.0}%", r.readiness * 100.0)) } }
                        }
                    }
                }
            }
            section.card {
                h2 { "Score over time" }
                @if self.daily.is_empty() { p.muted { "No graded answers in the last 30 days." } }
                @else { (line_chart(&self.daily, 5.0)) }
            }
        }
    }
}

/// `/questions`: the bank with filters and search.
pub struct QuestionsPage<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// Current filters.
    pub params: &'a FilterParams,
    /// Matching questions.
    pub questions: Vec<&'a Question>,
}

impl Page for QuestionsPage<'_> {
    fn title(&self) -> String {
        "Questions".into()
    }
    fn nav(&self) -> Nav {
        Nav::Questions
    }
    fn content(&self) -> Markup {
        let p = self.params;
        let sel = |v: &Option<String>, x: &str| given(v) == Some(x);
        html! {
            h1 { "Question bank" }
            form.filters method="get" action="/questions" {
                input type="search" name="q" aria-label="Search" placeholder="Search questions, e.g. “dns ttl”" value=[given(&p.q)];
                select name="difficulty" aria-label="Difficulty" {
                    option value="" { "Any difficulty" }
                    @for d in Difficulty::ALL { option value=(d.as_str()) selected[sel(&p.difficulty, d.as_str())] { (d.as_str()) } }
                }
                select name="category" aria-label="Category" {
                    option value="" { "Any category" }
                    @for c in Category::ALL { option value=(c.as_str()) selected[sel(&p.category, c.as_str())] { (c.as_str()) } }
                }
                select name="topic" aria-label="Topic" {
                    option value="" { "Any topic" }
                    @for t in &self.pack.topics { option value=(t.id) selected[sel(&p.topic, &t.id)] { (t.name) } }
                }
                (level_select(self.pack, "level", given(&p.level), Some("Any level")))
                button type="submit" { "Filter" }
                a.muted href="/questions" { "Reset" }
            }
            p.muted { (self.questions.len()) " question" @if self.questions.len() != 1 { "s" }
                @if given(&p.q).is_some() { ", best match first" } }
            div.list {
                @for q in &self.questions {
                    article.card.question {
                        (question_meta(self.pack, q))
                        h3 { a href={"/questions/" (q.id)} { (q.prompt) } }
                        details {
                            summary { "Model answer" }
                            div.md { (markdown(&q.answer)) }
                            h4 { "Key points" }
                            ul { @for k in &q.key_points { li { (k.text) } } }
                        }
                        p { a.button.small href={"/practice?question=" (q.id)} { "Practise this" } }
                    }
                }
            }
        }
    }
}

/// `/questions/{id}`: one question.
pub struct QuestionPage<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// The question.
    pub question: &'a Question,
}

impl Page for QuestionPage<'_> {
    fn title(&self) -> String {
        self.question.id.clone()
    }
    fn nav(&self) -> Nav {
        Nav::Questions
    }
    fn content(&self) -> Markup {
        let q = self.question;
        html! {
            article.card {
                (question_meta(self.pack, q))
                h1.prompt { (q.prompt) }
                p { a.button.primary href={"/practice?question=" (q.id)} { "Practise this question" } }
                details {
                    summary { "Model answer" }
                    div.md { (markdown(&q.answer)) }
                }
                details {
                    summary { "Key points" }
                    ul { @for k in &q.key_points { li { (k.text) " " span.muted { "(weight " (k.weight) ")" } } } }
                }
                @if !q.misconceptions.is_empty() {
                    details {
                        summary { "Common misconceptions" }
                        ul { @for m in &q.misconceptions { li { s { (m.claim) } br; "→ " (m.correction) } } }
                    }
                }
            }
        }
    }
}

/// `/practice`: the next question and the answer form.
pub struct PracticePage<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// The pick, or `None` when the sitting has run out of questions.
    pub next: Option<Next<'a>>,
    /// Sitting parameters (carried in the form).
    pub params: &'a PracticeParams,
    /// When the page was rendered.
    pub shown_at: DateTime<Utc>,
}

impl Page for PracticePage<'_> {
    fn title(&self) -> String {
        "Practice".into()
    }
    fn nav(&self) -> Nav {
        Nav::Practice
    }
    fn content(&self) -> Markup {
        let p = self.params;
        let Some(next) = &self.next else {
            return html! {
                h1 { "Practice" }
                section.card {
                    p { "No more questions match these filters in this session." }
                    p { a.button.primary href="/practice" { "Start a new session" } " " a.button href="/progress" { "See progress" } }
                }
            };
        };
        let q = next.question;
        html! {
            form.filters.inline method="get" action="/practice" {
                label { "Level " (level_select(self.pack, "level", Some(&next.level), None)) }
                label { "Topic "
                    select name="topic" {
                        option value="" { "Any" }
                        @for t in &self.pack.topics { option value=(t.id) selected[given(&p.topic) == Some(t.id.as_str())] { (t.name) } }
                    }
                }
                button type="submit" { "New session" }
            }
            article.card.practice {
                div.qhead {
                    (question_meta(self.pack, q))
                    span.countdown data-minutes=(q.time_minutes) title="suggested time" { (q.time_minutes) ":00" }
                }
                h1.prompt #prompt { (q.prompt) }
                p.reason { "Why this one: " (next.reason) }
                button.small.speak type="button" data-speak="#prompt" hidden { "▶ Read aloud" }
                form method="post" action="/practice" { (crate::auth::csrf_field())
                    input type="hidden" name="question" value=(q.id);
                    input type="hidden" name="level" value=(next.level);
                    input type="hidden" name="session" value=[next.session.map(|s| s.to_string())];
                    input type="hidden" name="shown_at" value=(self.shown_at.to_rfc3339());
                    @for (k, v) in [("topic", &p.topic), ("category", &p.category), ("round", &p.round)] {
                        @if let Some(v) = given(v) { input type="hidden" name=(k) value=(v); }
                    }
                    label for="answer" { "Your answer" }
                    textarea #answer name="answer" rows="12" placeholder="Answer as you would out loud: the key steps, the why, the trade-offs, concrete examples." {}
                    div.actions {
                        button.primary type="submit" name="action" value="answer" { "Grade my answer" }
                        button type="submit" name="action" value="reveal" formnovalidate { "Show the model answer" }
                        button.ghost type="submit" name="action" value="skip" formnovalidate { "Skip" }
                    }
                }
                details.hint {
                    summary { "Hint" }
                    ul { @for k in hint_points(q) { li { (k) } } }
                }
            }
        }
    }
}

/// The opening words of the weightiest key points: a nudge, not the answer.
fn hint_points(q: &Question) -> Vec<String> {
    let mut kps: Vec<_> = q.key_points.iter().collect();
    kps.sort_by_key(|k| std::cmp::Reverse(k.weight));
    kps.iter()
        .take(3)
        .map(|k| {
            let words: Vec<&str> = k.text.split_whitespace().collect();
            let shown = words.len().saturating_sub(1).clamp(1, 4).min(words.len());
            format!("Think about: {} …", words[..shown].join(" "))
        })
        .collect()
}

/// `/attempts/{id}`: an attempt replayed with its feedback (also the page shown after answering).
pub struct AttemptPage<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// The attempt.
    pub attempt: &'a Attempt,
    /// Its question, if still in the pack.
    pub question: Option<&'a Question>,
    /// Follow-up answers made after it.
    pub follow_ups: &'a [Attempt],
    /// The query continuing the practice sitting, for "Next question".
    pub next_query: Option<String>,
    /// When the page was rendered (for the follow-up's time).
    pub shown_at: DateTime<Utc>,
}

impl Page for AttemptPage<'_> {
    fn title(&self) -> String {
        format!("Attempt {}", self.attempt.id.short())
    }
    fn nav(&self) -> Nav {
        if self.next_query.is_some() {
            Nav::Practice
        } else {
            Nav::Progress
        }
    }
    fn content(&self) -> Markup {
        let a = self.attempt;
        let probe = a
            .assessment
            .as_ref()
            .filter(|x| a.follow_up_of.is_none() && !crate::service::gaps(x).is_empty())
            .and_then(|x| x.follow_up.clone());
        html! {
            p.muted.crumbs {
                a href="/progress" { "Progress" } " › attempt " (a.id.short()) " · " (when(a.started_at))
                @if a.duration_ms > 0 { " · " (a.duration_ms / 60_000) " min " ((a.duration_ms / 1000) % 60) " s" }
            }
            article.card {
                @if let Some(q) = self.question { (question_meta(self.pack, q)) }
                h1.prompt { (a.prompt) }
                @match a.outcome {
                    Outcome::Skipped => p.muted { "Skipped." },
                    Outcome::Revealed => p.muted { "You asked for the model answer instead of answering." },
                    Outcome::Answered => {
                        h3 { "Your answer" }
                        (highlighted_answer(&a.answer, a.assessment.as_ref()))
                        p.legend.muted { mark.ok { "covered" } " " mark.part { "partly" } " " mark.bad { "wrong" } }
                        @if let Some(x) = &a.assessment { (assessment(x)) }
                    }
                }
            }
            @if let Some(prompt) = &probe {
                section.card.followup {
                    h2 { "Interviewer follow-up" }
                    p.prompt #probe { (prompt) }
                    button.small.speak type="button" data-speak="#probe" hidden { "▶ Read aloud" }
                    @for f in self.follow_ups {
                        div.previous {
                            h3 { "Your follow-up answer " (score_badge(f.score)) }
                            (highlighted_answer(&f.answer, f.assessment.as_ref()))
                            @if let Some(x) = &f.assessment {
                                ul.keypoints { @for k in &x.key_points {
                                    li class=(if k.status == mockloop_grading::Coverage::Missed { "miss" } else { "ok" }) {
                                        span.icon { @if k.status == mockloop_grading::Coverage::Missed { "✗" } @else { "✓" } }
                                        span { (k.text) }
                                    }
                                } }
                            }
                        }
                    }
                    @if self.follow_ups.is_empty() {
                        form method="post" action="/practice/follow-up" { (crate::auth::csrf_field())
                            input type="hidden" name="attempt" value=(a.id.to_string());
                            input type="hidden" name="shown_at" value=(self.shown_at.to_rfc3339());
                            @if let Some(nq) = &self.next_query { input type="hidden" name="next" value=(nq); }
                            textarea name="answer" rows="6" required placeholder="Answer the follow-up…" {}
                            div.actions { button.primary type="submit" { "Grade follow-up" } }
                        }
                    }
                }
            }
            @if a.outcome != Outcome::Answered {
                @if let Some(q) = self.question {
                    section.card { h2 { "Model answer" } div.md { (markdown(&q.answer)) } }
                }
            } @else if let Some(q) = self.question {
                details.card { summary { "Model answer" } div.md { (markdown(&q.answer)) } }
            }
            p.actions {
                @if let Some(nq) = &self.next_query {
                    a.button.primary href={"/practice?" (nq)} { "Next question →" }
                }
                a.button href="/progress" { "Progress" }
            }
        }
    }
}

/// `/review`: one flashcard at a time.
pub struct ReviewPage<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// The card to show, with its question.
    pub card: Option<(&'a Card, &'a Question)>,
    /// Cards left today (including this one).
    pub remaining: usize,
    /// Rating buttons: label and the interval it would schedule.
    pub options: Vec<(u8, &'static str, String)>,
    /// What the last rating did.
    pub flash: Option<String>,
}

impl Page for ReviewPage<'_> {
    fn title(&self) -> String {
        "Review".into()
    }
    fn nav(&self) -> Nav {
        Nav::Review
    }
    fn content(&self) -> Markup {
        html! {
            h1 { "Flashcards" }
            @if let Some(f) = &self.flash { p.flash { "✓ " (f) } }
            @match self.card {
                None => section.card {
                    p { "Nothing due right now. New cards come from questions you practise; come back later." }
                    p { a.button.primary href="/practice" { "Practise instead" } }
                },
                Some((card, q)) => article.card.flashcard {
                    p.muted {
                        (self.remaining) " left today · "
                        @if card.reps == 0 { "new card" } @else { (card.phase.as_str()) " · seen " (card.reps) "×" }
                    }
                    (question_meta(self.pack, q))
                    h2.prompt { (q.prompt) }
                    details.reveal {
                        summary.button { "Show answer" }
                        div.md { (markdown(&q.flashcard)) }
                        form.ratings method="post" action="/review" { (crate::auth::csrf_field())
                            input type="hidden" name="question" value=(q.id);
                            @for (n, label, interval) in &self.options {
                                button type="submit" name="rating" value=(n) class={"rate r" (n)} {
                                    strong { (n) " " (label) } small { (interval) }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}

/// `/progress`: topics, signals, readiness, history.
pub struct ProgressPage<'a> {
    /// Daily mean scores, all time.
    pub daily: Vec<(String, f32)>,
    /// Progress.
    pub progress: &'a Progress,
}

impl Page for ProgressPage<'_> {
    fn title(&self) -> String {
        "Progress".into()
    }
    fn nav(&self) -> Nav {
        Nav::Progress
    }
    fn content(&self) -> Markup {
        let s = &self.progress.stats;
        let topic_items: Vec<BarItem<'_>> = s
            .topics
            .iter()
            .filter(|t| t.answers > 0)
            .map(|t| BarItem {
                label: &t.name,
                value: t.scores.mean,
                note: t.scores.mean.map_or("—".to_owned(), |m| format!("{m:.1} · {}×", t.answers)),
            })
            .collect();
        let round_items: Vec<BarItem<'_>> = s
            .rounds
            .iter()
            .map(|r| BarItem {
                label: &r.name,
                value: Some(r.readiness),
                note: format!("{:.0}%", r.readiness * 100.0),
            })
            .collect();
        let signal_items: Vec<BarItem<'_>> = s
            .signals
            .iter()
            .map(|x| BarItem {
                label: &x.label,
                value: x.values.mean,
                note: x.values.mean.map_or("—".into(), |m| format!("{m:.2}")),
            })
            .collect();
        let mut history: Vec<&Attempt> = self.progress.attempts.iter().collect();
        history.reverse();
        html! {
            h1 { "Progress" }
            div.stats {
                div.stat { span.big { (s.totals.answered) } span.muted { "answered" } }
                div.stat { span.big { (s.totals.questions) } span.muted { "questions met" } }
                div.stat { span.big { (s.totals.minutes) } span.muted { "minutes" } }
                div.stat { span.big { (s.streak.longest) } span.muted { "longest streak" } }
            }
            @if self.daily.len() > 1 {
                section.card { h2 { "Score over time" small.muted { " · daily mean" } } (line_chart(&self.daily, 5.0)) }
            }
            section.card {
                h2 { "Mean score per practised topic" }
                @if topic_items.is_empty() { p.muted { "No graded answers yet: " a href="/practice" { "start practising" } "." } }
                @else { (bar_chart(&topic_items, 5.0)) }
            }
            div.grid2 {
                section.card {
                    h2 { "Readiness per round" small.muted { " · " (self.progress.level) } }
                    (bar_chart(&round_items, 1.0))
                }
                section.card {
                    h2 { "Signals" }
                    @if signal_items.is_empty() { p.muted { "Signals appear after your first graded answer." } }
                    @else { (bar_chart(&signal_items, 1.0)) }
                }
            }
            section.card {
                h2 { "Topics" }
                table.data {
                    thead { tr { th { "Topic" } th { "Answers" } th { "Mean" } th { "Latest" } th { "Trend" } th { "Ability" } } }
                    tbody {
                        @for t in s.topics.iter().filter(|t| t.answers > 0) {
                            tr {
                                td { a href={"/questions?topic=" (t.topic)} { (t.name) } }
                                td.num { (t.answers) }
                                td { @if let Some(m) = t.scores.mean { (score_badge(m)) } @else { span.muted { "—" } } }
                                td.num { @if let Some(m) = t.scores.latest { (format!("{m:.1}")) } }
                                td.num { @match t.scores.trend {
                                    Some(x) if x > 0.05 => span.up { "▲ " (format!("{x:+.1}")) },
                                    Some(x) if x < -0.05 => span.down { "▼ " (format!("{x:+.1}")) },
                                    Some(_) => "=",
                                    None => "",
                                } }
                                td.num { @if let Some(r) = t.rating { (format!("{r:+.2}")) } }
                            }
                        }
                    }
                }
            }
            @let unpractised: Vec<_> = s.topics.iter().filter(|t| t.answers == 0).collect();
            @if !unpractised.is_empty() {
                details.card {
                    summary { (unpractised.len()) " topics not practised yet" }
                    p { @for t in &unpractised { a.tag href={"/practice?topic=" (t.topic)} { (t.name) } " " } }
                }
            }
            section.card {
                h2 { "History" }
                @if history.is_empty() { p.muted { "No attempts yet." } }
                ul.history {
                    @for a in history.iter().take(100) {
                        li {
                            a href={"/attempts/" (a.id.to_string())} {
                                @match a.outcome {
                                    Outcome::Answered => (score_badge(a.score)),
                                    Outcome::Skipped => span.score.none { "skip" },
                                    Outcome::Revealed => span.score.none { "shown" },
                                }
                                span.htext { @if a.follow_up_of.is_some() { "↳ " } (a.prompt) }
                                span.muted { (when(a.started_at)) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/plan`: the plan form and, when asked, the plan.
pub struct PlanPage<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// Form values.
    pub params: &'a PlanParams,
    /// The plan (after the form was sent).
    pub plan: Option<Plan>,
}

impl Page for PlanPage<'_> {
    fn title(&self) -> String {
        "Prep plan".into()
    }
    fn nav(&self) -> Nav {
        Nav::Plan
    }
    fn content(&self) -> Markup {
        let p = self.params;
        html! {
            h1 { "Prep plan" }
            form.card.planform method="get" action="/plan" {
                label { "Weeks " input type="number" name="weeks" min="1" max="52" value=(given(&p.weeks).unwrap_or("4")); }
                label { "or interview date " input type="date" name="interview_date" value=[given(&p.interview_date)]; }
                label { "Hours per day " input type="number" name="hours_per_day" step="0.25" min="0.25" max="16" value=(given(&p.hours_per_day).unwrap_or("1.5")); }
                label { "Level " (level_select(self.pack, "level", given(&p.level), Some("My latest level"))) }
                input type="hidden" name="go" value="1";
                button.primary type="submit" { "Make my plan" }
            }
            @if let Some(plan) = &self.plan {
                section.card {
                    h2 { (plan.start.format("%d %b").to_string()) " – " (plan.end.format("%d %b %Y").to_string()) }
                    p { (plan.days.len()) " days at " (plan.hours_per_day) " h a day, for the " (plan.level) " level"
                        @if let Some(d) = plan.interview { ", up to the interview on " (d.format("%a %d %b").to_string()) } "." }
                    @if !plan.weak_topics.is_empty() {
                        p { "Extra weight on: " @for t in &plan.weak_topics { (tag(topic_name(self.pack, t))) " " } }
                    }
                    p { a.button href={"/plan.ics?" (p.query())} download="mockloop-plan.ics" { "Download calendar (.ics)" } }
                }
                @for ph in &plan.phases {
                    section.card.phase {
                        h2 { (ph.name) small.muted { " · " (ph.start.format("%d %b").to_string()) " – " (ph.end.format("%d %b").to_string()) } }
                        p { (ph.focus) }
                        @for d in plan.days.iter().filter(|d| d.date >= ph.start && d.date <= ph.end) {
                            div.day {
                                div.date { (d.date.format("%a %d %b").to_string()) small.muted { (d.minutes) " min" } }
                                ul.plain {
                                    @for it in &d.items {
                                        li class=(match it.kind { ItemKind::Rest => "rest", ItemKind::MockLoop => "loop", ItemKind::Milestone => "milestone", _ => "" }) {
                                            (plan_item_text(&it.text, !it.questions.is_empty()))
                                            @for qid in &it.questions { " " a.tag href={"/questions/" (qid)} { (qid) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A plan item's sentence for the page: the question list it ends with (Markdown code spans, made
/// for the terminal) is dropped when the ids are shown as links anyway.
fn plan_item_text(text: &str, has_links: bool) -> String {
    let text = if has_links { text.split(": `").next().unwrap_or(text) } else { text };
    text.replace('`', "")
}

/// `/role`: levels, compensation, rounds, mistakes, FAQ.
pub struct RolePage<'a> {
    /// The pack.
    pub pack: &'a Pack,
}

impl Page for RolePage<'_> {
    fn title(&self) -> String {
        self.pack.role.name.clone()
    }
    fn nav(&self) -> Nav {
        Nav::Role
    }
    fn content(&self) -> Markup {
        let pack = self.pack;
        let comp = &pack.compensation;
        html! {
            h1 { (pack.role.name) }
            p.lead { (pack.role.summary) }
            nav.toc { a href="#levels" { "Levels" } a href="#comp" { "Compensation" } a href="#rounds" { "Rounds" } a href="#mistakes" { "Common mistakes" } a href="#faq" { "FAQ" } }
            section.card #levels {
                h2 { "Levels" }
                div.levels {
                    @for l in &pack.levels {
                        div.level {
                            h3 { (l.name) " " span.tag { (l.code) } }
                            @if !l.experience.is_empty() { p.muted { (l.experience) } }
                            ul { @for e in &l.expectations { li { (e) } } }
                        }
                    }
                }
            }
            section.card #comp {
                h2 { "Compensation" small.muted { " · " (comp.currency) " · " (comp.year) } }
                div.scroll {
                    table.data {
                        thead { tr { th { "Level" } th { "Base" } th { "Equity / yr" } th { "Sign-on" } th { "Total" } } }
                        tbody {
                            @for b in &comp.bands {
                                tr {
                                    th { (pack.level(&b.level).map_or(b.level.as_str(), |l| l.name.as_str())) }
                                    td.num { (b.base.display_k()) } td.num { (b.equity.display_k()) }
                                    td.num { (b.sign_on.display_k()) } td.num { strong { (b.total.display_k()) } }
                                }
                            }
                        }
                    }
                }
                p.muted { "Source: " (comp.source) }
                @if !comp.note.is_empty() { p.muted { (comp.note) } }
            }
            section.card #rounds {
                h2 { "Rounds" }
                @for r in &pack.rounds {
                    div.round {
                        h3 { (r.name) small.muted { " · " (r.format) " · " (r.minutes) " min" } }
                        p { (r.focus) }
                        p { @for s in &r.signals { (tag(s)) " " } }
                    }
                }
            }
            section.card.md #mistakes { (markdown(&pack.mistakes)) }
            section.card.md #faq { (markdown(&pack.faq)) }
        }
    }
}
