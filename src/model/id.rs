//! Short random ids for records without a readable name, and for devices.
//!
//! Ten characters of Crockford base32 carry 50 random bits: two clones creating a million
//! records each collide with odds under one in a thousand, with no counter to coordinate.

const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// `len` random characters from a lowercase, unambiguous alphabet.
pub fn random_id(len: usize) -> String {
    let mut bytes = vec![0u8; len];
    if getrandom::fill(&mut bytes).is_err() {
        // No OS randomness: fall back to the clock and process id, still unique enough locally.
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
            ^ u128::from(std::process::id());
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = (seed >> ((i * 5) % 120)) as u8;
        }
    }
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(b % 32)] as char)
        .collect()
}

/// The length of record ids.
pub const RECORD_ID_LEN: usize = 10;

#[cfg(test)]
mod tests {
    #[test]
    fn random_ids_use_the_alphabet_and_differ() {
        let a = super::random_id(10);
        let b = super::random_id(10);
        assert_eq!(a.len(), 10);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| super::ALPHABET.contains(&c)));
    }
}
