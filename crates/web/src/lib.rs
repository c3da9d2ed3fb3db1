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
mod http;
pub mod i18n;
mod place;
mod programme;
mod research;
pub mod routes;
mod security;
mod session;
mod state;
mod talent;
mod workshops;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use tokio::net::TcpListener;
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
        config: Arc::new(config),
        imports: Default::default(),
        ledgers: Default::default(),
    };
    routes::router(state)
}

/// Serves until `shutdown` completes, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    store: Arc<dyn Store>,
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let maintenance = session::spawn_cleanup(store.clone());
    let app = app(store, config);
    let result = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    maintenance.abort();
    result
}
