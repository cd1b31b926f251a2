//! Slows password guessing: failed sign-ins are counted per account name and per client address
//! in a sliding window, and once either count reaches its limit further attempts are refused
//! (429 with `Retry-After`) without checking the password at all.
//!
//! Pure bookkeeping over `Instant`s the caller passes in, so it is tested without sleeping. Memory
//! is bounded: each key keeps at most `max_failures` instants and, past [`MAX_KEYS`] keys, stale
//! keys are dropped (and if all are fresh, the oldest), so a flood of made-up names cannot grow it.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

/// Most keys remembered at once.
pub const MAX_KEYS: usize = 10_000;

/// Limits for one kind of key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// Failures allowed within `window`; the next attempt is refused.
    pub max_failures: usize,
    /// How long a failure counts.
    pub window: Duration,
}

/// Failed sign-ins per key.
#[derive(Debug)]
pub struct LoginLimiter {
    per_name: Limit,
    per_client: Limit,
    failures: HashMap<String, VecDeque<Instant>>,
}

impl Default for LoginLimiter {
    /// 5 failures per name and 30 per client address in 15 minutes.
    fn default() -> Self {
        let window = Duration::from_secs(15 * 60);
        Self::new(Limit { max_failures: 5, window }, Limit { max_failures: 30, window })
    }
}

impl LoginLimiter {
    /// A limiter with these limits.
    pub fn new(per_name: Limit, per_client: Limit) -> Self {
        Self { per_name, per_client, failures: HashMap::new() }
    }

    fn keys(name: &str, client: Option<&str>) -> (String, Option<String>) {
        (format!("name:{}", name.trim().to_lowercase()), client.map(|c| format!("client:{c}")))
    }

    /// `Err(wait)` when an attempt for `name` from `client` must be refused now, with how long
    /// until the oldest counted failure leaves the window.
    pub fn check(&mut self, name: &str, client: Option<&str>, now: Instant) -> Result<(), Duration> {
        let (name_key, client_key) = Self::keys(name, client);
        let mut wait = Duration::ZERO;
        for (key, limit) in [(Some(name_key), self.per_name), (client_key, self.per_client)] {
            let Some(key) = key else { continue };
            if let Some(times) = self.failures.get_mut(&key) {
                prune(times, limit.window, now);
                if times.len() >= limit.max_failures {
                    let oldest = times.front().copied().unwrap_or(now);
                    wait = wait.max((oldest + limit.window).saturating_duration_since(now));
                }
            }
        }
        if wait.is_zero() {
            Ok(())
        } else {
            Err(wait.max(Duration::from_secs(1)))
        }
    }

    /// Counts a failed attempt.
    pub fn failed(&mut self, name: &str, client: Option<&str>, now: Instant) {
        let (name_key, client_key) = Self::keys(name, client);
        for (key, limit) in [(Some(name_key), self.per_name), (client_key, self.per_client)] {
            let Some(key) = key else { continue };
            if !self.failures.contains_key(&key) && self.failures.len() >= MAX_KEYS {
                self.evict(now);
            }
            let times = self.failures.entry(key).or_default();
            prune(times, limit.window, now);
            times.push_back(now);
            while times.len() > limit.max_failures {
                times.pop_front();
            }
        }
    }

    /// A successful sign-in forgets the name's failures (not the address's: one right password
    /// must not reset a guesser working through many names).
    pub fn succeeded(&mut self, name: &str) {
        self.failures.remove(&Self::keys(name, None).0);
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.failures.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.failures.is_empty()
    }

    fn evict(&mut self, now: Instant) {
        let window = self.per_name.window.max(self.per_client.window);
        self.failures
            .retain(|_, t| t.back().is_some_and(|last| now.saturating_duration_since(*last) < window));
        if self.failures.len() >= MAX_KEYS {
            let oldest = self.failures.iter().min_by_key(|(_, t)| t.back().copied()).map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                self.failures.remove(&k);
            }
        }
    }
}

fn prune(times: &mut VecDeque<Instant>, window: Duration, now: Instant) {
    while times.front().is_some_and(|t| now.saturating_duration_since(*t) >= window) {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> LoginLimiter {
        let window = Duration::from_secs(60);
        LoginLimiter::new(Limit { max_failures: 3, window }, Limit { max_failures: 5, window })
    }

    #[test]
    fn a_name_is_locked_after_its_failures_until_the_window_passes() {
        let mut l = limiter();
        let t0 = Instant::now();
        for i in 0..3 {
            assert!(l.check("Ada", Some("10.0.0.1"), t0).is_ok(), "attempt {i}");
            l.failed("ada", Some("10.0.0.1"), t0);
        }
        let wait = l.check("ADA ", Some("10.0.0.2"), t0 + Duration::from_secs(10)).unwrap_err();
        assert_eq!(wait, Duration::from_secs(50), "names are compared trimmed and case-blind");
        assert!(l.check("bob", Some("10.0.0.2"), t0).is_ok(), "other names are unaffected");
        assert!(l.check("ada", Some("10.0.0.1"), t0 + Duration::from_secs(60)).is_ok());
    }

    #[test]
    fn one_address_trying_many_names_is_locked_too() {
        let mut l = limiter();
        let t0 = Instant::now();
        for i in 0..5 {
            l.failed(&format!("user{i}"), Some("10.0.0.9"), t0);
        }
        assert!(l.check("someone-new", Some("10.0.0.9"), t0).is_err());
        assert!(l.check("someone-new", Some("10.0.0.8"), t0).is_ok());
    }

    #[test]
    fn success_clears_the_name_but_not_the_address() {
        let mut l = limiter();
        let t0 = Instant::now();
        for _ in 0..3 {
            l.failed("ada", Some("10.0.0.1"), t0);
        }
        l.succeeded("ada");
        assert!(l.check("ada", Some("10.0.0.3"), t0).is_ok());
        l.failed("x", Some("10.0.0.1"), t0);
        l.failed("y", Some("10.0.0.1"), t0);
        assert!(l.check("z", Some("10.0.0.1"), t0).is_err(), "3 + 2 failures from one address");
    }

    #[test]
    fn memory_stays_bounded_under_a_flood_of_names() {
        let mut l = limiter();
        let t0 = Instant::now();
        for i in 0..(MAX_KEYS + 500) {
            l.failed(&format!("n{i}"), None, t0);
        }
        assert!(l.len() <= MAX_KEYS);
    }
}
