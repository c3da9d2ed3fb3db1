//! `useit demo`: a believable West Birmingham & Smethwick programme on the
//! real geography, with generated people and organisations (never real
//! personal data), then the server. Each bounded context adds its part.

use std::process::ExitCode;
use std::sync::Arc;

use clap::Args;
use useit_core::audit::Actor;
use useit_core::auth::Role;
use useit_store::{Backend, Store};

use crate::progress;
use crate::serve::{ServeArgs, bind, serve_with};
use crate::{fail, say};
use useit_core::i18n::t;

/// The demo's database when none is named.
pub const DEFAULT_DATABASE: &str = "sqlite://useit-demo.db";
/// Every demo account's password (printed when the demo starts).
pub const PASSWORD: &str = "useit-demo-2026";
pub const PROGRAMME: &str = "west-birmingham-smethwick";

#[derive(Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    /// Build the demo database and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
    /// Keep an existing demo database instead of rebuilding it.
    #[arg(long)]
    pub keep: bool,
}

/// A demo account: who, with which role in the demo programme.
pub struct DemoUser {
    pub email: &'static str,
    pub name: &'static str,
    pub role: Role,
}

pub const USERS: &[DemoUser] = &[
    DemoUser {
        email: "admin@demo.useit.example",
        name: "Dana Okafor",
        role: Role::Administrator,
    },
    DemoUser {
        email: "manager@demo.useit.example",
        name: "Priya Sandhu",
        role: Role::ProgrammeManager,
    },
    DemoUser {
        email: "analyst@demo.useit.example",
        name: "Tom Brennan",
        role: Role::AnchorAnalyst,
    },
    DemoUser {
        email: "caseworker@demo.useit.example",
        name: "Amina Yusuf",
        role: Role::EmploymentCaseworker,
    },
    DemoUser {
        email: "adviser@demo.useit.example",
        name: "Gareth Lewis",
        role: Role::EnterpriseAdviser,
    },
    DemoUser {
        email: "research@demo.useit.example",
        name: "Mei Chen",
        role: Role::ResearchCoordinator,
    },
    DemoUser {
        email: "researcher@demo.useit.example",
        name: "Samuel Mensah",
        role: Role::CommunityResearcher,
    },
    DemoUser {
        email: "community@demo.useit.example",
        name: "Rosa Delgado",
        role: Role::CommunityMember,
    },
    DemoUser {
        email: "funder@demo.useit.example",
        name: "Helen Price",
        role: Role::FunderViewer,
    },
];

/// A small deterministic generator, so every demo is the same demo.
pub struct Seeded(u64);

impl Seeded {
    pub fn new(seed: u64) -> Self {
        Seeded(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        // xorshift64*
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A demo programme, looked up as the demo builder (an administrator).
pub async fn programme(
    store: &Arc<dyn Store>,
    slug: &str,
) -> anyhow::Result<useit_core::programme::Programme> {
    use useit_app::auth::Operator;
    use useit_app::programme::programmes::programme_by_slug;
    Ok(programme_by_slug(store.as_ref(), &Operator::system("demo"), slug).await?)
}

/// Builds the demo into an empty database.
pub async fn build(store: &Arc<dyn Store>) -> anyhow::Result<()> {
    let actor = Actor::system("demo");
    let steps = crate::programme::demo::STEPS
        + crate::place::demo::STEPS
        + crate::anchors::demo::STEPS
        + crate::anchors::demo_workforce::STEPS
        + crate::talent::demo::STEPS
        + crate::enterprise::demo::STEPS
        + crate::research::demo::STEPS
        + crate::workshops::demo::STEPS
        + crate::community::demo::STEPS
        + crate::programme::demo_glasgow::STEPS
        + crate::programme::demo_lille::STEPS
        + crate::anchors::demo_interactions::STEPS
        + 1;
    let bar = progress::bar(steps, t("cli.progress.demo"));
    crate::programme::demo::build(store, &bar).await?;
    crate::place::demo::load_reference(store, &actor, &bar).await?;
    crate::place::demo::areas_of_benefit(store, &actor, &bar).await?;
    crate::anchors::demo::build(store, &actor, &bar).await?;
    crate::anchors::demo_workforce::build(store, &actor, &bar).await?;
    crate::talent::demo::build(store, &actor, &bar).await?;
    crate::enterprise::demo::build(store, &actor, &bar).await?;
    crate::research::demo::build(store, &actor, &bar).await?;
    crate::workshops::demo::build(store, &actor, &bar).await?;
    crate::community::demo::build(store, &actor, &bar).await?;
    crate::programme::demo_glasgow::build(store, &actor, &bar).await?;
    crate::programme::demo_lille::build(store, &actor, &bar).await?;
    crate::anchors::demo_interactions::build(store, &actor, &bar).await?;
    crate::community::demo::assets(store, &actor, &bar).await?;
    crate::programme::demo::stories(store, &bar).await?;
    bar.finish_and_clear();
    Ok(())
}

pub async fn run(db_flag: Option<String>, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let url = crate::database_url(db_flag, DEFAULT_DATABASE);
    let shown = useit_store::redact_url(&url);
    if Backend::of_url(&url) == Some(Backend::Sqlite) && !args.keep {
        // Refresh: a demo always starts from the same state.
        let path = url
            .trim_start_matches("sqlite://")
            .trim_start_matches("sqlite:");
        let path = path.split('?').next().unwrap_or(path);
        for suffix in ["", "-wal", "-shm"] {
            let f = format!("{path}{suffix}");
            if std::path::Path::new(&f).exists() {
                std::fs::remove_file(&f)?;
            }
        }
    }
    let store = useit_store::connect(&url).await?;
    let programmes = useit_app::programme::programmes::programmes(
        store.as_ref(),
        &useit_app::auth::Operator::system("demo"),
    )
    .await?;
    if !programmes.iter().any(|p| p.slug == PROGRAMME) {
        if !programmes.is_empty() {
            return Err(fail!("cli.demo.other_programmes", "url" => &shown));
        }
        build(&store).await?;
    } else {
        eprintln!("{}", say("cli.demo.kept", &[("url", &shown)]));
    }
    if args.no_serve {
        println!("{}", say("cli.demo.ready", &[("url", &shown)]));
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    let (listener, public) = bind(&args.serve.listen).await?;
    println!("{}", say("cli.demo.banner", &[("url", &shown)]));
    println!();
    println!(
        "{}",
        say(
            "cli.demo.open",
            &[("url", &public), ("password", &PASSWORD)]
        )
    );
    for u in USERS {
        let label = t(&u.role.label_key()).to_string();
        let extra = if u.role == Role::Administrator {
            format!(" {}", t("cli.demo.also_admin"))
        } else {
            String::new()
        };
        println!("  {:<34} {label}{extra}", u.email);
    }
    println!();
    println!("{}", t("cli.demo.warning"));
    println!("{}", t("cli.demo.stop"));
    if let Some(f) = &args.serve.url_file {
        std::fs::write(f, &public)?;
    }
    serve_with(store, listener, &args.serve).await?;
    Ok(ExitCode::SUCCESS)
}
