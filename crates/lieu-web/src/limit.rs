//! Login throttling: a budget of attempts per client address and one per account.
//!
//! The budgets live in this process's memory (governor's GCRA, keyed): they start full at each
//! restart, and each `lieu serve` process counts on its own. Keyed limiters keep one entry per
//! key they have seen, and keys come from the outside (addresses, typed e-mails), so each table
//! is swept of spent entries now and then and holds at most a fixed number of keys: when it is
//! full of keys still counting (many addresses at once: an attack), new attempts are refused
//! until entries age out, rather than forgetting budgets an attacker has spent.

use governor::clock::{Clock, DefaultClock, Reference};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

/// Keys one table may hold (about 100 bytes each).
pub const MAX_KEYS: usize = 65_536;

/// How often a table is swept of entries whose budget is full again. A sweep walks the table.
const SWEEP_EVERY: Duration = Duration::from_secs(10);

type Limiter<C> =
    RateLimiter<String, DashMapStateStore<String>, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// One keyed budget with a bounded number of keys.
pub struct KeyedBudget<C: Clock = DefaultClock> {
    limiter: Limiter<C>,
    max_keys: usize,
    last_sweep: Mutex<Option<C::Instant>>,
}

impl<C: Clock> KeyedBudget<C> {
    pub fn with_clock(quota: Quota, max_keys: usize, clock: C) -> Self {
        KeyedBudget {
            limiter: RateLimiter::dashmap_with_clock(quota, clock),
            max_keys,
            last_sweep: Mutex::new(None),
        }
    }

    /// Takes one attempt from `key`'s budget. `Err` holds how long to wait.
    pub fn take(&self, key: &str) -> Result<(), Duration> {
        self.sweep_if_due();
        if self.limiter.len() >= self.max_keys {
            return Err(SWEEP_EVERY);
        }
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| not_until.wait_time_from(self.limiter.clock().now()))
    }

    /// Keys held now.
    pub fn len(&self) -> usize {
        self.limiter.len()
    }

    pub fn is_empty(&self) -> bool {
        self.limiter.is_empty()
    }

    fn sweep_if_due(&self) {
        let now = self.limiter.clock().now();
        // Another worker sweeping right now is as good as sweeping.
        let Ok(mut last) = self.last_sweep.try_lock() else {
            return;
        };
        if last.is_some_and(|at| Duration::from(now.duration_since(at)) < SWEEP_EVERY) {
            return;
        }
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
        *last = Some(now);
    }
}

/// Unanswered searches recorded per client address and hour (a burst of this many, then one
/// every six minutes).
pub const MISSES_PER_CLIENT_PER_HOUR: u32 = 10;

/// The budget of unanswered searches a client address may have recorded.
pub fn miss_budget() -> KeyedBudget {
    hourly_budget(MISSES_PER_CLIENT_PER_HOUR)
}

/// A budget of `per_hour` actions per client address and hour (a burst of that many, then
/// one every `60 / per_hour` minutes).
pub fn hourly_budget(per_hour: u32) -> KeyedBudget {
    let per_hour = NonZeroU32::new(per_hour).unwrap_or(NonZeroU32::MIN);
    KeyedBudget::with_clock(Quota::per_hour(per_hour), MAX_KEYS, DefaultClock::default())
}

/// A budget of `per_minute` requests per client address and minute (a burst of that many, then
/// one every `60 / per_minute` seconds).
pub fn minute_budget(per_minute: u32) -> KeyedBudget {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    KeyedBudget::with_clock(
        Quota::per_minute(per_minute),
        MAX_KEYS,
        DefaultClock::default(),
    )
}

/// Why a login attempt is refused before the password is even checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Throttled {
    /// Too many attempts from this client address.
    Client(Duration),
    /// Too many attempts on this account, from anywhere.
    Account(Duration),
}

impl Throttled {
    pub fn retry_after(self) -> Duration {
        match self {
            Throttled::Client(d) | Throttled::Account(d) => d,
        }
    }
}

/// The two budgets a login attempt spends from.
pub struct LoginLimiter<C: Clock = DefaultClock> {
    per_client: KeyedBudget<C>,
    per_account: KeyedBudget<C>,
}

impl LoginLimiter<DefaultClock> {
    pub fn new(per_client_per_minute: u32, per_account_per_hour: u32) -> Self {
        Self::with_clock(
            per_client_per_minute,
            per_account_per_hour,
            MAX_KEYS,
            DefaultClock::default(),
        )
    }
}

impl<C: Clock + Clone> LoginLimiter<C> {
    pub fn with_clock(
        per_client_per_minute: u32,
        per_account_per_hour: u32,
        max_keys: usize,
        clock: C,
    ) -> Self {
        let per_minute = NonZeroU32::new(per_client_per_minute).unwrap_or(NonZeroU32::MIN);
        let per_hour = NonZeroU32::new(per_account_per_hour).unwrap_or(NonZeroU32::MIN);
        LoginLimiter {
            per_client: KeyedBudget::with_clock(
                Quota::per_minute(per_minute),
                max_keys,
                clock.clone(),
            ),
            per_account: KeyedBudget::with_clock(Quota::per_hour(per_hour), max_keys, clock),
        }
    }
}

impl<C: Clock> LoginLimiter<C> {
    /// Spends one attempt of `client` and then one of `account` (see
    /// [`lieu_core::auth::login_account_key`]). A client already refused spends nothing from
    /// the account, so one noisy address cannot lock an account faster than its own budget.
    pub fn check(&self, client: &str, account: &str) -> Result<(), Throttled> {
        self.per_client.take(client).map_err(Throttled::Client)?;
        self.per_account.take(account).map_err(Throttled::Account)
    }

    /// Keys held by the two tables.
    pub fn len(&self) -> (usize, usize) {
        (self.per_client.len(), self.per_account.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    #[test]
    fn a_client_and_an_account_each_have_their_own_budget() {
        let clock = FakeRelativeClock::default();
        let limiter = LoginLimiter::with_clock(3, 5, 100, clock.clone());
        for _ in 0..3 {
            assert_eq!(limiter.check("1.1.1.1", "a"), Ok(()));
        }
        assert!(matches!(
            limiter.check("1.1.1.1", "b"),
            Err(Throttled::Client(_))
        ));
        // Many addresses on one account: the account's budget runs out (5 per hour).
        for n in 0..2 {
            assert_eq!(limiter.check(&format!("2.2.2.{n}"), "a"), Ok(()));
        }
        let refused = limiter.check("3.3.3.3", "a").expect_err("account spent");
        assert!(matches!(refused, Throttled::Account(_)), "{refused:?}");
        assert_eq!(refused.retry_after(), Duration::from_secs(12 * 60));
        // Another account from a fresh address is untouched, and time restores the budgets.
        assert_eq!(limiter.check("3.3.3.3", "c"), Ok(()));
        clock.advance(Duration::from_secs(12 * 60));
        assert_eq!(limiter.check("1.1.1.1", "a"), Ok(()));
    }

    #[test]
    fn a_hundred_thousand_keys_leave_the_tables_bounded() {
        let clock = FakeRelativeClock::default();
        let max = 1_000;
        let limiter = LoginLimiter::with_clock(10, 20, max, clock.clone());
        let mut refused = 0;
        for n in 0..100_000u32 {
            if limiter
                .check(&format!("client-{n}"), &format!("account-{n}"))
                .is_err()
            {
                refused += 1;
            }
            let (clients, accounts) = limiter.len();
            assert!(
                clients <= max && accounts <= max,
                "{clients} {accounts} at {n}"
            );
        }
        assert_eq!(refused, 100_000 - max, "a full table refuses new keys");
        // Once the budgets are full again, the sweep empties the tables and attempts pass.
        clock.advance(Duration::from_secs(3_600));
        assert_eq!(limiter.check("client-new", "account-new"), Ok(()));
        assert_eq!(limiter.len(), (1, 1));
    }
}
