//! `useit bench web`: requests per second and latency of the served
//! application — the programme home page, the spend dashboard and a
//! 100-row JSON list — signed in, at several concurrencies, over keep-alive
//! connections on loopback (issue 16.11).
//!
//! The load is driven by a minimal HTTP/1.1 client written here (GET with a
//! cookie, `Content-Length` or chunked bodies), so the number measures the
//! server rather than a client library; the server runs in this process on
//! the demo's data, on SQLite by default or on the (empty) PostgreSQL
//! database given.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use super::Scratch;

const PROGRAMME: &str = "west-birmingham-smethwick";

/// What is asked for, by name.
fn targets() -> [(&'static str, String); 3] {
    [
        ("home page", format!("/p/{PROGRAMME}")),
        ("spend dashboard", format!("/p/{PROGRAMME}/anchors/spend")),
        (
            "JSON list (100 rows)",
            format!("/api/v1/programmes/{PROGRAMME}/partners?per_page=100"),
        ),
    ]
}

pub fn run(
    seconds: u64,
    concurrency: Vec<usize>,
    database_url: Option<String>,
) -> anyhow::Result<ExitCode> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(bench(seconds, concurrency, database_url))
}

async fn bench(
    seconds: u64,
    concurrency: Vec<usize>,
    database_url: Option<String>,
) -> anyhow::Result<ExitCode> {
    let scratch =
        Scratch(std::env::temp_dir().join(format!("useit-bench-web-{}", std::process::id())));
    std::fs::create_dir_all(&scratch.0)?;
    let url = database_url
        .unwrap_or_else(|| format!("sqlite://{}", scratch.0.join("bench.db").display()));
    let store = useit_store::connect(&url).await?;
    eprintln!(
        "building the demo's data in {}…",
        useit_store::redact_url(&url)
    );
    crate::demo::build(&store).await?;
    hundred_partners(&store).await?;

    // The same data served twice: as configured (signed-in sessions kept in
    // memory while their access counters stand, the partner list kept
    // serialised while the partners stand) and with neither kept (each
    // request reads its session and account, and reads and serialises its
    // list), for the ratio in one run.
    let mut servers = Vec::new();
    for keep in [true, false] {
        let defaults = useit_web::Config::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(useit_web::serve(
            listener,
            store.clone(),
            useit_web::Config {
                kept_sessions: if keep { defaults.kept_sessions } else { 0 },
                kept_lists: if keep { defaults.kept_lists } else { 0 },
                ..defaults
            },
            async move {
                let _ = stop_rx.await;
            },
        ));
        servers.push((keep, addr, stop_tx, server));
    }
    let cookie = sign_in(servers[0].1, "manager@demo.useit.example").await?;
    println!(
        "{:<22} {:>8} {:>5} {:>10} {:>9} {:>9} {:>9} {:>7}",
        "what", "kept", "conc.", "req/s", "p50 ms", "p99 ms", "bytes", "errors"
    );
    for (name, path) in targets() {
        for &c in &concurrency {
            let mut rates = Vec::new();
            for (kept, addr, _, _) in &servers {
                let r = load(*addr, &path, &cookie, c, Duration::from_secs(seconds)).await;
                let sessions = if *kept { "kept" } else { "read" };
                println!(
                    "{name:<22} {sessions:>8} {c:>5} {:>10.0} {:>9.1} {:>9.1} {:>9} {:>7}",
                    r.per_second, r.p50_ms, r.p99_ms, r.bytes, r.errors
                );
                rates.push(r.per_second);
            }
            if let [kept, read] = rates[..]
                && read > 0.0
            {
                println!("{:<22} {:>8} {c:>5} {:>9.2}×", "", "ratio", kept / read);
            }
        }
    }
    for (_, _, stop_tx, server) in servers {
        let _ = stop_tx.send(());
        server.await??;
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// The JSON list's hundred rows: the demo's partners and, to make up a
/// hundred, organisations of the demo's register and suppliers of its spend
/// ledger (names from the published register and spend files), added
/// through the same use case as a person adding a partner by hand.
async fn hundred_partners(store: &std::sync::Arc<dyn useit_store::Store>) -> anyhow::Result<()> {
    use std::collections::BTreeSet;
    use useit_app::programme::partners::{create_partner, partners};
    use useit_core::listing::PageRequest;
    use useit_core::programme::{PartnerInput, PartnerQuery};
    let programme = store
        .programme_by_slug(PROGRAMME)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo has no programme {PROGRAMME}"))?;
    let caller = useit_app::Caller::system(programme.id, "bench");
    let page = PageRequest {
        page: 1,
        per_page: 100,
    };
    let have = partners(store.as_ref(), &caller, &PartnerQuery::default(), page).await?;
    let mut taken: BTreeSet<String> = have.items.iter().map(|p| p.name.to_lowercase()).collect();
    let mut names: Vec<String> = store
        .organisation_names(programme.id, 200)
        .await?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    let ledger = useit_app::anchors::ledger::ledger(
        store.as_ref(),
        &caller,
        &useit_app::anchors::Ledgers::new(0),
    )
    .await?;
    names.extend(ledger.suppliers.iter().map(|s| s.name.clone()));
    let mut wanted = 100usize.saturating_sub(have.total as usize);
    for name in names {
        if wanted == 0 {
            break;
        }
        if !taken.insert(name.to_lowercase()) {
            continue;
        }
        let input = PartnerInput {
            name,
            kind: "private_sector".into(),
            description: "A supplier or a registered organisation of the area.".into(),
            joined_on: "2017-04-01".into(),
            ..Default::default()
        };
        if create_partner(store.as_ref(), &caller, &input, None)
            .await
            .is_ok()
        {
            wanted -= 1;
        }
    }
    let now = partners(store.as_ref(), &caller, &PartnerQuery::default(), page)
        .await?
        .items
        .len();
    anyhow::ensure!(now == 100, "the JSON list has {now} rows, not 100");
    Ok(())
}

struct Run {
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    bytes: usize,
    errors: u64,
}

/// `c` connections asking for `path` in a loop for `how_long`.
async fn load(
    addr: std::net::SocketAddr,
    path: &str,
    cookie: &str,
    c: usize,
    how_long: Duration,
) -> Run {
    let request: Arc<Vec<u8>> = Arc::new(
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n").into_bytes(),
    );
    let started = Instant::now();
    let workers: Vec<_> = (0..c)
        .map(|_| {
            let request = request.clone();
            tokio::spawn(async move {
                let mut micros: Vec<u32> = Vec::new();
                let (mut errors, mut bytes) = (0u64, 0usize);
                let Ok(stream) = TcpStream::connect(addr).await else {
                    return (micros, 1, 0);
                };
                let _ = stream.set_nodelay(true);
                let mut conn = BufReader::new(stream);
                while started.elapsed() < how_long {
                    let t = Instant::now();
                    match exchange(&mut conn, &request).await {
                        Ok((200, n)) => {
                            micros.push(t.elapsed().as_micros() as u32);
                            bytes = n;
                        }
                        Ok(_) => errors += 1,
                        Err(_) => {
                            errors += 1;
                            break;
                        }
                    }
                }
                (micros, errors, bytes)
            })
        })
        .collect();
    let mut all: Vec<u32> = Vec::new();
    let (mut errors, mut bytes) = (0, 0);
    for w in workers {
        if let Ok((m, e, b)) = w.await {
            all.extend(m);
            errors += e;
            bytes = bytes.max(b);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    all.sort_unstable();
    let at = |q: f64| {
        all.get(((all.len() as f64 * q) as usize).min(all.len().saturating_sub(1)))
            .map_or(0.0, |&u| f64::from(u) / 1000.0)
    };
    Run {
        per_second: all.len() as f64 / elapsed,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
        bytes,
        errors,
    }
}

/// One request and its whole response: the status and the body's length.
async fn exchange(
    conn: &mut BufReader<TcpStream>,
    request: &[u8],
) -> std::io::Result<(u16, usize)> {
    conn.get_mut().write_all(request).await?;
    let mut line = String::new();
    conn.read_line(&mut line).await?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not a status line: {line:?}")))?;
    let (mut length, mut chunked) = (0usize, false);
    loop {
        line.clear();
        conn.read_line(&mut line).await?;
        let h = line.trim_end();
        if h.is_empty() {
            break;
        }
        let lower = h.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        } else if lower.starts_with("transfer-encoding:") && lower.contains("chunked") {
            chunked = true;
        }
    }
    if !chunked {
        let mut body = vec![0u8; length];
        conn.read_exact(&mut body).await?;
        return Ok((status, length));
    }
    let mut total = 0;
    loop {
        line.clear();
        conn.read_line(&mut line).await?;
        let size = usize::from_str_radix(line.trim(), 16)
            .map_err(|_| std::io::Error::other("bad chunk size"))?;
        let mut chunk = vec![0u8; size + 2];
        conn.read_exact(&mut chunk).await?;
        total += size;
        if size == 0 {
            return Ok((status, total));
        }
    }
}

/// Signs in through the form, as a browser does, and returns the cookie.
async fn sign_in(addr: std::net::SocketAddr, email: &str) -> anyhow::Result<String> {
    let body = format!(
        "email={}&password={}",
        email.replace('@', "%40"),
        crate::demo::PASSWORD
    );
    let request = format!(
        "POST /sign-in HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    let mut s = TcpStream::connect(addr).await?;
    s.write_all(request.as_bytes()).await?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).await?;
    reply
        .lines()
        .find_map(|l| {
            let l = l
                .strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))?;
            l.starts_with("useit_session=")
                .then(|| l.split(';').next().unwrap_or(l).to_string())
        })
        .ok_or_else(|| {
            anyhow::anyhow!(
                "could not sign in as {email}: {}",
                reply.lines().next().unwrap_or("")
            )
        })
}
