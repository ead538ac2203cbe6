//! Answers already computed for the index as it is now: a list page, a count, a results page,
//! the suggestions for a few letters. Residents ask the same things over and over (the first
//! page of each list, « caf », « creche »), and each answer costs from a tenth of a
//! millisecond (a list of 20,000 services) to a few milliseconds (a fuzzy query over 100,000
//! documents with its facets and snippets); given again, it costs a lookup.
//!
//! Correctness: an answer is only given again for the same searcher generation (the index's
//! committed state, which changes with each drain of the outbox) and the same synonyms. When
//! either moves on, everything kept goes: there is no partial invalidation to get wrong. The
//! moment offers and events are compared with is part of each question, judged to the minute
//! (see [`minute`]), so an answer also stops being given when the minute turns.
//!
//! Memory is bounded by the number of answers of each sort kept (least recently used first out);
//! a flood of distinct questions only brings the cost back to that of computing each one.
//!
//! The web layer keeps answers read from the database the same way (a page of entries, a day
//! of the agenda), under the same [`Epoch`]: every change to a page or an entry reaches the
//! index through the outbox, so a new searcher generation also means the database changed.
//! Such answers follow the index: they are as fresh as its lists, about a second behind a save.

use crate::SearchResult;
use lru::LruCache;
use std::hash::Hash;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

/// The state of the index an answer was computed from: (searcher generation, synonyms version).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epoch(u64, u64);

impl Epoch {
    pub(crate) fn new(generation: u64, synonyms: u64) -> Epoch {
        Epoch(generation, synonyms)
    }

    /// Whether `self` is the same state as `other` or a later one.
    fn not_older_than(self, other: Epoch) -> bool {
        self.0 >= other.0 && self.1 >= other.1
    }
}

/// One sort of answers, keyed by the question.
pub struct Answers<K, V> {
    inner: Mutex<Kept<K, V>>,
    /// Off, nothing is kept (benchmarks measure what a first question costs).
    keeping: AtomicBool,
}

struct Kept<K, V> {
    epoch: Epoch,
    answers: LruCache<K, Arc<V>>,
}

impl<K: Hash + Eq, V> Answers<K, V> {
    /// Keeps at most `capacity` answers.
    pub fn new(capacity: usize) -> Answers<K, V> {
        let capacity = NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN);
        Answers {
            inner: Mutex::new(Kept {
                epoch: Epoch(0, 0),
                answers: LruCache::new(capacity),
            }),
            keeping: AtomicBool::new(true),
        }
    }

    /// Turns keeping on or off; off, what was kept goes.
    pub fn keep(&self, keeping: bool) {
        self.keeping.store(keeping, Ordering::Relaxed);
        if !keeping {
            self.lock().answers.clear();
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept<K, V>> {
        // The lock guards plain data that no code path leaves half-written.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The answer kept for `question` at `epoch`, if any. An `epoch` later than the answers'
    /// makes them all go.
    pub fn get(&self, epoch: Epoch, question: &K) -> Option<Arc<V>> {
        let mut kept = self.lock();
        if kept.epoch == epoch {
            return kept.answers.get(question).map(Arc::clone);
        }
        if epoch.not_older_than(kept.epoch) {
            kept.answers.clear();
            kept.epoch = epoch;
        }
        None
    }

    /// Keeps the answer to `question` computed at `epoch`, unless the answers kept are of a
    /// later state already.
    pub fn put(&self, epoch: Epoch, question: K, answer: Arc<V>) {
        if !self.keeping.load(Ordering::Relaxed) {
            return;
        }
        let mut kept = self.lock();
        if kept.epoch == epoch {
            kept.answers.put(question, answer);
        }
    }

    /// The answer to `question` for the index at `epoch`: the one kept, or `compute`'s, then
    /// kept. Computed outside the lock: two requests for the same new question may both
    /// compute it, which costs less than making one wait for the other.
    pub(crate) fn get_or_compute(
        &self,
        epoch: Epoch,
        question: K,
        compute: impl FnOnce(&K) -> SearchResult<V>,
    ) -> SearchResult<Arc<V>> {
        if let Some(answer) = self.get(epoch, &question) {
            return Ok(answer);
        }
        let answer = Arc::new(compute(&question)?);
        self.put(epoch, question, Arc::clone(&answer));
        Ok(answer)
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().answers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn an_answer_is_given_again_only_for_the_same_state_of_the_index() {
        let answers: Answers<&str, u32> = Answers::new(2);
        let computed = Cell::new(0);
        let ask = |epoch, q| {
            *answers
                .get_or_compute(epoch, q, |_| {
                    computed.set(computed.get() + 1);
                    Ok(computed.get())
                })
                .expect("answer")
        };
        assert_eq!(ask(Epoch(1, 0), "caf"), 1);
        assert_eq!(ask(Epoch(1, 0), "caf"), 1, "kept");
        assert_eq!(ask(Epoch(2, 0), "caf"), 2, "a new generation");
        assert_eq!(ask(Epoch(2, 1), "caf"), 3, "new synonyms");
        // A request still holding an older searcher is answered, and does not spoil the newer.
        assert_eq!(ask(Epoch(1, 0), "caf"), 4);
        assert_eq!(ask(Epoch(2, 1), "caf"), 3);
        // Bounded: the least recently asked goes first.
        assert_eq!(ask(Epoch(2, 1), "apl"), 5);
        assert_eq!(ask(Epoch(2, 1), "rsa"), 6);
        assert_eq!(answers.len(), 2);
        assert_eq!(ask(Epoch(2, 1), "caf"), 7);
        assert_eq!(ask(Epoch(2, 1), "rsa"), 6);
    }

    #[test]
    fn a_failed_computation_is_not_kept() {
        let answers: Answers<u8, u8> = Answers::new(4);
        let failed =
            answers.get_or_compute(Epoch(1, 0), 1, |_| Err(crate::SearchError::Unsupported));
        assert!(failed.is_err());
        assert_eq!(answers.len(), 0);
        assert_eq!(
            *answers
                .get_or_compute(Epoch(1, 0), 1, |_| Ok(9))
                .expect("answer"),
            9
        );
    }
}
