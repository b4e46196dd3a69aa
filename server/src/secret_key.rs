//! The operator's secret key, which seals account secrets in the database (`app::auth::sealed`): from HC_SECRET_KEY, a key file, or made once beside a SQLite database.

use crate::config::ServeArgs;
use app::auth::sealed::Sealer;
use app::db::Db;
use std::io::Write as _;
use std::path::{Path, PathBuf};

const HOW: &str = "64 hexadecimal digits (32 bytes), e.g. from `openssl rand -hex 32`";

/// The key this server seals with (HC_SECRET_KEY, else HC_SECRET_KEY_FILE, else, on SQLite, the
/// file beside the database, made the first time), opening also what the keys in
/// HC_SECRET_KEY_OLD sealed. PostgreSQL's app processes must share one key, so there it must be
/// given; a database in memory gets a key as short-lived as itself.
pub fn load(db: &Db, args: &ServeArgs) -> Result<Sealer, String> {
    let old = args
        .secret_key_old
        .iter()
        .filter(|key| !key.trim().is_empty())
        .map(|key| {
            Sealer::from_hex(key)
                .ok_or_else(|| format!("each key in HC_SECRET_KEY_OLD must be {HOW}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(current(db, args)?.with_old(old))
}

/// The current key alone.
fn current(db: &Db, args: &ServeArgs) -> Result<Sealer, String> {
    if let Some(text) = &args.secret_key {
        return Sealer::from_hex(text).ok_or_else(|| format!("HC_SECRET_KEY must be {HOW}"));
    }
    if let Some(file) = &args.secret_key_file {
        if db.sqlite_file().is_none() && !file.exists() {
            return Err(format!(
                "HC_SECRET_KEY_FILE {} does not exist: write the key every app process shares into it ({HOW})",
                file.display()
            ));
        }
        return read_or_make(file);
    }
    match db.sqlite_file() {
        Some(database) => read_or_make(&beside(database)),
        None if db.postgres_url().is_some() => Err(format!(
            "PostgreSQL needs HC_SECRET_KEY (or HC_SECRET_KEY_FILE), the same in every app process: it seals the members' two-step sign-in keys in the database. Make one: {HOW}"
        )),
        None => Ok(Sealer::default()),
    }
}

/// The key file of the SQLite database at `database`: `<database>.key`.
pub fn beside(database: &str) -> PathBuf {
    PathBuf::from(format!("{database}.key"))
}

/// Reads the key in `file`, or writes a new one there (readable by its owner only) when there
/// is no file yet.
fn read_or_make(file: &Path) -> Result<Sealer, String> {
    let made = make(file)?;
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("could not read the secret key file {}: {e}", file.display()))?;
    let sealer = Sealer::from_hex(&text)
        .ok_or_else(|| format!("the secret key file {} must hold {HOW}", file.display()))?;
    if made {
        tracing::info!(
            file = %file.display(),
            "made the secret key that seals two-step sign-in keys: back it up apart from the database"
        );
    }
    Ok(sealer)
}

/// Writes a new key into `file` unless it exists; whether it wrote one.
fn make(file: &Path) -> Result<bool, String> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut out = match options.open(file) {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => {
            return Err(format!(
                "could not make the secret key file {}: {e}",
                file.display()
            ))
        }
    };
    let key: String = Sealer::random_key()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    out.write_all(format!("{key}\n").as_bytes())
        .and_then(|()| out.sync_all())
        .map_err(|e| {
            format!(
                "could not write the secret key file {}: {e}",
                file.display()
            )
        })?;
    Ok(true)
}
