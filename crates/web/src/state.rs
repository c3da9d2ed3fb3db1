use std::sync::Arc;
use std::time::Duration;

use useit_store::Store;

/// How the server behaves; set from flags and `USEIT_*` variables by the CLI.
#[derive(Clone, Debug)]
pub struct Config {
    /// Mark cookies `Secure` (serve behind HTTPS).
    pub secure_cookies: bool,
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// A session ends this long after signing in, however active.
    pub absolute_timeout: Duration,
    /// Behind one reverse proxy: take the client address from the last
    /// `X-Forwarded-For` entry (the one that proxy appended).
    pub trust_proxy: bool,
    /// Largest upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Failed sign-ins per account in the window before it is paused.
    pub max_failures_per_account: u64,
    /// Failed sign-ins per client address in the window.
    pub max_failures_per_address: u64,
    pub failure_window: Duration,
    /// How long a client may take to send a request's headers. Browsers
    /// and API clients send them at once; one that trickles them (or
    /// connects and says nothing) only holds a connection.
    pub header_read_timeout: Duration,
    /// How long a request's body may take to arrive in full: a 200 MB
    /// spend file over a slow office line, not a connection held forever.
    pub body_read_timeout: Duration,
    /// How many signed-in sessions to keep in memory with their accounts
    /// and roles, while their access counters stand (0: read each
    /// request's session and account from the database).
    pub kept_sessions: usize,
    /// How many pages of the partner list to keep serialised while the
    /// programme's partners stand (0: read and serialise each request's).
    pub kept_lists: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            secure_cookies: false,
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 60 * 60),
            trust_proxy: false,
            max_upload_bytes: 200 * 1024 * 1024,
            max_failures_per_account: 5,
            max_failures_per_address: 50,
            failure_window: Duration::from_secs(15 * 60),
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(300),
            kept_sessions: 10_000,
            kept_lists: 64,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub config: Arc<Config>,
    /// Spend files being imported in the background, for their progress pages.
    pub imports: useit_app::anchors::jobs::Jobs,
    /// Programmes' placed ledgers, kept while their data stands.
    pub ledgers: Arc<useit_app::anchors::Ledgers>,
    /// Signed-in sessions kept while their accounts' access stands.
    pub(crate) sessions: Arc<crate::session::Kept>,
    /// Pages of the partners' JSON list, serialised, kept while the
    /// programme's partners stand.
    pub(crate) partner_pages:
        Arc<useit_app::programme::partners::KeptPartnerPages<axum::body::Bytes>>,
    /// The spend dashboard's supplier maps, drawn, kept while the
    /// programme's spend stands.
    pub(crate) supplier_maps: Arc<
        useit_app::kept::KeptViews<
            crate::anchors::dashboard::SupplierMapKey,
            Arc<crate::anchors::dashboard::SupplierMap>,
        >,
    >,
}
