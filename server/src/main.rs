//! The `healthcommunity` command: serve (default), migrate, seed --demo / --scale, import-places, bench, create-admin.

use clap::Parser;
use healthcommunity::config::{Cli, Command, ServeArgs};
use healthcommunity::{app_state, init_tracing, seed, serve};

fn main() {
    limit_malloc_arenas();
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
    // The benchmark opens the databases it generates itself.
    match &cli.command {
        Some(Command::Bench(args)) => return healthcommunity::bench::run(args).await,
        Some(Command::BenchStatic { file, bind }) => {
            return healthcommunity::bench::serve_static(file, bind).await
        }
        Some(Command::Precompress {
            site_root,
            max_script_bytes,
        }) => {
            let sizes = healthcommunity::assets::precompress(site_root)?;
            for (file, raw, br, gz) in &sizes {
                println!("{file}: {raw} bytes, brotli {br}, gzip {gz}");
            }
            return healthcommunity::assets::check_script_budget(
                site_root,
                &sizes,
                *max_script_bytes,
            );
        }
        _ => {}
    }
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
        Some(Command::Seed {
            scale: true, shape, ..
        }) => {
            let w = healthcommunity::scale::run(&db, &shape).await?;
            if w.rows > 0 {
                println!(
                    "Seeded at scale: {} members, {} posts, {} replies; {} rows in {:.0} s ({:.0} rows/s).",
                    w.members,
                    w.posts,
                    w.replies,
                    w.rows,
                    w.seconds,
                    w.rows as f64 / w.seconds.max(0.001)
                );
            }
            Ok(())
        }
        Some(Command::Seed { demo, .. }) => {
            if !demo {
                return Err("nothing to seed: pass --demo or --scale".into());
            }
            let state = app_state(db, &ServeArgs::default())?;
            seed::demo(&state).await
        }
        Some(Command::Bench(_) | Command::BenchStatic { .. } | Command::Precompress { .. }) => {
            Ok(())
        }
        Some(Command::ImportPlaces { dir }) => {
            let started = std::time::Instant::now();
            let done = healthcommunity::places::import(&db, &dir, false).await?;
            for (source, rows) in &done.loaded {
                println!("Loaded {rows} places from {source}.");
            }
            if !done.unchanged.is_empty() {
                println!("Already loaded: {}.", done.unchanged.join(", "));
            }
            println!("Places ready in {:.1} s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        Some(Command::CreateAdmin { email, handle }) => {
            let state = app_state(db, &ServeArgs::default())?;
            seed::create_admin(&state, &email, &handle).await
        }
    }
}

/// glibc gives each thread that allocates at once its own heap ("arena", up to eight per core)
/// and returns little of them: with the runtime's workers and SQLite's connection threads the
/// server's peak memory under load was a fifth higher than with two arenas (117 MB against 95 MB
/// on the 100,000-post database, same throughput). `MALLOC_ARENA_MAX`, when set, still wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes an allocator setting; it is called before any other
        // thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}
