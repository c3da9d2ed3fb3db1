//! The web application: server-rendered pages in the GOV.UK look that work
//! without JavaScript, and the JSON API under `/api/v1` with its OpenAPI
//! description. Every route is declared once in [`routes::table`] with the
//! capability it needs; the router is built from that table, so a route
//! cannot exist without an access rule.

mod about;
mod admin;
mod anchors;
mod api;
mod audit;
mod auth;
mod enterprise;
mod health;
mod help;
mod http;
pub mod i18n;
mod place;
mod programme;
/// The funder report as one HTML file (`useit programme report --out report.html`).
pub use programme::report::standalone as programme_report_html;
mod community;
mod research;
pub mod routes;
mod security;
mod session;
mod state;
mod talent;
mod workshops;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;
use useit_store::Store;

pub use state::{AppState, Config};

/// The OpenAPI description of the JSON API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::document()
}

/// The whole application as one router.
pub fn app(store: Arc<dyn Store>, config: Config) -> Router {
    let state = AppState {
        store,
        sessions: Arc::new(session::Kept::new(config.kept_sessions)),
        partner_pages: Arc::new(useit_app::programme::partners::KeptPartnerPages::new(
            config.kept_lists,
        )),
        supplier_maps: Arc::new(useit_app::kept::KeptViews::new(if config.kept_lists > 0 {
            16
        } else {
            0
        })),
        config: Arc::new(config),
        imports: Default::default(),
        ledgers: Default::default(),
    };
    routes::router(state)
}

/// Serves until `shutdown` completes, then finishes in-flight requests.
///
/// The accept loop is ours rather than `axum::serve`'s so that the
/// connection gets a header read timeout (hyper's own needs a timer, which
/// `axum::serve` does not give it); the body timeout is a layer.
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn Store>,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let maintenance = session::spawn_cleanup(store.clone());
    let sealing = spawn_sealing(store.clone());
    spawn_import_cleanup(store.clone());
    let header_timeout = config.header_read_timeout;
    let app = app(store, config.clone()).layer(tower_http::timeout::RequestBodyTimeoutLayer::new(
        config.body_read_timeout,
    ));
    // Connections hold a receiver each; when all are dropped, every
    // in-flight request has finished.
    let (closed_tx, closed_rx) = tokio::sync::watch::channel(());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors and the like: wait, as
                // `axum::serve` does, rather than give up serving.
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = app.clone().map_request(move |req: Request<Incoming>| {
            let mut req = req.map(axum::body::Body::new);
            req.extensions_mut().insert(ConnectInfo(remote));
            req
        });
        let mut stop = stop_rx.clone();
        let closed = closed_rx.clone();
        tokio::spawn(async move {
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(header_timeout);
            let conn = builder
                .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service))
                .with_upgrades();
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => {}
                _ = async { stop.wait_for(|s| *s).await.map(|_| ()) } => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
            drop(closed);
        });
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(closed_rx);
    closed_tx.closed().await;
    maintenance.abort();
    sealing.abort();
    Ok(())
}

/// Removes, once, what spend imports cut off by the last stop left staging
/// (in the background: a large cut-off file takes a while to remove, in
/// short transactions).
fn spawn_import_cleanup(store: Arc<dyn Store>) {
    tokio::spawn(async move {
        match useit_app::anchors::import::clear_abandoned_imports(store.as_ref()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(files = n, "removed imports cut off before the last stop"),
            Err(e) => {
                tracing::warn!(error = %e, "could not remove imports cut off before the last stop")
            }
        }
    });
}

/// Seals new audit entries into the hash chain every minute, so at most a
/// minute of entries is ever unproven.
fn spawn_sealing(store: Arc<dyn Store>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(60));
        loop {
            tick.tick().await;
            if let Err(e) = useit_app::audit::seal(store.as_ref()).await {
                tracing::warn!(error = %e, "could not seal the audit log");
            }
        }
    })
}
