// Reference geography and areas of benefit in SQL both backends understand.
// Compiled into `sqlite.rs` and `postgres.rs` as a module.

use std::collections::{BTreeMap, BTreeSet};

use async_trait::async_trait;
use sqlx::Connection as _;
use uuid::Uuid;

use useit_core::ProgrammeId;
use useit_core::audit::{Actor, AuditAction, AuditEntry, AuditMessage};
use useit_core::clock;
use useit_core::listing::{Page, PageRequest, like_pattern};
use useit_core::place::areas::{AreaQuery, AreaRow, AreaSort, BoundaryRow, NamedAreaCount};
use useit_core::place::deprivation::DeprivationIndex;
use useit_core::place::selection::{AreaFacts, AreaOfBenefit, AreaSelection};
use useit_core::place::{
    Area, AreaDeprivation, AreaScheme, DomainRank, NamedArea, NamedAreaKind, PostcodePoint,
    PostcodeRecord, SchemeSummary,
};

use super::audit_sql::insert as audit;
use super::{BEGIN_WRITE, Db, ThisStore};
use crate::place::*;
use crate::{Result, StoreError};
use useit_core::place::load::ReferenceLoad;

type Conn = <Db as sqlx::Database>::Connection;

/// Rows per INSERT: comfortably under SQLite's 32,766 and PostgreSQL's
/// 65,535 bound parameters.
fn rows_per_insert(columns: usize) -> usize {
    (30_000 / columns).max(1)
}

async fn scheme_exists(conn: &mut Conn, code: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar::<Db, i64>("SELECT COUNT(*) FROM area_schemes WHERE code = $1")
        .bind(code)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

fn unknown_scheme(code: &str) -> StoreError {
    StoreError::Invalid(useit_core::validation::Invalid::one(
        "scheme",
        useit_core::i18n::Message::new("place.scheme_unknown").arg("scheme", code),
    ))
}

#[async_trait]
impl PlaceStore for ThisStore {
    async fn load_reference(
        &self,
        load: &ReferenceLoad,
        progress: &(dyn Fn(u64) + Send + Sync),
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        super::revision_sql::bump_reference(&mut tx).await?;
        let mut done: u64 = 0;
        if let Some(s) = &load.scheme {
            sqlx::query::<Db>(
                "INSERT INTO area_schemes (code, name, country, level, loaded_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, country = excluded.country, level = excluded.level",
            )
            .bind(&s.code)
            .bind(&s.name)
            .bind(&s.country)
            .bind(&s.level)
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
        }
        let schemes: BTreeSet<&str> = load
            .areas
            .iter()
            .map(|a| a.scheme.as_str())
            .chain(load.index.iter().map(|i| i.scheme.as_str()))
            .chain(
                load.boundaries
                    .iter()
                    .filter_map(|_| load.scheme.as_ref().map(|s| s.code.as_str())),
            )
            .collect();
        for s in schemes {
            if !scheme_exists(&mut tx, s).await? {
                return Err(unknown_scheme(s));
            }
        }
        for chunk in load.areas.chunks(rows_per_insert(10)) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO areas (scheme, code, name, local_authority_code, local_authority_name, ward_code, ward_name, lat, lon, population) ",
            );
            qb.push_values(chunk, |mut b, a| {
                b.push_bind(&a.scheme)
                    .push_bind(&a.code)
                    .push_bind(&a.name)
                    .push_bind(&a.local_authority_code)
                    .push_bind(&a.local_authority_name)
                    .push_bind(&a.ward_code)
                    .push_bind(&a.ward_name)
                    .push_bind(a.lat)
                    .push_bind(a.lon)
                    .push_bind(a.population);
            });
            qb.push(
                " ON CONFLICT (scheme, code) DO UPDATE SET \
                 name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE areas.name END, \
                 local_authority_code = COALESCE(excluded.local_authority_code, areas.local_authority_code), \
                 local_authority_name = COALESCE(excluded.local_authority_name, areas.local_authority_name), \
                 ward_code = COALESCE(excluded.ward_code, areas.ward_code), \
                 ward_name = COALESCE(excluded.ward_name, areas.ward_name), \
                 lat = COALESCE(excluded.lat, areas.lat), lon = COALESCE(excluded.lon, areas.lon), \
                 population = COALESCE(excluded.population, areas.population)",
            );
            qb.build().execute(&mut *tx).await?;
            done += chunk.len() as u64;
            progress(done);
        }
        if !load.boundaries.is_empty() {
            let scheme = load
                .scheme
                .as_ref()
                .map(|s| s.code.clone())
                .ok_or_else(|| unknown_scheme(""))?;
            for chunk in load.boundaries.chunks(rows_per_insert(6)) {
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "INSERT INTO areas (scheme, code, name, lat, lon, boundary) ",
                );
                qb.push_values(chunk, |mut b, x| {
                    b.push_bind(&scheme)
                        .push_bind(&x.code)
                        .push_bind(x.name.clone().unwrap_or_default())
                        .push_bind(x.lat)
                        .push_bind(x.lon)
                        .push_bind(&x.geometry);
                });
                qb.push(
                    " ON CONFLICT (scheme, code) DO UPDATE SET boundary = excluded.boundary, \
                     name = CASE WHEN areas.name = '' THEN excluded.name ELSE areas.name END, \
                     lat = COALESCE(areas.lat, excluded.lat), lon = COALESCE(areas.lon, excluded.lon)",
                );
                qb.build().execute(&mut *tx).await?;
                done += chunk.len() as u64;
                progress(done);
            }
        }
        if let Some(i) = &load.index {
            sqlx::query::<Db>(
                "INSERT INTO deprivation_indices (code, name, scheme, areas_ranked, source, loaded_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name, scheme = excluded.scheme, \
                 areas_ranked = excluded.areas_ranked, source = excluded.source",
            )
            .bind(&i.code)
            .bind(&i.name)
            .bind(&i.scheme)
            .bind(i.areas_ranked)
            .bind(&i.source)
            .bind(clock::now())
            .execute(&mut *tx)
            .await?;
        }
        for chunk in load.deprivation.chunks(rows_per_insert(6)) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO area_deprivation (index_code, area_code, rank, decile, score, domains) ",
            );
            qb.push_values(chunk, |mut b, d| {
                b.push_bind(&d.index)
                    .push_bind(&d.area_code)
                    .push_bind(d.rank)
                    .push_bind(d.decile as i64)
                    .push_bind(d.score)
                    .push_bind(serde_json::to_string(&d.domains).unwrap_or_else(|_| "[]".into()));
            });
            qb.push(
                " ON CONFLICT (index_code, area_code) DO UPDATE SET rank = excluded.rank, decile = excluded.decile, \
                 score = excluded.score, domains = excluded.domains",
            );
            qb.build().execute(&mut *tx).await?;
            done += chunk.len() as u64;
            progress(done);
        }
        for chunk in load.postcodes.chunks(rows_per_insert(8)) {
            let keys: Vec<String> = chunk.iter().map(|p| p.postcode.replace(' ', "")).collect();
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO postcodes (postcode, display, lat, lon, local_authority_code, ward_code, introduced, terminated) ",
            );
            qb.push_values(chunk.iter().zip(&keys), |mut b, (p, k)| {
                b.push_bind(k)
                    .push_bind(&p.postcode)
                    .push_bind(p.lat)
                    .push_bind(p.lon)
                    .push_bind(&p.local_authority_code)
                    .push_bind(&p.ward_code)
                    .push_bind(&p.introduced)
                    .push_bind(&p.terminated);
            });
            qb.push(
                " ON CONFLICT (postcode) DO UPDATE SET display = excluded.display, lat = excluded.lat, lon = excluded.lon, \
                 local_authority_code = excluded.local_authority_code, ward_code = excluded.ward_code, \
                 introduced = excluded.introduced, terminated = excluded.terminated",
            );
            qb.build().execute(&mut *tx).await?;
            let links: Vec<(&String, &String, &String)> = chunk
                .iter()
                .zip(&keys)
                .flat_map(|(p, k)| p.areas.iter().map(move |(s, a)| (k, s, a)))
                .collect();
            for part in links.chunks(rows_per_insert(3)) {
                let mut qb = sqlx::QueryBuilder::<Db>::new(
                    "INSERT INTO postcode_areas (postcode, scheme, area_code) ",
                );
                qb.push_values(part, |mut b, (k, s, a)| {
                    b.push_bind(*k).push_bind(*s).push_bind(*a);
                });
                qb.push(
                    " ON CONFLICT (postcode, scheme) DO UPDATE SET area_code = excluded.area_code",
                );
                qb.build().execute(&mut *tx).await?;
            }
            done += chunk.len() as u64;
            progress(done);
        }
        for chunk in load.names.chunks(rows_per_insert(4)) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO named_areas (code, kind, name, parent_code) ",
            );
            qb.push_values(chunk, |mut b, n| {
                b.push_bind(&n.code)
                    .push_bind(n.kind.slug())
                    .push_bind(&n.name)
                    .push_bind(&n.parent_code);
            });
            qb.push(
                " ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
                 parent_code = COALESCE(excluded.parent_code, named_areas.parent_code)",
            );
            qb.build().execute(&mut *tx).await?;
            done += chunk.len() as u64;
            progress(done);
        }
        let summary = format!(
            "reference data: {} areas, {} boundaries, {} deprivation rows{}, {} postcodes, {} names",
            load.areas.len(),
            load.boundaries.len(),
            load.deprivation.len(),
            load.index
                .as_ref()
                .map(|i| format!(" ({})", i.code))
                .unwrap_or_default(),
            load.postcodes.len(),
            load.names.len()
        );
        audit(
            &mut tx,
            &AuditEntry::new(
                actor,
                None,
                AuditAction::Import,
                "reference_geography",
                None,
                summary,
            )
            .said(
                AuditMessage::new("audit.msg.reference_loaded")
                    .counted("areas", "area", load.areas.len() as u64)
                    .counted("postcodes", "postcode", load.postcodes.len() as u64)
                    .counted("names", "place_name", load.names.len() as u64),
            ),
        )
        .await?;
        tx.commit().await?;
        // PostgreSQL plans from statistics its autovacuum gathers later: the
        // first placing after a load joined 12,497 areas to their deciles
        // by a nested loop for 8 s (14 ms once analysed). SQLite keeps no
        // statistics unless asked, and its plans are left as they are.
        if <Db as sqlx::Database>::NAME == "PostgreSQL" {
            for analyse in [
                "ANALYZE areas",
                "ANALYZE area_deprivation",
                "ANALYZE postcodes",
            ] {
                sqlx::query::<Db>(analyse).execute(&self.writer).await?;
            }
        }
        Ok(())
    }

    async fn schemes(&self) -> Result<Vec<SchemeSummary>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            code: String,
            name: String,
            country: String,
            level: String,
            areas: i64,
            with_boundaries: i64,
            postcodes: i64,
        }
        let rows = sqlx::query_as::<Db, Row>(
            "SELECT s.code, s.name, s.country, s.level, \
             (SELECT COUNT(*) FROM areas a WHERE a.scheme = s.code) AS areas, \
             (SELECT COUNT(*) FROM areas a WHERE a.scheme = s.code AND a.boundary IS NOT NULL) AS with_boundaries, \
             (SELECT COUNT(*) FROM postcode_areas p WHERE p.scheme = s.code) AS postcodes \
             FROM area_schemes s ORDER BY s.country, s.code",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| SchemeSummary {
                scheme: AreaScheme {
                    code: r.code,
                    name: r.name,
                    country: r.country,
                    level: r.level,
                },
                areas: r.areas,
                with_boundaries: r.with_boundaries,
                postcodes: r.postcodes,
            })
            .collect())
    }

    async fn indices(&self) -> Result<Vec<DeprivationIndex>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            code: String,
            name: String,
            scheme: String,
            areas_ranked: i64,
            source: String,
        }
        let rows = sqlx::query_as::<Db, Row>("SELECT code, name, scheme, areas_ranked, source FROM deprivation_indices ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .map(|r| DeprivationIndex {
                code: r.code,
                name: r.name,
                scheme: r.scheme,
                areas_ranked: r.areas_ranked,
                source: r.source,
            })
            .collect())
    }

    async fn area_facts(&self, scheme: &str, index: Option<&str>) -> Result<Vec<AreaFacts>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            code: String,
            local_authority_code: Option<String>,
            ward_code: Option<String>,
            lat: Option<f64>,
            lon: Option<f64>,
            population: Option<i64>,
            decile: Option<i64>,
        }
        let rows = sqlx::query_as::<Db, Row>(
            "SELECT a.code, a.local_authority_code, a.ward_code, a.lat, a.lon, a.population, d.decile \
             FROM areas a LEFT JOIN area_deprivation d ON d.index_code = $2 AND d.area_code = a.code \
             WHERE a.scheme = $1 ORDER BY a.code",
        )
        .bind(scheme)
        .bind(index)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| AreaFacts {
                code: r.code,
                local_authority_code: r.local_authority_code,
                ward_code: r.ward_code,
                lat: r.lat,
                lon: r.lon,
                decile: r.decile.map(|d| d as u8),
                population: r.population,
            })
            .collect())
    }

    async fn area(&self, scheme: &str, code: &str) -> Result<Option<Area>> {
        let row = sqlx::query_as::<Db, AreaRowDb>(
            "SELECT a.scheme, a.code, a.name, a.local_authority_code, COALESCE(a.local_authority_name, la.name) AS local_authority_name, \
             a.ward_code, COALESCE(a.ward_name, w.name) AS ward_name, a.lat, a.lon, a.population \
             FROM areas a LEFT JOIN named_areas la ON la.code = a.local_authority_code \
             LEFT JOIN named_areas w ON w.code = a.ward_code WHERE a.scheme = $1 AND a.code = $2",
        )
        .bind(scheme)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(Area::from))
    }

    async fn area_deprivation(&self, index: &str, code: &str) -> Result<Option<AreaDeprivation>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            rank: i64,
            decile: i64,
            score: Option<f64>,
            domains: String,
        }
        let row = sqlx::query_as::<Db, Row>(
            "SELECT rank, decile, score, domains FROM area_deprivation WHERE index_code = $1 AND area_code = $2",
        )
        .bind(index)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| AreaDeprivation {
            index: index.to_string(),
            area_code: code.to_string(),
            rank: r.rank,
            decile: r.decile as u8,
            score: r.score,
            domains: serde_json::from_str::<Vec<DomainRank>>(&r.domains).unwrap_or_default(),
        }))
    }

    async fn list_areas(&self, q: &AreaQuery, page: PageRequest) -> Result<Page<AreaRow>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            area: AreaRowDb,
            rank: Option<i64>,
            decile: Option<i64>,
        }
        let pattern = like_pattern(q.q.as_deref());
        // Deciles are numbers 1-10 from a parsed list, never text from input.
        let deciles = if q.deciles.is_empty() {
            String::new()
        } else {
            let list: Vec<String> = q
                .deciles
                .iter()
                .filter(|d| (1..=10).contains(*d))
                .map(|d| d.to_string())
                .collect();
            format!(
                " AND d.decile IN ({})",
                if list.is_empty() {
                    "0".into()
                } else {
                    list.join(", ")
                }
            )
        };
        let from = format!(
            "FROM areas a LEFT JOIN area_deprivation d ON d.index_code = $2 AND d.area_code = a.code \
             LEFT JOIN named_areas la ON la.code = a.local_authority_code \
             LEFT JOIN named_areas w ON w.code = a.ward_code \
             WHERE a.scheme = $1 \
             AND ($3 IS NULL OR lower(a.code) LIKE $3 ESCAPE '\\' OR lower(a.name) LIKE $3 ESCAPE '\\' \
                  OR lower(COALESCE(a.ward_name, w.name, '')) LIKE $3 ESCAPE '\\') \
             AND ($4 IS NULL OR a.local_authority_code = $4) \
             AND ($5 IS NULL OR a.ward_code = $5) \
             AND ($6 IS NULL OR EXISTS (SELECT 1 FROM area_of_benefit_areas x WHERE x.aob_id = $6 AND x.area_code = a.code)){deciles}"
        );
        let d = q.dir.sql();
        let order = match q.sort {
            AreaSort::Code => format!("a.code {d}"),
            AreaSort::Name => format!("a.name {d}, a.code"),
            AreaSort::LocalAuthority => {
                format!("COALESCE(a.local_authority_name, la.name) {d}, a.code")
            }
            AreaSort::Ward => format!("COALESCE(a.ward_name, w.name) {d}, a.code"),
            AreaSort::Rank => format!("(d.rank IS NULL), d.rank {d}, a.code"),
            AreaSort::Population => format!("(a.population IS NULL), a.population {d}, a.code"),
        };
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        macro_rules! bind {
            ($query:expr) => {
                $query
                    .bind(&q.scheme)
                    .bind(q.index.as_deref())
                    .bind(pattern.as_deref())
                    .bind(q.local_authority.as_deref())
                    .bind(q.ward.as_deref())
                    .bind(q.within)
            };
        }
        let total: i64 = bind!(sqlx::query_scalar::<Db, i64>(sqlf!(
            "SELECT COUNT(*) {from}"
        )))
        .fetch_one(&mut *tx)
        .await?;
        let rows: Vec<Row> = bind!(sqlx::query_as::<Db, Row>(sqlf!(
            "SELECT a.scheme, a.code, a.name, a.local_authority_code, COALESCE(a.local_authority_name, la.name) AS local_authority_name, \
             a.ward_code, COALESCE(a.ward_name, w.name) AS ward_name, a.lat, a.lon, a.population, d.rank, d.decile \
             {from} ORDER BY {order} LIMIT $7 OFFSET $8"
        )))
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Page {
            items: rows
                .into_iter()
                .map(|r| AreaRow {
                    area: r.area.into(),
                    rank: r.rank,
                    decile: r.decile.map(|d| d as u8),
                })
                .collect(),
            total: total as u64,
            page: page.page,
            per_page: page.per_page,
        })
    }

    async fn boundaries(
        &self,
        scheme: &str,
        index: Option<&str>,
        codes: &[String],
    ) -> Result<Vec<BoundaryRow>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            code: String,
            name: String,
            boundary: String,
            decile: Option<i64>,
        }
        let select = "SELECT a.code, a.name, a.boundary, d.decile FROM areas a \
                      LEFT JOIN area_deprivation d ON d.index_code = ";
        let mut out = Vec::new();
        let parts: Vec<&[String]> = if codes.is_empty() {
            vec![&[]]
        } else {
            codes.chunks(5_000).collect()
        };
        for part in parts {
            let mut qb = sqlx::QueryBuilder::<Db>::new(select);
            qb.push_bind(index);
            qb.push(" AND d.area_code = a.code WHERE a.boundary IS NOT NULL AND a.scheme = ");
            qb.push_bind(scheme);
            if !part.is_empty() {
                qb.push(" AND a.code IN (");
                let mut sep = qb.separated(", ");
                for c in part {
                    sep.push_bind(c);
                }
                qb.push(")");
            }
            qb.push(" ORDER BY a.code");
            let rows: Vec<Row> = qb.build_query_as::<Row>().fetch_all(&self.pool).await?;
            out.extend(rows.into_iter().map(|r| BoundaryRow {
                code: r.code,
                name: r.name,
                geometry: r.boundary,
                decile: r.decile.map(|d| d as u8),
            }));
        }
        Ok(out)
    }

    async fn postcode(&self, compact: &str) -> Result<Option<PostcodeRecord>> {
        Ok(self.postcodes(&[compact.to_string()]).await?.pop())
    }

    async fn postcodes(&self, compacts: &[String]) -> Result<Vec<PostcodeRecord>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            postcode: String,
            display: String,
            lat: Option<f64>,
            lon: Option<f64>,
            local_authority_code: Option<String>,
            ward_code: Option<String>,
            introduced: Option<String>,
            terminated: Option<String>,
            scheme: Option<String>,
            area_code: Option<String>,
        }
        let mut by_key: BTreeMap<String, PostcodeRecord> = BTreeMap::new();
        for part in compacts.chunks(1_000) {
            let mut qb = sqlx::QueryBuilder::<Db>::new(
                "SELECT p.postcode, p.display, p.lat, p.lon, p.local_authority_code, p.ward_code, p.introduced, p.terminated, \
                 pa.scheme, pa.area_code FROM postcodes p LEFT JOIN postcode_areas pa ON pa.postcode = p.postcode \
                 WHERE p.postcode IN (",
            );
            let mut sep = qb.separated(", ");
            for c in part {
                sep.push_bind(c);
            }
            qb.push(") ORDER BY p.postcode, pa.scheme");
            let rows: Vec<Row> = qb.build_query_as::<Row>().fetch_all(&self.pool).await?;
            for r in rows {
                let rec = by_key
                    .entry(r.postcode.clone())
                    .or_insert_with(|| PostcodeRecord {
                        postcode: r.display.clone(),
                        lat: r.lat,
                        lon: r.lon,
                        local_authority_code: r.local_authority_code.clone(),
                        ward_code: r.ward_code.clone(),
                        introduced: r.introduced.clone(),
                        terminated: r.terminated.clone(),
                        areas: Vec::new(),
                    });
                if let (Some(s), Some(a)) = (r.scheme, r.area_code) {
                    rec.areas.push((s, a));
                }
            }
        }
        Ok(by_key.into_values().collect())
    }

    async fn postcode_points(&self, scheme: &str) -> Result<Vec<PostcodePoint>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            postcode: String,
            area_code: Option<String>,
            lat: Option<f64>,
            lon: Option<f64>,
            terminated: Option<String>,
        }
        let rows = sqlx::query_as::<Db, Row>(
            "SELECT p.postcode, pa.area_code, p.lat, p.lon, p.terminated FROM postcodes p \
             LEFT JOIN postcode_areas pa ON pa.postcode = p.postcode AND pa.scheme = $1",
        )
        .bind(scheme)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|r| PostcodePoint {
                postcode: r.postcode,
                area: r.area_code,
                lat: r.lat,
                lon: r.lon,
                live: r.terminated.is_none(),
            })
            .collect())
    }

    async fn postcodes_in_area(&self, scheme: &str, code: &str) -> Result<i64> {
        Ok(sqlx::query_scalar::<Db, i64>(
            "SELECT COUNT(*) FROM postcode_areas pa JOIN postcodes p ON p.postcode = pa.postcode \
             WHERE pa.scheme = $1 AND pa.area_code = $2 AND p.terminated IS NULL",
        )
        .bind(scheme)
        .bind(code)
        .fetch_one(&self.pool)
        .await?)
    }

    async fn local_authorities(&self, scheme: &str) -> Result<Vec<NamedAreaCount>> {
        let rows = sqlx::query_as::<Db, (String, Option<String>, i64)>(
            "SELECT a.local_authority_code, COALESCE(MAX(a.local_authority_name), MAX(n.name)), COUNT(*) \
             FROM areas a LEFT JOIN named_areas n ON n.code = a.local_authority_code \
             WHERE a.scheme = $1 AND a.local_authority_code IS NOT NULL GROUP BY a.local_authority_code",
        )
        .bind(scheme)
        .fetch_all(&self.pool)
        .await?;
        let mut v: Vec<NamedAreaCount> = rows
            .into_iter()
            .map(|(code, name, n)| NamedAreaCount {
                name: name.unwrap_or_else(|| code.clone()),
                code,
                parent_code: None,
                areas: n,
            })
            .collect();
        v.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(v)
    }

    async fn wards(&self, scheme: &str) -> Result<Vec<NamedAreaCount>> {
        let rows = sqlx::query_as::<Db, (String, Option<String>, Option<String>, i64)>(
            "SELECT a.ward_code, COALESCE(MAX(a.ward_name), MAX(n.name)), MAX(a.local_authority_code), COUNT(*) \
             FROM areas a LEFT JOIN named_areas n ON n.code = a.ward_code \
             WHERE a.scheme = $1 AND a.ward_code IS NOT NULL GROUP BY a.ward_code",
        )
        .bind(scheme)
        .fetch_all(&self.pool)
        .await?;
        let mut v: Vec<NamedAreaCount> = rows
            .into_iter()
            .map(|(code, name, la, n)| NamedAreaCount {
                name: name.unwrap_or_else(|| code.clone()),
                code,
                parent_code: la,
                areas: n,
            })
            .collect();
        v.sort_by(|a, b| (&a.parent_code, &a.name).cmp(&(&b.parent_code, &b.name)));
        Ok(v)
    }

    async fn named_area(&self, code: &str) -> Result<Option<NamedArea>> {
        let row = sqlx::query_as::<Db, (String, String, String, Option<String>)>(
            "SELECT code, kind, name, parent_code FROM named_areas WHERE code = $1",
        )
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.and_then(|(code, kind, name, parent_code)| {
            Some(NamedArea {
                code,
                kind: NamedAreaKind::parse(&kind)?,
                name,
                parent_code,
            })
        }))
    }

    async fn save_area_of_benefit(
        &self,
        programme: ProgrammeId,
        selection: &AreaSelection,
        codes: &BTreeSet<String>,
        note: &str,
        actor: &Actor,
    ) -> Result<AreaOfBenefit> {
        let mut tx = self.writer.begin_with(BEGIN_WRITE).await?;
        let aob = insert_area_of_benefit(&mut tx, programme, selection, codes, note, actor).await?;
        tx.commit().await?;
        Ok(aob)
    }

    async fn area_of_benefit(
        &self,
        programme: ProgrammeId,
        version: Option<i64>,
    ) -> Result<Option<AreaOfBenefit>> {
        let row = sqlx::query_as::<Db, AobRow>(
            "SELECT id, programme_id, version, definition, area_count, note, created_at, created_by FROM areas_of_benefit \
             WHERE programme_id = $1 AND ($2 IS NULL OR version = $2) ORDER BY version DESC LIMIT 1",
        )
        .bind(programme.0)
        .bind(version)
        .fetch_optional(&self.pool)
        .await?;
        row.map(AreaOfBenefit::try_from).transpose()
    }

    async fn area_of_benefit_versions(&self, programme: ProgrammeId) -> Result<Vec<AreaOfBenefit>> {
        let rows = sqlx::query_as::<Db, AobRow>(
            "SELECT id, programme_id, version, definition, area_count, note, created_at, created_by FROM areas_of_benefit \
             WHERE programme_id = $1 ORDER BY version DESC",
        )
        .bind(programme.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(AreaOfBenefit::try_from).collect()
    }

    async fn area_of_benefit_codes(
        &self,
        programme: ProgrammeId,
        id: Uuid,
    ) -> Result<BTreeSet<String>> {
        let rows = sqlx::query_scalar::<Db, String>(
            "SELECT area_code FROM area_of_benefit_areas WHERE programme_id = $1 AND aob_id = $2",
        )
        .bind(programme.0)
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }
}

/// Saves the programme's next version of its area of benefit inside the
/// caller's transaction (the editor's save, and a programme started from a
/// model, which saves its first version with everything else).
pub(crate) async fn insert_area_of_benefit(
    conn: &mut <Db as sqlx::Database>::Connection,
    programme: ProgrammeId,
    selection: &AreaSelection,
    codes: &BTreeSet<String>,
    note: &str,
    actor: &Actor,
) -> Result<AreaOfBenefit> {
    super::revision_sql::bump_programme(&mut *conn, programme).await?;
    insert_selection(
        conn,
        programme,
        SelectionOwner::Programme,
        selection,
        codes,
        note,
        actor,
    )
    .await
}

/// Saves the next version of a versioned area selection — the programme's
/// area of benefit or a community's area — inside the caller's
/// transaction: the selection as JSON, the codes it resolved to and the
/// audit entry. One writer for both, so a community's area is kept exactly
/// as the area of benefit is.
pub(crate) async fn insert_selection(
    conn: &mut <Db as sqlx::Database>::Connection,
    programme: ProgrammeId,
    owner: SelectionOwner,
    selection: &AreaSelection,
    codes: &BTreeSet<String>,
    note: &str,
    actor: &Actor,
) -> Result<AreaOfBenefit> {
    let community = match owner {
        SelectionOwner::Programme => None,
        SelectionOwner::Community(c) => Some(c),
    };
    let version: i64 = match community {
        Some(c) => {
            sqlx::query_scalar::<Db, i64>(
                "SELECT COALESCE(MAX(version), 0) + 1 FROM community_areas \
                 WHERE programme_id = $1 AND community_id = $2",
            )
            .bind(programme.0)
            .bind(c)
            .fetch_one(&mut *conn)
            .await?
        }
        None => sqlx::query_scalar::<Db, i64>(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM areas_of_benefit WHERE programme_id = $1",
        )
        .bind(programme.0)
        .fetch_one(&mut *conn)
        .await?,
    };
    let id = Uuid::now_v7();
    let now = clock::now();
    let definition = serde_json::to_string(selection)
        .map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?;
    let (insert, codes_insert, subject) = if community.is_some() {
        (
            "INSERT INTO community_areas (id, programme_id, version, scheme, index_code, definition, \
             area_count, note, created_at, created_by, community_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            "INSERT INTO community_area_codes (programme_id, area_id, area_code) ",
            "community_area",
        )
    } else {
        (
            "INSERT INTO areas_of_benefit (id, programme_id, version, scheme, index_code, definition, \
             area_count, note, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            "INSERT INTO area_of_benefit_areas (programme_id, aob_id, area_code) ",
            "area_of_benefit",
        )
    };
    let mut q = sqlx::query::<Db>(insert)
        .bind(id)
        .bind(programme.0)
        .bind(version)
        .bind(&selection.scheme)
        .bind(&selection.index)
        .bind(&definition)
        .bind(codes.len() as i64)
        .bind(note)
        .bind(now)
        .bind(&actor.label);
    if let Some(c) = community {
        q = q.bind(c);
    }
    q.execute(&mut *conn).await?;
    let codes_v: Vec<&String> = codes.iter().collect();
    for part in codes_v.chunks(rows_per_insert(3)) {
        let mut qb = sqlx::QueryBuilder::<Db>::new(codes_insert);
        qb.push_values(part, |mut b, c| {
            b.push_bind(programme.0).push_bind(id).push_bind(*c);
        });
        qb.build().execute(&mut *conn).await?;
    }
    audit(
        &mut *conn,
        &AuditEntry::new(
            actor,
            Some(programme),
            if version == 1 {
                AuditAction::Create
            } else {
                AuditAction::Update
            },
            subject,
            Some(community.unwrap_or(id).to_string()),
            format!("version {version}: {} areas", codes.len()),
        )
        .said(
            AuditMessage::new("audit.msg.area_saved")
                .number("version", version as u64)
                .counted("areas", "area", codes.len() as u64),
        ),
    )
    .await?;
    Ok(AreaOfBenefit {
        id,
        programme_id: programme,
        version,
        selection: selection.clone(),
        area_count: codes.len() as i64,
        note: note.to_string(),
        created_at: now,
        created_by: actor.label.clone(),
    })
}
