//! A fast hash for the engine's own tables of short keys (words, word
//! hashes), which are built from the text being checked on every keystroke.
//! The standard library's SipHash resists keys chosen to collide; here it
//! cost more than the lookups around it, and a collision only costs time.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64 bits.
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
pub type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

/// A fixed set of short words, each with a small non-zero value, in a table
/// with open addressing over the words packed into numbers (see
/// [`pack`]). A look-up costs a multiplication and, most often, one look
/// and no branch on the word's letters, which a `match` of words or a
/// hash of their bytes would take one by one (a processor cannot foresee
/// where a word ends).
pub struct PackedWords {
    slots: Vec<u128>,
    bits: u32,
}

/// Where an entry keeps its value: the byte after any packed word.
const VALUE_SHIFT: u32 = 120;
const WORD_BITS: u128 = (1 << VALUE_SHIFT) - 1;

impl PackedWords {
    /// A table of `2^bits` slots (keep it at most half full) holding
    /// `words` with their values; a word given twice keeps its last value.
    /// Panics on a word of more than 15 bytes or a value of zero.
    pub fn new<'w>(bits: u32, words: impl IntoIterator<Item = (&'w str, u8)>) -> PackedWords {
        let mut table = PackedWords {
            slots: vec![0; 1 << bits],
            bits,
        };
        for (word, value) in words {
            assert_ne!(value, 0, "a packed word's value is not zero");
            let key = pack(word.as_bytes()).expect("a packed word has at most 15 bytes");
            let mut slot = table.slot_of(key);
            while table.slots[slot] != 0 && table.slots[slot] & WORD_BITS != key {
                slot = (slot + 1) & (table.slots.len() - 1);
            }
            table.slots[slot] = key | u128::from(value) << VALUE_SHIFT;
        }
        table
    }

    /// The value of a packed word, if the table holds it.
    pub fn get(&self, key: u128) -> Option<u8> {
        let mut slot = self.slot_of(key);
        loop {
            let entry = self.slots[slot];
            if entry == 0 {
                return None;
            }
            if entry & WORD_BITS == key {
                return Some((entry >> VALUE_SHIFT) as u8);
            }
            slot = (slot + 1) & (self.slots.len() - 1);
        }
    }

    fn slot_of(&self, key: u128) -> usize {
        let folded = (key as u64) ^ ((key >> 64) as u64);
        (folded.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - self.bits)) as usize
    }
}

/// A word of at most 15 bytes as a number: its bytes, little-endian, with
/// zeros after them.
pub fn pack(word: &[u8]) -> Option<u128> {
    let mut bytes = [0u8; 16];
    bytes
        .get_mut(..word.len())
        .filter(|_| word.len() < 16)?
        .copy_from_slice(word);
    Some(u128::from_le_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_words_keep_their_last_value_and_miss_the_rest() {
        let table = PackedWords::new(
            4,
            [("the", 1), ("der", 2), ("the", 3), ("fifteen-letters", 4)],
        );
        let get = |word: &str| pack(word.as_bytes()).and_then(|key| table.get(key));
        assert_eq!(get("the"), Some(3));
        assert_eq!(get("der"), Some(2));
        assert_eq!(get("fifteen-letters"), Some(4));
        assert_eq!(get("th"), None);
        assert_eq!(get("them"), None);
        assert_eq!(get(""), None);
        assert_eq!(pack(b"sixteen-letters!"), None);
    }
}
