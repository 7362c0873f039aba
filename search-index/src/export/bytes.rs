//! Byte encodings shared by the index files: varints, strings and sealed (checked, deflated) files.

use super::FORMAT_VERSION;

/// LEB128: 7 bits per byte, low bits first, the high bit set on every byte but the last.
pub(super) fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// A varint byte length, then UTF-8.
pub(super) fn string(out: &mut Vec<u8>, s: &str) {
    varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// A file with its magic and format, then `body`, then the CRC-32 of everything before it;
/// stored deflated.
pub(super) fn sealed(magic: &[u8; 4], body: &[u8], deflater: &mut Deflater) -> Vec<u8> {
    let mut bytes = magic.to_vec();
    bytes.push(FORMAT_VERSION as u8);
    bytes.extend_from_slice(body);
    let crc = crc32fast::hash(&bytes);
    bytes.extend_from_slice(&crc.to_le_bytes());
    deflater.deflate(&bytes)
}

/// Raw deflate (RFC 1951), which browsers inflate natively (`DecompressionStream`): it halves what
/// a query downloads from a host that does not compress `.bin` files. libdeflate compresses whole
/// buffers: at its level 1 it is about as fast as zlib-rs's level 1 and its files are about 14 %
/// smaller (dynamic Huffman codes, where zlib-ng's quick level uses the fixed ones), within 3 % of
/// its level 6 even for rest files. One compressor, and one buffer of the largest bound so far,
/// serve every file on its thread.
pub(super) struct Deflater(libdeflater::Compressor, Vec<u8>);

impl Deflater {
    pub(super) fn new() -> Deflater {
        let level = libdeflater::CompressionLvl::new(1).expect("libdeflate has level 1");
        Deflater(libdeflater::Compressor::new(level), Vec::new())
    }

    /// The deflated bytes, in a vector of their own length: the export holds every file until
    /// it names their folder, and a vector of the compressor's bound (the size before
    /// compression) would hold three times their bytes.
    fn deflate(&mut self, bytes: &[u8]) -> Vec<u8> {
        let Deflater(compressor, buffer) = self;
        buffer.resize(compressor.deflate_compress_bound(bytes.len()), 0);
        let len = compressor
            .deflate_compress(bytes, buffer)
            .expect("the bound always fits");
        buffer[..len].to_vec()
    }
}

/// The bytes a deflated file holds.
#[cfg(test)]
pub(super) fn inflate(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(bytes), &mut out)
        .expect("raw deflate");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        let mut v = Vec::new();
        varint(&mut v, 0);
        varint(&mut v, 127);
        varint(&mut v, 128);
        varint(&mut v, 300);
        assert_eq!(v, [0, 127, 0x80, 1, 0xac, 2]);
    }

    #[test]
    fn sealed_files_are_deflated_and_end_with_their_checksum() {
        let mut deflater = Deflater::new();
        let body: Vec<u8> = (0..5000u32).map(|i| (i % 7) as u8).collect();
        let stored = sealed(b"TSGB", &body, &mut deflater);
        assert!(stored.len() < body.len() / 10, "{} bytes", stored.len());
        let f = inflate(&stored);
        assert_eq!(&f[..5], b"TSGB\x05");
        assert_eq!(&f[5..f.len() - 4], &body[..]);
        let crc = crc32fast::hash(&f[..f.len() - 4]);
        assert_eq!(&f[f.len() - 4..], &crc.to_le_bytes());
        // The compressor is reused: the next file is a whole stream of its own.
        assert_eq!(inflate(&sealed(b"TSGD", &[9], &mut deflater)), {
            let mut x = b"TSGD\x05\x09".to_vec();
            x.extend_from_slice(&crc32fast::hash(b"TSGD\x05\x09").to_le_bytes());
            x
        });
        // Incompressible input stays whole.
        let noise: Vec<u8> = (0..100_000u64)
            .map(|i| (i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as u8)
            .collect();
        assert_eq!(
            inflate(&sealed(b"TSGR", &noise, &mut deflater))[5..100_005],
            noise[..]
        );
    }
}
