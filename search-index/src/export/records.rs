//! Display records (what a result list shows of a document) and the display shards that hold
//! them in document order.

use super::File;
use super::bytes::{Deflater, sealed, string, varint};
use crate::search::{DocFacts, DocText};

/// How a field of a display record is read from a document and encoded.
#[derive(Clone, Copy)]
enum Field {
    /// A `string`.
    String(fn(&DocText) -> &str),
    /// A `varint`.
    Varint(fn(&DocFacts) -> u64),
    /// A `varint` of the value + 1, 0 for none.
    Optional(fn(&DocFacts) -> Option<u64>),
}

impl Field {
    /// The encoding's name in the manifest.
    fn encoding(self) -> &'static str {
        match self {
            Field::String(_) => "string",
            Field::Varint(_) => "varint",
            Field::Optional(_) => "optional",
        }
    }
}

/// The fields of a display record, in order. The manifest lists them (name, encoding), and the
/// reader decodes records by that list: a field added here reaches the reader's records.
const RECORD: &[(&str, Field)] = &[
    ("id", Field::String(|t| &t.id)),
    ("name", Field::String(|t| &t.name)),
    ("category", Field::Varint(|x| x.category.into())),
    ("municipality", Field::Varint(|x| x.municipality.into())),
    ("care_bits", Field::Varint(|x| x.care_bits.into())),
    ("flag_bits", Field::Varint(|x| x.flag_bits.into())),
    (
        "age_min",
        Field::Optional(|x| u64::try_from(x.age_min).ok()),
    ),
    (
        "age_max",
        Field::Optional(|x| u64::try_from(x.age_max).ok()),
    ),
    ("approx", Field::Varint(|x| x.approx.into())),
    ("phone", Field::String(|t| &t.phone)),
    ("verified", Field::Varint(|x| x.verified.into())),
    ("stale", Field::Varint(|x| x.stale.into())),
];

/// The manifest's `record`: each field's name and encoding, in order.
pub(super) fn layout() -> Vec<[&'static str; 2]> {
    RECORD
        .iter()
        .map(|&(name, field)| [name, field.encoding()])
        .collect()
}

/// Every document's display record, encoded once: buckets, shown files and shards copy them.
pub(super) fn records(facts: &[DocFacts], texts: &[DocText]) -> Vec<Vec<u8>> {
    facts.iter().zip(texts).map(|(x, t)| record(x, t)).collect()
}

fn record(x: &DocFacts, t: &DocText) -> Vec<u8> {
    let mut out = Vec::with_capacity(t.id.len() + t.name.len() + 12);
    for &(_, field) in RECORD {
        match field {
            Field::String(get) => string(&mut out, get(t)),
            Field::Varint(get) => varint(&mut out, get(x)),
            Field::Optional(get) => varint(&mut out, get(x).map_or(0, |v| v + 1)),
        }
    }
    out
}

/// The display records of `docs` (sorted, distinct) as a bucket or a shown file lists them:
/// their count, then each after its document number (the first absolute, then differences).
pub(super) fn listed(out: &mut Vec<u8>, docs: &[u32], records: &[Vec<u8>]) {
    varint(out, docs.len() as u64);
    let mut prev = 0;
    for (j, &d) in docs.iter().enumerate() {
        varint(out, u64::from(if j == 0 { d } else { d - prev }));
        out.extend_from_slice(&records[d as usize]);
        prev = d;
    }
}

/// The display shards `dK.bin`: the records of `per` consecutive documents each, for hits that no
/// loaded bucket shows.
pub(super) fn shards(records: &[Vec<u8>], per: usize) -> Vec<File> {
    let mut deflater = Deflater::new();
    records
        .chunks(per)
        .enumerate()
        .map(|(k, chunk)| {
            let body = chunk.concat();
            (format!("d{k}.bin"), sealed(b"TSGD", &body, &mut deflater))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_its_fields_in_order() {
        let x = DocFacts {
            category: 2,
            municipality: 300,
            care_bits: 5,
            flag_bits: 0,
            service_bits: 1,
            age_min: 0,
            age_max: -1,
            lat_q: 1,
            lon_q: 2,
            approx: true,
            verified: 20_000,
            stale: true,
        };
        let t = DocText {
            id: "tsu-a".into(),
            name: "津".into(),
            phone: "059-1".into(),
        };
        let mut want = b"\x05tsu-a\x03".to_vec();
        want.extend_from_slice("津".as_bytes());
        want.extend_from_slice(&[2, 0xac, 2, 5, 0, 1, 0, 1]);
        want.extend_from_slice(b"\x05059-1");
        want.extend_from_slice(&[0xa0, 0x9c, 0x01, 1]);
        assert_eq!(record(&x, &t), want);
    }
}
