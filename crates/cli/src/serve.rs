//! `useit serve`: the web application and API.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use tokio::net::TcpListener;
use useit_core::i18n::t;
use useit_store::Store;

use crate::{fail, say};

#[derive(Args, Clone)]
pub struct ServeArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "USEIT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Mark session cookies Secure (when served over HTTPS).
    #[arg(long, env = "USEIT_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Behind one reverse proxy: the client address is the last
    /// X-Forwarded-For entry (the one the proxy appended; earlier ones are
    /// whatever the client sent).
    #[arg(long, env = "USEIT_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Minutes without a request before a session ends.
    #[arg(long, env = "USEIT_IDLE_MINUTES", default_value_t = 30)]
    pub idle_minutes: u64,
    /// Hours after signing in before a session ends regardless.
    #[arg(long, env = "USEIT_SESSION_HOURS", default_value_t = 12)]
    pub session_hours: u64,
    /// Write the URL the server listens on to this file once it is ready.
    #[arg(long, hide = true)]
    pub url_file: Option<std::path::PathBuf>,
}

impl ServeArgs {
    pub fn config(&self) -> useit_web::Config {
        useit_web::Config {
            secure_cookies: self.secure_cookies,
            trust_proxy: self.trust_proxy,
            idle_timeout: std::time::Duration::from_secs(self.idle_minutes.max(1) * 60),
            absolute_timeout: std::time::Duration::from_secs(self.session_hours.max(1) * 3600),
            ..Default::default()
        }
    }
}

/// Binds the address and reports the URL people can open.
pub async fn bind(listen: &str) -> anyhow::Result<(TcpListener, String)> {
    let listener = TcpListener::bind(listen)
        .await
        .map_err(|e| fail!("cli.cannot_listen", "address" => listen).context(e))?;
    let addr = listener.local_addr()?;
    Ok((listener, format!("http://{addr}")))
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve_with(
    store: Arc<dyn Store>,
    listener: TcpListener,
    args: &ServeArgs,
) -> anyhow::Result<()> {
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        let term = async {
            if let Ok(mut s) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            {
                s.recv().await;
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = term => {},
        }
        eprintln!("{}", t("cli.shutting_down"));
    };
    useit_web::serve(listener, store.clone(), args.config(), shutdown).await?;
    store.close().await;
    Ok(())
}

pub async fn run(url: &str, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let store = useit_store::connect(url).await?;
    if !useit_app::auth::deployment::has_accounts(store.as_ref()).await? {
        eprintln!("{}", t("cli.no_accounts"));
    }
    let (listener, public) = bind(&args.listen).await?;
    println!(
        "{}",
        say(
            "cli.running",
            &[
                ("url", &public),
                ("database", &useit_store::redact_url(url))
            ]
        )
    );
    if let Some(f) = &args.url_file {
        std::fs::write(f, &public)?;
    }
    serve_with(store, listener, &args).await?;
    Ok(ExitCode::SUCCESS)
}
