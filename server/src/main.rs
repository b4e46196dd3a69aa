//! The `healthcommunity` command: serve (default), migrate, seed --demo, create-admin.

use clap::Parser;
use healthcommunity::config::{Cli, Command, ServeArgs};
use healthcommunity::{app_state, init_tracing, seed, serve};

fn main() {
    let cli = Cli::parse();
    init_tracing(&cli.db.log_format);
    // At least four workers even on a one-core machine: with a single worker, Leptos' async SSR
    // can leave a page waiting on a resource that is never polled again (seen as a 30 s timeout).
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .max(4);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(run(cli)) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let db = app::db::Db::connect(&cli.db.database_url)
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    match cli.command {
        None => serve(db, ServeArgs::default()).await,
        Some(Command::Serve(args)) => serve(db, args).await,
        Some(Command::Migrate) => {
            println!("Migrations applied.");
            Ok(())
        }
        Some(Command::Seed { demo }) => {
            if !demo {
                return Err("nothing to seed: pass --demo".into());
            }
            let state = app_state(db, &ServeArgs::default())?;
            seed::demo(&state).await
        }
        Some(Command::CreateAdmin { email, handle }) => {
            let state = app_state(db, &ServeArgs::default())?;
            seed::create_admin(&state, &email, &handle).await
        }
    }
}
