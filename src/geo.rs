//! Great-circle distances, for "nearest provider" figures and distance sorting.

/// Mean Earth radius in kilometres (IUGG).
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Haversine distance in kilometres between two (lat, lon) points in degrees.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances() {
        assert_eq!(distance_km((34.7, 136.5), (34.7, 136.5)), 0.0);
        // 津市 → 四日市市, about 30 km.
        let d = distance_km((34.719, 136.505), (34.965, 136.624));
        assert!((29.0..31.0).contains(&d), "{d}");
        // One degree of latitude is about 111.2 km.
        let d = distance_km((34.0, 136.0), (35.0, 136.0));
        assert!((d - 111.2).abs() < 0.2, "{d}");
    }
}
