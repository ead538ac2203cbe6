//! Time as an input. Rules that depend on "now" or "today" take them as parameters; the web
//! layer holds one [`Clock`] and asks it once per request, so that tests can fix the date
//! instead of moving rows' dates in the database.

use crate::entry::utc_to_paris;
use chrono::{DateTime, NaiveDate, NaiveDateTime, SubsecRound, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Where "now" comes from: the system clock, or a moment a test chose (and may move).
#[derive(Debug, Clone, Default)]
pub enum Clock {
    #[default]
    System,
    /// Seconds since the Unix epoch, shared by every copy of the clock.
    Fixed(Arc<AtomicI64>),
}

impl Clock {
    /// A clock stopped at `at` (UTC).
    pub fn fixed(at: NaiveDateTime) -> Clock {
        Clock::Fixed(Arc::new(AtomicI64::new(at.and_utc().timestamp())))
    }

    /// Moves a fixed clock to `at` (UTC). The system clock cannot be moved: `false`.
    pub fn set(&self, at: NaiveDateTime) -> bool {
        match self {
            Clock::System => false,
            Clock::Fixed(secs) => {
                secs.store(at.and_utc().timestamp(), Ordering::SeqCst);
                true
            }
        }
    }

    /// Now, in UTC, to the second (what the database stores).
    pub fn now(&self) -> NaiveDateTime {
        match self {
            Clock::System => Utc::now().naive_utc().trunc_subsecs(0),
            Clock::Fixed(secs) => DateTime::from_timestamp(secs.load(Ordering::SeqCst), 0)
                .map(|d| d.naive_utc())
                .unwrap_or_default(),
        }
    }

    /// Today, in Paris.
    pub fn today(&self) -> NaiveDate {
        utc_to_paris(self.now()).date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_says_the_paris_day_and_can_be_moved() {
        let late = NaiveDate::from_ymd_opt(2026, 12, 31)
            .and_then(|d| d.and_hms_opt(23, 30, 0))
            .expect("date");
        let clock = Clock::fixed(late);
        assert_eq!(clock.now(), late);
        // 23:30 UTC is already the next day in Paris.
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("date")
        );
        let copy = clock.clone();
        assert!(clock.set(late - chrono::Duration::days(1)));
        assert_eq!(
            copy.today(),
            NaiveDate::from_ymd_opt(2026, 12, 31).expect("date")
        );
        assert!(!Clock::System.set(late));
    }
}
