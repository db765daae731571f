//! `draftguard-console`: the admin console's server and its admin commands.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use draftguard::bundle::PublicKey;
use draftguard_console::error::{Error, Result};
use draftguard_console::forward::{Format, Forwarder};
use draftguard_console::rings::Rings;
use draftguard_console::serve::{ServeConfig, serve};
use draftguard_console::server::Limits;
use draftguard_console::store::{PgStore, Scope, SqliteStore, Store};
use draftguard_console::time::{format_ms, now_ms};
use draftguard_console::{auth, demo};

#[derive(Parser)]
#[command(
    name = "draftguard-console",
    version,
    about = "The draftguard admin console: rings of signed policy bundles, audit event intake, analytics, SIEM export"
)]
struct Cli {
    /// SQLite file (created if missing), or postgres://user@host:port/db.
    #[arg(
        long,
        global = true,
        env = "DRAFTGUARD_CONSOLE_DATABASE",
        default_value = "draftguard-console.db"
    )]
    database: String,
    /// A public key browsers pin (`ed25519:...` or a .pub file); repeat for several.
    /// Uploads must be signed by one of them.
    #[arg(
        long,
        global = true,
        env = "DRAFTGUARD_CONSOLE_PUBKEY",
        value_delimiter = ','
    )]
    pubkey: Vec<String>,
    /// Who the activity log records for CLI actions (default: cli:$USER).
    #[arg(long = "as", global = true)]
    actor: Option<String>,
    /// PostgreSQL connections per instance.
    #[arg(long, global = true, default_value_t = 16)]
    pool_size: usize,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the console (bundles, intake, export, admin API).
    Serve(ServeArgs),
    /// Apply database migrations and show the schema version.
    Migrate,
    /// Signed policy bundles.
    #[command(subcommand)]
    Bundle(BundleCmd),
    /// Rings: which bundle each group of browsers gets.
    #[command(subcommand)]
    Ring(RingCmd),
    /// Enrollment tokens (browsers' managed key reportToken) and admin API tokens.
    #[command(subcommand)]
    Token(TokenCmd),
    /// Admins of the dashboard.
    #[command(subcommand)]
    Admin(AdminCmd),
    /// The admin activity log, newest first.
    Activity {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Delete events older than the retention period now.
    Purge {
        #[arg(long, default_value_t = 90)]
        retention_days: i64,
    },
    /// Store a few weeks of made-up history (for `make demo`).
    SeedDemo {
        #[arg(long, default_value_t = 40)]
        installs: usize,
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
}

#[derive(Args)]
struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// PEM certificate chain; with --tls-key, serve HTTPS.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Days events are kept.
    #[arg(long, default_value_t = 90)]
    retention_days: i64,
    /// Largest POST /v1/events body.
    #[arg(long, default_value_t = 1024 * 1024)]
    max_body_bytes: usize,
    /// Events per second per enrollment token (sustained), per instance.
    #[arg(long, default_value_t = 1000.0)]
    rate_limit: f64,
    /// Events per enrollment token in a burst.
    #[arg(long, default_value_t = 20000.0)]
    burst: f64,
    /// Push every event (OCSF) to this URL.
    #[arg(long)]
    forward_url: Option<String>,
    #[arg(long, value_enum, default_value = "webhook")]
    forward_format: ForwardFormat,
    /// Splunk HEC token, or bearer token of the webhook.
    #[arg(long, env = "DRAFTGUARD_CONSOLE_FORWARD_TOKEN")]
    forward_token: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum ForwardFormat {
    Splunk,
    Webhook,
}

#[derive(Subcommand)]
enum BundleCmd {
    /// Verify a signed bundle against the pinned keys and store it.
    Upload { file: PathBuf },
    /// The bundles stored.
    List,
}

#[derive(Subcommand)]
enum RingCmd {
    /// Serve VERSION (or POLICY@VERSION) to RING.
    Set { ring: String, version: String },
    /// Serve to --to the version --from serves.
    Promote {
        version: String,
        #[arg(long, default_value = "pilot")]
        from: String,
        #[arg(long, default_value = "broad")]
        to: String,
    },
    /// Serve RING the policy of an earlier VERSION again (re-signed with a higher version).
    Rollback {
        ring: String,
        #[arg(long)]
        to: String,
    },
    /// What each ring serves.
    List,
}

#[derive(Subcommand)]
enum TokenCmd {
    /// Make a token; it is shown once.
    Create {
        name: String,
        /// An admin API token (export, rings, uploads) instead of an enrollment token.
        #[arg(long)]
        admin: bool,
    },
    List,
    Revoke {
        name: String,
    },
}

#[derive(Subcommand)]
enum AdminCmd {
    /// Add an admin (or set a new password): read from stdin with --password-stdin, else
    /// a random one is made and shown once.
    Add {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    List,
}

fn read_key(arg: &str) -> Result<PublicKey> {
    let text = if arg.trim_start().starts_with("ed25519:") {
        arg.to_string()
    } else {
        std::fs::read_to_string(arg)
            .map_err(|e| Error::invalid(format!("--pubkey {arg}: cannot read: {e}")))?
    };
    PublicKey::parse(&text).map_err(|e| Error::invalid(format!("--pubkey {arg}: {e}")))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("draftguard-console: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    match rt.block_on(start(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("draftguard-console: {e}");
            ExitCode::from(1)
        }
    }
}

async fn start(cli: Cli) -> Result<()> {
    let keys = cli
        .pubkey
        .iter()
        .filter(|k| !k.trim().is_empty())
        .map(|k| read_key(k))
        .collect::<Result<Vec<_>>>()?;
    let actor = cli.actor.clone().unwrap_or_else(|| {
        format!(
            "cli:{}",
            std::env::var("USER").unwrap_or_else(|_| "unknown".into())
        )
    });
    let db = cli.database.clone();
    if db.starts_with("postgres://") || db.starts_with("postgresql://") {
        let store = PgStore::open(&db, cli.pool_size).await?;
        run(Rings::new(store, keys), cli.command, &actor).await
    } else {
        let store = SqliteStore::open(Path::new(&db))?;
        run(Rings::new(store, keys), cli.command, &actor).await
    }
}

async fn run<S: Store>(rings: Rings<S>, command: Command, actor: &str) -> Result<()> {
    let store = rings.store.clone();
    match command {
        Command::Serve(a) => {
            let forward = a.forward_url.map(|url| Forwarder {
                url,
                format: match a.forward_format {
                    ForwardFormat::Splunk => Format::Splunk,
                    ForwardFormat::Webhook => Format::Webhook,
                },
                token: a.forward_token,
                batch: 500,
                settle_ms: 2000,
            });
            if rings.keys.is_empty() {
                eprintln!(
                    "draftguard-console: warning: no --pubkey pinned; uploads will be refused"
                );
            }
            let tls = a.tls_cert.zip(a.tls_key);
            let cfg = ServeConfig {
                listen: a.listen,
                limits: Limits {
                    max_body: a.max_body_bytes,
                    rate: a.rate_limit,
                    burst: a.burst,
                    secure_cookies: tls.is_some(),
                    ..Limits::default()
                },
                tls,
                retention_days: a.retention_days,
                forward,
            };
            serve(rings, cfg).await
        }
        Command::Migrate => {
            println!(
                "{}: schema versions {:?}",
                store.backend(),
                store.schema_versions().await?
            );
            Ok(())
        }
        Command::Bundle(BundleCmd::Upload { file }) => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::invalid(format!("{}: cannot read: {e}", file.display())))?;
            let b = rings.upload(&text, actor).await?;
            println!(
                "uploaded {} version {} (signed by {}, expires {})",
                b.policy_id, b.version, b.signed_by, b.expires_at
            );
            Ok(())
        }
        Command::Bundle(BundleCmd::List) => {
            for b in store.bundles().await? {
                println!(
                    "{}@{}  issued {}  expires {}  uploaded {} by {}",
                    b.policy_id,
                    b.version,
                    b.issued_at,
                    b.expires_at,
                    format_ms(b.uploaded_ms),
                    b.uploaded_by
                );
            }
            Ok(())
        }
        Command::Ring(RingCmd::Set { ring, version }) => {
            let b = rings.set(&ring, &version, actor).await?;
            println!("ring {ring} now serves {} {}", b.policy_id, b.version);
            Ok(())
        }
        Command::Ring(RingCmd::Promote { version, from, to }) => {
            let b = rings.promote(&version, &from, &to, actor).await?;
            println!("promoted {} {} from {from} to {to}", b.policy_id, b.version);
            Ok(())
        }
        Command::Ring(RingCmd::Rollback { ring, to }) => {
            let b = rings.rollback(&ring, &to, actor).await?;
            println!(
                "ring {ring} rolled back to the policy of {to}, served as {} {}",
                b.policy_id, b.version
            );
            Ok(())
        }
        Command::Ring(RingCmd::List) => {
            for r in store.rings().await? {
                println!(
                    "{}  {} {}  (since {} by {})",
                    r.ring,
                    r.bundle.policy_id,
                    r.bundle.version,
                    format_ms(r.updated_ms),
                    r.updated_by
                );
            }
            Ok(())
        }
        Command::Token(TokenCmd::Create { name, admin }) => {
            let scope = if admin { Scope::Admin } else { Scope::Enroll };
            let secret = auth::random_secret(if admin { "dga_" } else { "dge_" })?;
            store
                .token_create(&name, scope, &auth::digest(&secret), now_ms())
                .await?;
            store
                .log(
                    actor,
                    "token-create",
                    &format!("{name} ({})", scope.name()),
                    now_ms(),
                )
                .await?;
            eprintln!(
                "{} token `{name}` (shown once, keep it safe):",
                scope.name()
            );
            println!("{secret}");
            Ok(())
        }
        Command::Token(TokenCmd::List) => {
            for t in store.tokens().await? {
                println!(
                    "{}  {}  created {}{}",
                    t.name,
                    t.scope.name(),
                    format_ms(t.created_ms),
                    t.revoked_ms
                        .map(|r| format!("  REVOKED {}", format_ms(r)))
                        .unwrap_or_default()
                );
            }
            Ok(())
        }
        Command::Token(TokenCmd::Revoke { name }) => {
            if !store.token_revoke(&name, now_ms()).await? {
                return Err(Error::not_found(format!("no active token named `{name}`")));
            }
            store.log(actor, "token-revoke", &name, now_ms()).await?;
            println!("revoked {name}");
            Ok(())
        }
        Command::Admin(AdminCmd::Add {
            name,
            password_stdin,
        }) => {
            let (password, shown) = if password_stdin {
                let mut s = String::new();
                std::io::stdin()
                    .read_line(&mut s)
                    .map_err(|e| Error::invalid(format!("stdin: {e}")))?;
                (s.trim_end_matches(['\r', '\n']).to_string(), false)
            } else {
                (auth::random_secret("")?[..20].to_string(), true)
            };
            let hash = auth::hash_password(&password)?;
            store.admin_set(&name, &hash, now_ms()).await?;
            store.log(actor, "admin-add", &name, now_ms()).await?;
            if shown {
                eprintln!("admin `{name}`, password (shown once):");
                println!("{password}");
            } else {
                println!("admin `{name}` set");
            }
            Ok(())
        }
        Command::Admin(AdminCmd::List) => {
            for a in store.admins().await? {
                println!("{a}");
            }
            Ok(())
        }
        Command::Activity { limit } => {
            for a in store.activity(limit).await? {
                println!(
                    "{}  {}  {}  {}",
                    format_ms(a.time_ms),
                    a.actor,
                    a.action,
                    a.detail
                );
            }
            Ok(())
        }
        Command::Purge { retention_days } => {
            let n = draftguard_console::serve::sweep(&store, retention_days).await?;
            println!("deleted {n} events older than {retention_days} days");
            Ok(())
        }
        Command::SeedDemo { installs, days } => {
            let n = demo::seed(&store, installs, days, now_ms()).await?;
            println!("seeded {n} events from {installs} installs over {days} days");
            Ok(())
        }
    }
}
