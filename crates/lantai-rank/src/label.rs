//! What a user's events say about one record of one search.

use lantai_model::EventKind;
use serde::{Deserialize, Serialize};

/// Long enough on a record to have used it (the common 30-second satisfied-click rule).
pub const SATISFIED_DWELL_MS: u64 = 30_000;
/// Back this quickly: the record was not what the user wanted.
pub const QUICK_RETURN_MS: u64 = 10_000;

/// The evidence gathered for one (search, record) pair. Repeated events do not add up: a
/// second download says nothing new.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    /// Opened (clicked).
    pub opened: bool,
    /// Used: long dwell, download, copy, borrow request or "useful".
    pub satisfied: bool,
    /// Opened and left within [`QUICK_RETURN_MS`].
    pub quick_return: bool,
    /// Said "not useful".
    pub not_useful: bool,
}

impl Label {
    /// Adds one event.
    pub fn observe(&mut self, kind: EventKind, dwell_ms: Option<u64>) {
        match kind {
            EventKind::Open | EventKind::Dwell => self.opened = true,
            EventKind::Download | EventKind::Copy | EventKind::BorrowRequest | EventKind::FeedbackUseful => {
                self.opened = true;
                self.satisfied = true;
            }
            EventKind::FeedbackNotUseful => self.not_useful = true,
        }
        if matches!(kind, EventKind::Open | EventKind::Dwell) {
            match dwell_ms {
                Some(d) if d >= SATISFIED_DWELL_MS => self.satisfied = true,
                Some(d) if d < QUICK_RETURN_MS => self.quick_return = true,
                _ => {}
            }
        }
    }

    /// The graded judgment: −1 not useful, 0 nothing or a quick return (a click abandoned at
    /// once says nothing in the record's favour: Fox et al., 2005), 1 open, 2 satisfied.
    pub fn value(&self) -> f64 {
        if self.not_useful {
            -1.0
        } else if self.satisfied {
            2.0
        } else if self.quick_return {
            0.0
        } else if self.opened {
            1.0
        } else {
            0.0
        }
    }

    /// Whether this counts as a click for position-bias estimation.
    pub fn clicked(&self) -> bool {
        self.opened
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn satisfaction_outranks_a_bare_open_and_a_quick_return_counts_less() {
        let mut open = Label::default();
        open.observe(EventKind::Open, None);
        let mut quick = open;
        quick.observe(EventKind::Dwell, Some(3_000));
        let mut used = open;
        used.observe(EventKind::Dwell, Some(45_000));
        let mut downloaded = quick;
        downloaded.observe(EventKind::Download, None);
        assert!(used.value() > open.value() && open.value() > quick.value() && quick.value() >= 0.0);
        assert_eq!(downloaded.value(), used.value(), "a download after a quick look still satisfies");
        let mut again = downloaded;
        again.observe(EventKind::Download, None);
        assert_eq!(again, downloaded, "repeats add nothing");
        let mut bad = used;
        bad.observe(EventKind::FeedbackNotUseful, None);
        assert!(bad.value() < 0.0);
    }
}
