//! Coordinate chunks `gK.bin` and their boxes (in the manifest), which a reader loads nearest
//! first for a query with a location.

use super::File;
use crate::Facets;
use crate::search::DocFacts;

/// The coordinate chunks of `per` consecutive documents each (stored as they are: quantised
/// coordinates barely compress), and per chunk a box that holds its points.
pub(super) fn chunks(facts: &[DocFacts], f: &Facets, per: usize) -> (Vec<File>, Vec<[f64; 4]>) {
    let mut files = Vec::new();
    let mut boxes = Vec::new();
    for (k, chunk) in facts.chunks(per).enumerate() {
        let mut bytes = Vec::with_capacity(chunk.len() * 4);
        let mut bbox = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
        for x in chunk {
            bytes.extend_from_slice(&x.lat_q.to_le_bytes());
            bytes.extend_from_slice(&x.lon_q.to_le_bytes());
            let (lat, lon) = f.dequantize((x.lat_q, x.lon_q));
            bbox = [
                bbox[0].min(lat),
                bbox[1].min(lon),
                bbox[2].max(lat),
                bbox[3].max(lon),
            ];
        }
        boxes.push(outward(bbox));
        files.push((format!("g{k}.bin"), bytes));
    }
    (files, boxes)
}

/// A `[south, west, north, east]` box grown to whole 1e-4 degrees (about 11 m) and one more step:
/// it still holds every point, and its numbers are short in the manifest, which every cold query
/// downloads (a 100k-entry site has about a hundred boxes).
fn outward([s, w, n, e]: [f64; 4]) -> [f64; 4] {
    let down = |x: f64| ((x * 1e4).floor() - 1.0) / 1e4;
    let up = |x: f64| ((x * 1e4).ceil() + 1.0) / 1e4;
    [down(s), down(w), up(n), up(e)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_grow_to_short_numbers_that_hold_every_point() {
        let b = [
            35.027005850308996,
            136.64920102082857,
            35.096999815365834,
            136.71889802700846,
        ];
        let o = outward(b);
        assert_eq!(o, [35.0269, 136.6491, 35.0971, 136.719]);
        assert!(o[0] <= b[0] && o[1] <= b[1] && o[2] >= b[2] && o[3] >= b[3]);
        // A coordinate on the grid still gets a margin, so rounding cannot cut it off.
        let g = outward([34.5, 136.5, 34.5, 136.5]);
        assert!(g[0] < 34.5 && g[1] < 136.5 && g[2] > 34.5 && g[3] > 136.5);
        assert_eq!(
            serde_json::json!(o).to_string(),
            "[35.0269,136.6491,35.0971,136.719]"
        );
    }
}
