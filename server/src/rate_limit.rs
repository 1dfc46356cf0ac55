//! A fixed-window limiter for tracking-code lookups, per client network (an IPv4 address, an
//! IPv6 /64).
//!
//! It lives in process memory: with several instances each enforces its own window, so the
//! effective limit is at most `instances × limit`. That keeps lookups cheap (no write per
//! lookup) and still makes guessing an 80-bit code hopeless.
//!
//! Memory and time are bounded: counts live in the current window's map only (the whole map is
//! replaced when the window ends, and dropped outside the lock), and past `MAX_CLIENTS` distinct
//! networks in one window every further new network shares one overflow count, so a flood of
//! spoofed or rotating addresses neither grows the map nor escapes the limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Distinct client networks tracked per window.
pub const MAX_CLIENTS: usize = 100_000;

#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    state: Mutex<Window>,
}

#[derive(Debug)]
struct Window {
    start: Instant,
    counts: HashMap<Network, u32>,
    overflow: u32,
}

/// The unit counted: an IPv4 address, or the first 64 bits of an IPv6 address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Network {
    V4(u32),
    V6(u64),
}

impl Network {
    pub fn of(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Network::V4(u32::from(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Network::V4(u32::from(v4)),
                None => Network::V6((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

impl RateLimiter {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            state: Mutex::new(Window {
                start: Instant::now(),
                counts: HashMap::new(),
                overflow: 0,
            }),
        }
    }

    /// Counts one request from `ip` at `now`; `false` when it is over the limit.
    pub fn check(&self, ip: IpAddr, now: Instant) -> bool {
        self.count(ip, now, 1) <= self.limit
    }

    /// Whether `ip` is not over the limit, without counting anything.
    pub fn allows(&self, ip: IpAddr, now: Instant) -> bool {
        self.count(ip, now, 0) <= self.limit
    }

    fn count(&self, ip: IpAddr, now: Instant, add: u32) -> u32 {
        let net = Network::of(ip);
        let mut old = None;
        let n = {
            let mut w = self.state.lock().unwrap_or_else(|p| p.into_inner());
            if now.duration_since(w.start) >= self.window {
                // A new window: the old map goes, dropped after the lock is released.
                old = Some(std::mem::replace(
                    &mut *w,
                    Window {
                        start: now,
                        counts: HashMap::new(),
                        overflow: 0,
                    },
                ));
            }
            let full = w.counts.len() >= MAX_CLIENTS;
            match w.counts.get_mut(&net) {
                Some(c) => {
                    *c += add;
                    *c
                }
                None if full => {
                    w.overflow += add;
                    w.overflow
                }
                None if add == 0 => 0,
                None => {
                    w.counts.insert(net, add);
                    add
                }
            }
        };
        drop(old);
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_the_limit_then_refuses_until_the_window_ends() {
        let rl = RateLimiter::new(3, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        let t0 = Instant::now();
        assert!(rl.check(a, t0) && rl.check(a, t0) && rl.check(a, t0));
        assert!(rl.allows(a, t0), "at the limit, not over it");
        assert!(!rl.check(a, t0));
        assert!(!rl.allows(a, t0), "over the limit");
        assert!(rl.check(b, t0), "other clients are not affected");
        assert!(rl.allows(a, t0 + Duration::from_secs(61)));
        assert!(rl.check(a, t0 + Duration::from_secs(61)));
    }

    #[test]
    fn one_ipv6_slash_64_is_one_client() {
        let rl = RateLimiter::new(2, Duration::from_secs(60));
        let t0 = Instant::now();
        assert!(rl.check("2001:db8:1:2::1".parse().unwrap(), t0));
        assert!(rl.check("2001:db8:1:2::ffff".parse().unwrap(), t0));
        assert!(!rl.check("2001:db8:1:2:abcd::9".parse().unwrap(), t0));
        assert!(rl.check("2001:db8:1:3::1".parse().unwrap(), t0));
    }

    #[test]
    fn a_flood_of_new_addresses_stays_bounded_and_limited() {
        let rl = RateLimiter::new(5, Duration::from_secs(60));
        let t0 = Instant::now();
        for i in 0..(MAX_CLIENTS as u32 + 50) {
            rl.check(IpAddr::V4(std::net::Ipv4Addr::from(i)), t0);
        }
        let w = rl.state.lock().unwrap();
        assert_eq!(w.counts.len(), MAX_CLIENTS);
        assert_eq!(w.overflow, 50);
        drop(w);
        // Beyond the map, new addresses share the overflow's (exhausted) count.
        assert!(!rl.check("203.0.113.1".parse().unwrap(), t0));
    }
}
