//! `draftguard`: check drafts, test, lint and describe policies.
//!
//! Exit codes: 0 clean (or all tests pass), 1 a block finding (or a failing test, or lint
//! warnings), 2 a usage, input or policy error.

mod bundle;
mod check;
mod inputs;
mod json;
mod library;
mod lint;
mod ordered;
mod parts;
mod render;
mod sarif;
mod test;
mod window;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use draftguard::{Date, Error, ErrorKind, Platform, Policy};

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
    /// Compiler-style diagnostics for people.
    Human,
    /// One JSON document: the policy, then every draft with its findings.
    Json,
    /// JSON Lines: one compact object per draft, for pipelines.
    Jsonl,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum InputFormat {
    /// Each file is one draft.
    Text,
    /// Each line of each file is a draft: {"text", "platform", "date", "id"}.
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Check drafts (files, folders, globs, `-` for stdin, or --text) and report findings.
    Check {
        /// Files, folders (every file below, sorted, hidden ones skipped), quoted globs
        /// ('drafts/**/*.txt') or `-` for stdin; none reads stdin.
        paths: Vec<PathBuf>,
        /// Check this text instead of files.
        #[arg(long, conflicts_with = "paths")]
        text: Option<String>,
        /// How drafts are stored: a file per draft, or JSON Lines
        /// ({"text", "platform", "date", "id"} per line).
        #[arg(long, value_enum, default_value = "text")]
        input: InputFormat,
        /// Policy files, layered in order (default: the embedded default policy).
        #[arg(long = "policy", short = 'p')]
        policies: Vec<PathBuf>,
        /// The platform drafts are for (linkedin, x, facebook, ...), unless a JSON Lines
        /// record says.
        #[arg(long)]
        platform: Option<String>,
        /// The day to check for (YYYY-MM-DD; default: today, UTC), unless a JSON Lines
        /// record says.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        #[arg(long, value_enum, default_value = "auto")]
        color: Color,
        /// Human format: print at most N findings per draft, then how many more (the
        /// summary line still counts them all).
        #[arg(long, value_name = "N")]
        max_findings: Option<usize>,
        /// Human format: show at most N columns of a long line around each finding.
        #[arg(long, value_name = "N", default_value_t = 120,
              value_parser = clap::value_parser!(u16).range(20..))]
        max_columns: u16,
        /// Drafts checked at once (default: one per core).
        #[arg(long, short = 'j', value_name = "N")]
        jobs: Option<usize>,
    },
    /// Run the tests embedded in policy files and print a pass/fail table; check every
    /// approved post (`library:`) against the policy on each of its platforms.
    Test {
        #[arg(required = true)]
        policies: Vec<PathBuf>,
        /// Print only failures, library warnings and the summary.
        #[arg(long, short)]
        quiet: bool,
        /// The day approved posts are checked on, besides the days date-windowed rules
        /// start and end (YYYY-MM-DD; default: today, UTC).
        #[arg(long)]
        date: Option<String>,
    },
    /// List the approved posts (`library:`) a policy offers.
    Library {
        /// Policy files, layered in order.
        #[arg(required = true)]
        policies: Vec<PathBuf>,
        /// Only the posts offered on this platform.
        #[arg(long)]
        platform: Option<String>,
        /// Only the posts offered on this day (YYYY-MM-DD); default: every post.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_enum, default_value = "human")]
        format: ListFormat,
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
    /// Write a new Ed25519 key pair for signing bundles: NAME.key (secret, owner-only)
    /// and NAME.pub (the public key admins pin in managed storage).
    Keygen {
        /// Path and base name of the two files.
        #[arg(long, short, default_value = "draftguard")]
        out: PathBuf,
        /// Replace existing files.
        #[arg(long)]
        force: bool,
    },
    /// Resolve a policy's `extends`, validate it, run its tests, and sign it as a bundle.
    Bundle {
        policy: PathBuf,
        /// The secret key file written by `draftguard keygen`.
        #[arg(long)]
        key: PathBuf,
        /// Where to write the bundle (`-` for stdout).
        #[arg(long, short)]
        out: PathBuf,
        /// The bundle's version (default: the policy's `version:`). Browsers accept only
        /// a higher version than the one in force.
        #[arg(long = "version")]
        bundle_version: Option<String>,
        /// The issue time, YYYY-MM-DDTHH:MM:SSZ (default: now), for reproducible bundles.
        #[arg(long)]
        issued_at: Option<String>,
        /// How long browsers accept the bundle after its issue time: 90d, 12h, 30m.
        #[arg(long, default_value = "90d")]
        expires_in: String,
        /// Replace an existing output file.
        #[arg(long)]
        force: bool,
        /// Carry the policy files as written (YAML, comments kept) instead of parsed to
        /// JSON. Browsers then load the extension's authoring engine (with the YAML
        /// reader) to open the bundle: a larger download and a slower start.
        #[arg(long)]
        as_written: bool,
    },
    /// Check a bundle as a browser would: signed by a pinned key, unexpired, newer than
    /// the version in force, its policy valid and its tests passing.
    Verify {
        bundle: PathBuf,
        /// A trusted public key (`ed25519:...`) or a .pub file; repeat for several.
        #[arg(long = "pubkey", required = true)]
        pubkeys: Vec<String>,
        /// Judge expiry at this time instead of now (YYYY-MM-DDTHH:MM:SSZ).
        #[arg(long)]
        now: Option<String>,
        /// The version in force; the bundle must be higher.
        #[arg(long)]
        in_force: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            paths,
            text,
            input,
            policies,
            platform,
            date,
            format,
            color,
            max_findings,
            max_columns,
            jobs,
        } => (|| {
            if max_findings.is_some() && format != Format::Human {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    "--max-findings limits the human report; the other formats list every finding",
                ));
            }
            if text.is_some() && input == InputFormat::Jsonl {
                return Err(Error::new(
                    ErrorKind::InvalidValue,
                    "--text is one draft; --input jsonl reads JSON Lines from files or stdin",
                ));
            }
            let platform = platform.as_deref().map(Platform::parse).transpose()?;
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
            let jobs = jobs.unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
            });
            check::run(check::Args {
                paths,
                text,
                input: match input {
                    InputFormat::Text => inputs::Input::Text,
                    InputFormat::Jsonl => inputs::Input::Jsonl,
                },
                policy,
                defaults: inputs::Defaults { platform, date },
                format: match format {
                    Format::Human => check::Format::Human,
                    Format::Json => check::Format::Json,
                    Format::Jsonl => check::Format::Jsonl,
                    Format::Sarif => check::Format::Sarif,
                },
                style: render::Style {
                    color,
                    max_columns: usize::from(max_columns),
                    max_findings,
                },
                jobs,
            })
        })(),
        Command::Test {
            policies,
            quiet,
            date,
        } => parse_date(date.as_deref()).and_then(|d| test::run(&policies, quiet, d)),
        Command::Library {
            policies,
            platform,
            date,
            format,
        } => (|| {
            library::run(library::Args {
                policies,
                platform: platform.as_deref().map(Platform::parse).transpose()?,
                date: date
                    .as_deref()
                    .map(|d| Date::parse(d).map_err(|e| e.prefixed("--date: ")))
                    .transpose()?,
                json: format == ListFormat::Json,
            })
        })(),
        Command::Lint { policies, date } => {
            parse_date(date.as_deref()).and_then(|d| lint::run(&policies, d))
        }
        Command::Keygen { out, force } => bundle::keygen(&out, force),
        Command::Bundle {
            policy,
            key,
            out,
            bundle_version,
            issued_at,
            expires_in,
            force,
            as_written,
        } => bundle::make(bundle::BundleArgs {
            policy,
            key,
            out,
            version: bundle_version,
            issued_at,
            expires_in,
            force,
            as_written,
        }),
        Command::Verify {
            bundle: path,
            pubkeys,
            now,
            in_force,
        } => bundle::verify(&path, &pubkeys, now.as_deref(), in_force.as_deref()),
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
        write_failed(e);
    }
}

/// Ends the program after a failed write to stdout: quietly (0) when the reader closed
/// the pipe, else with the error (2).
pub fn write_failed(e: std::io::Error) -> ! {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    eprintln!("error: cannot write output: {e}");
    std::process::exit(2);
}

/// [`out`] with a newline.
pub fn outln(s: &str) {
    out(&format!("{s}\n"));
}

fn parse_date(s: Option<&str>) -> Result<Date, Error> {
    match s {
        Some(s) => Date::parse(s).map_err(|e| e.prefixed("--date: ")),
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
