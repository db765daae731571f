//! The dashboard's HTML, with maud: every value goes through maud's escaping; the only
//! PreEscaped output is chart JSON made by serde_json with `<`, `>` and `&` escaped
//! (see `json_script`), inside `<script type="application/json">`, which never runs.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::tables::{Cell, Params, Table, WINDOWS};
use crate::store::Session;

/// The dashboard's pages, in the menu's order: (path, label).
pub const NAV: &[(&str, &str)] = &[
    ("/dashboard", "Rules"),
    ("/dashboard/pilot", "Pilot"),
    ("/dashboard/justifications", "Justifications"),
    ("/dashboard/fleet", "Fleet"),
    ("/dashboard/platforms", "Platforms"),
    ("/dashboard/library", "Approved posts"),
    ("/dashboard/activity", "Activity"),
];

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · draftguard console" }
            link rel="stylesheet" href="/static/dashboard.css";
            script src="/static/dashboard.js" defer {}
        }
    }
}

/// A dashboard page: the menu, who is logged in, the log-out form (with the CSRF token).
pub fn layout(title: &str, current: &str, s: &Session, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                header {
                    span.brand { "draftguard console" }
                    nav aria-label="Dashboard" {
                        @for (href, label) in NAV {
                            @if *href == current {
                                a href=(href) aria-current="page" { (label) }
                            } @else {
                                a href=(href) { (label) }
                            }
                        }
                    }
                    form method="post" action="/logout" {
                        input type="hidden" name="csrf" value=(s.csrf);
                        span.muted { (s.admin) " " }
                        button type="submit" { "Log out" }
                    }
                }
                main {
                    h1 { (title) }
                    (body)
                }
            }
        }
    }
}

/// The log-in page; `csrf` is the log-in form's own token (a cookie of the same value).
pub fn login(csrf: &str, next: &str, name: &str, error: Option<&str>) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head("Log in"))
            body {
                main.login {
                    section {
                        h1 { "draftguard console" }
                        @if let Some(e) = error {
                            p.error role="alert" { (e) }
                        }
                        form method="post" action="/login" {
                            input type="hidden" name="csrf" value=(csrf);
                            input type="hidden" name="next" value=(next);
                            label { "Admin name" input name="name" autocomplete="username" required value=(name); }
                            label { "Password" input name="password" type="password" autocomplete="current-password" required; }
                            button type="submit" { "Log in" }
                        }
                        p.muted { "Admins are added with " code { "draftguard-console admin add NAME" } "." }
                    }
                }
            }
        }
    }
}

/// A table with its CSV link.
pub fn table(t: &Table) -> Markup {
    html! {
        section data-table=(t.name) {
            a.csv href=(t.csv_href()) download { "CSV" }
            h2 { (t.title) }
            @if t.rows.is_empty() {
                p.empty { (t.empty) }
            } @else {
                table {
                    thead { tr {
                        @for (i, c) in t.columns.iter().enumerate() {
                            @if t.rows[0].get(i).is_some_and(Cell::is_num) { th.num scope="col" { (c) } } @else { th scope="col" { (c) } }
                        }
                    } }
                    tbody {
                        @for row in &t.rows {
                            tr {
                                @for c in row {
                                    @match c {
                                        Cell::Link(text, href) => td { a href=(href) { (text) } },
                                        c if c.is_num() => td.num { (c.display()) },
                                        c => td { (c.display()) },
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

/// Links to the same page over 7, 30 or 90 days.
pub fn windows(path: &str, p: &Params) -> Markup {
    html! {
        p.windows {
            "Window: "
            @for d in WINDOWS {
                @let href = format!("{path}?{}", p.with_days(d).query());
                @if d == p.days() { strong { (d) " days" } " " } @else { a href=(href) { (d) " days" } " " }
            }
        }
    }
}

/// JSON for a `<script type="application/json">`: `<`, `>`, `&` as \u escapes, so no
/// value can close the element or open a comment.
pub fn json_script(id: &str, v: &serde_json::Value) -> Markup {
    let text = v
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    html! {
        script type="application/json" id=(id) { (PreEscaped(text)) }
    }
}

/// A chart (uPlot, drawn by /static/dashboard.js) over the numbers of `data`.
pub fn chart(id: &str, title: &str, data: &serde_json::Value) -> Markup {
    html! {
        section {
            h2 { (title) }
            div.chart data-chart=(id) role="img" aria-label=(title) {}
            (json_script(id, data))
        }
    }
}

/// A message above a page: an error (red) or a confirmation.
pub fn notice(error: bool, text: &str) -> Markup {
    html! {
        @if error { p.error role="alert" { (text) } } @else { p.notice role="status" { (text) } }
    }
}

/// A page for a refused form or an unknown page, with a way back.
pub fn problem(title: &str, message: &str, back: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body { main.login { section {
                h1 { (title) }
                p.error role="alert" { (message) }
                p { a href=(back) { "Back" } }
            } } }
        }
    }
}
