//! Server-rendered pages: one view struct per page, each implementing [`Page`], wrapped by
//! [`layout`]. Every interpolated value goes through maud, which escapes it.

mod charts;
mod feedback;
mod interview_loop;
mod pages;

use axum::http::StatusCode;
use maud::{html, Markup, DOCTYPE};

pub use interview_loop::{LoopPage, LoopStartPage, ReportPage};
pub use pages::*;

/// Which navigation entry a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// `/`.
    Home,
    /// `/questions`.
    Questions,
    /// `/practice`.
    Practice,
    /// `/loop` and `/reports/…`.
    Loop,
    /// `/review`.
    Review,
    /// `/progress`.
    Progress,
    /// `/plan`.
    Plan,
    /// `/role`.
    Role,
    /// `/exercises`.
    Exercises,
    /// `/troubleshoot`.
    Troubleshoot,
    /// `/admin` (team mode).
    Admin,
    /// None highlighted.
    None,
}

/// A full page.
pub trait Page {
    /// The `<title>` (the app name is appended).
    fn title(&self) -> String;
    /// The highlighted navigation entry.
    fn nav(&self) -> Nav;
    /// The page body.
    fn content(&self) -> Markup;

    /// The whole document.
    fn render(&self) -> Markup {
        layout(&self.title(), self.nav(), self.content())
    }
}

const NAV: [(Nav, &str, &str); 10] = [
    (Nav::Home, "/", "Dashboard"),
    (Nav::Questions, "/questions", "Questions"),
    (Nav::Practice, "/practice", "Practice"),
    (Nav::Loop, "/loop", "Loop"),
    (Nav::Review, "/review", "Review"),
    (Nav::Progress, "/progress", "Progress"),
    (Nav::Plan, "/plan", "Plan"),
    (Nav::Exercises, "/exercises", "Terraform"),
    (Nav::Troubleshoot, "/troubleshoot", "Troubleshoot"),
    (Nav::Role, "/role", "Role"),
];

/// The frame every page shares: header with navigation, main column, footer.
pub fn layout(title: &str, nav: Nav, content: Markup) -> Markup {
    let ctx = crate::auth::page_context();
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · mockloop" }
                link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M8 0l8 8-8 8-8-8z' fill='%234f46e5'/%3E%3C/svg%3E";
                link rel="stylesheet" href="/static/app.css";
                script src="/static/app.js" defer {}
            }
            body {
                header.topbar {
                    div.wrap {
                        a.brand href="/" { span.logo { "◆" } " mockloop" }
                        @if !ctx.team || ctx.user.is_some() { nav {
                            @for (n, href, label) in NAV {
                                a href=(href) class=[(n == nav).then_some("active")] { (label) }
                            }
                        } }
                        @if let Some(name) = &ctx.user {
                            div.account {
                                @if ctx.admin { a href="/admin" class=[(nav == Nav::Admin).then_some("active")] { "Admin" } }
                                a.who href="/account" title="Your account" { (name) }
                                form.inline method="post" action="/logout" {
                                    (crate::auth::csrf_field())
                                    button.link type="submit" { "Sign out" }
                                }
                            }
                        }
                    }
                }
                main.wrap { (content) }
                @if ctx.team {
                    footer.wrap { "mockloop · interview practice on your team's own server · your answers are visible to you only" }
                } @else {
                    footer.wrap { "mockloop · offline interview practice · everything stays on this machine" }
                }
            }
        }
    }
}

/// An error page with the status and message.
pub fn error_page(status: StatusCode, message: &str) -> Markup {
    let heading = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::PAYLOAD_TOO_LARGE => "Too large",
        s if s.is_client_error() => "That did not work",
        _ => "Something went wrong",
    };
    layout(
        heading,
        Nav::None,
        html! {
            section.card.error {
                h1 { (heading) }
                p { (message) }
                p.muted { "HTTP " (status.as_u16()) }
                p { a.button href="/" { "Back to the dashboard" } }
            }
        },
    )
}

/// CSS class for a 0–5 score.
pub fn score_class(score: f32) -> &'static str {
    if score >= 3.5 {
        "good"
    } else if score >= 2.0 {
        "fair"
    } else {
        "poor"
    }
}

/// A score badge, colour-coded.
pub fn score_badge(score: f32) -> Markup {
    html! { span class={"score " (score_class(score))} { (format!("{score:.1}")) small { "/5" } } }
}

/// A horizontal bar for a 0–1 value.
pub fn bar(value: f32) -> Markup {
    let v = if value.is_finite() { value.clamp(0.0, 1.0) } else { 0.0 };
    let class = score_class(v * 5.0);
    html! { span.bar { span class=(class) style=(format!("width:{:.0}%", v * 100.0)) {} } }
}

/// A small label.
pub fn tag(text: &str) -> Markup {
    html! { span.tag { (text) } }
}

/// Difficulty as a coloured label.
pub fn difficulty_tag(d: mockloop_domain::Difficulty) -> Markup {
    html! { span class={"tag diff-" (d.as_str())} { (d.as_str()) } }
}

/// A date-time in the server's local time, short.
pub fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.with_timezone(&chrono::Local).format("%a %d %b %Y, %H:%M").to_string()
}
