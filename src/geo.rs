//! Great-circle distances, for "nearest provider" figures and distance sorting.

/// Mean Earth radius in kilometres (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A point with its trigonometry done once, for many distance comparisons.
#[derive(Debug, Clone, Copy)]
pub struct Point {
    lat: f64,
    lon: f64,
    cos_lat: f64,
}

impl Point {
    pub fn new((lat, lon): (f64, f64)) -> Point {
        let (lat, lon) = (lat.to_radians(), lon.to_radians());
        Point {
            lat,
            lon,
            cos_lat: lat.cos(),
        }
    }

    /// Great-circle (haversine) distance in kilometres.
    pub fn distance_km(&self, other: &Point) -> f64 {
        km(self.haversine_term(other))
    }

    /// The haversine term `h`, which grows with distance: the nearest point has the smallest.
    fn haversine_term(&self, other: &Point) -> f64 {
        let a = ((other.lat - self.lat) / 2.0).sin();
        let b = ((other.lon - self.lon) / 2.0).sin();
        a * a + self.cos_lat * other.cos_lat * b * b
    }
}

/// Distance in kilometres from `from` to the nearest of `points`, or `None` when there are none.
pub fn nearest_km(from: &Point, points: &[Point]) -> Option<f64> {
    let h = points
        .iter()
        .map(|p| from.haversine_term(p))
        .min_by(f64::total_cmp)?;
    Some(km(h))
}

fn km(haversine_term: f64) -> f64 {
    2.0 * EARTH_RADIUS_KM * haversine_term.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances() {
        assert_eq!(
            Point::new((34.7, 136.5)).distance_km(&Point::new((34.7, 136.5))),
            0.0
        );
        // 津市 → 四日市市, about 30 km.
        let d = Point::new((34.719, 136.505)).distance_km(&Point::new((34.965, 136.624)));
        assert!((29.0..31.0).contains(&d), "{d}");
        // One degree of latitude is about 111.2 km.
        let d = Point::new((34.0, 136.0)).distance_km(&Point::new((35.0, 136.0)));
        assert!((d - 111.2).abs() < 0.2, "{d}");
    }

    #[test]
    fn nearest_agrees_with_distance() {
        let from = (34.719, 136.505);
        let pts = [(34.965, 136.624), (34.5, 136.4), (35.06, 136.68)];
        let prepared: Vec<Point> = pts.iter().map(|p| Point::new(*p)).collect();
        let best = prepared
            .iter()
            .map(|p| Point::new(from).distance_km(p))
            .fold(f64::MAX, f64::min);
        let got = nearest_km(&Point::new(from), &prepared).unwrap();
        assert!((got - best).abs() < 1e-9, "{got} {best}");
        assert_eq!(nearest_km(&Point::new(from), &[]), None);
    }
}
