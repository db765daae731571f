//! `draftguard`: check drafts, test, lint and describe policies.
//!
//! Exit codes: 0 clean (or all tests pass), 1 a block finding (or a failing test, or lint
//! warnings), 2 a usage, input or policy error.

mod check;
mod lint;
mod render;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use draftguard::{Date, Error, Platform, Policy};

#[derive(Parser)]
#[command(
    name = "draftguard",
    version,
    about = "Check social-media drafts against your company's policy"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check drafts (files, `-` for stdin, or --text) and report findings.
    Check {
        /// Files holding drafts; none (or `-`) reads stdin.
        files: Vec<PathBuf>,
        /// Check this text instead of files.
        #[arg(long, conflicts_with = "files")]
        text: Option<String>,
        /// Policy files, layered in order (default: the embedded default policy).
        #[arg(long = "policy", short = 'p')]
        policies: Vec<PathBuf>,
        /// The platform the draft is for (linkedin, x, facebook, ...).
        #[arg(long)]
        platform: Option<String>,
        /// The day to check for (YYYY-MM-DD; default: today, UTC).
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        #[arg(long, value_enum, default_value = "auto")]
        color: Color,
    },
    /// Run the tests embedded in policy files and print a pass/fail table.
    Test {
        #[arg(required = true)]
        policies: Vec<PathBuf>,
        /// Print only failures and the summary.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Warn about rules that can never match, exceptions that can never apply, and more.
    Lint {
        #[arg(required = true)]
        policies: Vec<PathBuf>,
        /// The day to judge `active` windows against (default: today, UTC).
        #[arg(long)]
        date: Option<String>,
    },
    /// Print the JSON Schema of the policy language (for editor autocompletion).
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            files,
            text,
            policies,
            platform,
            date,
            format,
            color,
        } => (|| {
            let platform = platform
                .as_deref()
                .map(Platform::parse)
                .transpose()
                .map_err(Error::new)?;
            let date = parse_date(date.as_deref())?;
            let policy = load(&policies)?;
            let color = match color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::IsTerminal::is_terminal(&std::io::stdout())
                        && std::env::var_os("NO_COLOR").is_none()
                }
            };
            check::run(check::Args {
                files,
                text,
                policy,
                platform,
                date,
                json: format == Format::Json,
                color,
            })
        })(),
        Command::Test { policies, quiet } => test::run(&policies, quiet),
        Command::Lint { policies, date } => {
            parse_date(date.as_deref()).and_then(|d| lint::run(&policies, d))
        }
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&draftguard::policy::fields::json_schema())
                    .expect("schema serializes")
            );
            Ok(0)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout; a closed pipe (`draftguard schema | head`) ends the program quietly
/// instead of panicking.
pub fn out(s: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(s.as_bytes()).and_then(|()| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write output: {e}");
        std::process::exit(2);
    }
}

/// [`out`] with a newline.
pub fn outln(s: &str) {
    out(&format!("{s}\n"));
}

fn parse_date(s: Option<&str>) -> Result<Date, Error> {
    match s {
        Some(s) => Date::parse(s).map_err(|m| Error::new(format!("--date: {m}"))),
        None => Ok(Date::today_utc()),
    }
}

fn load(paths: &[PathBuf]) -> Result<Policy, Error> {
    if paths.is_empty() {
        Policy::embedded_default()
    } else {
        Policy::from_files(paths)
    }
}
