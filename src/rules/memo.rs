//! What the document rules keep from one check of a document to the next.
//!
//! The language server checks a document again after every edit, taking
//! the facts of the blocks the edit left alone from its cache. What a
//! document rule derives from a block is kept here, lined up with the
//! blocks, so that after an edit it reads again only the blocks whose
//! facts are new. A value kept for a block depends on nothing but the block
//! (its kind, language, text and prose: what its facts' [`FactsId`] stands
//! for) and on what the memo records beside it (the defined terms it was
//! read with), and its positions are relative to the block's start.
//!
//! Invariant: a check with a memo gives exactly what a check without one
//! gives (see `lint::incremental`).

use std::sync::atomic::{AtomicU64, Ordering};

use super::{BlockFacts, defined_terms, missing_anchor};

/// Which run of the collectors made a block's facts: copies share it, facts
/// made again get a new one. Blocks whose facts share an id have the same
/// kind, language, text and prose.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct FactsId(u64);

impl Default for FactsId {
    fn default() -> FactsId {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        FactsId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What the document rules kept of the last check of a document. Made with
/// the linter it is used with: a new configuration needs a new memo.
#[derive(Debug, Default)]
pub struct Memo {
    pub(crate) glossary: defined_terms::Memo,
    pub(crate) missing_anchor: missing_anchor::Memo,
}

/// Values kept per block, lined up with the blocks of the last check.
#[derive(Debug)]
pub(crate) struct PerBlock<T> {
    ids: Vec<FactsId>,
    pub values: Vec<Option<T>>,
}

impl<T> Default for PerBlock<T> {
    fn default() -> PerBlock<T> {
        PerBlock {
            ids: Vec::new(),
            values: Vec::new(),
        }
    }
}

impl<T> PerBlock<T> {
    /// Lines the values up with the blocks of `facts`. The blocks before
    /// and after those whose facts changed since the last call keep their
    /// values; the blocks between have none.
    pub fn align(&mut self, facts: &[BlockFacts]) {
        let old = &self.ids;
        let prefix = old
            .iter()
            .zip(facts)
            .take_while(|(id, f)| **id == f.id)
            .count();
        let suffix = old[prefix..]
            .iter()
            .rev()
            .zip(facts[prefix..].iter().rev())
            .take_while(|(id, f)| **id == f.id)
            .count();
        let added = facts.len() - prefix - suffix;
        self.values
            .splice(prefix..old.len() - suffix, (0..added).map(|_| None));
        self.ids.clear();
        self.ids.extend(facts.iter().map(|f| f.id));
    }

    /// Forgets every value.
    pub fn clear(&mut self) {
        self.values.iter_mut().for_each(|v| *v = None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(n: usize) -> Vec<BlockFacts> {
        (0..n).map(|_| BlockFacts::default()).collect()
    }

    #[test]
    fn blocks_around_an_edit_keep_their_values() {
        let mut kept = PerBlock::default();
        let mut blocks = facts(5);
        kept.align(&blocks);
        assert_eq!(kept.values, [None, None, None, None, None]);
        kept.values = (0..5).map(Some).collect();
        // Block 2 made again, a block inserted after it.
        blocks[2] = BlockFacts::default();
        blocks.insert(3, BlockFacts::default());
        kept.align(&blocks);
        assert_eq!(
            kept.values,
            [Some(0), Some(1), None, None, Some(3), Some(4)]
        );
        // Blocks 0 and 1 removed.
        blocks.drain(..2);
        kept.align(&blocks);
        assert_eq!(kept.values, [None, None, Some(3), Some(4)]);
        // A copy of a block's facts is the same block.
        let copy = blocks.clone();
        kept.align(&copy);
        assert_eq!(kept.values, [None, None, Some(3), Some(4)]);
    }
}
