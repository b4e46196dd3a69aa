//! The scale generator's directory: clinics and clinicians in forty cities (a heavy tail: the largest cities hold most), the conditions they treat, and members' reviews with the providers' rating aggregates true at the end.
#![allow(
    clippy::indexing_slicing,
    reason = "an offline generator: its tables are sized from its own arguments, and it never serves a request"
)]

use super::*;
use app::directory::types::{LANGUAGES, SPECIALTIES};

/// The cities providers are in: name, the first digits of their postal codes, position. The
/// first is the largest (the benchmark's place search asks for it).
pub const CITIES: &[(&str, &str, f64, f64)] = &[
    ("Berlin", "10", 52.52, 13.405),
    ("London", "EC", 51.5072, -0.1276),
    ("Hamburg", "20", 53.5511, 9.9937),
    ("Munich", "80", 48.1351, 11.582),
    ("Cologne", "50", 50.9375, 6.9603),
    ("Manchester", "M", 53.4808, -2.2426),
    ("Frankfurt", "60", 50.1109, 8.6821),
    ("Birmingham", "B", 52.4862, -1.8904),
    ("Stuttgart", "70", 48.7758, 9.1829),
    ("Leeds", "LS", 53.8008, -1.5491),
    ("Düsseldorf", "40", 51.2277, 6.7735),
    ("Glasgow", "G", 55.8642, -4.2518),
    ("Leipzig", "04", 51.3397, 12.3731),
    ("Bristol", "BS", 51.4545, -2.5879),
    ("Dortmund", "44", 51.5136, 7.4653),
    ("Edinburgh", "EH", 55.9533, -3.1883),
    ("Essen", "45", 51.4556, 7.0116),
    ("Liverpool", "L", 53.4084, -2.9916),
    ("Bremen", "28", 53.0793, 8.8017),
    ("Sheffield", "S", 53.3811, -1.4701),
    ("Dresden", "01", 51.0504, 13.7373),
    ("Cardiff", "CF", 51.4816, -3.1791),
    ("Hanover", "30", 52.3759, 9.732),
    ("Nottingham", "NG", 52.9548, -1.1581),
    ("Nuremberg", "90", 49.4521, 11.0767),
    ("Newcastle", "NE", 54.9783, -1.6178),
    ("Duisburg", "47", 51.4344, 6.7623),
    ("Leicester", "LE", 52.6369, -1.1398),
    ("Bochum", "44", 51.4818, 7.2162),
    ("Southampton", "SO", 50.9097, -1.4044),
    ("Wuppertal", "42", 51.2562, 7.1508),
    ("Brighton", "BN", 50.8225, -0.1372),
    ("Bielefeld", "33", 52.0302, 8.5325),
    ("Plymouth", "PL", 50.3755, -4.1427),
    ("Bonn", "53", 50.7374, 7.0982),
    ("Aberdeen", "AB", 57.1497, -2.0943),
    ("Münster", "48", 51.9607, 7.6261),
    ("Belfast", "BT", 54.5973, -5.9301),
    ("Karlsruhe", "76", 49.0069, 8.4037),
    ("York", "YO", 53.96, -1.0873),
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Ben", "Clara", "David", "Elif", "Farid", "Grace", "Hannah", "Ian", "Julia", "Karim",
    "Lena", "Marta", "Nils", "Olu", "Priya", "Quentin", "Rosa", "Sam", "Tomasz", "Ute", "Vera",
    "Wei", "Yusuf", "Zoe",
];
const LAST_NAMES: &[&str] = &[
    "Adeyemi",
    "Becker",
    "Campbell",
    "Demir",
    "Evans",
    "Fischer",
    "Green",
    "Hoffmann",
    "Ibrahim",
    "Jones",
    "Kowalski",
    "Lange",
    "Murphy",
    "Nowak",
    "Okafor",
    "Patel",
    "Quinn",
    "Richter",
    "Schmidt",
    "Taylor",
    "Usman",
    "Vogel",
    "Wagner",
    "Young",
    "Zimmermann",
];

/// Where the members and communities the directory refers to start.
#[derive(Clone, Copy)]
pub(super) struct Directory {
    pub(super) first_user: i64,
    pub(super) n_members: usize,
    pub(super) first_community: i64,
    pub(super) n_comm: usize,
}

/// A provider's review aggregates, as `directory::repo` keeps them.
#[derive(Default)]
struct Aggregates {
    stars: [i64; 5],
    sums: [(i64, i64); 4],
}

impl Aggregates {
    fn add(&mut self, stars: i64, aspects: [Option<i64>; 4]) {
        self.stars[(stars - 1) as usize] += 1;
        for (sum, a) in self.sums.iter_mut().zip(aspects) {
            if let Some(a) = a {
                sum.0 += a;
                sum.1 += 1;
            }
        }
    }

    fn count(&self) -> i64 {
        self.stars.iter().sum()
    }

    fn avg_x100(&self) -> i64 {
        let total: i64 = self
            .stars
            .iter()
            .enumerate()
            .map(|(i, n)| (i as i64 + 1) * n)
            .sum();
        match self.count() {
            0 => 0,
            n => (total * 100 + n / 2) / n,
        }
    }

    /// The average of aspect `i` (×100, or minutes for the wait), when anyone gave it.
    fn aspect(&self, i: usize, times: i64) -> V {
        let (sum, n) = self.sums[i];
        if n == 0 {
            V::N
        } else {
            V::I((sum * times + n / 2) / n)
        }
    }
}

/// The three tables a provider is written to, flushed together: providers go in before what
/// refers to them.
struct Tables {
    providers: Batch,
    conditions: Batch,
    reviews: Batch,
}

impl Tables {
    fn new(values: usize) -> Tables {
        let providers = Batch::new(
            values,
            "providers",
            &[
                "id",
                "kind",
                "slug",
                "name",
                "description",
                "address",
                "city",
                "city_key",
                "postal_code",
                "lat",
                "lon",
                "phone",
                "specialties",
                "languages",
                "accepting",
                "rating_count",
                "rating_avg_x100",
                "stars_1",
                "stars_2",
                "stars_3",
                "stars_4",
                "stars_5",
                "explains_avg_x100",
                "listens_avg_x100",
                "premises_avg_x100",
                "wait_avg_minutes",
                "created_at",
                "updated_at",
            ],
        )
        .manual();
        let conditions = Batch::new(
            values,
            "provider_conditions",
            &[
                "provider_id",
                "community_id",
                "rating_avg_x100",
                "rating_count",
            ],
        )
        .manual();
        let reviews = Batch::new(
            values,
            "reviews",
            &[
                "id",
                "provider_id",
                "author_id",
                "stars",
                "explains",
                "listens",
                "premises",
                "wait_minutes",
                "body",
                "verified_visit",
                "created_at",
                "updated_at",
            ],
        )
        .manual();
        Tables {
            providers,
            conditions,
            reviews,
        }
    }

    async fn flush(&mut self, cx: &mut Cx) -> Result<(), String> {
        cx.w.flush(&mut self.providers).await?;
        cx.w.flush(&mut self.conditions).await?;
        cx.w.flush(&mut self.reviews).await
    }
}

/// One provider as drawn: its place, kind, name and languages (the draws in this order keep a
/// seed's output the same).
struct Drawn {
    id: i64,
    i: i64,
    city: &'static str,
    postal: &'static str,
    lat: f64,
    lon: f64,
    clinic: bool,
    specialty: &'static str,
    name: String,
    languages: String,
    created: i64,
}

impl Drawn {
    fn draw(cx: &mut Cx, zipf_city: &Zipf, id: i64, i: i64, start: i64, span: i64) -> Drawn {
        let (city, postal, lat, lon) = CITIES[zipf_city.sample(&mut cx.rng)];
        let clinic = cx.rng.gen_range(0..4) == 0;
        let specialty = SPECIALTIES[cx.rng.gen_range(0..SPECIALTIES.len())];
        let name = if clinic {
            format!("{city} {} Centre {}", specialty.1, i + 1)
        } else {
            format!(
                "Dr. {} {}",
                FIRST_NAMES[cx.rng.gen_range(0..FIRST_NAMES.len())],
                LAST_NAMES[cx.rng.gen_range(0..LAST_NAMES.len())]
            )
        };
        let mut languages = String::from(" en ");
        if cx.rng.gen_range(0..2) == 0 {
            languages.push_str(LANGUAGES[cx.rng.gen_range(1..LANGUAGES.len())].0);
            languages.push(' ');
        }
        let created = start + cx.rng.gen_range(0..span);
        Drawn {
            id,
            i,
            city,
            postal,
            lat,
            lon,
            clinic,
            specialty: specialty.0,
            name,
            languages,
            created,
        }
    }

    /// The provider's row, with its review aggregates.
    fn row(self, cx: &mut Cx, agg: &Aggregates) -> Vec<V> {
        let mut row = vec![
            V::I(self.id),
            V::S(if self.clinic { "clinic" } else { "clinician" }.into()),
            V::S(format!("scale-provider-{}", self.i + 1)),
            V::S(self.name),
            V::S(sentence(&mut cx.rng, &cx.words, &cx.zipf_words, 10, 30)),
            V::S(format!("{} Scale Street", cx.rng.gen_range(1..200))),
            V::S(self.city.into()),
            V::S(app::places::types::fold(self.city)),
            V::S(format!("{}{:03}", self.postal, cx.rng.gen_range(0..1000))),
            V::F(self.lat + cx.rng.gen_range(-0.12..0.12)),
            V::F(self.lon + cx.rng.gen_range(-0.18..0.18)),
            V::S(format!(
                "+44 20 {:04} {:04}",
                self.i % 10_000,
                cx.rng.gen_range(0..10_000)
            )),
            V::S(format!(" {} ", self.specialty)),
            V::S(self.languages),
            V::I(i64::from(cx.rng.gen_range(0..5) > 0)),
            V::I(agg.count()),
            V::I(agg.avg_x100()),
        ];
        row.extend(agg.stars.iter().map(|n| V::I(*n)));
        row.extend([
            agg.aspect(0, 100),
            agg.aspect(1, 100),
            agg.aspect(2, 100),
            agg.aspect(3, 1),
            V::I(self.created),
            V::I(self.created),
        ]);
        row
    }
}

/// Writes the providers, the conditions they treat and their reviews (reviewers are distinct
/// members; a few providers have most reviews). Ids continue after the table's largest.
pub(super) async fn write(
    cx: &mut Cx,
    db: &Db,
    a: &ScaleArgs,
    values: usize,
    d: Directory,
) -> Result<(), String> {
    if a.providers == 0 || d.n_members == 0 {
        return Ok(());
    }
    cx.w.bar.set_message("directory");
    let now = app::db::now_ms();
    let start = now - a.days as i64 * 86_400_000;
    let first_provider = next_id(db, "providers").await?;
    let mut review_id = next_id(db, "reviews").await?;
    let mut t = Tables::new(values);
    let zipf_city = Zipf::new(CITIES.len(), 1.0);
    let review_mean = a.reviews as f64 / a.providers as f64;
    let mut reviews_left = a.reviews;
    let span = (now - start).max(1);
    for i in 0..a.providers as i64 {
        let p = Drawn::draw(cx, &zipf_city, first_provider + i, i, start, span);
        // Reviews: a heavy-tailed count by distinct members, mostly kind.
        let remaining = (a.providers as i64 - i) as u64;
        let mut k = heavy(&mut cx.rng, review_mean, 2_000).min(reviews_left);
        if remaining == 1 {
            k = reviews_left.min(2_000);
        }
        let k = k.min(d.n_members as u64);
        reviews_left -= k;
        let reviewed = Reviewed {
            provider: p.id,
            created: p.created,
            span,
            now,
        };
        let agg = reviews(cx, &mut t.reviews, d, reviewed, k, &mut review_id).await?;
        let id = p.id;
        let row = p.row(cx, &agg);
        cx.w.push(&mut t.providers, row).await?;
        conditions(cx, &mut t.conditions, d, id, &agg).await?;
        if t.providers.full() || t.conditions.full() || t.reviews.full() {
            t.flush(cx).await?;
        }
    }
    t.flush(cx).await
}

/// The provider a batch of reviews is for, and the time they fall in.
#[derive(Clone, Copy)]
struct Reviewed {
    provider: i64,
    created: i64,
    span: i64,
    now: i64,
}

/// `k` reviews of a provider by distinct members, mostly kind: their aggregates.
async fn reviews(
    cx: &mut Cx,
    reviews: &mut Batch,
    d: Directory,
    r: Reviewed,
    k: u64,
    review_id: &mut i64,
) -> Result<Aggregates, String> {
    let mut authors: HashSet<usize> = HashSet::new();
    while (authors.len() as u64) < k {
        authors.insert(cx.rng.gen_range(0..d.n_members));
    }
    let mut sorted: Vec<usize> = authors.into_iter().collect();
    sorted.sort_unstable();
    let mut agg = Aggregates::default();
    for who in sorted {
        let stars = [1, 2, 3, 4, 4, 5, 5, 5][cx.rng.gen_range(0..8)];
        let aspect = |rng: &mut StdRng| {
            (rng.gen_range(0..3) > 0).then(|| (stars + rng.gen_range(-1..=1)).clamp(1, 5))
        };
        let (explains, listens, premises) = (
            aspect(&mut cx.rng),
            aspect(&mut cx.rng),
            aspect(&mut cx.rng),
        );
        let wait = (cx.rng.gen_range(0..2) == 0).then(|| cx.rng.gen_range(0..90));
        agg.add(stars, [explains, listens, premises, wait]);
        let at = (r.created + cx.rng.gen_range(0..r.span)).min(r.now);
        let opt = |v: Option<i64>| v.map(V::I).unwrap_or(V::N);
        cx.w.push(
            reviews,
            vec![
                V::I(*review_id),
                V::I(r.provider),
                V::I(d.first_user + who as i64),
                V::I(stars),
                opt(explains),
                opt(listens),
                opt(premises),
                opt(wait),
                V::S(sentence(&mut cx.rng, &cx.words, &cx.zipf_words, 8, 40)),
                V::I(i64::from(cx.rng.gen_range(0..5) == 0)),
                V::I(at),
                V::I(at),
            ],
        )
        .await?;
        *review_id += 1;
    }
    Ok(agg)
}

/// One or two of the communities' conditions the provider treats, with its rating.
async fn conditions(
    cx: &mut Cx,
    conditions: &mut Batch,
    d: Directory,
    provider: i64,
    agg: &Aggregates,
) -> Result<(), String> {
    let c = cx.rng.gen_range(0..d.n_comm.max(1));
    let mut treats = vec![c];
    if d.n_comm > 1 && cx.rng.gen_range(0..3) == 0 {
        treats.push((c + 1 + cx.rng.gen_range(0..d.n_comm - 1)) % d.n_comm);
    }
    for c in treats {
        cx.w.push(
            conditions,
            vec![
                V::I(provider),
                V::I(d.first_community + c as i64),
                V::I(agg.avg_x100()),
                V::I(agg.count()),
            ],
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aggregates_are_the_directorys_rounded_averages() {
        let mut a = Aggregates::default();
        a.add(5, [Some(4), None, Some(5), Some(10)]);
        a.add(4, [Some(5), None, None, Some(25)]);
        a.add(4, [None, None, None, None]);
        assert_eq!(a.count(), 3);
        assert_eq!(a.stars, [0, 0, 0, 2, 1]);
        assert_eq!(a.avg_x100(), 433);
        assert!(matches!(a.aspect(0, 100), V::I(450)));
        assert!(matches!(a.aspect(1, 100), V::N));
        assert!(matches!(a.aspect(2, 100), V::I(500)));
        assert!(matches!(a.aspect(3, 1), V::I(18)));
    }
}
