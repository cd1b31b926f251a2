//! The interview loop pages: start, the current round, and a saved debrief.

use chrono::{DateTime, Utc};
use maud::{html, Markup};
use mockloop_domain::{LoopReport, Pack};
use mockloop_practice::debrief::{Debrief, Verdict};

use super::pages::{level_select, question_meta};
use super::{bar, score_badge, when, Nav, Page};
use crate::interview_loop::LoopState;

/// Every form of these pages: a plain POST form, so a CSRF field can be added in one place.
fn post_form(action: &str, body: Markup) -> Markup {
    html! { form method="post" action=(action) { (crate::auth::csrf_field()) (body) } }
}

/// `m:ss`, with a minus sign when negative.
fn clock(seconds: i64) -> String {
    let a = seconds.unsigned_abs();
    format!("{}{}:{:02}", if seconds < 0 { "-" } else { "" }, a / 60, a % 60)
}

fn verdict_class(v: &str) -> &'static str {
    match Verdict::parse(v) {
        Some(Verdict::StrongHire | Verdict::Hire) => "good",
        Some(Verdict::LeanNoHire) => "fair",
        _ => "poor",
    }
}

fn verdict_label(v: &str) -> String {
    Verdict::parse(v).map_or_else(|| v.to_owned(), |v| v.label().to_owned())
}

/// `/loop`: start a loop; past debriefs.
pub struct LoopStartPage<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// Level preselected (the latest session's).
    pub level: &'a str,
    /// Saved debriefs, newest first.
    pub reports: &'a [LoopReport],
}

impl Page for LoopStartPage<'_> {
    fn title(&self) -> String {
        "Interview loop".into()
    }
    fn nav(&self) -> Nav {
        Nav::Loop
    }
    fn content(&self) -> Markup {
        let total: u32 = self.pack.rounds.iter().map(|r| r.minutes).sum();
        html! {
            h1 { "Interview loop" }
            p.lead { "The whole onsite, round by round, each with its time budget; every answer is graded and saved, and the loop ends with a debrief and a verdict against your level's bar." }
            div.grid2 {
                section.card {
                    h2 { "Start a loop" }
                    (post_form("/loop", html! {
                        label { "Level " (level_select(self.pack, "level", Some(self.level), None)) }
                        label.check { input type="checkbox" name="short" value="1" checked; " Quick rehearsal: one question a round" }
                        div.actions { button.primary type="submit" { "Start the loop" } }
                    }))
                }
                section.card {
                    h2 { "Rounds" small.muted { " · " (total) " min in full" } }
                    table.compact {
                        @for r in &self.pack.rounds {
                            tr { th { (r.name) } td.muted { (r.questions.max(1)) " questions" } td.num { (r.minutes) " min" } }
                        }
                    }
                }
            }
            section.card #reports {
                h2 { "Past debriefs" }
                @if self.reports.is_empty() { p.muted { "No loop finished yet." } }
                @else {
                    table.data {
                        thead { tr { th { "When" } th { "Level" } th { "Verdict" } th.num { "Score" } } }
                        tbody {
                            @for r in self.reports {
                                tr {
                                    td { a href={"/reports/" (r.id)} { (when(r.created_at)) } }
                                    td { (r.level) }
                                    td { span class={"tag " (verdict_class(&r.verdict))} { (verdict_label(&r.verdict)) } }
                                    td.num { (score_badge(r.score)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `/loop/{id}`: the current round and question.
pub struct LoopPage<'a> {
    /// The pack.
    pub pack: &'a Pack,
    /// Where the loop stands (with a question).
    pub state: &'a LoopState<'a>,
    /// When the page was made (the answer's time starts here).
    pub shown_at: DateTime<Utc>,
}

impl Page for LoopPage<'_> {
    fn title(&self) -> String {
        "Interview loop".into()
    }
    fn nav(&self) -> Nav {
        Nav::Loop
    }
    fn content(&self) -> Markup {
        let s = self.state;
        let (Some(i), Some(q)) = (s.current, s.question) else {
            return html! { p { "This loop is over." } };
        };
        let r = &s.rounds[i];
        let round = &self.pack.rounds[i];
        let remaining = r.remaining_seconds();
        let action = format!("/loop/{}", s.session);
        html! {
            ol.rounds aria-label="Rounds" {
                @for (n, p) in s.rounds.iter().enumerate() {
                    li class=[if n < i { Some("done") } else if n == i { Some("current") } else { None }] {
                        (p.name) small.muted { " " (p.done.min(p.planned)) "/" (p.planned) }
                    }
                }
            }
            article.card.practice {
                div.qhead {
                    div {
                        strong { "Round " (i + 1) "/" (s.rounds.len()) " · " (round.name) }
                        " " span.muted { (round.minutes) " min · " (round.format) }
                    }
                    span.countdown data-seconds=(remaining) title="time left in this round" aria-live="off" { (clock(remaining)) }
                }
                p.muted { (round.focus) }
                p.muted { "Question " (r.done + 1) " of " (r.planned) " in this round · evaluates " (round.signals.join(", ")) }
                @if remaining < 0 { p.warn { "This round is over its time by " (clock(-remaining)) "; the debrief will note it." } }
                (question_meta(self.pack, q))
                h1.prompt #prompt { (q.prompt) }
                button.small.speak type="button" data-speak="#prompt" hidden { "▶ Read aloud" }
                (post_form(&action, html! {
                    input type="hidden" name="question" value=(q.id);
                    input type="hidden" name="shown_at" value=(self.shown_at.to_rfc3339());
                    @if s.short { input type="hidden" name="short" value="1"; }
                    label for="answer" { "Your answer" }
                    textarea #answer name="answer" rows="12" placeholder="Answer as you would out loud: the key steps, the why, the trade-offs, concrete examples." {}
                    div.actions {
                        button.primary type="submit" name="action" value="answer" { "Submit and continue" }
                        button.ghost type="submit" name="action" value="skip" formnovalidate { "Skip" }
                    }
                }))
            }
        }
    }
}

/// `/reports/{id}`: a saved debrief.
pub struct ReportPage<'a> {
    /// The stored report.
    pub saved: &'a LoopReport,
    /// Its body.
    pub debrief: &'a Debrief,
}

impl Page for ReportPage<'_> {
    fn title(&self) -> String {
        "Loop debrief".into()
    }
    fn nav(&self) -> Nav {
        Nav::Loop
    }
    fn content(&self) -> Markup {
        let d = self.debrief;
        html! {
            h1 { "Loop debrief" small.muted { " · " (d.level) " · " (when(self.saved.created_at)) } }
            section.card.debrief {
                div.scoreline {
                    (score_badge(d.score))
                    span class={"verdict " (verdict_class(d.verdict.as_str()))} {
                        "Verdict: " (d.verdict.label())
                    }
                    span.muted { " against the " (d.level) " bar of " (format!("{:.1}", d.bar)) }
                }
                ul { @for reason in &d.reasons { li { (reason) } } }
            }
            section.card {
                h2 { "Rounds" }
                table.data {
                    thead { tr { th { "Round" } th.num { "Score" } th.num { "Answered" } th.num { "Time" } th { "Note" } } }
                    tbody {
                        @for r in &d.rounds {
                            tr {
                                td { (r.name) }
                                td.num { (score_badge(r.score)) }
                                td.num { (r.answered) "/" (r.answered + r.unanswered) }
                                td.num.over[r.overrun_seconds > 0] {
                                    (clock(r.elapsed_seconds as i64)) " of " (r.budget_minutes) ":00"
                                }
                                td { @if let Some(n) = &r.note { (n) } }
                            }
                        }
                    }
                }
            }
            @if !d.signals.is_empty() {
                section.card {
                    h2 { "Signals" }
                    table.compact {
                        @for s in &d.signals {
                            tr { th { (s.label) } td.barcell { (bar(s.value)) } td.num { (format!("{:.0}%", s.value * 100.0)) } }
                        }
                    }
                }
            }
            div.grid2 {
                @for (title, areas) in [("Strongest areas", &d.strengths), ("Weakest areas", &d.weaknesses)] {
                    section.card {
                        h2 { (title) }
                        @if areas.is_empty() { p.muted { "Not enough answers to tell." } }
                        @for a in areas {
                            h3 { (a.name) " " (score_badge(a.score)) }
                            ul { @for e in &a.evidence { li { (e) } } }
                        }
                    }
                }
            }
            p { a.button.primary href="/loop" { "Another loop" } " " a.button href="/progress" { "See progress" } }
        }
    }
}
