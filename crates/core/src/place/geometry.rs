//! Points, distances and shapes on the map, and turning shapes into SVG.

use std::fmt::Write;

/// One ring of a polygon: (longitude, latitude) pairs, WGS84.
pub type Ring = Vec<(f64, f64)>;

/// A polygon or multipolygon: polygons, each an outer ring and its holes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shape {
    pub polygons: Vec<Vec<Ring>>,
}

const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Great-circle distance between two WGS84 points, in kilometres.
pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
}

/// Reads a stored GeoJSON `Polygon` or `MultiPolygon` geometry's text.
pub fn parse_geometry_text(text: &str) -> Result<Shape, String> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    parse_geometry(&v)
}

/// Reads a GeoJSON `Polygon` or `MultiPolygon` geometry.
pub fn parse_geometry(g: &serde_json::Value) -> Result<Shape, String> {
    let kind = g
        .get("type")
        .and_then(|t| t.as_str())
        .ok_or("geometry has no type")?;
    let coords = g.get("coordinates").ok_or("geometry has no coordinates")?;
    let ring = |r: &serde_json::Value| -> Result<Ring, String> {
        r.as_array()
            .ok_or("a ring must be an array")?
            .iter()
            .map(|p| {
                let p = p.as_array().ok_or("a point must be an array")?;
                match (
                    p.first().and_then(|v| v.as_f64()),
                    p.get(1).and_then(|v| v.as_f64()),
                ) {
                    (Some(x), Some(y)) => Ok((x, y)),
                    _ => Err("a point needs two numbers".to_string()),
                }
            })
            .collect()
    };
    let polygon = |p: &serde_json::Value| -> Result<Vec<Ring>, String> {
        p.as_array()
            .ok_or("a polygon must be an array of rings")?
            .iter()
            .map(ring)
            .collect()
    };
    let polygons = match kind {
        "Polygon" => vec![polygon(coords)?],
        "MultiPolygon" => coords
            .as_array()
            .ok_or("a multipolygon must be an array")?
            .iter()
            .map(polygon)
            .collect::<Result<_, _>>()?,
        other => {
            return Err(format!(
                "{other} geometries are not areas; use Polygon or MultiPolygon"
            ));
        }
    };
    Ok(Shape { polygons })
}

/// The signed area and centroid of a ring, in degrees (planar; fine for
/// small areas, and only used to place a point inside a shape).
fn ring_area_centroid(r: &Ring) -> (f64, f64, f64) {
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for w in r.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let cross = x0 * y1 - x1 * y0;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
    }
    a /= 2.0;
    if a.abs() < f64::EPSILON {
        let n = r.len().max(1) as f64;
        return (
            0.0,
            r.iter().map(|p| p.0).sum::<f64>() / n,
            r.iter().map(|p| p.1).sum::<f64>() / n,
        );
    }
    (a, cx / (6.0 * a), cy / (6.0 * a))
}

impl Shape {
    /// Area-weighted centroid of the outer rings, as (longitude, latitude).
    pub fn centroid(&self) -> Option<(f64, f64)> {
        let (mut total, mut x, mut y) = (0.0, 0.0, 0.0);
        for p in &self.polygons {
            let Some(outer) = p.first() else { continue };
            let (a, cx, cy) = ring_area_centroid(outer);
            let w = a.abs().max(1e-12);
            total += w;
            x += cx * w;
            y += cy * w;
        }
        (total > 0.0).then(|| (x / total, y / total))
    }

    /// Whether the point lies inside the shape: inside an outer ring and
    /// outside its holes (a ray cast, counting every crossing of every ring
    /// of a polygon). How a place with coordinates but no postcode look-up
    /// (a French address and its IRIS) finds its small area.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.polygons.iter().any(|rings| {
            let mut inside = false;
            for ring in rings {
                let n = ring.len();
                for i in 0..n {
                    let (xi, yi) = ring[i];
                    let (xj, yj) = ring[(i + n - 1) % n];
                    if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                        inside = !inside;
                    }
                }
            }
            inside
        })
    }

    pub fn bbox(&self) -> Option<BBox> {
        let mut b: Option<BBox> = None;
        for p in &self.polygons {
            for r in p {
                for &(x, y) in r {
                    b = Some(match b {
                        None => BBox {
                            min_x: x,
                            min_y: y,
                            max_x: x,
                            max_y: y,
                        },
                        Some(b) => BBox {
                            min_x: b.min_x.min(x),
                            min_y: b.min_y.min(y),
                            max_x: b.max_x.max(x),
                            max_y: b.max_y.max(y),
                        },
                    });
                }
            }
        }
        b
    }
}

/// A longitude/latitude box.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl BBox {
    pub fn union(self, o: BBox) -> BBox {
        BBox {
            min_x: self.min_x.min(o.min_x),
            min_y: self.min_y.min(o.min_y),
            max_x: self.max_x.max(o.max_x),
            max_y: self.max_y.max(o.max_y),
        }
    }
}

/// Puts longitude/latitude on a page: equirectangular, with longitude
/// shrunk by the cosine of the middle latitude so a city keeps its shape.
#[derive(Clone, Copy, Debug)]
pub struct Projection {
    bbox: BBox,
    scale: f64,
    kx: f64,
    pad: f64,
    pub width: f64,
    pub height: f64,
}

impl Projection {
    /// Fits `bbox` into `width` pixels across, with `pad` pixels of margin.
    pub fn fit(bbox: BBox, width: f64, pad: f64) -> Projection {
        let mid = ((bbox.min_y + bbox.max_y) / 2.0).to_radians();
        let kx = mid.cos();
        let w = ((bbox.max_x - bbox.min_x) * kx).max(1e-9);
        let h = (bbox.max_y - bbox.min_y).max(1e-9);
        let scale = (width - 2.0 * pad) / w;
        Projection {
            bbox,
            scale,
            kx,
            pad,
            width,
            height: h * scale + 2.0 * pad,
        }
    }

    pub fn project(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            self.pad + (lon - self.bbox.min_x) * self.kx * self.scale,
            self.pad + (self.bbox.max_y - lat) * self.scale,
        )
    }

    /// Pixels per kilometre north–south, for drawing distances.
    pub fn km_to_px(&self, km: f64) -> f64 {
        km / 111.194_926_644_558_7 * self.scale
    }

    /// An SVG path for a shape, to one decimal place, cut to the frame so
    /// nothing reaches outside the picture.
    pub fn path(&self, shape: &Shape) -> String {
        let mut d = String::new();
        for p in &shape.polygons {
            for r in p {
                let ring: Vec<(f64, f64)> = r.iter().map(|&(x, y)| self.project(x, y)).collect();
                let ring = clip_to_rect(&ring, self.width, self.height);
                if ring.len() < 3 {
                    continue;
                }
                for (i, &(px, py)) in ring.iter().enumerate() {
                    let _ = write!(d, "{}{:.1} {:.1}", if i == 0 { "M" } else { "L" }, px, py);
                }
                d.push('Z');
            }
        }
        d
    }
}

/// Sutherland–Hodgman: the part of a ring inside 0 ≤ x ≤ w, 0 ≤ y ≤ h.
fn clip_to_rect(ring: &[(f64, f64)], w: f64, h: f64) -> Vec<(f64, f64)> {
    type Inside = fn(&(f64, f64), f64) -> bool;
    type Cross = fn((f64, f64), (f64, f64), f64) -> (f64, f64);
    let at_x =
        |a: (f64, f64), b: (f64, f64), x: f64| (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0));
    let at_y =
        |a: (f64, f64), b: (f64, f64), y: f64| (a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1), y);
    let edges: [(Inside, Cross, f64); 4] = [
        (|p, v| p.0 >= v, at_x, 0.0),
        (|p, v| p.0 <= v, at_x, w),
        (|p, v| p.1 >= v, at_y, 0.0),
        (|p, v| p.1 <= v, at_y, h),
    ];
    let mut out: Vec<(f64, f64)> = ring.to_vec();
    if out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    for (inside, cross, v) in edges {
        let input = std::mem::take(&mut out);
        let Some(&last) = input.last() else { break };
        let mut prev = last;
        for &cur in &input {
            match (inside(&cur, v), inside(&prev, v)) {
                (true, true) => out.push(cur),
                (true, false) => {
                    out.push(cross(prev, cur, v));
                    out.push(cur);
                }
                (false, true) => out.push(cross(prev, cur, v)),
                (false, false) => {}
            }
            prev = cur;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_is_inside_the_outer_ring_and_outside_its_hole() {
        let square = |a: f64, b: f64| vec![(a, a), (b, a), (b, b), (a, b), (a, a)];
        let s = Shape {
            polygons: vec![
                vec![square(0.0, 10.0), square(4.0, 6.0)],
                vec![square(20.0, 30.0)],
            ],
        };
        assert!(s.contains(2.0, 2.0));
        assert!(!s.contains(5.0, 5.0), "in the hole");
        assert!(s.contains(25.0, 21.0), "in the second polygon");
        assert!(!s.contains(15.0, 5.0));
        assert!(!s.contains(-1.0, 5.0));
    }

    #[test]
    fn rings_are_cut_to_the_frame() {
        let sq = [(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)];
        let c = clip_to_rect(&sq, 10.0, 10.0);
        assert!(
            c.iter()
                .all(|&(x, y)| (0.0..=10.0).contains(&x) && (0.0..=10.0).contains(&y))
        );
        let area: f64 = (0..c.len())
            .map(|i| {
                let (a, b) = (c[i], c[(i + 1) % c.len()]);
                a.0 * b.1 - b.0 * a.1
            })
            .sum::<f64>()
            .abs()
            / 2.0;
        assert!(
            (area - 25.0).abs() < 1e-9,
            "the quarter inside the frame: {area}"
        );
        assert!(clip_to_rect(&[(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], 10.0, 10.0).is_empty());
    }

    #[test]
    fn distances() {
        // City Hospital (B18 7QH) to Midland Metropolitan (B66 2QT): about 1.22 km.
        let d = haversine_km(52.488627, -1.932507, 52.491243, -1.949852);
        assert!((d - 1.215).abs() < 0.01, "{d}");
        assert_eq!(haversine_km(52.0, -1.0, 52.0, -1.0), 0.0);
    }

    #[test]
    fn shapes() {
        let g: serde_json::Value = serde_json::from_str(
            r#"{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,2],[0,2],[0,0]]]}"#,
        )
        .unwrap();
        let s = parse_geometry(&g).unwrap();
        let (cx, cy) = s.centroid().unwrap();
        assert!((cx - 1.0).abs() < 1e-9 && (cy - 1.0).abs() < 1e-9);
        let proj = Projection::fit(s.bbox().unwrap(), 100.0, 0.0);
        assert_eq!(proj.project(0.0, 2.0), (0.0, 0.0));
        assert!(
            proj.path(&s).starts_with("M0.0 100.0L"),
            "south-west corner at the bottom left"
        );
        let bad: serde_json::Value =
            serde_json::from_str(r#"{"type":"Point","coordinates":[0,0]}"#).unwrap();
        assert!(parse_geometry(&bad).unwrap_err().contains("Point"));
    }
}
